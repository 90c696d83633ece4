"""A `Problem` written back as a YAML planning file (FORMAT.md), for `tengnuo export --yaml`.

The file is meant to be read by a person and kept in git, and to read back (`loads_planfile`,
same base folder) into an equivalent problem: same instants, durations, profiles and items.
Keys follow the order of FORMAT.md's example; defaults are left out (priority 3, hard false,
hours `anytime`, no weight, a whole-day routine window, no buffer).

Every time is written as the wall-clock time FORMAT.md uses (`2026-12-09 13:00`, or a date at
local midnight), unless that would read back as another instant (the second pass of a repeated
hour at a DST change): then with its offset (`2026-10-25T02:30+01:00`). Each written time is
checked by parsing it again with the reader's own parser.

Events that came from calendar files are not expanded: the file is named again (`- calendar:`).

Imports `yaml` (the safe dumper), `tengnuo.model` and `planfile_values`' parser. No file access.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import yaml

from tengnuo.formats.planfile_values import parse_when
from tengnuo.model.horizon import DayRange
from tengnuo.model.items import (
    CategoryLimit,
    Event,
    Every,
    HoursProfile,
    Limits,
    Routine,
    Task,
    day_spec,
)
from tengnuo.model.problem import ALL_DAY, DEFAULT_PROFILE, Problem

__all__ = ["dump_planfile"]

MINUTE = timedelta(minutes=1)
WHOLE_DAY = DayRange(0, 1440)
_WIDTH = 1 << 20  # never fold a long title over several lines
_UNICODE_BREAKS = "\x85\u2028\u2029"


class _Plain(str):
    """Text tengnuo formatted itself (a date, duration, range): written without quotes.

    YAML 1.1 would read `2026-12-07` as a date or `22:30` as a number; the planning file reader
    never lets YAML guess (it reads every value as text), so quoting them would only add noise.
    """


class _Flow(list[Any]):
    """A list written on one line: `after: [cv, interview]`."""


class _FlowMap(dict[str, Any]):
    """A mapping written on one line: `learning: {week_min: 4h, day_max: 2h}`."""


class _Dumper(yaml.SafeDumper):
    """The safe dumper, with lists indented under their key as in FORMAT.md."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_plain(dumper: _Dumper, data: _Plain) -> yaml.ScalarNode:
    # Tagged with what YAML would resolve it to, so the emitter may leave it unquoted.
    resolve = cast(Callable[..., str], dumper.resolve)  # untyped in the PyYAML stubs
    tag = resolve(yaml.ScalarNode, str(data), (True, False))
    return yaml.ScalarNode(tag, str(data))


def _represent_str(dumper: _Dumper, data: str) -> yaml.ScalarNode:
    # PyYAML writes NEL and the Unicode line/paragraph separators unescaped in plain or quoted
    # text, where a YAML reader then folds them into spaces; double quotes escape them.
    if any(ch in data for ch in _UNICODE_BREAKS):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return dumper.represent_str(data)


def _represent_flow(dumper: _Dumper, data: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_flow_map(dumper: _Dumper, data: _FlowMap) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Plain, _represent_plain)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_FlowMap, _represent_flow_map)


def dump_planfile(problem: Problem, calendars: Sequence[str] = ()) -> str:
    """The planning file of `problem`, as YAML text.

    Args:
        problem: the problem to write; `fixed` and `warnings` are not part of the format.
        calendars: the calendar files to name in `events` (paths as they should appear, relative
            to the folder the file will be read from). Empty: each distinct `Event.calendar`.

    Returns:
        YAML text that `loads_planfile` reads back into an equivalent problem.

    Raises:
        ValueError: the problem holds something the format cannot say: a duration that is not
            whole minutes, a time with fractions of a second, an empty `every`, or `N/week`
            limited to some weekdays.
    """
    tz = problem.tz
    head: dict[str, Any] = {
        "timezone": problem.timezone,
        "start": _when(problem.start, tz, "start"),
        "days": problem.days,
        "granularity": _Plain(f"{problem.granularity_minutes}m"),
    }
    sections: list[dict[str, Any]] = [head]
    hours = _hours(problem.hours)
    if hours:
        sections.append({"hours": hours})
    limits = _limits(problem.limits)
    if limits:
        sections.append({"limits": limits})
    events = [_event(e, tz) for e in problem.events if e.calendar is None]
    events += [{"calendar": path} for path in _calendar_paths(problem.events, calendars)]
    if events:
        sections.append({"events": events})
    if problem.tasks:
        sections.append({"tasks": [_task(t, tz) for t in problem.tasks]})
    if problem.routines:
        sections.append({"routines": [_routine(r) for r in problem.routines]})
    return "\n".join(_yaml(section) for section in sections)


def _yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=_WIDTH)


# --- sections ----------------------------------------------------------------------------------


def _hours(profiles: Mapping[str, HoursProfile]) -> dict[str, Any]:
    """Each profile as day specs with their ranges; weekdays with the same ranges share a spec.

    `anytime` is left out when it is the whole day (the reader defines it so when absent).
    """
    out: dict[str, Any] = {}
    for name, profile in profiles.items():
        if name == DEFAULT_PROFILE and profile == ALL_DAY:
            continue
        groups: dict[tuple[DayRange, ...], list[int]] = {}
        for day in sorted(profile.ranges):
            ranges = tuple(profile.ranges[day])
            if ranges:
                groups.setdefault(ranges, []).append(day)
        out[name] = {
            _Plain(day_spec(days)): _Plain(", ".join(str(r) for r in ranges))
            for ranges, days in groups.items()
        } or _FlowMap()
    return out


def _limits(limits: Limits) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if limits.day_max is not None:
        out["day_max"] = _duration(limits.day_max, "limits.day_max")
    if limits.buffer:
        out["buffer"] = _duration(limits.buffer, "limits.buffer")
    if limits.categories:
        out["categories"] = {
            name: _category(limit, f"limits.categories.{name}")
            for name, limit in limits.categories.items()
        }
    return out


def _category(limit: CategoryLimit, where: str) -> _FlowMap:
    fields = {"day_max": limit.day_max, "week_max": limit.week_max, "week_min": limit.week_min}
    return _FlowMap({key: _duration(value, f"{where}.{key}")
                     for key, value in fields.items() if value is not None})


def _event(event: Event, tz: ZoneInfo) -> dict[str, Any]:
    """An inline event; a whole-days event (both ends at local midnight) is written with dates."""
    where = f"event {event.id!r}"
    whole_days = _is_midnight(event.start, tz) and _is_midnight(event.end, tz)
    out: dict[str, Any] = {}
    if event.id:
        out["id"] = event.id
    out["title"] = event.title
    out["start"] = _when(event.start, tz, f"{where} start", dates=whole_days)
    out["end"] = _when(event.end, tz, f"{where} end", end_of_day=True, dates=whole_days)
    if event.category is not None:
        out["category"] = event.category
    return out


def _calendar_paths(events: Iterable[Event], calendars: Sequence[str]) -> list[str]:
    """Each calendar file once, in the order given (or in which its events first appear)."""
    named = calendars or [e.calendar for e in events if e.calendar is not None]
    return list(dict.fromkeys(named))


def _task(task: Task, tz: ZoneInfo) -> dict[str, Any]:
    where = f"task {task.id!r}"
    out: dict[str, Any] = {}
    if task.id:
        out["id"] = task.id
    out["title"] = task.title
    out["duration"] = _duration(task.duration, f"{where} duration")
    if task.due is not None:
        out["due"] = _when(task.due, tz, f"{where} due", end_of_day=True)
    if task.hard:
        out["hard"] = True
    _priority_weight(out, task.priority, task.weight)
    if task.category is not None:
        out["category"] = task.category
    if task.hours != DEFAULT_PROFILE:
        out["hours"] = task.hours
    if task.not_before is not None:
        out["not_before"] = _when(task.not_before, tz, f"{where} not_before")
    if task.split is not None:
        low = _duration(task.split.min, f"{where} split")
        high = _duration(task.split.max, f"{where} split")
        out["split"] = _Plain(f"{low}-{high}")
    if task.after:
        out["after"] = _Flow(task.after)
    return out


def _routine(routine: Routine) -> dict[str, Any]:
    where = f"routine {routine.id!r}"
    out: dict[str, Any] = {}
    if routine.id:
        out["id"] = routine.id
    out["title"] = routine.title
    out["duration"] = _duration(routine.duration, f"{where} duration")
    out["every"] = _Plain(_every(routine.every, where))
    if routine.window != WHOLE_DAY:
        out["window"] = _Plain(str(routine.window))
    if routine.category is not None:
        out["category"] = routine.category
    _priority_weight(out, routine.priority, routine.weight)
    return out


def _priority_weight(out: dict[str, Any], priority: int, weight: int | None) -> None:
    if priority != 3:
        out["priority"] = priority
    if weight is not None:
        out["weight"] = weight


# --- values ------------------------------------------------------------------------------------


def _duration(span: timedelta, where: str) -> _Plain:
    """`1h30m`, `45m`, `2h`, `0m`: FORMAT.md's spelling, whole minutes only."""
    if span < timedelta(0) or span % MINUTE:
        raise ValueError(f"{where}: {span} is not a whole number of minutes")
    hours, minutes = divmod(span // MINUTE, 60)
    if hours and minutes:
        return _Plain(f"{hours}h{minutes}m")
    return _Plain(f"{hours}h" if hours else f"{minutes}m")


def _every(every: Every, where: str) -> str:
    days = frozenset(every.weekdays)
    if not days:
        raise ValueError(f"{where}: `every` names no weekday")
    if every.per_week is not None:
        if days != frozenset(range(7)):
            raise ValueError(f"{where}: N/week limited to some weekdays cannot be written")
        return f"{every.per_week}/week"
    named = {frozenset(range(7)): "day", frozenset(range(5)): "weekday",
             frozenset({5, 6}): "weekend"}
    return named.get(days) or day_spec(days)


def _is_midnight(instant: datetime, tz: ZoneInfo) -> bool:
    local = instant.astimezone(tz)
    return (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)


def _when(instant: datetime, tz: ZoneInfo, where: str, *, end_of_day: bool = False,
          dates: bool = True) -> _Plain:
    """The shortest text that `parse_when` reads back as `instant`.

    A date when the instant is local midnight (for an end or a `due`, the day before: a date
    alone means the end of that day), else the wall-clock time, else the time with its offset
    (a repeated hour at a DST change), else UTC (an offset with seconds, before 1900).
    """
    if instant.tzinfo is None:
        raise ValueError(f"{where}: {instant} has no time zone")
    if instant.microsecond:
        raise ValueError(f"{where}: {instant} has fractions of a second")
    local = instant.astimezone(tz)
    seconds = f":{local.second:02d}" if local.second else ""
    candidates = []
    if dates and _is_midnight(instant, tz):
        day = local.date() - timedelta(days=1) if end_of_day else local.date()
        candidates.append(day.isoformat())
    candidates.append(f"{local:%Y-%m-%d %H:%M}{seconds}")
    offset = local.utcoffset() or timedelta(0)
    if not offset % MINUTE:
        sign, size = ("-", -offset) if offset < timedelta(0) else ("+", offset)
        hours, minutes = divmod(size // MINUTE, 60)
        candidates.append(f"{local:%Y-%m-%dT%H:%M}{seconds}{sign}{hours:02d}:{minutes:02d}")
    utc = instant.astimezone(UTC)
    candidates.append(f"{utc:%Y-%m-%dT%H:%M}{f':{utc.second:02d}' if utc.second else ''}Z")
    for text in candidates:
        if parse_when(text, tz, end_of_day=end_of_day)[0] == instant:
            return _Plain(text)
    raise ValueError(f"{where}: {instant} cannot be written as a planning-file time")
