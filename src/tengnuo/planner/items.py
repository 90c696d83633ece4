"""Use cases for everything around tasks: routines, events, calendar files, hours, limits,
and moving a whole planning file in (import) and out (export).

Each change is validated with the rest of the workspace (planner.workspace.validated_change).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from tengnuo.errors import InvalidInputError, Issue
from tengnuo.formats.planfile_values import (
    parse_clock,
    parse_day_range,
    parse_day_spec,
    parse_duration,
    parse_every,
    parse_ranges,
    parse_when,
)
from tengnuo.model.horizon import DayRange, local_time
from tengnuo.model.items import Event, HoursProfile, Limits, Routine
from tengnuo.model.problem import DEFAULT_PROFILE, Problem
from tengnuo.planner.workspace import (
    Settings,
    all_ids,
    new_id,
    settings,
    settings_from,
    validated_change,
)
from tengnuo.store import CalendarFile, Session, Workspace

T = TypeVar("T")
LIMIT_NAMES = ("day_max", "buffer")
CATEGORY_LIMIT_NAMES = ("day_max", "week_max", "week_min")


def put_routine(ws: Workspace, routine: Routine, *, new: bool) -> Routine:
    """Add a routine (empty id: from the title) or replace an existing one."""
    with validated_change(ws) as s:
        known = {r.id for r in s.routines()}
        if new:
            routine = replace(routine, id=new_id(s, routine.id, routine.title))
        elif routine.id not in known:
            raise InvalidInputError([Issue(f"no routine {routine.id!r}", field="id")])
        s.put_routine(routine)
    return routine


def routine(ws: Workspace, routine_id: str) -> Routine:
    with ws.read() as s:
        found = next((r for r in s.routines() if r.id == routine_id), None)
    if found is None:
        raise InvalidInputError([Issue(f"no routine {routine_id!r}", field="id")])
    return found


def routines(ws: Workspace) -> list[Routine]:
    with ws.read() as s:
        return s.routines()


def add_event(ws: Workspace, event: Event) -> Event:
    with validated_change(ws) as s:
        event = replace(event, id=new_id(s, event.id, event.title))
        s.put_event(event)
    return event


def events(ws: Workspace) -> list[Event]:
    with ws.read() as s:
        return s.events()


def remove_item(ws: Workspace, kind: str, item_id: str) -> None:
    """Delete a routine or an event (`kind` is "routine" or "event")."""
    with validated_change(ws) as s:
        if not s.remove(kind + "s", item_id):
            raise InvalidInputError([Issue(f"no {kind} {item_id!r}", field="id")])


# --- calendar files ------------------------------------------------------------------------


def read_calendar_file(path: Path, cfg: Settings, start: datetime, days: int | None = None,
                       options: CalendarFile | None = None) -> tuple[list[Event], list[Issue]]:
    from tengnuo.formats.ics import read_calendar  # lazy: icalendar only when calendars are used

    end = start + timedelta(days=(days or cfg.days) + 1)
    options = options or CalendarFile(str(path))
    found, warnings = read_calendar(path, start - timedelta(days=1), end, cfg.tz,
                                    own_addresses=options.own_addresses,
                                    all_day_free=options.all_day_free)
    return [replace(e, calendar=str(path)) for e in found], warnings


def calendars(ws: Workspace) -> list[str]:
    with ws.read() as s:
        return s.calendars()


def remove_calendar(ws: Workspace, path: str) -> None:
    target = str(Path(path).expanduser().resolve())
    with ws.change() as s:
        if not (s.remove_calendar(target) or s.remove_calendar(path)):
            raise InvalidInputError([Issue(f"no calendar {path!r}", field="path")])


# --- hours and limits ----------------------------------------------------------------------


def parse_hours(name: str, spec: str) -> HoursProfile:
    """`mon-fri 09:00-12:00, 13:00-18:00; sat 10:00-12:00` -> a weekly profile."""
    ranges: dict[int, list[DayRange]] = {}
    for part in (p.strip() for p in spec.split(";")):
        days, _, times = part.partition(" ")
        try:
            for day in parse_day_spec(days):
                ranges.setdefault(day, []).extend(parse_ranges(times))
        except ValueError as error:
            raise InvalidInputError([Issue(f"{error}; write e.g. \"mon-fri 09:00-12:00, "
                                           "13:00-18:00; sat 10:00-12:00\"", field=name)]) from None
    return HoursProfile(name, {d: tuple(r) for d, r in ranges.items()})


def set_hours(ws: Workspace, name: str, spec: str) -> HoursProfile:
    profile = parse_hours(name, spec)
    with validated_change(ws) as s:
        s.put_hours(profile)
    return profile


def remove_hours(ws: Workspace, name: str) -> None:
    """Delete a profile; refused (by validation) while a task still uses it."""
    with validated_change(ws) as s:
        if not s.remove_hours(name):
            raise InvalidInputError([Issue(f"no hours profile {name!r}", field="name")])


def hours(ws: Workspace) -> dict[str, HoursProfile]:
    with ws.read() as s:
        return s.hours()


def set_limit(ws: Workspace, name: str, value: timedelta | None,
              category: str | None = None) -> None:
    allowed = CATEGORY_LIMIT_NAMES if category else LIMIT_NAMES
    if name not in allowed:
        where = f"a category limit ({category})" if category else "a limit"
        raise InvalidInputError([Issue(f"{name!r} is not {where}; use one of "
                                       f"{', '.join(allowed)}", field=name)])
    minutes = None if value is None else int(value.total_seconds() // 60)
    with validated_change(ws) as s:
        s.set_limit(name, minutes, category)
        if category:
            cl = s.limits().categories.get(category)
            if cl and cl.week_min and cl.week_max and cl.week_min > cl.week_max:
                raise InvalidInputError([Issue("week_min is larger than week_max",
                                               field=f"{category}.{name}")])


def limits(ws: Workspace) -> Limits:
    with ws.read() as s:
        return s.limits()


# --- import and export ---------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    tasks: int
    routines: int
    events: int
    calendars: tuple[str, ...]


def import_file(ws: Workspace, path: Path, *, replace_existing: bool = False) -> Imported:
    """Merge a planning file into the workspace, all of it or nothing.

    Ids already in the workspace are refused unless `replace_existing`. The file's zone, grid,
    days and start become the workspace's settings; its calendar files are subscribed to.
    """
    from tengnuo.formats.planfile import load_planfile  # lazy: yaml only for import

    problem = load_planfile(path)
    cals = sorted({str((path.parent / e.calendar).resolve()) for e in problem.events
                   if e.calendar})
    inline = [e for e in problem.events if e.calendar is None]
    with validated_change(ws) as s:
        incoming = {t.id for t in problem.tasks} | {r.id for r in problem.routines} \
            | {e.id for e in inline}
        clash = sorted(all_ids(s) & incoming)
        if clash and not replace_existing:
            raise InvalidInputError([Issue(f"ids already in the workspace: {', '.join(clash)} "
                                           "(use --replace to overwrite them)", file=str(path))])
        _store_problem(s, problem, cals)
    return Imported(len(problem.tasks), len(problem.routines), len(inline), tuple(cals))


def _store_problem(s: Session, problem: Problem, cals: list[str]) -> None:
    for key, value in (("timezone", problem.timezone), ("days", str(problem.days)),
                       ("granularity_minutes", str(problem.granularity_minutes)),
                       ("start", problem.start.isoformat())):
        s.set_setting(key, value)
    for profile in problem.hours.values():
        if profile.name != DEFAULT_PROFILE or profile.ranges:
            s.put_hours(profile)
    _store_limits(s, problem.limits)
    for task in problem.tasks:
        s.put_task(task)
    for item in problem.routines:
        s.put_routine(item)
    for event in problem.events:
        if event.calendar is None:
            s.put_event(event)
    for cal in cals:
        s.add_calendar(cal)


def _store_limits(s: Session, lim: Limits) -> None:
    s.set_limit("day_max", None if lim.day_max is None else int(lim.day_max.total_seconds() // 60))
    s.set_limit("buffer", int(lim.buffer.total_seconds() // 60) or None)
    for category, cl in lim.categories.items():
        for name in CATEGORY_LIMIT_NAMES:
            value: timedelta | None = getattr(cl, name)
            s.set_limit(name, None if value is None else int(value.total_seconds() // 60),
                        category)


def stored_start(ws: Workspace) -> datetime | None:
    """The horizon start of an imported planning file (kept so that export gives it back)."""
    with ws.read() as s:
        raw = s.settings().get("start")
    return datetime.fromisoformat(raw).astimezone(UTC) if raw else None


def export_problem(ws: Workspace) -> tuple[Problem, list[str]]:
    """The workspace's input as a Problem (open tasks, remaining durations) and its calendars."""
    with ws.read() as s:
        cfg = settings_from(s)
        start = s.settings().get("start")
        entries = s.tasks("open")
        done = {e.task.id for e in s.tasks("done")}
        tasks = tuple(replace(e.task, duration=e.remaining,
                              after=tuple(p for p in e.task.after if p not in done))
                      for e in entries if e.remaining > timedelta(0))
        begin = datetime.fromisoformat(start).astimezone(UTC) if start else datetime.now(UTC)
        problem = Problem(cfg.timezone, begin, cfg.days, cfg.granularity_minutes, s.hours(),
                          s.limits(), tuple(s.events()), tasks, tuple(s.routines()))
        return problem, s.calendars()


# --- the shells' words: flags as typed, parsed here -----------------------------------------

NONE = "none"  # a flag value that clears an optional field (`--category none`)
WHOLE_DAY = DayRange(0, 1440)


def _parsed(parse: Callable[[str], T], text: str, field: str) -> T:
    """`parse(text)`, with a ValueError turned into invalid input naming `field`."""
    try:
        return parse(text)
    except ValueError as error:
        raise InvalidInputError([Issue(str(error), field=field)]) from None


@dataclass(frozen=True)
class RoutineFields:
    """The flags of `routine add` / `routine edit` as typed; None = not given."""

    title: str | None = None
    duration: str | None = None
    every: str | None = None
    window: str | None = None
    category: str | None = None
    priority: int | None = None


def _routine_values(f: RoutineFields) -> dict[str, object]:
    out: dict[str, object] = {}
    if f.title is not None:
        if not f.title.strip():
            raise InvalidInputError([Issue("the title is empty", field="title")])
        out["title"] = f.title.strip()
    if f.duration is not None:
        out["duration"] = _parsed(parse_duration, f.duration, "duration")
    if f.every is not None:
        out["every"] = _parsed(parse_every, f.every, "every")
    if f.window is not None:
        out["window"] = _parsed(parse_day_range, f.window, "window")
    if f.category is not None:
        out["category"] = None if f.category == NONE else f.category.lstrip("#") or None
    if f.priority is not None:
        if not 1 <= f.priority <= 4:
            raise InvalidInputError([Issue("priority must be between 1 and 4",
                                           field="priority")])
        out["priority"] = f.priority
    return out


def _checked_routine(item: Routine) -> Routine:
    if item.duration <= timedelta(0):
        raise InvalidInputError([Issue("the duration must be at least 1 minute",
                                       field="duration")])
    if item.duration > timedelta(minutes=item.window.length_minutes):
        minutes = item.duration // timedelta(minutes=1)
        raise InvalidInputError([Issue(f"a {minutes}m routine does not fit in its window "
                                       f"{item.window}", field="window")])
    return item


def add_routine(ws: Workspace, fields: RoutineFields, routine_id: str | None = None) -> Routine:
    """`routine add`: title, duration and every are needed; the window defaults to all day."""
    values = _routine_values(fields)
    for name in ("title", "duration", "every"):
        if name not in values:
            raise InvalidInputError([Issue(f"a routine needs --{name}", field=name)])
    item = Routine(routine_id or "", str(values.pop("title")),
                   values.pop("duration"), values.pop("every"),  # type: ignore[arg-type]
                   WHOLE_DAY)
    item = _checked_routine(replace(item, **values))  # type: ignore[arg-type]
    return put_routine(ws, item, new=True)


def edit_routine(ws: Workspace, routine_id: str, fields: RoutineFields) -> Routine:
    """`routine edit`: the fields given change, the others stay."""
    values = _routine_values(fields)
    old = routine(ws, routine_id)
    if not values:
        raise InvalidInputError([Issue("nothing to change: give at least one flag, e.g. "
                                       "--window 07:00-09:00", field=routine_id)])
    new = _checked_routine(replace(old, **values))  # type: ignore[arg-type]
    return put_routine(ws, new, new=False)


def moment_of(text: str, field: str, now: datetime, cfg: Settings, *,
              end_of_day: bool = False) -> datetime:
    """`2026-12-09 14:00`, or the quick-add words (`wed 14:00`, `tomorrow 9:00`) as of `now`."""
    try:
        return parse_when(text, cfg.tz, end_of_day=end_of_day)[0]
    except ValueError:
        pass
    from tengnuo.formats.quickadd import parse_quick_add

    try:
        read = parse_quick_add(f'"_" from {text}', now, cfg.tz, cfg.date_order)
    except InvalidInputError as error:
        raise InvalidInputError([replace(i, field=field) for i in error.issues]) from None
    if read.not_before is None or read.title != "_":
        raise InvalidInputError([Issue(f"`{text}` is not a date and time; write e.g. "
                                       "2026-12-09 14:00 or 'wed 14:00'", field=field)])
    return read.not_before


def add_event_from(ws: Workspace, title: str, start: str, end: str, *,
                   category: str | None = None, event_id: str | None = None,
                   now: datetime | None = None) -> Event:
    """`event add`: times in the workspace's zone; an end of just `HH:MM` is on the start's day."""
    cfg = settings(ws)
    now = now or datetime.now(UTC)
    if not title.strip():
        raise InvalidInputError([Issue("the title is empty", field="title")])
    begin = moment_of(start, "start", now, cfg)
    if re.fullmatch(r"\s*\d{1,2}:\d{2}\s*", end):
        minute = _parsed(lambda t: parse_clock(t, allow_24=True), end, "end")
        finish = local_time(begin.astimezone(cfg.tz).date(), minute, cfg.tz)
    else:
        finish = moment_of(end, "end", now, cfg, end_of_day=True)
    if finish <= begin:
        raise InvalidInputError([Issue("the end is not after the start", field="end")])
    event = Event(event_id or "", title.strip(), begin, finish,
                  category.lstrip("#") or None if category else None)
    return add_event(ws, event)


def subscribe_calendar(ws: Workspace, path: Path, now: datetime, *, all_day_free: bool = False,
                       me: tuple[str, ...] = ()) -> tuple[Path, int, list[Issue]]:
    """`calendar add` as of `now` (the file is read now, to catch errors early): the events
    counted are those of the coming horizon. Adding a file again changes its options."""
    target = path.expanduser().resolve()
    cfg = settings(ws)
    options = CalendarFile(str(target), all_day_free, me)
    found, warnings = read_calendar_file(target, cfg, now, options=options)
    end = now + timedelta(days=cfg.days)
    coming = [e for e in found if e.end > now and e.start < end]
    with ws.change() as s:
        s.add_calendar(str(target), all_day_free, me)
    return target, len(coming), warnings


def calendar_files(ws: Workspace) -> list[CalendarFile]:
    with ws.read() as s:
        return s.calendar_files()


def set_limit_text(ws: Workspace, name: str, value: str, category: str | None = None) -> None:
    """`limit set day_max 9h`, `limit set jobsearch week_min 12h`; `none` clears."""
    field = f"{category}.{name}" if category else name
    span = None if value.strip().lower() == NONE else _parsed(parse_duration, value, field)
    set_limit(ws, name, span, category)


def export_yaml(ws: Workspace, now: datetime | None = None) -> str:
    """The workspace as a planning file; it starts where the imported file started, else at
    the local midnight of `now`."""
    from tengnuo.formats.planfile_dump import dump_planfile  # lazy: yaml only for export

    problem, cals = export_problem(ws)
    if stored_start(ws) is None:
        day = (now or datetime.now(UTC)).astimezone(problem.tz).date()
        problem = replace(problem, start=local_time(day, 0, problem.tz))
    try:
        return dump_planfile(problem, cals)
    except ValueError as error:
        raise InvalidInputError([Issue(f"cannot be written as a planning file: {error}")]) \
            from None


def export_ics(ws: Workspace) -> bytes:
    """The newest stored plan's blocks as iCalendar."""
    from tengnuo.formats.ics import plan_to_ics  # lazy: icalendar only for .ics

    current = ws.plan()
    if current is None:
        raise InvalidInputError([Issue("there is no plan yet: run `tengnuo plan` first",
                                       field="plan")])
    return plan_to_ics(current.plan.blocks, ZoneInfo(current.timezone))


def write_file(target: Path, data: bytes) -> None:
    """Write `data` to `target` atomically (the old file or the new one, never half)."""
    from tengnuo.planner import _atomic_write

    _atomic_write(target, data)
