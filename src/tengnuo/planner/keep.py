"""Which blocks of the previous plan a new plan keeps where they are.

`started_blocks`: blocks under way at `now` (and today's routine blocks already behind us,
which satisfy today's occurrence). `kept_blocks`: for `replan`, every future block that still
works with today's input: its item is still open, it fits the item's hours or window, keeps
clear of events, stays within what is left of the task, ends by the task's due (soft ones too: a
late block is worth re-placing, the solver may find an earlier spot), and its predecessors are
done or kept before it. Whatever is not kept is planned anew.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from tengnuo.model.hours import profile_windows, range_on
from tengnuo.model.items import Event, Routine
from tengnuo.model.plan import Block
from tengnuo.model.problem import ALL_DAY
from tengnuo.planner.schedule import Inputs
from tengnuo.store import TaskEntry


def _current(block: Block, inp: Inputs) -> Block | None:
    """The block with its item's current title and category; None when the item is gone."""
    if block.kind == "task":
        entry = next((e for e in inp.entries if e.task.id == block.id), None)
        if entry is None or entry.status != "open" or entry.remaining <= timedelta(0):
            return None
        return replace(block, title=entry.task.title, category=entry.task.category)
    routine = next((r for r in inp.routines if r.id == block.id), None)
    return None if routine is None else replace(block, title=routine.title,
                                                category=routine.category)


def _clear(block: Block, events: Iterable[Event], buffer: timedelta) -> bool:
    return all(block.end + buffer <= e.start or e.end + buffer <= block.start
               for e in events if e.end > e.start)


def started_blocks(inp: Inputs, old: Sequence[Block], now: datetime,
                   events: Sequence[Event]) -> list[Block]:
    """Blocks under way at `now`, and today's routine blocks that are over."""
    today = now.astimezone(inp.cfg.tz).date()
    out = []
    for block in old:
        under_way = block.start < now < block.end
        routine_done = (block.kind == "routine" and block.end <= now
                        and block.start.astimezone(inp.cfg.tz).date() == today)
        current = _current(block, inp) if under_way or routine_done else None
        if current is not None and _clear(current, events, timedelta(0)):
            out.append(current)
    return out


def kept_blocks(inp: Inputs, old: Sequence[Block], now: datetime, started: Sequence[Block],
                events: Sequence[Event]) -> list[Block]:
    """`started` plus every future block of `old` that still works (see the module doc)."""
    budget = {e.task.id: e.remaining for e in inp.entries if e.status == "open"}
    for b in started:
        if b.kind == "task":
            budget[b.id] -= timedelta(minutes=b.minutes)
    kept = list(started)
    buffer = inp.limits.buffer
    for block in sorted((b for b in old if b.start >= now), key=lambda b: b.sort_key):
        current = _current(block, inp)
        if current is None or not _clear(current, events, buffer):
            continue
        fits = (_task_fits(current, inp, budget, kept, events) if current.kind == "task"
                else _routine_fits(current, inp))
        if fits:
            kept.append(current)
            if current.kind == "task":
                budget[current.id] -= timedelta(minutes=current.minutes)
    return kept


def _task_fits(block: Block, inp: Inputs, budget: dict[str, timedelta], kept: list[Block],
               events: Sequence[Event]) -> bool:
    entry = next(e for e in inp.entries if e.task.id == block.id)
    task = entry.task
    if timedelta(minutes=block.minutes) > budget.get(task.id, timedelta(0)):
        return False
    if task.not_before and block.start < task.not_before:
        return False
    if task.due and block.end > task.due:  # placed anew, so that its lateness is counted
        return False
    profile = inp.hours.get(task.hours, ALL_DAY)
    windows = profile_windows(profile, block.start, block.end, inp.cfg.tz)
    if not any(w.start <= block.start and block.end <= w.end for w in windows):
        return False
    return all(_before(pred, block, inp.entries, budget, kept, events) for pred in task.after)


def _before(pred: str, block: Block, entries: Sequence[TaskEntry], budget: dict[str, timedelta],
            kept: list[Block], events: Sequence[Event]) -> bool:
    """A predecessor allows the block when it is done, or all of it is kept before the block."""
    entry = next((e for e in entries if e.task.id == pred), None)
    if entry is None:
        event = next((e for e in events if e.id == pred), None)
        return event is None or event.end <= block.start
    if entry.status == "done" or entry.remaining <= timedelta(0):
        return True
    if budget.get(pred, timedelta(0)) > timedelta(0):
        return False  # part of the predecessor is still to be placed, maybe after this block
    return all(b.end <= block.start for b in kept if b.kind == "task" and b.id == pred)


def _routine_fits(block: Block, inp: Inputs) -> bool:
    routine: Routine = next(r for r in inp.routines if r.id == block.id)
    day = block.start.astimezone(inp.cfg.tz).date()
    window = range_on(day, routine.window, inp.cfg.tz)
    return (day.weekday() in routine.every.weekdays
            and timedelta(minutes=block.minutes) == routine.duration
            and window.start <= block.start and block.end <= window.end)
