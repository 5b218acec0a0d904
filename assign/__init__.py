"""assign — 教研员定点联系学校安排 (contact-school assignment) for county teaching-research offices.

The plan is made in one direction: scenario + tables → `Problem` → CP-SAT model with policy
plugins → `Plan` → audit → exports. README.md's Layout section shows the folders.

The names below are loaded when first used (PEP 562), so that `import assign` — which every
command, `assign --help` included, does — loads no solver: `solve` brings in OR-Tools, `load_scenario`
the tables and travel.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assign.errors import AssignError, InputError, PolicyError
    from assign.load import load_scenario
    from assign.plan import Plan
    from assign.problem import Problem
    from assign.solver.passes import solve

__all__ = ["AssignError", "InputError", "PolicyError", "Plan", "Problem", "load_scenario", "solve"]

HOME = {"AssignError": "assign.errors", "InputError": "assign.errors", "PolicyError": "assign.errors", "Plan": "assign.plan",
        "Problem": "assign.problem", "load_scenario": "assign.load", "solve": "assign.solver.passes"}


def __getattr__(name: str):
    if name in HOME:
        return getattr(importlib.import_module(HOME[name]), name)
    raise AttributeError(f"module 'assign' has no attribute {name!r}")
