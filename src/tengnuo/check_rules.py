"""The placement rules of the independent plan checker: where blocks lie, spacing, tasks, limits
and routines, each re-derived from FORMAT.md's "Precise rules" by wall-clock reasoning.

Part of `tengnuo.check`. It must never import `tengnuo.solver`, nor `tengnuo.model.hours` or
`tengnuo.model.cost`: a checker that shares code with what it checks would share its bugs.
Each `rule_*` function takes the prepared `Context` and yields `Violation`s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tengnuo.check_context import (
    DAY,
    Context,
    Span,
    Violation,
    round_down,
    round_up,
    show_span,
)
from tengnuo.check_fixed import nothing_to_plan, task_end
from tengnuo.model.horizon import DayRange, local_time
from tengnuo.model.items import HoursProfile, Routine, Task
from tengnuo.model.plan import Block

# --- where blocks lie ------------------------------------------------------------------------


def rule_identity(ctx: Context) -> Iterator[Violation]:
    """Each planned block names a real task or routine of its kind, with that item's title and
    category (a fixed block may name an item the problem no longer has)."""
    for b in ctx.blocks:
        if ctx.is_fixed(b):
            continue
        item: Task | Routine | None = (
            ctx.tasks.get(b.id) if b.kind == "task"
            else ctx.routines.get(b.id) if b.kind == "routine" else None
        )
        if item is None:
            yield Violation("unknown_item", b.id,
                            f"{b.id}: {ctx.show_block(b)} names no {b.kind!r} of the problem")
        elif (b.title, b.category) != (item.title, item.category):
            yield Violation("item_mismatch", b.id, f"{b.id}: {ctx.show_block(b)} says "
                            f"{b.title!r} in category {b.category!r}, the {b.kind} is "
                            f"{item.title!r} in {item.category!r}")


def rule_grid(ctx: Context) -> Iterator[Violation]:
    """Start and end lie on the grid counted from local midnight of the start's day (fixed
    blocks are kept as given)."""
    for b in ctx.blocks:
        if ctx.is_fixed(b):
            continue
        day = ctx.local(b.start).date()
        if ctx.past_grid(b.start, day) or ctx.past_grid(b.end, day):
            g = ctx.problem.granularity_minutes
            yield Violation("grid", b.id, f"{b.id}: {ctx.show_block(b)} is off the {g}m grid")


def rule_horizon(ctx: Context) -> Iterator[Violation]:
    """Planned blocks lie in the horizon; a fixed block may have started before it."""
    for b in ctx.blocks:
        if (b.start < ctx.start or b.end > ctx.end) and not ctx.is_fixed(b):
            yield Violation("horizon", b.id, f"{b.id}: {ctx.show_block(b)} lies outside the "
                            f"horizon {ctx.show(ctx.start)} to {ctx.show(ctx.end)}")


def range_span(day: date, day_range: DayRange, tz: ZoneInfo) -> Span:
    """The instants of `day_range` starting on local `day`, read on the wall clock."""
    begin = day_range.start_minute
    return local_time(day, begin, tz), local_time(day, begin + day_range.length_minutes, tz)


def merge_spans(spans: list[Span]) -> list[Span]:
    """Union of spans; spans that touch become one. Empty spans (a DST gap) are dropped."""
    merged: list[Span] = []
    for lo, hi in sorted(s for s in spans if s[0] < s[1]):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def profile_spans(ctx: Context, profile: HoursProfile) -> list[Span]:
    """The profile's merged free time around the horizon, a day either side (the horizon itself
    is a rule of its own)."""
    days = [ctx.days[0] - DAY, *ctx.days, ctx.days[-1] + DAY]
    return merge_spans([range_span(day, r, ctx.tz)
                        for day in days for r in profile.ranges.get(day.weekday(), ())])


def rule_hours(ctx: Context) -> Iterator[Violation]:
    """Task blocks lie inside one merged window of their hours profile."""
    spans: dict[str, list[Span]] = {}
    for task_id, blocks in ctx.task_blocks.items():
        name = ctx.tasks[task_id].hours
        if name not in spans:
            try:
                spans[name] = profile_spans(ctx, ctx.problem.profile(name))
            except KeyError:
                spans[name] = []
        for b in blocks:
            if not any(lo <= b.start and b.end <= hi for lo, hi in spans[name]):
                yield Violation("hours", task_id,
                                f"{task_id}: {ctx.show_block(b)} lies outside its `{name}` hours")


# --- spacing ---------------------------------------------------------------------------------


def rule_spacing(ctx: Context) -> Iterator[Violation]:
    """No overlaps; `buffer` between blocks and around events; chunks of a task never touch."""
    reach = max(ctx.buffer, ctx.step)
    for i, a in enumerate(ctx.blocks):
        for b in ctx.blocks[i + 1:]:
            if b.start >= a.end + reach:
                break
            yield from _pair_spacing(ctx, a, b)
        yield from _event_spacing(ctx, a)


def _pair_spacing(ctx: Context, a: Block, b: Block) -> Iterator[Violation]:
    if ctx.is_fixed(a) and ctx.is_fixed(b):  # both decided before this plan
        return
    same_task = a.kind == b.kind == "task" and a.id == b.id
    other = "another chunk" if same_task else f"{b.kind} {b.id}"
    who = f"{a.id}: {ctx.show_block(a)}"
    if b.start < a.end:
        yield Violation("overlap", a.id, f"{who} overlaps {other} ({ctx.show_block(b)})")
        return
    need = max(ctx.buffer, ctx.step) if same_task else ctx.buffer
    gap = b.start - a.end
    if gap < need:
        rule = "chunk_gap" if same_task else "buffer"
        yield Violation(rule, a.id, f"{who} is {show_span(gap)} from {other} "
                        f"({ctx.show_block(b)}); at least {show_span(need)} needed")


def _event_spacing(ctx: Context, b: Block) -> Iterator[Violation]:
    """Events grow outward to the grid; the buffer is kept from the grown event."""
    note = f" (buffer {show_span(ctx.buffer)})" if ctx.buffer else ""
    for ev in ctx.events:
        if ev.start < b.end and b.start < ev.end:
            yield Violation("overlap", b.id,
                            f"{b.id}: {ctx.show_block(b)} overlaps event {ev.id}{note}")
            continue
        before = b.end <= ev.start
        gap = ctx.grid_floor(ev.start) - b.end if before else b.start - ctx.grid_ceil(ev.end)
        if gap < ctx.buffer:
            where = "before" if before else "after"
            yield Violation("buffer", b.id, f"{b.id}: {ctx.show_block(b)} leaves "
                            f"{show_span(max(gap, timedelta(0)))} {where} event {ev.id}{note}")


# --- tasks: size, chunks, order --------------------------------------------------------------


def rule_task_size(ctx: Context) -> Iterator[Violation]:
    """Fully planned or not at all: blocks add up to the rounded duration; chunks obey `split`."""
    for task_id, blocks in ctx.task_blocks.items():
        task = ctx.tasks[task_id]
        need = round_up(task.duration, ctx.step)
        got = sum((b.end - b.start for b in blocks), timedelta(0))
        if got != need:
            yield Violation("duration", task_id, f"{task_id}: blocks add up to {show_span(got)}, "
                            f"the task needs {show_span(need)}")
        yield from _split_sizes(ctx, task, blocks, need)


def _split_sizes(
    ctx: Context, task: Task, blocks: tuple[Block, ...], need: timedelta
) -> Iterator[Violation]:
    split = task.split
    low = round_up(split.min, ctx.step) if split else need
    if split is None or need < low:
        if len(blocks) > 1:
            why = "may not be split" if split is None else "is shorter than its split minimum"
            yield Violation("split", task.id, f"{task.id}: {len(blocks)} blocks, but it {why}")
        return
    high = round_down(split.max, ctx.step)
    for b in blocks:
        size = b.end - b.start
        if not low <= size <= high:
            yield Violation("split", task.id, f"{task.id}: {ctx.show_block(b)} is "
                            f"{show_span(size)}, outside split {show_span(low)}-{show_span(high)}")


def rule_chunk_numbers(ctx: Context) -> Iterator[Violation]:
    """When chunk numbers are given, they count 1..n in time order with chunks = n."""
    for task_id, blocks in ctx.task_blocks.items():
        marks = [(b.chunk, b.chunks) for b in blocks]
        n = len(blocks)
        if any(m != (None, None) for m in marks) and marks != [(i + 1, n) for i in range(n)]:
            yield Violation("chunk_numbering", task_id, f"{task_id}: chunks numbered "
                            f"{marks} for {n} blocks in time order")
    for blocks in ctx.routine_blocks.values():
        for b in blocks:
            if (b.chunk, b.chunks) not in ((None, None), (1, 1)):
                yield Violation("chunk_numbering", b.id,
                                f"{b.id}: routine {ctx.show_block(b)} carries chunk numbers")


def rule_order(ctx: Context) -> Iterator[Violation]:
    """`after`, `not_before` and hard `due`."""
    for task in ctx.problem.tasks:
        blocks = ctx.task_blocks.get(task.id, ())
        if blocks:
            yield from _after(ctx, task, blocks[0].start)
            if task.not_before is not None and blocks[0].start < task.not_before:
                yield Violation("not_before", task.id, f"{task.id}: starts "
                                f"{ctx.show(blocks[0].start)}, before {ctx.show(task.not_before)}")
        if task.hard and task.due is not None and not ctx.hard_as_soft:
            yield from _hard_due(ctx, task, task.due, blocks)


def _after(ctx: Context, task: Task, first: datetime) -> Iterator[Violation]:
    inline = {e.id: e for e in ctx.events if e.calendar is None}
    for pred in task.after:
        if pred in ctx.tasks:
            pred_blocks = ctx.task_blocks.get(pred, ())
            pred_end = task_end(ctx, pred, pred_blocks)
            if pred_end is None or not (pred_blocks or nothing_to_plan(ctx.tasks[pred])):
                yield Violation("after", task.id, f"{task.id}: planned, but {pred}, "
                                "which it must follow, is not")
                continue
            ends = pred_end
        elif pred in inline:
            ends = inline[pred].end
        else:
            yield Violation("after", task.id, f"{task.id}: follows {pred!r}, no task or event")
            continue
        if first < ends:
            yield Violation("after", task.id, f"{task.id}: starts {ctx.show(first)}, "
                            f"before {pred} ends at {ctx.show(ends)}")


def _hard_due(
    ctx: Context, task: Task, due: datetime, blocks: tuple[Block, ...]
) -> Iterator[Violation]:
    end = task_end(ctx, task.id, blocks) if blocks or nothing_to_plan(task) else None
    if end is None:
        yield Violation("due", task.id,
                        f"{task.id}: has a hard deadline {ctx.show(due)} but is not planned")
    elif end > due:
        yield Violation("due", task.id, f"{task.id}: ends {ctx.show(end)}, after its hard "
                        f"deadline {ctx.show(due)}")


# --- limits ----------------------------------------------------------------------------------


def day_pieces(ctx: Context, block: Block) -> Iterator[tuple[date, timedelta]]:
    """The block's time in each local calendar day it touches."""
    cursor = block.start
    while cursor < block.end:
        day = ctx.local(cursor).date()
        stop = min(block.end, ctx.midnight(day + DAY))
        yield day, stop - cursor
        cursor = stop


def rule_limits(ctx: Context) -> Iterator[Violation]:
    """`day_max`, category `day_max` and `week_max` over task and routine blocks, never events.

    Fixed blocks count like any block: when they alone exceed a limit (tightened since they
    were kept) the plan breaks it, so a caller can tell and keep fewer of them.
    """
    per_day: dict[date, timedelta] = defaultdict(timedelta)
    per_cat_day: dict[tuple[str, date], timedelta] = defaultdict(timedelta)
    per_cat_week: dict[tuple[str, int], timedelta] = defaultdict(timedelta)
    for b in ctx.blocks:
        category = ctx.category_of(b)
        for day, span in day_pieces(ctx, b):
            per_day[day] += span
            if category is not None:
                per_cat_day[category, day] += span
                per_cat_week[category, ctx.week_of(day)] += span
    limits = ctx.problem.limits
    if limits.day_max is not None:
        yield from _over("day_max", None, limits.day_max,
                         [(str(d), t) for d, t in sorted(per_day.items())])
    for category, limit in limits.categories.items():
        if limit.day_max is not None:
            days = [(str(d), t) for (c, d), t in sorted(per_cat_day.items()) if c == category]
            yield from _over("category_day_max", category, limit.day_max, days)
        if limit.week_max is not None:
            weeks = [(f"week {w + 1} (from {ctx.days[0] + 7 * w * DAY})", t)
                     for (c, w), t in sorted(per_cat_week.items()) if c == category]
            yield from _over("category_week_max", category, limit.week_max, weeks)


def _over(
    rule: str, item: str | None, limit: timedelta, planned: list[tuple[str, timedelta]]
) -> Iterator[Violation]:
    who = f"{item}: " if item else ""
    for where, total in planned:
        if total > limit:
            yield Violation(rule, item, f"{who}{show_span(total)} planned on {where}, "
                            f"more than {rule.removeprefix('category_')} {show_span(limit)}")
