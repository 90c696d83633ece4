"""Fixed blocks (`Problem.fixed`) in the independent checker.

A fixed block was decided before this plan (started, or kept when re-planning): the plan must
carry it exactly once and unchanged. It then holds its time like any block (overlap, buffer,
limits, minimums) but is not judged as a placement (hours, horizon, grid, chunk bounds,
duration): the plan did not choose it. A task's fixed blocks end the task with the rest of its
work; a routine's fixed block does that routine's occurrence of its day. A task whose fixed
blocks hold all its work (`duration` 0) has nothing to plan: it is never unscheduled, it ends
with its last fixed block (lateness, `after` and a hard due are judged from there).

Part of `tengnuo.check`; like the rest of it, it must never import `tengnuo.solver`,
`tengnuo.model.hours` or `tengnuo.model.cost`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from tengnuo.check_context import DAY, Context, Violation
from tengnuo.model.items import Routine, Task
from tengnuo.model.plan import Block


def rule_fixed(ctx: Context) -> Iterator[Violation]:
    """Every fixed block appears in the plan exactly once, unchanged (a moved one is missing)."""
    given = Counter(ctx.plan.blocks)
    for b in ctx.problem.fixed:
        count = given[b]
        if count == 1:
            continue
        what = "is missing from the plan (moved or dropped)" if count == 0 else (
            f"appears {count} times in the plan")
        yield Violation("fixed", b.id, f"{b.id}: fixed {ctx.show_block(b)} {what}")


def task_end(ctx: Context, task_id: str, planned: Iterable[Block]) -> datetime | None:
    """Where a task ends: its last block, fixed ones included."""
    ends = [b.end for b in planned]
    ends += [b.end for b in ctx.fixed if b.kind == "task" and b.id == task_id]
    return max(ends, default=None)


def nothing_to_plan(task: Task) -> bool:
    """The task's work is all in fixed blocks (a valid problem allows `duration` 0 only then):
    the plan has no block to give it."""
    return task.duration <= timedelta(0)


def covered_days(ctx: Context, routine: Routine) -> set[date]:
    """Days whose occurrence of `routine` a fixed block does: the day whose window holds the
    block (a window across midnight belongs to the day it starts), else its start's date."""
    out = set()
    for b in ctx.fixed:
        if b.kind != "routine" or b.id != routine.id:
            continue
        own = ctx.local(b.start).date()
        day = own
        for candidate in (own - DAY, own):
            lo, hi = ctx.routine_window(routine, candidate)
            if lo <= b.start and b.end <= hi:
                day = candidate
                break
        out.add(day)
    return out


def covered_in_week(ctx: Context, routine: Routine, week: int) -> int:
    """How many horizon days of `week` a fixed block of `routine` covers."""
    return sum(1 for d in covered_days(ctx, routine) if d in ctx.days and ctx.week_of(d) == week)
