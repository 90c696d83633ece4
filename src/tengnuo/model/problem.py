"""Problem: the complete input of one plan, and its cross-reference checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tengnuo.errors import Issue
from tengnuo.model.horizon import GRANULARITIES_MINUTES, DayRange, local_time
from tengnuo.model.items import Event, HoursProfile, Limits, Routine, Task
from tengnuo.model.plan import Block

DEFAULT_PROFILE = "anytime"
ALL_DAY = HoursProfile(DEFAULT_PROFILE, {d: (DayRange(0, 1440),) for d in range(7)})


@dataclass(frozen=True)
class Problem:
    """Everything a plan needs. Times are aware UTC datetimes (see tengnuo.model);
    `timezone` names the zone in which the person's wall clock, days and weeks are read.

    `start` is the first planned instant (local midnight when the file gave a date).
    """

    timezone: str
    start: datetime
    days: int
    granularity_minutes: int = 15
    hours: Mapping[str, HoursProfile] = field(default_factory=lambda: {DEFAULT_PROFILE: ALL_DAY})
    limits: Limits = field(default_factory=Limits)
    events: tuple[Event, ...] = ()
    tasks: tuple[Task, ...] = ()
    routines: tuple[Routine, ...] = ()
    warnings: tuple[Issue, ...] = ()
    """Input read but partly dropped (e.g. calendar components), for the plan's warnings."""
    fixed: tuple[Block, ...] = ()
    """Blocks already decided (started, or kept when re-planning). They stay exactly where they
    are, occupy their time like events (buffer included), count toward day/category limits and
    category minimums, and a routine block satisfies that routine's occurrence on its local
    date. A task's `duration` is the work still to place outside its fixed blocks; it is 0
    (and only then allowed to be) when fixed blocks of the task hold all of its work: nothing
    is placed for it, it is never unscheduled, and it ends where its last fixed block ends
    (its successors wait for that end, its lateness counts from it).

    A fixed block's id need not name a task or routine still in the problem (a task done
    meanwhile): the blocks still take their time. A routine block's date is that of the
    occurrence whose window holds it (a window across midnight belongs to the day it starts,
    FORMAT.md), else the local date of its start."""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def end(self) -> datetime:
        """The same local time `days` days after `start` (FORMAT.md's horizon)."""
        local_start = self.start.astimezone(self.tz)
        minute = local_start.hour * 60 + local_start.minute
        return local_time(local_start.date() + timedelta(days=self.days), minute, self.tz)

    def profile(self, name: str) -> HoursProfile:
        """The named hours profile; `anytime` exists even when the file does not define it."""
        if name in self.hours:
            return self.hours[name]
        if name == DEFAULT_PROFILE:
            return ALL_DAY
        raise KeyError(name)

    def task(self, task_id: str) -> Task:
        return next(t for t in self.tasks if t.id == task_id)

    def validate(self) -> list[Issue]:
        """Cross-reference problems: unknown ids and profiles, cycles, impossible values.

        Each issue's `field` is a path such as `tasks[2].after`; the file reader maps it to a line.
        """
        issues = self._check_basics()
        issues += self._check_ids()
        issues += self._check_tasks()
        issues += self._check_cycles()
        issues += self._check_fixed()
        return issues

    def _check_basics(self) -> list[Issue]:
        issues = []
        if self.granularity_minutes not in GRANULARITIES_MINUTES:
            allowed = ", ".join(f"{g}m" for g in GRANULARITIES_MINUTES)
            issues.append(Issue(f"granularity must be one of {allowed}", field="granularity"))
        if self.days < 1:
            issues.append(Issue("days must be at least 1", field="days"))
        for i, event in enumerate(self.events):
            if event.end <= event.start and event.calendar is None:
                issues.append(Issue("end is not after start", field=f"events[{i}].end"))
        return issues

    def _check_ids(self) -> list[Issue]:
        seen: set[str] = set()
        issues = []
        named = [("events", e.id, e.calendar is None) for e in self.events]
        named += [("tasks", t.id, True) for t in self.tasks]
        named += [("routines", r.id, True) for r in self.routines]
        counters: dict[str, int] = {}
        for section, item_id, inline in named:
            index = counters.get(section, 0)
            counters[section] = index + 1
            if not inline:
                continue
            if item_id in seen:
                where = f"{section}[{index}].id"
                issues.append(Issue(f"id {item_id!r} is used twice", field=where))
            seen.add(item_id)
        return issues

    def _check_tasks(self) -> list[Issue]:
        task_ids = {t.id for t in self.tasks}
        event_ids = {e.id for e in self.events if e.inline}
        routine_ids = {r.id for r in self.routines}
        fixed_tasks = {b.id for b in self.fixed if b.kind == "task" and b.end > b.start}
        issues = []
        for i, task in enumerate(self.tasks):
            where = f"tasks[{i}]"
            if task.hours not in self.hours and task.hours != DEFAULT_PROFILE:
                message = f"unknown hours profile {task.hours!r}"
                issues.append(Issue(message, field=f"{where}.hours"))
            for pred in task.after:
                if pred not in task_ids and pred not in event_ids:
                    what = "a routine" if pred in routine_ids else "unknown"
                    issues.append(
                        Issue(f"`after` names {pred!r}, which is {what}: only task ids and inline "
                              "event ids may be named", field=f"{where}.after")
                    )
            if task.duration < timedelta(0) or (
                    task.duration == timedelta(0) and task.id not in fixed_tasks):
                issues.append(Issue("duration must be positive", field=f"{where}.duration"))
            if task.hard and task.due is None:
                issues.append(Issue("hard: true needs a due date", field=f"{where}.hard"))
            if task.split and task.split.min > task.split.max:
                issues.append(Issue("split minimum exceeds its maximum", field=f"{where}.split"))
        return issues

    def _check_fixed(self) -> list[Issue]:
        """Fixed blocks are kept as given, so two that overlap could never both be kept."""
        issues = []
        for i, block in enumerate(self.fixed):
            if block.end <= block.start:
                issues.append(Issue("end is not after start", field=f"fixed[{i}].end"))
        order = sorted((b.start, b.end, i) for i, b in enumerate(self.fixed) if b.end > b.start)
        reach: tuple[datetime, int] | None = None  # the latest end so far, and whose
        for start, end, i in order:
            if reach is not None and start < reach[0]:
                other = self.fixed[reach[1]].id
                issues.append(Issue(f"overlaps fixed block fixed[{reach[1]}] ({other})",
                                    field=f"fixed[{i}]"))
            if reach is None or end > reach[0]:
                reach = (end, i)
        return issues

    def _check_cycles(self) -> list[Issue]:
        """Report each cycle in `after` once, naming its members in order."""
        task_ids = {t.id for t in self.tasks}
        graph = {t.id: [p for p in t.after if p in task_ids] for t in self.tasks}
        index = {t.id: i for i, t in enumerate(self.tasks)}
        state: dict[str, int] = {}
        issues: list[Issue] = []

        def visit(node: str, path: list[str]) -> None:
            state[node] = 1
            path.append(node)
            for pred in graph[node]:
                if state.get(pred) == 1:
                    cycle = [*path[path.index(pred):], pred]
                    issues.append(Issue("`after` makes a cycle: " + " -> ".join(cycle),
                                        field=f"tasks[{index[node]}].after"))
                elif pred not in state:
                    visit(pred, path)
            path.pop()
            state[node] = 2

        for task_id in graph:
            if task_id not in state:
                visit(task_id, [])
        return issues
