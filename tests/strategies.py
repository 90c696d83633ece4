"""Hypothesis strategies for tengnuo: random small valid problems, and problems with a known plan.

- `problems()`: 1-4 days, grid 15m or 30m, a zone among UTC / Europe/Berlin / Asia/Shanghai /
  America/New_York (starts sometimes on or just before a DST change), 1-3 hours profiles (1-2
  ranges a day, some across midnight), 0-4 events, 1-8 tasks (durations, splits, soft and rarely
  hard dues, priorities, acyclic `after`, `not_before`), 0-2 routines, random buffer and limits.
- `planned_problems()`: random non-overlapping blocks on the grid first, then a problem whose tasks
  are exactly those blocks (due = last block end, soft, `anytime`, buffer 0), so a perfect solver
  plans every task on time. Returns `(problem, blocks)`; `perfect_plan(blocks)` wraps them.

All datetimes are UTC (the model's invariant); wall-clock times go through `horizon.local_time`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

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
from tengnuo.model.plan import Block, Cost, Plan, Status
from tengnuo.model.problem import Problem

ZONES = ("UTC", "Europe/Berlin", "Asia/Shanghai", "America/New_York")
DST_CHANGES = {
    "Europe/Berlin": (date(2026, 3, 29), date(2026, 10, 25)),
    "America/New_York": (date(2026, 3, 8), date(2026, 11, 1)),
}
CATEGORIES = ("work", "life", "learning")
MINUTE = timedelta(minutes=1)


class Frame(NamedTuple):
    """Where a problem lives: zone, first instant (UTC), days and grid minutes."""

    zone: str
    start: datetime
    days: int
    grid: int

    def at(self, minutes: int) -> datetime:
        """`minutes` of elapsed time after the start."""
        return self.start + minutes * MINUTE


@st.composite
def frames(draw: st.DrawFn) -> Frame:
    zone = draw(st.sampled_from(ZONES))
    changes = DST_CHANGES.get(zone, ())
    if changes and draw(st.booleans()):
        day = draw(st.sampled_from(changes)) - timedelta(days=draw(st.integers(0, 1)))
    else:
        day = draw(st.dates(date(2026, 1, 1), date(2026, 12, 24)))
    minute = 0 if draw(st.booleans()) else draw(st.integers(0, 287)) * 5
    start = local_time(day, minute, ZoneInfo(zone))
    return Frame(zone, start, draw(st.integers(1, 4)), draw(st.sampled_from((15, 30))))


@st.composite
def day_ranges(draw: st.DrawFn, shortest: int = 30, longest: int = 720) -> DayRange:
    """A range of `shortest`..`longest` minutes (5m steps); about a third cross midnight."""
    length = draw(st.integers(shortest // 5, longest // 5)) * 5
    if draw(st.integers(0, 2)) == 0:
        start = 1440 - draw(st.integers(1, length // 5 - 1)) * 5
        return DayRange(start, start + length - 1440)
    start = draw(st.integers(0, (1440 - length) // 5)) * 5
    return DayRange(start, start + length)


@st.composite
def hours_profiles(draw: st.DrawFn, name: str) -> HoursProfile:
    def one_day() -> tuple[DayRange, ...]:
        return tuple(draw(day_ranges()) for _ in range(draw(st.integers(1, 2))))

    shape = draw(st.sampled_from(("same", "week", "random")))
    if shape == "same":
        same = one_day()
        return HoursProfile(name, dict.fromkeys(range(7), same))
    if shape == "week":
        weekdays, weekend = one_day(), one_day()
        return HoursProfile(name, {d: weekdays if d < 5 else weekend for d in range(7)})
    return HoursProfile(name, {d: one_day() for d in range(7) if draw(st.booleans())})


@st.composite
def events(draw: st.DrawFn, frame: Frame, index: int) -> Event:
    start = frame.at(draw(st.integers(-72, frame.days * 288 + 72)) * 5)
    length = draw(st.integers(1, 36)) * 5 * MINUTE
    calendar = "personal.ics" if draw(st.integers(0, 3)) == 0 else None
    category = draw(st.sampled_from((None, *CATEGORIES)))
    return Event(f"e{index}", f"Event {index}", start, start + length, category, calendar)


@st.composite
def splits(draw: st.DrawFn, grid: int) -> Split:
    """Bounds that stay valid after rounding: the minimum rounds up to `low`, the maximum down."""
    low = draw(st.integers(1, 4)) * grid
    high = low + draw(st.integers(0, 4)) * grid
    below, above = draw(st.integers(0, grid // 5 - 1)) * 5, draw(st.integers(0, grid // 5 - 1)) * 5
    return Split((low - below) * MINUTE, (high + above) * MINUTE)


@st.composite
def tasks(
    draw: st.DrawFn, frame: Frame, task_id: str, profiles: list[str], preds: list[str]
) -> Task:
    deadline = draw(st.integers(0, 19))  # 0: hard (rarely), 1-10: soft, else none
    due = frame.at(draw(st.integers(6, frame.days * 288 + 24)) * 5) if deadline <= 10 else None
    not_before = frame.at(draw(st.integers(0, frame.days * 288)) * 5)
    return Task(
        id=task_id,
        title=f"Task {task_id}",
        duration=draw(st.integers(1, 48)) * 5 * MINUTE,
        due=due,
        hard=deadline == 0,
        priority=draw(st.integers(1, 4)),
        weight=draw(st.none() | st.integers(1, 10)) if draw(st.integers(0, 4)) == 0 else None,
        category=draw(st.sampled_from((None, *CATEGORIES))),
        hours=draw(st.sampled_from(profiles)),
        not_before=not_before if draw(st.integers(0, 3)) == 0 else None,
        split=draw(st.none() | splits(frame.grid)),
        after=tuple(draw(st.lists(st.sampled_from(preds), max_size=2, unique=True)))
        if preds else (),
    )


@st.composite
def routines(draw: st.DrawFn, routine_id: str) -> Routine:
    shape = draw(st.sampled_from(("day", "weekday", "weekend", "some", "per_week")))
    days = {"day": range(7), "weekday": range(5), "weekend": (5, 6)}.get(shape, range(7))
    weekdays = frozenset(days)
    if shape == "some":
        weekdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    per_week = draw(st.integers(1, 6)) if shape == "per_week" else None
    return Routine(
        id=routine_id,
        title=f"Routine {routine_id}",
        duration=draw(st.integers(2, 18)) * 5 * MINUTE,
        every=Every(weekdays, per_week),
        window=draw(day_ranges(30, 360)),
        category=draw(st.sampled_from((None, *CATEGORIES))),
        priority=draw(st.integers(1, 4)),
        weight=draw(st.integers(1, 10)) if draw(st.integers(0, 4)) == 0 else None,
    )


@st.composite
def limits(draw: st.DrawFn) -> Limits:
    def hours(lo: int, hi: int) -> timedelta | None:
        return draw(st.none() | st.integers(lo * 4, hi * 4).map(lambda q: q * 15 * MINUTE))

    categories = {
        c: CategoryLimit(day_max=hours(1, 6), week_max=hours(2, 20), week_min=hours(1, 8))
        for c in CATEGORIES if draw(st.integers(0, 3)) == 0
    }
    buffer = draw(st.sampled_from((0, 0, 5, 10, 15, 30))) * MINUTE
    return Limits(day_max=hours(2, 12), buffer=buffer, categories=categories)


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    """A random small problem that passes `Problem.validate()` (it may still be infeasible)."""
    frame = draw(frames())
    names = [f"p{i}" for i in range(draw(st.integers(1, 3)))]
    profiles = {name: draw(hours_profiles(name)) for name in names}
    the_events = tuple(draw(events(frame, i)) for i in range(1, draw(st.integers(0, 4)) + 1))
    inline = [e.id for e in the_events if e.calendar is None]
    the_tasks: list[Task] = []
    for i in range(1, draw(st.integers(1, 8)) + 1):
        preds = [t.id for t in the_tasks] + inline
        the_tasks.append(draw(tasks(frame, f"t{i}", [*names, "anytime"], preds)))
    the_routines = tuple(draw(routines(f"r{i}")) for i in range(1, draw(st.integers(0, 2)) + 1))
    problem = Problem(frame.zone, frame.start, frame.days, frame.grid, profiles, draw(limits()),
                      the_events, tuple(the_tasks), the_routines)
    issues = problem.validate()
    if issues:
        raise AssertionError(f"strategy built an invalid problem: {issues}")
    return problem


# --- problems with a known perfect plan ----------------------------------------------------------


def _grid_slots(frame: Frame) -> tuple[datetime, int, int]:
    """The grid origin (local midnight of the start day, UTC) and the first and last slot index
    inside the horizon. DST shifts are whole multiples of the grid, so slots are uniform in UTC."""
    tz = ZoneInfo(frame.zone)
    origin = local_time(frame.start.astimezone(tz).date(), 0, tz)
    end = Problem(frame.zone, frame.start, frame.days).end
    step = frame.grid * MINUTE
    return origin, -(-(frame.start - origin) // step), (end - origin) // step


@st.composite
def slot_runs(draw: st.DrawFn, first: int, last: int) -> list[tuple[int, int]]:
    """1-8 (start, end) slot pairs in order, never overlapping, sometimes touching."""
    runs: list[tuple[int, int]] = []
    cursor = first
    for _ in range(draw(st.integers(1, 8))):
        gap, length = draw(st.integers(0, 24)), draw(st.integers(1, 12))
        if cursor + gap + length > last:
            break
        runs.append((cursor + gap, cursor + gap + length))
        cursor += gap + length
    return runs


@st.composite
def groups(draw: st.DrawFn, runs: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Runs cut into tasks: a run may join the previous task as its next chunk when a slot apart."""
    out: list[list[tuple[int, int]]] = []
    for run in runs:
        joinable = out and run[0] > out[-1][-1][1] and len(out[-1]) < 3
        if joinable and draw(st.booleans()):
            out[-1].append(run)
        else:
            out.append([run])
    return out


@st.composite
def planned_tasks(
    draw: st.DrawFn, task_id: str, spans: list[tuple[datetime, datetime]], grid: int,
    preds: list[str],
) -> Task:
    sizes = [(e - s) // MINUTE for s, e in spans]
    total = sum(sizes)
    split: Split | None = None
    if len(spans) > 1:
        split = Split(min(sizes) * MINUTE, max(sizes) * MINUTE)
    elif draw(st.integers(0, 3)) == 0:  # a split the single block satisfies, or one it is below
        low = draw(st.sampled_from((grid, total + grid)))
        split = Split(low * MINUTE, max(low, total) * MINUTE)
    shave = draw(st.integers(0, grid // 5 - 1)) * 5  # the duration still rounds up to `total`
    earliest = spans[0][0] - draw(st.integers(0, 120)) * MINUTE
    return Task(
        id=task_id, title=f"Task {task_id}", duration=(total - shave) * MINUTE,
        due=spans[-1][1], priority=draw(st.integers(1, 4)),
        category=draw(st.sampled_from((None, *CATEGORIES))),
        not_before=earliest if draw(st.booleans()) else None, split=split,
        after=tuple(draw(st.lists(st.sampled_from(preds), max_size=2, unique=True)))
        if preds else (),
    )


def blocks_of(task: Task, spans: list[tuple[datetime, datetime]]) -> list[Block]:
    n = len(spans)
    return [Block(s, e, task.id, "task", task.title, task.category,
                  i + 1 if n > 1 else None, n if n > 1 else None)
            for i, (s, e) in enumerate(spans)]


@st.composite
def free_events(draw: st.DrawFn, lo: datetime, hi: datetime, event_id: str) -> Event:
    """An event inside [lo, hi] (both on the grid), possibly off the grid itself."""
    room = (hi - lo) // (5 * MINUTE)
    a = draw(st.integers(0, room - 1))
    b = draw(st.integers(a + 1, room))
    return Event(event_id, f"Event {event_id}", lo + a * 5 * MINUTE, lo + b * 5 * MINUTE)


@st.composite
def planned_problems(draw: st.DrawFn) -> tuple[Problem, tuple[Block, ...]]:
    """A problem built around random blocks: every task fits on time exactly as drawn."""
    frame = draw(frames())
    origin, first, last = _grid_slots(frame)
    step = frame.grid * MINUTE
    the_tasks: list[Task] = []
    blocks: list[Block] = []
    the_events: list[Event] = []
    previous_end = frame.start
    for i, group in enumerate(draw(groups(draw(slot_runs(first, last)))), start=1):
        spans = [(origin + s * step, origin + e * step) for s, e in group]
        if spans[0][0] - previous_end >= 10 * MINUTE and draw(st.integers(0, 2)) == 0:
            the_events.append(draw(free_events(previous_end, spans[0][0], f"e{i}")))
        preds = [t.id for t in the_tasks] + [e.id for e in the_events]
        task = draw(planned_tasks(f"t{i}", spans, frame.grid, preds))
        the_tasks.append(task)
        blocks += blocks_of(task, spans)
        previous_end = spans[-1][1]
    problem = Problem(frame.zone, frame.start, frame.days, frame.grid,
                      events=tuple(the_events), tasks=tuple(the_tasks))
    return problem, tuple(blocks)


def perfect_plan(blocks: tuple[Block, ...] | list[Block]) -> Plan:
    """The plan made of exactly `blocks`, claiming zero cost (right for `planned_problems`)."""
    return Plan(Status.FEASIBLE, Cost(0, 0, 0, 0), 0, 0.0, tuple(blocks))
