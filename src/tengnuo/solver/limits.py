"""Daily and weekly limits and weekly minimums in slots, less what fixed blocks already use.

Split from `instance.py` (which re-exports `Cap` and `Minimum`): jobs enter only through their
categories, listed by job index.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from tengnuo.model.hours import week_of, weeks_in
from tengnuo.model.problem import Problem
from tengnuo.solver import fixed
from tengnuo.solver.grid import Grid
from tengnuo.solver.spans import Span

Categories = list[str | None]  # each job's category, by job index


@dataclass(frozen=True)
class Cap:
    """A limit on planned slots in [start, end) for jobs in `members`."""

    name: str  # in the user's words, e.g. "day_max on Wed 09 Dec" or "learning week_max, week 1"
    start: int
    end: int
    slots: int  # what the limit allows after fixed blocks took their share
    members: frozenset[int]
    fixed_minutes: int = 0  # the fixed blocks' share, for reasons


@dataclass(frozen=True)
class Minimum:
    """A soft `week_min`: minutes wanted in [start, end) for the category's jobs (what fixed
    blocks of the category already give is taken off)."""

    category: str
    week: int
    start: int
    end: int
    minutes: int
    members: frozenset[int]


def caps(problem: Problem, grid: Grid, categories: Categories) -> list[Cap]:
    limits = problem.limits
    out = []
    days = list(zip(grid.day_starts, grid.day_starts[1:], strict=False))
    everyone = frozenset(range(len(categories)))
    tz = problem.tz
    for span in days:
        label = grid.at(span[0]).astimezone(tz).strftime("%a %d %b")
        if limits.day_max is not None:
            out.append(_cap(problem, grid, f"day_max on {label}", span, limits.day_max,
                            fixed.ALL, everyone))
        for name, lim in limits.categories.items():
            members = _members(categories, name)
            if lim.day_max is not None and members:
                out.append(_cap(problem, grid, f"{name} day_max on {label}", span, lim.day_max,
                                name, members))
    for week, span in enumerate(week_spans(problem, grid)):
        for name, lim in limits.categories.items():
            members = _members(categories, name)
            if lim.week_max is not None and members:
                out.append(_cap(problem, grid, f"{name} week_max in week {week + 1}", span,
                                lim.week_max, name, members))
    return out


def _members(categories: Categories, name: str) -> frozenset[int]:
    return frozenset(i for i, c in enumerate(categories) if c == name)


def _cap(problem: Problem, grid: Grid, name: str, span: Span, limit: timedelta, category: str,
         members: frozenset[int]) -> Cap:
    """A limit over `span` for `members`, less what fixed blocks of `category` use of it."""
    taken = fixed.used(problem, grid, *span, category)
    return Cap(name, *span, fixed.slots_left(grid, limit, taken), members,
               math.ceil(taken / timedelta(minutes=1)))


def week_spans(problem: Problem, grid: Grid) -> list[Span]:
    starts = grid.day_starts
    weeks = weeks_in(problem.days)
    spans = [(starts[7 * w], starts[min(7 * w + days, len(starts) - 1)]) for w, days in weeks]
    if spans:  # a horizon starting at a time of day ends on one more date: it joins the last week
        spans[-1] = (spans[-1][0], starts[-1])
    return spans


def minimums(problem: Problem, grid: Grid, categories: Categories) -> list[Minimum]:
    out = []
    weeks = weeks_in(problem.days)
    for name, lim in problem.limits.categories.items():
        if lim.week_min is None:
            continue
        members = _members(categories, name)
        need = math.ceil(lim.week_min.total_seconds() / 60)
        kept = fixed.week_minutes(problem, name)  # fixed blocks already count toward it
        for (week, days), (s, e) in zip(weeks, week_spans(problem, grid), strict=True):
            minimum = need if days == 7 else math.ceil(need * days / 7)
            out.append(Minimum(name, week, s, e, max(0, minimum - kept[week]), members))
    return out


def weeks_of(problem: Problem, grid: Grid, days: set[date]) -> Counter[int]:
    """How many of `days` fall in each week of the horizon (days outside it are left out)."""
    first = problem.start.astimezone(problem.tz).date()
    dates = len(grid.day_starts) - 1
    return Counter(week_of((d - first).days, problem.days) for d in days
                   if 0 <= (d - first).days < dates)
