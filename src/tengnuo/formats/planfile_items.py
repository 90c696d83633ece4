"""The sections of a planning file (hours, limits, events, tasks, routines) read into model objects.

Every reader keeps going after a bad field: it records the issue and puts a neutral placeholder in
the model object, so that one typo does not hide the next problem, nor cause false ones (a task with
a bad duration still exists, so `after: [it]` is not reported as unknown). Ids left empty here are
generated from titles by `planfile` once every explicit id is known.

Imports `tengnuo.model` and the other `planfile_*` modules; no file access.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import yaml

from tengnuo.formats.planfile_values import (
    parse_bool,
    parse_day_range,
    parse_day_spec,
    parse_duration,
    parse_every,
    parse_int,
    parse_ranges,
    parse_split,
    parse_when,
)
from tengnuo.formats.planfile_yaml import Node, Reader, join
from tengnuo.model.horizon import DayRange
from tengnuo.model.items import CategoryLimit, Event, HoursProfile, Limits, Routine, Task
from tengnuo.model.problem import ALL_DAY, DEFAULT_PROFILE

TASK_FIELDS = ("id", "title", "duration", "due", "hard", "priority", "weight", "category",
               "hours", "not_before", "split", "after")
ROUTINE_FIELDS = ("id", "title", "duration", "every", "window", "category", "priority", "weight")
EVENT_FIELDS = ("id", "title", "start", "end", "category")
LIMIT_FIELDS = ("day_max", "buffer", "categories")
CATEGORY_FIELDS = ("day_max", "week_max", "week_min")
PLACEHOLDER_DURATION = timedelta(minutes=1)  # stands in for an unreadable duration
WHOLE_DAY = DayRange(0, 1440)


@dataclass(frozen=True)
class Setting:
    """What the sections need from the top of the file: the zone and the grid."""

    tz: ZoneInfo
    granularity_minutes: int


@dataclass(frozen=True)
class CalendarRef:
    """An `events` entry that names an .ics file, to be read relative to the planning file."""

    path: str
    node: Node


def read_hours(r: Reader, node: Node) -> dict[str, HoursProfile]:
    """Named weekly profiles; several day specs covering one day add their ranges up."""
    profiles: dict[str, HoursProfile] = {}
    for name, profile_node in r.entries(node, "hours"):
        ranges: dict[int, list[DayRange]] = defaultdict(list)
        for spec, value in r.entries(profile_node, f"hours.{name}"):
            path = f"hours.{name}.{spec}"
            try:
                days = parse_day_spec(spec)
            except ValueError as exc:
                r.error(str(exc), path)
                continue
            day_ranges = _ranges(r, value, path)
            for day in days:
                ranges[day] += day_ranges
        profiles[name] = HoursProfile(name, {d: tuple(v) for d, v in sorted(ranges.items())})
    if DEFAULT_PROFILE not in profiles:
        profiles[DEFAULT_PROFILE] = ALL_DAY
    return profiles


def _ranges(r: Reader, node: Node, path: str) -> list[DayRange]:
    """`09:00-12:00, 13:00-18:00`, or the same written as a YAML list."""
    items = r.sequence(node, path) if isinstance(node, yaml.SequenceNode) else [node]
    out: list[DayRange] = []
    for item in items:
        raw = r.text(item, path)
        if raw is None:
            continue
        try:
            out += parse_ranges(raw)
        except ValueError as exc:
            r.error(str(exc), path, item)
    return out


def read_limits(r: Reader, node: Node) -> Limits:
    """`day_max`, `buffer` and per-category quotas."""
    fields = r.mapping(node, "limits", LIMIT_FIELDS)
    if fields is None:
        return Limits()
    categories: dict[str, CategoryLimit] = {}
    if "categories" in fields:
        for name, cat_node in r.entries(fields["categories"], "limits.categories"):
            categories[name] = _category_limit(r, cat_node, f"limits.categories.{name}")
    return Limits(
        day_max=r.value(fields, "day_max", "limits", parse_duration),
        buffer=r.value(fields, "buffer", "limits", parse_duration) or timedelta(0),
        categories=categories,
    )


def _category_limit(r: Reader, node: Node, path: str) -> CategoryLimit:
    fields = r.mapping(node, path, CATEGORY_FIELDS)
    if fields is None:
        return CategoryLimit()
    limit = CategoryLimit(*(r.value(fields, k, path, parse_duration) for k in CATEGORY_FIELDS))
    if limit.week_min and limit.week_max and limit.week_min > limit.week_max:
        r.error("week_min is larger than week_max", f"{path}.week_min", fields["week_min"])
    return limit


def read_event(r: Reader, node: Node, path: str, s: Setting) -> Event | CalendarRef | None:
    """An inline event, or a `calendar:` entry. A date-only `end` means the end of that day."""
    if isinstance(node, yaml.MappingNode) and any(k.value == "calendar" for k, _ in node.value):
        fields = r.mapping(node, path, ("calendar",), required=("calendar",))
        raw = r.value(fields or {}, "calendar", path, str.strip)
        if raw == "":
            r.error("calendar path is empty", join(path, "calendar"), node)
        return CalendarRef(raw, node) if raw else None
    fields = r.mapping(node, path, EVENT_FIELDS, required=("start", "end"))
    if fields is None:
        return None
    item_id, title = _id_and_title(r, fields, path)
    start = _when(r, fields, "start", path, s)
    end = _when(r, fields, "end", path, s, end_of_day=True)
    if start is None or end is None:  # already reported; keep the event so ids still resolve
        start, end = _NOWHERE, _NOWHERE + timedelta(minutes=1)
    return Event(item_id, title, start, end, _name(r, fields, "category", path))


_NOWHERE = datetime(2000, 1, 1, tzinfo=UTC)  # placeholder time; the file is invalid anyway


def read_task(r: Reader, node: Node, path: str, s: Setting) -> Task | None:
    """One task; `due` given as a date means the end of that day, `not_before` its beginning."""
    fields = r.mapping(node, path, TASK_FIELDS, required=("duration",))
    if fields is None:
        return None
    item_id, title = _id_and_title(r, fields, path)
    due = _when(r, fields, "due", path, s, end_of_day=True)
    not_before = _when(r, fields, "not_before", path, s)
    if due is not None and not_before is not None and due <= not_before:
        r.error("due is not after not_before", join(path, "due"), fields["due"])
    priority, weight = _priority_weight(r, fields, path)
    return Task(
        id=item_id,
        title=title,
        duration=_duration(r, fields, path),
        due=due,
        hard=bool(r.value(fields, "hard", path, parse_bool)),
        priority=priority,
        weight=weight,
        category=_name(r, fields, "category", path),
        hours=_name(r, fields, "hours", path) or DEFAULT_PROFILE,
        not_before=not_before,
        split=r.value(fields, "split", path,
                      lambda t: parse_split(t, s.granularity_minutes)),
        after=_ids(r, fields, "after", path),
    )


def read_routine(r: Reader, node: Node, path: str) -> Routine | None:
    """One routine; without a `window` it may lie anywhere in its day."""
    fields = r.mapping(node, path, ROUTINE_FIELDS, required=("duration", "every"))
    if fields is None:
        return None
    item_id, title = _id_and_title(r, fields, path)
    duration = _duration(r, fields, path)
    window = r.value(fields, "window", path, parse_day_range) or WHOLE_DAY
    if duration > timedelta(minutes=window.length_minutes):
        r.error(f"a {_hm(duration)} routine does not fit in its window {window}",
                join(path, "window"), fields.get("window", node))
    priority, weight = _priority_weight(r, fields, path)
    every = r.value(fields, "every", path, parse_every)
    return Routine(
        id=item_id,
        title=title,
        duration=duration,
        every=every or parse_every("day"),
        window=window,
        category=_name(r, fields, "category", path),
        priority=priority,
        weight=weight,
    )


def _hm(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


def _duration(r: Reader, fields: dict[str, Node], path: str) -> timedelta:
    duration = r.value(fields, "duration", path, parse_duration)
    if duration is not None and duration <= timedelta(0):
        r.error("duration must be more than 0m", join(path, "duration"), fields["duration"])
    return duration if duration else PLACEHOLDER_DURATION


def _priority_weight(r: Reader, fields: dict[str, Node], path: str) -> tuple[int, int | None]:
    priority = r.value(fields, "priority", path, lambda t: parse_int(t, "priority", 1, 4))
    weight = r.value(fields, "weight", path, lambda t: parse_int(t, "weight", 0))
    return (priority if priority is not None else 3), weight


def _when(r: Reader, fields: dict[str, Node], key: str, path: str, s: Setting,
          *, end_of_day: bool = False) -> datetime | None:
    found = r.value(fields, key, path, lambda t: parse_when(t, s.tz, end_of_day=end_of_day))
    return found[0] if found else None


def _name(r: Reader, fields: dict[str, Node], key: str, path: str) -> str | None:
    """A free-form label (category, profile name); empty text counts as absent."""
    return r.value(fields, key, path, str.strip) or None


def _id_and_title(r: Reader, fields: dict[str, Node], path: str) -> tuple[str, str]:
    """The explicit id ("" when it is to be generated) and the title (the id when absent)."""
    item_id = r.value(fields, "id", path, str.strip) or ""
    title = r.value(fields, "title", path, str.strip) or item_id
    id_path, title_path = join(path, "id"), join(path, "title")
    if "id" in fields and not item_id and not r.has_issue(id_path):
        r.error("id is empty", id_path, fields["id"])
    if not title and not r.has_issue(title_path) and not r.has_issue(id_path):
        missing = "missing required field `title` (or give an `id`)"
        r.error("title is empty" if "title" in fields else missing, title_path, fields.get("title"))
    return item_id, title


def _ids(r: Reader, fields: dict[str, Node], key: str, path: str) -> tuple[str, ...]:
    """A list of ids, or a single id written without brackets."""
    node = fields.get(key)
    if node is None:
        return ()
    child = join(path, key)
    items = r.sequence(node, child) if isinstance(node, yaml.SequenceNode) else [node]
    ids = [r.text(item, child) for item in items]
    return tuple(i.strip() for i in ids if i and i.strip())
