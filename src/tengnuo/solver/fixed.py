"""Blocks already decided (`Problem.fixed`) in slots: the time they hold, what they use of each
limit and minimum, and where they end their task.

They are kept exactly as given, even off the grid: the time they hold grows outward to the grid
(like an event's), and what they use of a limit is counted in real minutes, so the slots left
under a limit are round-down((limit - used) / slot). Nothing here plans them; `instance.build`
folds them into the jobs, caps and minimums, and `engine` puts them back in the plan.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from tengnuo.model.cost import minutes_by_day, minutes_of
from tengnuo.model.hours import week_of
from tengnuo.model.problem import Problem
from tengnuo.solver.grid import Grid
from tengnuo.solver.spans import Span

ALL = "*"
"""`used`'s category meaning every fixed block (the plain `day_max`)."""


def held(problem: Problem, grid: Grid, pad: int, item_id: str | None = None) -> list[Span]:
    """Slots fixed blocks hold, grown outward to the grid and by `pad` on each side; only
    `item_id`'s task blocks when given (its own chunks keep the chunk gap from them)."""
    return [(grid.floor(b.start) - pad, grid.ceil(b.end) + pad) for b in problem.fixed
            if b.end > b.start and (item_id is None or (b.kind == "task" and b.id == item_id))]


def used(problem: Problem, grid: Grid, lo: int, hi: int, category: str | None) -> timedelta:
    """Real time of fixed blocks of `category` (ALL: every block) inside slots [lo, hi)."""
    start, end = grid.at(lo), grid.at(hi)
    out = timedelta(0)
    for b in problem.fixed:
        if category == ALL or b.category == category:
            out += max(timedelta(0), min(b.end, end) - max(b.start, start))
    return out


def slots_left(grid: Grid, limit: timedelta, taken: timedelta) -> int:
    """Whole slots a limit still allows once fixed blocks took `taken` of it."""
    return grid.slots_down(max(timedelta(0), limit - taken))


def week_minutes(problem: Problem, category: str) -> dict[int, int]:
    """Minutes of `category`'s fixed blocks per week, counted as tengnuo.model.cost counts a
    week's minimum (each day's piece in whole minutes, rounded up)."""
    first = problem.start.astimezone(problem.tz).date()
    out: dict[int, int] = defaultdict(int)
    mine = [b for b in problem.fixed if b.category == category]
    for day, minutes in minutes_by_day(mine, problem).items():
        index = (day - first).days
        if index >= 0:
            out[week_of(index, problem.days)] += minutes
    return out


def task_end(problem: Problem, task_id: str) -> datetime | None:
    """The end of the task's last fixed block."""
    ends = [b.end for b in problem.fixed if b.kind == "task" and b.id == task_id]
    return max(ends) if ends else None


def late_minutes(end: datetime | None, due: datetime | None) -> int:
    """Whole minutes by which a fixed block already ends after the written due."""
    if end is None or due is None or end <= due:
        return 0
    return minutes_of(end - due)
