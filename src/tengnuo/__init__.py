"""tengnuo: fits a person's tasks, routines and limits into their week, with a provably good plan.

Public API: load a planning file, solve it, check a plan independently.
"""

from tengnuo.errors import ExitStatus, InvalidInputError, Issue, TengnuoError
from tengnuo.model.plan import Plan, Status
from tengnuo.model.problem import Problem

__all__ = [
    "ExitStatus",
    "InvalidInputError",
    "Issue",
    "Plan",
    "Problem",
    "Status",
    "TengnuoError",
]
