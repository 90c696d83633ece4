"""The routine rules of the independent plan checker: each block in its window on an allowed
day with the rounded duration, one a day, at most the week's quota; fixed blocks cover their day.

Part of `tengnuo.check` (split from `check_rules`). It must never import `tengnuo.solver`, nor
`tengnuo.model.hours` or `tengnuo.model.cost`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date

from tengnuo.check_context import Context, Span, Violation, round_up, show_span, week_quota
from tengnuo.check_fixed import covered_days, covered_in_week
from tengnuo.model.items import Routine
from tengnuo.model.plan import Block


def routine_span(ctx: Context, routine: Routine, day: date) -> Span:
    return ctx.routine_window(routine, day)


def occurrence_days(ctx: Context, routine: Routine) -> dict[date, list[Block]]:
    """The routine's blocks by the horizon day whose window holds them (not held: left out)."""
    out: dict[date, list[Block]] = defaultdict(list)
    for b in ctx.routine_blocks.get(routine.id, ()):
        day = occurrence_of(ctx, routine, b)
        if day is not None:
            out[day].append(b)
    return dict(out)


def occurrence_of(ctx: Context, routine: Routine, block: Block) -> date | None:
    for day in ctx.days:
        if day.weekday() in routine.every.weekdays:
            lo, hi = routine_span(ctx, routine, day)
            if lo <= block.start and block.end <= hi:
                return day
    return None


def rule_routines(ctx: Context) -> Iterator[Violation]:
    """Window on an allowed day, rounded duration, one a day, at most the week's quota."""
    for routine in ctx.problem.routines:
        need = round_up(routine.duration, ctx.step)
        for b in ctx.routine_blocks.get(routine.id, ()):
            if b.end - b.start != need:
                size = show_span(b.end - b.start)
                yield Violation("duration", routine.id, f"{routine.id}: {ctx.show_block(b)} is "
                                f"{size}, the routine takes {show_span(need)}")
            if occurrence_of(ctx, routine, b) is None:
                yield Violation("routine_window", routine.id, f"{routine.id}: {ctx.show_block(b)} "
                                f"is not inside its window {routine.window} on an allowed day")
        yield from _routine_counts(ctx, routine)


def _routine_counts(ctx: Context, routine: Routine) -> Iterator[Violation]:
    """One a day (a fixed block's day included), at most the week's quota (fixed days count
    toward it, as any occurrence does)."""
    by_day = occurrence_days(ctx, routine)
    covered = covered_days(ctx, routine)
    for day, blocks in sorted(by_day.items()):
        count = len(blocks) + (day in covered)
        if count > 1:
            yield Violation("routine_day", routine.id, f"{routine.id}: {count} blocks for "
                            f"the occurrence of {day}; at most one a day")
    per_week = routine.every.per_week
    if per_week is None:
        return
    planned = Counter(ctx.week_of(d) for d in by_day if d not in covered)
    for week in range(ctx.weeks):
        quota = week_quota(per_week, ctx.days_in_week(week))
        count = planned[week] + covered_in_week(ctx, routine, week)
        if count > quota:
            yield Violation("routine_week", routine.id, f"{routine.id}: planned on {count} days "
                            f"of week {week + 1}, more than {quota}")
