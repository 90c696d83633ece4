"""The plan checker's shared ground: `Violation`, the prepared `Context` and its time arithmetic.

Part of the independent checker (`tengnuo.check`). It must never import `tengnuo.solver`, nor
`tengnuo.model.hours` or `tengnuo.model.cost`: a checker that shares code with what it checks
would share its bugs.

Times: every instant is handled in UTC (blocks and events are normalised on the way in); wall-clock
reasoning goes through `horizon.local_time` (a local date and minute -> UTC) and `astimezone(tz)`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tengnuo.model.horizon import local_time
from tengnuo.model.items import Event, Routine, Task
from tengnuo.model.plan import Block, Plan
from tengnuo.model.problem import Problem

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)
Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class Violation:
    """One broken rule: a stable `rule` name, the item concerned (None: a day or the whole plan)."""

    rule: str
    item: str | None
    message: str

    def __str__(self) -> str:
        return self.message


def round_up(span: timedelta, step: timedelta) -> timedelta:
    return -(-span // step) * step


def round_down(span: timedelta, step: timedelta) -> timedelta:
    return (span // step) * step


def whole_minutes(span: timedelta) -> int:
    """Minutes, any remainder rounded up (a span between UTC instants or a plain duration)."""
    return -(-span // MINUTE)


def show_span(span: timedelta) -> str:
    """`1h30m`, `2h`, `45m` (rounded up to whole minutes)."""
    minutes = whole_minutes(span)
    sign, minutes = ("-" if minutes < 0 else ""), abs(minutes)
    hours, rest = divmod(minutes, 60)
    text = (f"{hours}h" if hours else "") + (f"{rest}m" if rest or not hours else "")
    return sign + text


def week_quota(per_week: int, days_in_week: int) -> int:
    """N/week asks round-up(N x d / 7) in a week of d days."""
    return -(-per_week * days_in_week // 7)


@dataclass(frozen=True)
class Context:
    """The problem and plan prepared once: UTC blocks sorted by start, lookups, horizon days."""

    problem: Problem
    plan: Plan
    hard_as_soft: bool
    tz: ZoneInfo
    step: timedelta
    buffer: timedelta  # rounded up to the grid
    start: datetime
    end: datetime
    days: tuple[date, ...]  # every local date the horizon touches
    blocks: tuple[Block, ...]  # usable blocks (aware, non-empty), in UTC, by start
    events: tuple[Event, ...]  # events with end >= start, in UTC
    tasks: Mapping[str, Task]
    routines: Mapping[str, Routine]
    task_blocks: Mapping[str, tuple[Block, ...]]  # planned blocks naming a task, kind task
    routine_blocks: Mapping[str, tuple[Block, ...]]  # planned blocks naming a routine
    fixed: frozenset[Block]  # the problem's fixed blocks, in UTC: kept as given, not planned

    def is_fixed(self, block: Block) -> bool:
        """Whether `block` is one of the problem's fixed blocks, unchanged."""
        return block in self.fixed

    def local(self, t: datetime) -> datetime:
        return t.astimezone(self.tz)

    def midnight(self, day: date) -> datetime:
        return local_time(day, 0, self.tz)

    def past_grid(self, t: datetime, day: date | None = None) -> timedelta:
        """How far `t` lies past a grid line counted from local midnight of `day` (t's own day)."""
        anchor = self.midnight(self.local(t).date() if day is None else day)
        return (t - anchor) % self.step

    def grid_floor(self, t: datetime) -> datetime:
        return t - self.past_grid(t)

    def grid_ceil(self, t: datetime) -> datetime:
        return t + (-self.past_grid(t)) % self.step

    @property
    def weeks(self) -> int:
        """The horizon's `days` cut into 7-day weeks from the start day; the last may be partial."""
        return -(-self.problem.days // 7)

    def week_of(self, day: date) -> int:
        """0-based week of a local date: 7-day weeks counted from the start day. When the horizon
        starts at a time of day, its last date (the morning up to that time) joins the last week."""
        return min((day - self.days[0]).days // 7, self.weeks - 1)

    def days_in_week(self, week: int) -> int:
        """d of FORMAT.md's round-up(N x d / 7): 7, or the horizon days left in a last week."""
        return min(7, self.problem.days - 7 * week)

    def category_of(self, block: Block) -> str | None:
        """The item's category; a fixed block keeps its own (what was decided counts)."""
        item: Task | Routine | None = self.tasks.get(block.id) or self.routines.get(block.id)
        if item is None or self.is_fixed(block):
            return block.category
        return item.category

    def routine_window(self, routine: Routine, day: date) -> Span:
        """The routine's window starting on local `day`, read on the wall clock."""
        begin = routine.window.start_minute
        end = begin + routine.window.length_minutes
        return local_time(day, begin, self.tz), local_time(day, end, self.tz)

    def show(self, t: datetime) -> str:
        local = self.local(t)
        return local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")

    def show_block(self, block: Block) -> str:
        start, end = self.local(block.start), self.local(block.end)
        tail = end.strftime("%H:%M") if end.date() == start.date() else self.show(block.end)
        return f"block {self.show(block.start)}-{tail}"


def build_context(
    problem: Problem, plan: Plan, hard_as_soft: bool
) -> tuple[Context, list[Violation]]:
    """Prepare the checker's view; blocks without a zone or with no length are reported here."""
    tz = problem.tz
    step = timedelta(minutes=problem.granularity_minutes)
    start, end = problem.start.astimezone(UTC), problem.end.astimezone(UTC)
    first = start.astimezone(tz).date()
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    days = tuple(first + i * DAY for i in range((last - first).days + 1))
    blocks, found = _usable_blocks(plan)
    tasks = {t.id: t for t in problem.tasks}
    routines = {r.id: r for r in problem.routines}
    fixed = frozenset(_in_utc(b) for b in problem.fixed)
    planned = [b for b in blocks if b not in fixed]
    ctx = Context(
        problem, plan, hard_as_soft, tz, step, round_up(problem.limits.buffer, step),
        start, end, days, tuple(sorted(blocks, key=lambda b: (b.start, b.end))),
        tuple(replace(e, start=e.start.astimezone(UTC), end=e.end.astimezone(UTC))
              for e in problem.events if e.end >= e.start),
        tasks, routines,
        _group([b for b in planned if b.kind == "task" and b.id in tasks]),
        _group([b for b in planned if b.kind == "routine" and b.id in routines]),
        fixed,
    )
    return ctx, found


def _usable_blocks(plan: Plan) -> tuple[list[Block], list[Violation]]:
    usable, found = [], []
    for b in plan.blocks:
        if b.start.tzinfo is None or b.end.tzinfo is None:
            found.append(Violation("not_utc", b.id, f"{b.id}: block {b.start}-{b.end} has no zone"))
            continue
        if b.start.tzinfo is not UTC or b.end.tzinfo is not UTC:
            found.append(Violation("not_utc", b.id, f"{b.id}: block {b.start.isoformat()}-"
                                   f"{b.end.isoformat()} is not in UTC (see tengnuo.model)"))
        utc_block = _in_utc(b)
        if utc_block.end <= utc_block.start:
            found.append(Violation("duration", b.id, f"{b.id}: block {b.start.isoformat()}-"
                                   f"{b.end.isoformat()} does not end after it starts"))
            continue
        usable.append(utc_block)
    return usable, found


def _in_utc(b: Block) -> Block:
    return replace(b, start=b.start.astimezone(UTC), end=b.end.astimezone(UTC))


def _group(blocks: list[Block]) -> dict[str, tuple[Block, ...]]:
    out: dict[str, list[Block]] = defaultdict(list)
    for b in sorted(blocks, key=lambda b: (b.start, b.end)):
        out[b.id].append(b)
    return {k: tuple(v) for k, v in out.items()}
