"""The YAML planning file (FORMAT.md) read into a `Problem`, with every problem reported at once.

Owns the top level of the file: the horizon (`timezone`, `start`, `days`, `granularity`), the
order in which sections are read, id generation, reading `calendar:` entries relative to the file,
and placing the model's own cross-reference issues (`Problem.validate`) on file lines.

Imports `yaml` through `planfile_yaml`; `icalendar` only lazily, through `formats.ics`, when a
calendar file is named (so reading a plain planning file stays quick). No solving, no SQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from tengnuo.errors import InvalidInputError, Issue
from tengnuo.formats.planfile_items import (
    CalendarRef,
    Setting,
    read_event,
    read_hours,
    read_limits,
    read_routine,
    read_task,
)
from tengnuo.formats.planfile_values import (
    parse_granularity,
    parse_int,
    parse_when,
    parse_zone,
    slugify,
)
from tengnuo.formats.planfile_yaml import Node, Reader, compose
from tengnuo.model.items import Event, Limits, Routine, Task
from tengnuo.model.problem import ALL_DAY, DEFAULT_PROFILE, Problem

__all__ = ["load_planfile", "loads_planfile"]

TOP_FIELDS = ("timezone", "start", "days", "granularity", "hours", "limits", "events", "tasks",
              "routines")
REQUIRED = ("timezone", "start", "days")
MAX_DAYS = 366
CALENDAR_MARGIN = timedelta(days=1)  # calendar events a day either side of the horizon are kept
_INDEXED_PATH = re.compile(r"^(?P<section>events|tasks|routines)\[(?P<index>\d+)\]")

Item = TypeVar("Item", Event, Task, Routine)
ItemReader = Callable[[Node, str], Event | CalendarRef | Task | Routine | None]


@dataclass(frozen=True)
class Horizon:
    """The top of the file (with placeholders where it could not be read)."""

    tz: ZoneInfo
    start: datetime
    days: int
    granularity_minutes: int

    @property
    def end(self) -> datetime:
        return Problem(self.tz.key, self.start, self.days).end


@dataclass
class Sections:
    """Items read so far, with the file index of each (the model's indices skip unreadable ones)."""

    events: list[Event] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    routines: list[Routine] = field(default_factory=list)
    calendars: list[tuple[int, CalendarRef]] = field(default_factory=list)
    calendar_events: list[Event] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    index: dict[str, list[int]] = field(
        default_factory=lambda: {"events": [], "tasks": [], "routines": []})


def load_planfile(path: Path) -> Problem:
    """Read the planning file at `path`.

    Args:
        path: a YAML planning file; `calendar:` entries are read relative to its folder.

    Returns:
        The problem, validated (cross-references included).

    Raises:
        InvalidInputError: with every problem found, each with file, line and field where known.
    """
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInputError([Issue(f"cannot read the planning file: {exc.strerror}", file)]) \
            from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InvalidInputError([Issue("the planning file is not UTF-8 text", file, line)]) \
            from None
    return loads_planfile(text, file, path.parent)


def loads_planfile(text: str, file: str, base_dir: Path) -> Problem:
    """Read a planning file given as text.

    Args:
        text: the YAML text.
        file: the name to put in issues.
        base_dir: the folder that relative `calendar:` paths start from.

    Raises:
        InvalidInputError: with every problem found, sorted by line.
    """
    root = compose(text, file)
    if root is None:
        message = "the planning file is empty: it needs at least timezone, start and days"
        raise InvalidInputError([Issue(message, file, 1)])
    r = Reader(file)
    top = r.mapping(root, "", TOP_FIELDS, REQUIRED)
    if top is None:
        raise InvalidInputError(r.issues)
    horizon = _read_horizon(r, top)
    setting = Setting(horizon.tz, horizon.granularity_minutes)
    hours = read_hours(r, top["hours"]) if "hours" in top else {DEFAULT_PROFILE: ALL_DAY}
    limits = read_limits(r, top["limits"]) if "limits" in top else Limits()
    sections = Sections()
    _read_list(r, top, "events", lambda n, p: read_event(r, n, p, setting), sections)
    _read_list(r, top, "tasks", lambda n, p: read_task(r, n, p, setting), sections)
    _read_list(r, top, "routines", lambda n, p: read_routine(r, n, p), sections)
    _read_calendars(r, horizon, base_dir, sections)
    _generate_ids(sections)
    problem = Problem(
        timezone=horizon.tz.key,
        start=horizon.start,
        days=horizon.days,
        granularity_minutes=horizon.granularity_minutes,
        hours=hours,
        limits=limits,
        events=(*sections.events, *sections.calendar_events),
        tasks=tuple(sections.tasks),
        routines=tuple(sections.routines),
        warnings=tuple(sections.warnings),
    )
    _place_model_issues(r, problem, sections)
    if r.issues:
        raise InvalidInputError(sorted(r.issues, key=lambda i: i.line or 0))
    return problem


def _read_horizon(r: Reader, top: dict[str, Node]) -> Horizon:
    """The zone, start, length and grid; placeholders stand in for what could not be read."""
    zone = r.value(top, "timezone", "", parse_zone)
    tz = zone or ZoneInfo("UTC")
    grid = r.value(top, "granularity", "", parse_granularity)
    start = r.value(top, "start", "", lambda t: parse_when(t, tz)[0])
    days = r.value(top, "days", "", lambda t: parse_int(t, "days", 1, MAX_DAYS))
    return Horizon(tz, start or datetime(2000, 1, 1, tzinfo=UTC), days or 1, grid or 15)


def _read_list(r: Reader, top: dict[str, Node], section: str, read: ItemReader, sections: Sections
               ) -> None:
    """Read every item of a list section, remembering each one's index in the file."""
    if section not in top:
        return
    for i, node in enumerate(r.sequence(top[section], section)):
        item = read(node, f"{section}[{i}]")
        if isinstance(item, CalendarRef):
            sections.calendars.append((i, item))
        elif isinstance(item, Event):
            sections.events.append(item)
        elif isinstance(item, Task):
            sections.tasks.append(item)
        elif isinstance(item, Routine):
            sections.routines.append(item)
        else:
            continue
        if not isinstance(item, CalendarRef):
            sections.index[section].append(i)


def _read_calendars(
    r: Reader, horizon: Horizon, base_dir: Path, sections: Sections
) -> None:
    """Expand each `calendar:` file over the horizon (a day either side, for zone edges).

    An unreadable file is an issue on its `calendar:` line; components it had to drop become
    warnings of the problem. Files are read even when the horizon is broken (over a placeholder
    horizon), so that a missing calendar is reported in the same run.
    """
    if not sections.calendars:
        return
    from tengnuo.formats.ics import read_calendar  # lazy: icalendar only when a file is named

    for i, ref in sections.calendars:
        path = base_dir / ref.path
        try:
            events, warnings = read_calendar(
                path, horizon.start - CALENDAR_MARGIN, horizon.end + CALENDAR_MARGIN, horizon.tz)
        except InvalidInputError as exc:
            reasons = "; ".join(issue.message for issue in exc.issues)
            r.error(f"cannot read calendar `{ref.path}`: {reasons}", f"events[{i}].calendar",
                    ref.node)
            continue
        sections.calendar_events += [replace(e, calendar=ref.path) for e in events]
        sections.warnings += warnings


def _generate_ids(sections: Sections) -> None:
    """Give items without an `id` a slug of their title, unique across events, tasks, routines."""
    taken = {e.id for e in sections.events} | {t.id for t in sections.tasks}
    taken |= {r.id for r in sections.routines}

    def fill(items: list[Item]) -> list[Item]:
        out = []
        for item in items:
            if not item.id:
                base = slugify(item.title)
                candidate, n = base, 2
                while candidate in taken:
                    candidate, n = f"{base}-{n}", n + 1
                taken.add(candidate)
                item = replace(item, id=candidate)
            out.append(item)
        return out

    sections.events = fill(sections.events)
    sections.tasks = fill(sections.tasks)
    sections.routines = fill(sections.routines)


def _place_model_issues(r: Reader, problem: Problem, sections: Sections) -> None:
    """Add `Problem.validate()`'s issues at their file lines, unless that field is already
    reported (a bad value read earlier must not be reported twice)."""
    for issue in problem.validate():
        path = _file_path(issue.field, sections) if issue.field else None
        if path is not None and r.has_issue(path):
            continue
        r.error(issue.message, path)


def _file_path(path: str, sections: Sections) -> str:
    """`tasks[2].after` in model indices -> the same item's path in the file."""
    match = _INDEXED_PATH.match(path)
    if not match:
        return path
    indices = sections.index[match["section"]]
    index = int(match["index"])
    if index >= len(indices):
        return path
    return f"{match['section']}[{indices[index]}]{path[match.end():]}"
