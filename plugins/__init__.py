"""The policies that ship with `assign`, each registered in pyproject.toml like a third-party plugin.

Their messages (audit findings, the `why=` of requirements that an infeasibility explanation
quotes, term labels, parameter errors) are written in English inside `_()` from `assign.locale`
and translated by this package's own gettext domain, `assign_plugins`, whose catalog lives in
`plugins/locale/` and is registered here when the package is first imported: the same way a
third-party plugin package ships and registers its own catalog. Parameter descriptions are marked
with `N_()` and translated where they are shown (`assign plugins NAME`, the web page's forms).

After changing a message (see plugins/locale/README.md):

    pybabel extract -o plugins/locale/assign_plugins.pot plugins
    pybabel update -i plugins/locale/assign_plugins.pot -d plugins/locale -D assign_plugins -l zh_CN
"""

from pathlib import Path

from assign.locale import add_domain

DOMAIN = "assign_plugins"
LOCALE_DIR = Path(__file__).parent / "locale"

add_domain(DOMAIN, LOCALE_DIR)
