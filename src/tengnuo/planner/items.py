"""Use cases for everything around tasks: routines, events, calendar files, hours, limits,
and moving a whole planning file in (import) and out (export).

Each change is validated with the rest of the workspace (planner.workspace.validated_change).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tengnuo.errors import InvalidInputError, Issue
from tengnuo.formats.planfile_values import parse_day_spec, parse_ranges
from tengnuo.model.horizon import DayRange
from tengnuo.model.items import Event, HoursProfile, Limits, Routine
from tengnuo.model.problem import DEFAULT_PROFILE, Problem
from tengnuo.planner.workspace import (
    Settings,
    _all_ids,
    free_id,
    settings,
    settings_from,
    validated_change,
)
from tengnuo.store import Session, Workspace

LIMIT_NAMES = ("day_max", "buffer")
CATEGORY_LIMIT_NAMES = ("day_max", "week_max", "week_min")


def put_routine(ws: Workspace, routine: Routine, *, new: bool) -> Routine:
    """Add a routine (empty id: from the title) or replace an existing one."""
    with validated_change(ws) as s:
        known = {r.id for r in s.routines()}
        if new:
            if not routine.id:
                routine = replace(routine, id=free_id(s, routine.title))
            elif routine.id in _all_ids(s):
                raise InvalidInputError([Issue(f"id {routine.id!r} is already used", field="id")])
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
        if not event.id:
            event = replace(event, id=free_id(s, event.title))
        elif event.id in _all_ids(s):
            raise InvalidInputError([Issue(f"id {event.id!r} is already used", field="id")])
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


def add_calendar(ws: Workspace, path: Path) -> tuple[Path, int, list[Issue]]:
    """Subscribe to an .ics file (re-read at every plan); it is read now to catch errors early.

    Returns:
        The absolute path stored, the events in the coming horizon, and what was dropped.
    """
    target = path.expanduser().resolve()
    cfg = settings(ws)
    found, warnings = read_calendar_file(target, cfg, datetime.now(UTC))
    with ws.change() as s:
        s.add_calendar(str(target))
    return target, len(found), warnings


def read_calendar_file(path: Path, cfg: Settings, start: datetime,
                       days: int | None = None) -> tuple[list[Event], list[Issue]]:
    from tengnuo.formats.ics import read_calendar  # lazy: icalendar only when calendars are used

    end = start + timedelta(days=(days or cfg.days) + 1)
    found, warnings = read_calendar(path, start - timedelta(days=1), end, cfg.tz)
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
        clash = sorted(_all_ids(s) & incoming)
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
