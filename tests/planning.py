"""Helpers for solver tests: solve and validate with the independent checker, load named files.

Every plan a test looks at goes through `solve_checked`, so no test trusts the solver's own word:
`tengnuo.check.check` must find nothing wrong (for an infeasible problem, with hard deadlines
judged as soft, since the plan is then the fallback plan of FORMAT.md).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from tengnuo.check import check
from tengnuo.formats.planfile import load_planfile
from tengnuo.model.horizon import DayRange, local_time
from tengnuo.model.items import (
    CategoryLimit,
    Event,
    Every,
    HoursProfile,
    Limits,
    Routine,
    Split,
    Task,
)
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


def busy_weeks(tasks: int, days: int = 21, seed: int = 7) -> Problem:
    """A seeded, overfull stretch of weeks in Berlin (across the fall-back change): work and
    evening hours, hours across midnight, events, split tasks, soft dues, some `after`,
    routines, a buffer, day and category limits. Too big to prove optimal in a few seconds."""
    rng = random.Random(seed)
    tz = ZoneInfo("Europe/Berlin")
    first = date(2026, 10, 19)

    def at(day: int, minute: int) -> datetime:
        return local_time(first + timedelta(days=day), minute, tz)

    weekdays = range(5)
    hours = {
        "work": HoursProfile("work", dict.fromkeys(weekdays, (DayRange(540, 720),
                                                              DayRange(780, 1080)))),
        "evening": HoursProfile("evening", dict.fromkeys(range(7), (DayRange(1140, 1380),))),
        "night": HoursProfile("night", dict.fromkeys(range(7), (DayRange(1320, 120),))),
    }
    events = []
    for i in range(25):
        day, minute = rng.randrange(days), rng.randrange(8 * 60, 20 * 60, 5)
        length = rng.choice((30, 60, 90))
        events.append(Event(f"e{i}", f"Event {i}", at(day, minute), at(day, minute + length)))
    items: list[Task] = []
    for i in range(tasks):
        minutes = rng.choice((30, 45, 60, 90, 120, 180, 240))
        split = None
        if minutes > 90 and rng.random() < 0.6:
            split = Split(timedelta(minutes=30), timedelta(minutes=120))
        due = at(rng.randrange(days), rng.choice((720, 1080, 1440))) if rng.random() < 0.7 else None
        after = (rng.choice(items).id,) if items and rng.random() < 0.15 else ()
        items.append(Task(
            f"t{i}", f"Task {i}", timedelta(minutes=minutes), due=due, priority=rng.randint(1, 4),
            category=rng.choice((None, "work", "learning", "life")),
            hours=rng.choice(("work", "work", "evening", "anytime", "night")), split=split,
            after=after))
    routines = (
        Routine("walk", "Walk", timedelta(minutes=30), Every(frozenset(range(7))),
                DayRange(720, 840), "life"),
        Routine("gym", "Gym", timedelta(hours=1), Every(frozenset(range(7)), 3),
                DayRange(1020, 1200), "life"),
    )
    limits = Limits(day_max=timedelta(hours=9), buffer=timedelta(minutes=10), categories={
        "work": CategoryLimit(week_max=timedelta(hours=35)),
        "learning": CategoryLimit(day_max=timedelta(hours=2), week_min=timedelta(hours=4)),
    })
    return Problem("Europe/Berlin", at(0, 0), days, 15, hours, limits, tuple(events),
                   tuple(items), routines)
