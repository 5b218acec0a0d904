"""The house keeps its layout: no import circle among the project's modules (imports inside
functions and under TYPE_CHECKING count: they are circles a reader must untangle all the same), no
`_name` taken from another module, a small top level, and a docstring on every folder's face."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
# Where each import name lives (pyproject maps `assign_plugins` to plugins/).
PACKAGES = {"assign": ROOT / "assign", "assign_plugins": ROOT / "plugins"}
MAX_TOP_LEVEL_MODULES = 15


def project_modules() -> dict[str, Path]:
    """Every module of the project by dotted name, packages by their `__init__`."""
    found = {}
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = [package, *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports_of(path: Path, modules: dict[str, Path]) -> list[tuple[str, str | None, int]]:
    """(module imported, name taken from it or None, line) for every import in the file, at any depth."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(alias.name, None, node.lineno) for alias in node.names if alias.name in modules]
        elif isinstance(node, ast.ImportFrom) and node.module in modules and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                # `from assign.solver import passes` imports the module, not a name of the package.
                out.append((submodule, None, node.lineno) if submodule in modules else (node.module, alias.name, node.lineno))
    return out


def import_graph(modules: dict[str, Path]) -> nx.DiGraph:
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        for target, _, _ in imports_of(path, modules):
            # A package's face (`assign/__init__.py`) re-exports the API; importing a module inside
            # it is not an arrow back to the face.
            if target != name and not (name.startswith(target + ".") and modules[target].name == "__init__.py"):
                graph.add_edge(name, target)
    return graph


def test_no_module_of_the_project_takes_part_in_an_import_circle():
    modules = project_modules()
    circles = [sorted(c) for c in nx.strongly_connected_components(import_graph(modules)) if len(c) > 1]
    assert circles == [], f"import circles (each a set of modules that import each other): {circles}"


def test_the_circle_check_finds_a_circle_hidden_in_a_function(tmp_path):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("from assign.b import y\n", encoding="utf-8")
    b.write_text("def f():\n    from assign.a import x\n", encoding="utf-8")
    graph = import_graph({"assign.a": a, "assign.b": b})
    assert [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1] == [["assign.a", "assign.b"]]


def test_no_private_name_crosses_a_file():
    modules = project_modules()
    files = [*modules.values(), *sorted((ROOT / "tests").rglob("*.py")), *sorted((ROOT / "benchmarks").rglob("*.py"))]
    private = [f"{path.relative_to(ROOT)}:{line} takes {name} from {target}"
               for path in files for target, name, line in imports_of(path, modules)
               if name is not None and name.startswith("_") and not name.startswith("__") and name != "_"]  # `_` is gettext's
    assert private == [], "names that cross a file must be public:\n" + "\n".join(private)


def test_the_top_level_of_assign_holds_at_most_fifteen_modules():
    top = sorted(p.name for p in (ROOT / "assign").glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, f"{len(top)} modules at the top of assign/: {top}; give them a folder"


@pytest.mark.parametrize("face", sorted(p.relative_to(ROOT).as_posix() for folder in PACKAGES.values() for p in folder.rglob("__init__.py")))
def test_every_folder_says_what_it_holds(face):
    tree = ast.parse((ROOT / face).read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree)
    assert doc and len(doc.split()) >= 5, f"{face}: its docstring should say what the folder holds"
