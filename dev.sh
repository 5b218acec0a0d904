#!/usr/bin/env bash
# Sets up everything on a fresh machine (only Python 3.11+ needed), then runs what was asked:
#   ./dev.sh demo [options]   solve the embedded demo county and print the roster and KPIs
#   ./dev.sh test [pytest options]   lint (ruff), then run the test suite (installs Debian's chromium for the report test
#                                    and LibreOffice for the print test when it can)
#   ./dev.sh assign ARGS...   run any assign command inside the project's environment
#   ./dev.sh i18n             extract the messages of every catalog (*/locale/<domain>.pot), update its Chinese .po, compile
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv
if [ ! -x "$VENV/bin/python" ]; then
  echo "» creating $VENV with $($PYTHON --version)" >&2
  "$PYTHON" -m venv "$VENV"
fi
# The message catalogs: one folder <package>/locale per gettext domain, holding <domain>.pot (the
# messages extracted from <package>/) and <lang>/LC_MESSAGES/<domain>.po (their translations):
# assign/locale/assign.pot for the core, plugins/locale/assign_plugins.pot for the built-in policies.
# The .mo files are build output (.gitignore); a .po newer than its .mo is compiled again.
TRANSLATED=zh_CN  # every message must have a Chinese translation (tests/test_catalogs.py)
compile_catalogs() {
  local pot locale domain po
  for pot in */locale/*.pot; do
    [ -f "$pot" ] || continue
    locale=$(dirname "$pot"); domain=$(basename "$pot" .pot)
    for po in "$locale"/*/LC_MESSAGES/"$domain".po; do
      [ -f "$po" ] || continue
      if [ ! -f "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; then
        "$VENV/bin/pybabel" compile -i "$po" -o "${po%.po}.mo" -l "$(basename "$(dirname "$(dirname "$po")")")" >/dev/null 2>&1 \
          || echo "» could not compile $po (messages fall back on the .po read at run time)" >&2
      fi
    done
  done
}
update_catalogs() {
  local pot locale domain
  for pot in */locale/*.pot; do
    [ -f "$pot" ] || continue
    locale=$(dirname "$pot"); domain=$(basename "$pot" .pot)
    echo "» $domain: extracting the messages of $(dirname "$locale")/ into $pot, updating $locale/$TRANSLATED" >&2
    "$VENV/bin/pybabel" -q extract -F pyproject.toml --no-location --sort-output --no-wrap --project assign \
      -o "$pot" "$(dirname "$locale")" --ignore-dirs=".* ._ __pycache__"
    "$VENV/bin/pybabel" -q update -i "$pot" -d "$locale" -D "$domain" -l "$TRANSLATED" --init-missing --no-wrap
  done
}

# Reinstall only when the package definition changed since the last install.
if [ ! -f "$VENV/.installed" ] || [ pyproject.toml -nt "$VENV/.installed" ]; then
  echo "» installing assign and its dependencies into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
  "$VENV/bin/python" -m pip install --quiet -e ".[test]" >&2
  touch "$VENV/.installed"
fi
compile_catalogs

# The report's browser test (tests/test_report.py) drives Debian's chromium through its chromedriver;
# a CJK font makes its screenshot readable. Installed only when missing, only as root with apt-get;
# without them the test is skipped and says why, so setup never fails here.
browser_for_tests() {
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "» no chromium/chromedriver and no root apt-get: the report's browser test will be skipped" >&2
    return 0
  fi
  echo "» installing Debian's chromium, chromium-driver and fonts-wqy-microhei for the report's browser test" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -q chromium chromium-driver fonts-wqy-microhei \
      || { apt-get update -q && apt-get install -y -q chromium chromium-driver fonts-wqy-microhei; }; } >/dev/null 2>&1 \
    || echo "» could not install chromium with apt-get: the report's browser test will be skipped" >&2
}

# The print test (tests/test_print.py) converts the demo's workbooks and notice to PDF with Debian's
# LibreOffice, headless; same rules: installed only when missing, only as root with apt-get, else skipped.
office_for_tests() {
  command -v soffice >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "» no LibreOffice (soffice) and no root apt-get: the print-to-PDF test will be skipped" >&2
    return 0
  fi
  echo "» installing Debian's libreoffice-calc, libreoffice-writer (headless) and fonts-wqy-microhei for the print-to-PDF test" >&2
  export DEBIAN_FRONTEND=noninteractive
  local packages="libreoffice-calc libreoffice-writer fonts-wqy-microhei"
  { apt-get install -y -q --no-install-recommends $packages \
      || { apt-get update -q && apt-get install -y -q --no-install-recommends $packages; }; } >/dev/null 2>&1 \
    || echo "» could not install LibreOffice with apt-get: the print-to-PDF test will be skipped" >&2
}

command=${1:-demo}
shift || true
case "$command" in
  demo) exec "$VENV/bin/assign" demo "$@" ;;
  test)
    browser_for_tests
    office_for_tests
    echo "» ruff check (lint and import order; settings in pyproject.toml)" >&2
    "$VENV/bin/ruff" check .
    exec "$VENV/bin/python" -m pytest "$@" ;;
  assign) exec "$VENV/bin/assign" "$@" ;;
  i18n) update_catalogs; compile_catalogs ;;
  *) echo "usage: ./dev.sh demo|test|assign|i18n [args...]" >&2; exit 2 ;;
esac
