"""The cost of a plan, recomputed from its blocks alone (never taken from a solver's word).

Tiers (FORMAT.md): unscheduled, then lateness, then preferences. The preference tier, in points:

- 1000 per minute a category stays below its `week_min` in a week;
- 60 per chunk beyond the first of a split task (fewer, longer sittings);
- 100 × its weight for each day a planned task ends after the first planned day (earlier days
  rather than later ones; counted in days, not minutes, because a person plans in days and
  because a day-level measure lets the solver prove optimality in a second instead of never).

`total` = (unscheduled × (L + 1) + lateness) × (P + 1) + preferences, where L and P are upper bounds
of the lateness and preference tiers for this problem, so the total orders plans exactly as the
tiers do.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tengnuo.model.horizon import local_time
from tengnuo.model.hours import (
    Occurrence,
    fixed_days,
    quota_left,
    routine_occurrences,
    week_of,
    weeks_in,
)
from tengnuo.model.plan import Block, Cost, Late
from tengnuo.model.problem import Problem

SHORTFALL_POINTS_PER_MINUTE = 1000
EXTRA_CHUNK_POINTS = 60
DAY_POINTS = 100


@dataclass(frozen=True)
class Missed:
    """An item (or one routine occurrence) that the plan leaves out."""

    id: str
    kind: str
    minutes: int
    cost: int
    day: date | None = None


@dataclass(frozen=True)
class Shortfall:
    category: str
    week: int
    planned_minutes: int
    minimum_minutes: int


@dataclass(frozen=True)
class Evaluation:
    cost: Cost
    late: tuple[Late, ...]
    missed: tuple[Missed, ...]
    shortfalls: tuple[Shortfall, ...]


def minutes_of(span: timedelta) -> int:
    """Whole minutes, rounding any remainder up (a due at 13:00:30 is missed by an end at 13:01).

    Only for spans between UTC datetimes or plain durations (see tengnuo.model).
    """
    return math.ceil(span.total_seconds() / 60)


def tier_bounds(problem: Problem) -> tuple[int, int]:
    """Upper bounds (L, P) of the lateness and preference tiers, used to combine the tiers.

    A fixed block may lie past the horizon (it is kept, not planned), so it may end a task later.
    """
    latest = max([problem.end, *(b.end for b in problem.fixed)])
    horizon_days = max(problem.days, end_day(problem, latest)) + 1
    lateness = sum(
        t.cost_weight * max(0, minutes_of(latest - t.due))
        for t in problem.tasks if t.due is not None
    )
    weeks = len(weeks_in(problem.days))
    shortfall = sum(
        SHORTFALL_POINTS_PER_MINUTE * minutes_of(lim.week_min) * weeks
        for lim in problem.limits.categories.values() if lim.week_min
    )
    chunks = sum(EXTRA_CHUNK_POINTS * max_chunks(problem, t.id) for t in problem.tasks)
    earliness = sum(DAY_POINTS * t.cost_weight * horizon_days for t in problem.tasks)
    return lateness, shortfall + chunks + earliness


def max_chunks(problem: Problem, task_id: str) -> int:
    """The most chunks a task can be cut into (its duration over the split minimum)."""
    task = problem.task(task_id)
    if task.split is None:
        return 1
    g = problem.granularity_minutes
    total = math.ceil(minutes_of(task.duration) / g)
    smallest = math.ceil(minutes_of(task.split.min) / g)
    return max(1, total // max(1, smallest))


def total_of(problem: Problem, unscheduled: int, lateness: int, preferences: int) -> int:
    late_max, pref_max = tier_bounds(problem)
    return (unscheduled * (late_max + 1) + lateness) * (pref_max + 1) + preferences


def split_fixed(problem: Problem, blocks: tuple[Block, ...]) -> tuple[list[Block], list[Block]]:
    """(planned blocks, the problem's fixed blocks found among `blocks`), each fixed block
    matched once and unchanged: a moved copy is a planned block like any other."""
    wanted = Counter(problem.fixed)
    planned, fixed = [], []
    for b in blocks:
        if wanted[b] > 0:
            wanted[b] -= 1
            fixed.append(b)
        else:
            planned.append(b)
    return planned, fixed


def evaluate(problem: Problem, blocks: tuple[Block, ...]) -> Evaluation:
    """Cost, lateness, missed items and category shortfalls of `blocks` for `problem`.

    Fixed blocks count toward minimums and a task's end, and cover their routine's occurrence;
    they are no extra chunks, and a task is planned when the rest of its work is. A task with
    nothing left to place (`duration` 0, its work all in fixed blocks) is never missed: it
    ends with its last fixed block, which is where its lateness counts from; having no block
    of this plan, it adds no preference points (its end day is no choice of the plan).
    """
    planned, fixed = split_fixed(problem, blocks)
    by_task: dict[str, list[Block]] = defaultdict(list)
    for b in planned:
        if b.kind == "task":
            by_task[b.id].append(b)
    fixed_end = _fixed_ends(fixed)
    late, missed = _task_outcomes(problem, by_task, fixed_end)
    missed += _missed_routines(problem, [b for b in planned if b.kind == "routine"], fixed)
    shortfalls = category_shortfalls(problem, blocks)
    unscheduled = sum(m.cost for m in missed)
    lateness = sum(x.cost for x in late)
    preferences = _preferences(problem, by_task, fixed_end, shortfalls)
    total = total_of(problem, unscheduled, lateness, preferences)
    cost = Cost(total, unscheduled, lateness, preferences)
    return Evaluation(cost, tuple(late), tuple(missed), tuple(shortfalls))


def _fixed_ends(fixed: list[Block]) -> dict[str, datetime]:
    """The end of each task's last fixed block."""
    out: dict[str, datetime] = {}
    for b in fixed:
        if b.kind == "task":
            out[b.id] = max(b.end, out.get(b.id, b.end))
    return out


def _task_end(task_id: str, blocks: list[Block], fixed_end: dict[str, datetime]) -> datetime:
    """Where a planned task ends: its last block, fixed ones included."""
    ends = [b.end for b in blocks]
    if task_id in fixed_end:
        ends.append(fixed_end[task_id])
    return max(ends)


def _task_outcomes(
    problem: Problem, by_task: dict[str, list[Block]], fixed_end: dict[str, datetime]
) -> tuple[list[Late], list[Missed]]:
    late, missed = [], []
    for task in problem.tasks:
        blocks = by_task.get(task.id, [])
        if not blocks and task.duration > timedelta(0):
            minutes = minutes_of(task.duration)
            missed.append(Missed(task.id, "task", minutes, task.cost_weight * minutes))
            continue
        if not blocks and task.id not in fixed_end:
            continue  # nothing to place, and its fixed blocks are not in the plan
        end = _task_end(task.id, blocks, fixed_end)
        if task.due is not None and end > task.due:
            minutes = minutes_of(end - task.due)
            late.append(Late(task.id, task.due, end, minutes, task.cost_weight * minutes))
    return late, missed


def occurrence_of(block: Block, occurrences: list[Occurrence]) -> Occurrence | None:
    """The routine occurrence whose window holds `block`."""
    return next(
        (o for o in occurrences if o.window.start <= block.start and block.end <= o.window.end),
        None,
    )


def _missed_routines(problem: Problem, blocks: list[Block], fixed: list[Block]) -> list[Missed]:
    """Occurrences left out; a day a fixed block covers is no occurrence to plan, and counts
    toward its week's quota."""
    missed = []
    first = problem.start.astimezone(problem.tz).date()
    dates = end_day(problem, problem.end) + 1
    for routine in problem.routines:
        covered = fixed_days(routine, fixed, problem.tz)
        covered_weeks = Counter(week_of((d - first).days, problem.days) for d in covered
                                if 0 <= (d - first).days < dates)
        occurrences = [o for o in routine_occurrences(routine, problem.start, problem.end,
                                                      problem.tz, problem.granularity_minutes)
                       if o.day not in covered]
        done = {o.day for b in blocks if b.id == routine.id
                if (o := occurrence_of(b, occurrences)) is not None}
        minutes = minutes_of(routine.duration)
        cost = routine.cost_weight * minutes
        per_week = routine.every.per_week
        if per_week is None:
            missed += [Missed(routine.id, "routine", minutes, cost, o.day)
                       for o in occurrences if o.day not in done]
            continue
        for week, days in weeks_in(problem.days):
            in_week = [o for o in occurrences if o.week == week]
            quota = quota_left(per_week, days, len(in_week), covered_weeks[week])
            free_days = [o.day for o in in_week if o.day not in done]
            short = quota - sum(1 for o in in_week if o.day in done)
            missed += [Missed(routine.id, "routine", minutes, cost, free_days[i] if i < len(
                free_days) else None) for i in range(max(0, short))]
    return missed


def minutes_by_day(blocks: list[Block] | tuple[Block, ...], problem: Problem) -> dict[date, int]:
    """Planned minutes per local calendar day; a block across midnight counts in each day."""
    tz = problem.tz
    out: dict[date, int] = defaultdict(int)
    for b in blocks:
        cursor = b.start
        while cursor < b.end:
            day = cursor.astimezone(tz).date()
            piece_end = min(b.end, local_time(day + timedelta(days=1), 0, tz))
            out[day] += minutes_of(piece_end - cursor)
            cursor = piece_end
    return out


def end_day(problem: Problem, end: datetime) -> int:
    """The planned day (0 = the first) on which a block ending at `end` ends; 24:00 is that day."""
    tz = problem.tz
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    return (last - problem.start.astimezone(tz).date()).days


def category_shortfalls(problem: Problem, blocks: tuple[Block, ...]) -> list[Shortfall]:
    """Weeks in which a category with `week_min` gets less than its minimum."""
    out = []
    first = problem.start.astimezone(problem.tz).date()
    for category, limit in problem.limits.categories.items():
        if not limit.week_min:
            continue
        per_week: dict[int, int] = defaultdict(int)
        mine = [b for b in blocks if b.category == category]
        for day, minutes in minutes_by_day(mine, problem).items():
            per_week[week_of((day - first).days, problem.days)] += minutes
        need = minutes_of(limit.week_min)
        for week, days in weeks_in(problem.days):
            minimum = need if days == 7 else math.ceil(need * days / 7)
            if per_week[week] < minimum:
                out.append(Shortfall(category, week, per_week[week], minimum))
    return out


def _preferences(
    problem: Problem, by_task: dict[str, list[Block]], fixed_end: dict[str, datetime],
    shortfalls: list[Shortfall],
) -> int:
    points = sum(
        SHORTFALL_POINTS_PER_MINUTE * (s.minimum_minutes - s.planned_minutes) for s in shortfalls
    )
    for task in problem.tasks:
        blocks = by_task.get(task.id)
        if blocks:
            points += EXTRA_CHUNK_POINTS * (len(blocks) - 1)
            end = _task_end(task.id, blocks, fixed_end)
            points += DAY_POINTS * task.cost_weight * end_day(problem, end)
    return points
