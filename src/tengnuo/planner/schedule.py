"""Planning the workspace from now on: `plan`, `replan`, and what the current plan holds.

From now on means: blocks that ended stay in the new version as they were (the past is not
re-planned); done tasks are left out; logged time shrinks what is left of a task; a block that
has started is kept where it is (a fixed block). `replan` also keeps the previous plan's future
blocks that still work, and pays for each minute it moves in the preferences tier (see
tengnuo.model.diff), so a slipped day does not reshuffle the week.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from tengnuo.errors import Issue
from tengnuo.model.horizon import local_time
from tengnuo.model.items import Event, HoursProfile, Limits, Routine, Split, Task
from tengnuo.model.plan import Block
from tengnuo.model.problem import Problem
from tengnuo.planner.items import read_calendar_file
from tengnuo.planner.workspace import Settings, settings_from
from tengnuo.store import CalendarFile, TaskEntry, Workspace
from tengnuo.store.remote import Remote, RemoteCalendar


@dataclass(frozen=True)
class Inputs:
    """A consistent snapshot of everything the workspace plans with."""

    cfg: Settings
    entries: tuple[TaskEntry, ...]
    routines: tuple[Routine, ...]
    events: tuple[Event, ...]
    calendars: tuple[CalendarFile, ...]
    hours: dict[str, HoursProfile]
    limits: Limits
    revision: int
    remote: tuple[tuple[RemoteCalendar, str], ...] = ()  # subscribed calendars, cached text


def read_inputs(ws: Workspace) -> Inputs:
    with ws.read() as s:
        remote = Remote(s.conn)
        cached = tuple((cal, "\n".join(body for _, body in remote.items(cal.id).values()))
                       for cal in remote.calendars("events"))
        return Inputs(settings_from(s), tuple(s.tasks()), tuple(s.routines()),
                      tuple(s.events()), tuple(s.calendar_files()), s.hours(), s.limits(),
                      s.revision(), cached)


def horizon_start(now: datetime, cfg: Settings) -> datetime:
    """`now` rounded up to the planning grid of the local day."""
    local = now.astimezone(cfg.tz)
    minute = local.hour * 60 + local.minute + (1 if local.second or local.microsecond else 0)
    step = cfg.granularity_minutes
    rounded = -(-minute // step) * step
    return local_time(local.date(), 0, cfg.tz) + timedelta(minutes=rounded) \
        if rounded >= 1440 else local_time(local.date(), rounded, cfg.tz)


@dataclass(frozen=True)
class Busy:
    """The events of a horizon (inline and from calendar files) and what reading them dropped."""

    events: tuple[Event, ...]
    warnings: tuple[Issue, ...]


def read_busy(inp: Inputs, now: datetime) -> Busy:
    """Inline events and every subscribed calendar, read again now (files change)."""
    start = horizon_start(now, inp.cfg)
    events, warnings = list(inp.events), []
    for path in inp.calendars:
        found, issues = _calendar(path, inp.cfg, start)
        events += found
        warnings += issues
    for cal, text in inp.remote:
        found, issues = _server_calendar(cal, text, inp.cfg, start)
        events += found
        warnings += issues
    return Busy(tuple(events), tuple(warnings))


def _server_calendar(cal: RemoteCalendar, text: str, cfg: Settings,
                     start: datetime) -> tuple[list[Event], list[Issue]]:
    """A subscribed server calendar, from the copy the last sync kept (plans work offline)."""
    if not text.strip():
        return [], []
    from tengnuo.formats.ics import read_calendar_text

    end = start + timedelta(days=cfg.days + 1)
    found, issues = read_calendar_text(text, cal.id, start - timedelta(days=1), end, cfg.tz,
                                       own_addresses=cal.own_addresses,
                                       all_day_free=cal.all_day_free)
    return [replace(e, calendar=cal.id) for e in found], issues


def build_problem(inp: Inputs, now: datetime, busy: Busy,
                  fixed: Sequence[Block] = ()) -> Problem:
    """The problem of planning from `now`, with `fixed` blocks kept where they are."""
    cfg = inp.cfg
    start = horizon_start(now, cfg)
    tasks, task_warnings = _tasks_to_place(inp, start, fixed)
    return Problem(cfg.timezone, start, cfg.days, cfg.granularity_minutes, dict(inp.hours),
                   inp.limits, busy.events, tasks, inp.routines,
                   busy.warnings + tuple(task_warnings), tuple(fixed))


def _calendar(file: CalendarFile, cfg: Settings,
              start: datetime) -> tuple[list[Event], list[Issue]]:
    from tengnuo.errors import InvalidInputError

    try:
        return read_calendar_file(Path(file.path), cfg, start, options=file)
    except InvalidInputError as error:
        reason = "; ".join(i.message for i in error.issues)
        return [], [Issue(f"calendar not read, its events are not blocking time: {reason}",
                          file=file.path)]


def _tasks_to_place(inp: Inputs, start: datetime,
                    fixed: Sequence[Block]) -> tuple[tuple[Task, ...], list[Issue]]:
    """Open tasks with what is left to place: estimate − logged − fixed minutes. A task whose
    rest is all in fixed blocks stays with duration 0 (Problem.fixed): nothing is placed for it,
    but it ends with those blocks, so its lateness counts and its successors wait for it."""
    fixed_minutes: dict[str, int] = {}
    for b in fixed:
        if b.kind == "task" and b.end > b.start:
            fixed_minutes[b.id] = fixed_minutes.get(b.id, 0) + b.minutes
    left = {e.task.id: max(timedelta(0), e.remaining - timedelta(
        minutes=fixed_minutes.get(e.task.id, 0))) for e in inp.entries if e.status == "open"}
    placing = {i for i, rest in left.items() if rest > timedelta(0) or i in fixed_minutes}
    known = {e.task.id for e in inp.entries}
    tasks, warnings = [], []
    for entry in inp.entries:
        task = entry.task
        if task.id not in placing:
            continue
        task = _without_gone_predecessors(task, placing, known)
        rest = left[task.id]
        task = replace(task, duration=rest, split=_split_for(task.split, rest) if rest else None)
        if task.hard and task.due is not None and task.due <= start:
            task = replace(task, hard=False)
            warnings.append(Issue("its hard due has passed: planned as a soft due (late)",
                                  field=f"{task.id}.due"))
        tasks.append(task)
    return tuple(tasks), warnings


def _without_gone_predecessors(task: Task, placing: set[str], known: set[str]) -> Task:
    """Done predecessors are dropped (one whose rest is all in fixed blocks stays: the task
    follows those blocks). Event ids stay."""
    keep = tuple(p for p in task.after if p in placing or p not in known)
    return replace(task, after=keep)


def _split_for(split: Split | None, left: timedelta) -> Split | None:
    """A remainder shorter than the split minimum may still be done in one chunk."""
    if split is None or left >= split.min:
        return split
    return Split(left, max(left, split.max))
