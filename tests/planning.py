"""Helpers for solver tests: solve and validate with the independent checker, load named files.

Every plan a test looks at goes through `solve_checked`, so no test trusts the solver's own word:
`tengnuo.check.check` must find nothing wrong (for an infeasible problem, with hard deadlines
judged as soft, since the plan is then the fallback plan of FORMAT.md).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from tengnuo.check import check
from tengnuo.formats.planfile import load_planfile
from tengnuo.model.plan import Block, Plan, Status
from tengnuo.model.problem import Problem
from tengnuo.solver import SolveOptions, solve

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
PLANFILES = DATA / "planfiles"
EXAMPLES = REPO / "examples"

QUICK = SolveOptions(time_limit_seconds=3, workers=1, seed=0)
"""Small problems: proved optimal well inside this, so the suite stays quick and deterministic."""


def assert_valid(problem: Problem, plan: Plan) -> None:
    """The checker finds nothing wrong with `plan` (the fallback rules when infeasible)."""
    infeasible = plan.status is Status.INFEASIBLE
    violations = check(problem, plan, hard_as_soft=infeasible)
    assert violations == [], "\n".join(f"{v.rule}: {v.message}" for v in violations)
    if infeasible:
        assert plan.conflicts, "an infeasible plan must name its conflicts"


def solve_checked(problem: Problem, options: SolveOptions = QUICK) -> Plan:
    """Solve `problem` and assert that the checker accepts the plan."""
    plan = solve(problem, options)
    assert_valid(problem, plan)
    return plan


@lru_cache
def load(name: str) -> Problem:
    """The planning file `tests/data/planfiles/<name>.yaml`."""
    return load_planfile(PLANFILES / f"{name}.yaml")


def blocks_of(plan: Plan, item_id: str) -> list[Block]:
    """The blocks of one task or routine, in time order."""
    return sorted((b for b in plan.blocks if b.id == item_id), key=lambda b: b.start)


def wall(problem: Problem, moment: datetime) -> str:
    """`moment` on the problem's wall clock, as `YYYY-MM-DD HH:MM`."""
    return moment.astimezone(problem.tz).strftime("%Y-%m-%d %H:%M")


def span(problem: Problem, block: Block) -> tuple[str, str]:
    """A block's start and end on the problem's wall clock."""
    return wall(problem, block.start), wall(problem, block.end)


def elapsed_minutes(block: Block) -> int:
    """Real minutes a block lasts (its datetimes are UTC, so subtraction is elapsed time)."""
    return int((block.end - block.start).total_seconds() // 60)


def cost_key(plan: Plan) -> tuple[int, int, int]:
    """The lexicographic order of FORMAT.md: unscheduled, then lateness, then preferences."""
    return plan.cost.unscheduled, plan.cost.lateness, plan.cost.preferences
