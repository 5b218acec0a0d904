"""Commands that solve nothing start fast: `assign --help`, `plugins` and `validate` load no solver.

Each case runs in a fresh interpreter (a module loaded by another test would hide a slow import)
and lists which of the heavy libraries the command left in `sys.modules`. OR-Tools, pandas (which
OR-Tools brings) and the web stack belong to the commands that solve or serve. numpy, scipy and
networkx belong to a road table: validating the demo county, which has one, computes its trips (a
school no start can reach is an error `validate` must find), so they are asked of a scenario that
estimates travel as a straight line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "scenarios" / "demo-county" / "scenario.yaml"
STRAIGHT_LINE = ROOT / "scenarios" / "presets" / "office-system-100-days.yaml"  # great-circle travel, with a calendar
HEAVY = ("ortools", "pandas", "numpy", "networkx", "scipy", "matplotlib", "fastapi", "docx", "openpyxl")
SOLVER_AND_WEB = {"ortools", "pandas", "matplotlib", "fastapi", "docx", "openpyxl"}

RUN = """
import json, sys
from assign.cli import main
try:
    main(sys.argv[1:], prog_name="assign")
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "loaded": [m for m in HEAVY if m in sys.modules]}))
"""


def loaded_by(*args: str) -> tuple[int, set[str]]:
    """The exit code of `assign ARGS` in a fresh interpreter, and which heavy libraries it loaded."""
    code = f"HEAVY = {HEAVY!r}\n{RUN}"
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["code"], set(result["loaded"])


def test_importing_the_command_line_loads_no_heavy_library():
    out = subprocess.run([sys.executable, "-c", f"import sys, assign.cli; print([m for m in {HEAVY!r} if m in sys.modules])"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("args", [
    ["--help"],  # the first thing a user types
    ["plugins"],  # every policy and visit rule is imported, none solves
    ["plugins", "coverage"],  # one policy's parameters
    ["validate", str(STRAIGHT_LINE)],  # tables, policies, calendar and holiday files checked without a road table
])
def test_commands_that_solve_nothing_load_no_solver_and_no_numerics(args):
    code, loaded = loaded_by(*args)
    assert code in (0, None)
    assert loaded == set()


def test_validating_the_demo_county_loads_no_solver():
    code, loaded = loaded_by("validate", str(DEMO))
    assert code in (0, None)
    assert loaded & SOLVER_AND_WEB == set()
    assert {"numpy", "networkx"} <= loaded  # the demo's road table is read and its trips computed: validate checks them
