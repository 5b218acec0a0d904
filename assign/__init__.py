"""assign — 教研员定点联系学校安排 (contact-school assignment) for county teaching-research offices.

The plan is made in one direction: scenario + tables → `Problem` → CP-SAT model with policy
plugins → `Plan` → audit → exports. README.md's Layout section shows the folders.
"""

from assign.errors import AssignError, InputError, PolicyError
from assign.load import load_scenario
from assign.plan import Plan
from assign.problem import Problem
from assign.solver.passes import solve

__all__ = ["AssignError", "InputError", "PolicyError", "Plan", "Problem", "load_scenario", "solve"]
