"""Cases that once broke the solver, each pinned by what the user would see."""

from datetime import UTC, datetime, timedelta

from tengnuo.check import check
from tengnuo.model.horizon import DayRange
from tengnuo.model.items import HoursProfile, Task
from tengnuo.model.plan import Status
from tengnuo.model.problem import Problem
from tengnuo.solver import SolveOptions, solve


def test_identical_hard_tasks_that_cannot_fit_give_conflicts_and_a_fallback():
    """Four identical hard tasks with no hours before their due: CP-SAT 9.15 crashed in presolve
    (hint + symmetry); the user must get `infeasible`, the clash and a valid fallback plan."""
    start = datetime(2026, 1, 1, 13, 50, tzinfo=UTC)
    night = HoursProfile("night", {d: (DayRange(1435, 440),) for d in range(7)})
    tasks = tuple(
        Task(id=f"t{i}", title=f"Task {i}", duration=timedelta(minutes=5),
             due=datetime(2026, 1, 1, 14, 20, tzinfo=UTC), hard=True, priority=1, hours="night",
             not_before=start)
        for i in range(4)
    )
    problem = Problem(timezone="UTC", start=start, days=1, hours={"night": night}, tasks=tasks)
    plan = solve(problem, SolveOptions(time_limit_seconds=5, workers=1, seed=0,
                                       deterministic=True))
    assert plan.status is Status.INFEASIBLE
    assert plan.conflicts
    assert set(plan.conflicts[0].items) <= {t.id for t in tasks}
    assert len(plan.blocks) == 4
    assert check(problem, plan, hard_as_soft=True) == []
