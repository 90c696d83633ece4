"""iCalendar to-dos (VTODO) read as `Task`s, and a `Task` written back as a VTODO.

Read from Thunderbird, todoman, Apple Reminders and CalDAV servers; written so that whatever we do
not model survives: with `base` (the server's current text), only the properties of fields whose
value changed are rewritten, and DESCRIPTION, VALARM, LOCATION, X- properties, other RELATED-TO
links and everything else stay as they were.

Mapping (VTODO -> Task; writing is the inverse):
- **id**: stable, from the UID (a slug of SUMMARY would change with the title): `<id>` for a UID
  `<id>@tengnuo` (what we give a task created here, `todo_uid`), else `todo-<first 10 hex digits
  of sha1(UID)>` (10, not 8: fewer than one collision in 10^5 for ten thousand to-dos).
- **title**: SUMMARY (`(untitled to-do)` when empty).
- **due**: DUE; a date means the end of that day (24:00) in the planning zone (FORMAT.md), a
  floating time is read in the calendar's X-WR-TIMEZONE or the planning zone.
- **not_before**: DTSTART (a date means the start of that day). DTSTART..DUE is when the work may
  happen, not how long it takes, so it is never read as the duration.
- **duration**, the first present of `X-TENGNUO-ESTIMATE`, `ESTIMATED-DURATION` (the calext task
  extensions draft) and `DURATION` (strictly the DTSTART..due span in RFC 5545, but the only
  estimate some clients write). None of them: 1h, with a warning naming the UID. Written as
  `X-TENGNUO-ESTIMATE`; an ESTIMATED-DURATION or DURATION already there is updated too, and
  DURATION is removed when DUE is written (RFC 5545 forbids both).
- **priority**: iCalendar 1-9 -> 1-2: 1, 3-4: 2, 5-6: 3, 7-9: 4; 0 (undefined), absent or invalid
  -> 3. Written as 1, 3, 5, 7 (priority 3 with no PRIORITY before writes none).
- **category**: the first of CATEGORIES; a new category replaces the first, the others are kept
  after it; none -> CATEGORIES removed.
- **after**: `RELATED-TO;RELTYPE=DEPENDS-ON` (RFC 9253): the to-do starts after the one it names.
  RELATED-TO without RELTYPE is PARENT (RFC 5545: the child names its parent), and PARENT,
  CHILD, SIBLING and the rest say nothing about order: ignored, and kept when writing. Written
  with the UID from `uids`, else the UID already linked in `base`, else `<id>@tengnuo`.
- **hard, weight, hours, split**: `X-TENGNUO-HARD:TRUE`, `X-TENGNUO-WEIGHT`, `X-TENGNUO-HOURS`,
  `X-TENGNUO-SPLIT:PT30M/PT1H30M` (only when not the default).
- **completed**: `STATUS:COMPLETED` or a COMPLETED property. Written as STATUS:COMPLETED,
  COMPLETED and PERCENT-COMPLETE:100; undone as STATUS:NEEDS-ACTION without COMPLETED.
- `STATUS:CANCELLED`: skipped, with a warning. A repeating to-do (RRULE) is read once, as
  itself, with a warning; its RECURRENCE-ID overrides are ignored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar

from tengnuo.errors import InvalidInputError, Issue
from tengnuo.formats.ics import PRODID, parse_components
from tengnuo.formats.ics_rules import instant
from tengnuo.formats.ics_text import decode, looks_like_icalendar, repair
from tengnuo.model.horizon import local_time
from tengnuo.model.items import Split, Task

__all__ = ["DEFAULT_ESTIMATE", "TodoRecord", "todo_id", "todo_to_text", "todo_uid",
           "todos_from_text"]

DEFAULT_ESTIMATE = timedelta(hours=1)
"""The duration of a to-do that gives no estimate."""
ESTIMATES = ("X-TENGNUO-ESTIMATE", "ESTIMATED-DURATION", "DURATION")
PRIORITY_OUT = {1: 1, 2: 3, 3: 5, 4: 7}
OUR_DOMAIN = "@tengnuo"
UNTITLED = "(untitled to-do)"


@dataclass(frozen=True)
class TodoRecord:
    """One to-do: its UID, the task it means, whether it is done, and its calendar text (the
    `base` to give `todo_to_text` when writing it back)."""

    uid: str
    task: Task
    completed: bool
    text: str


def todo_id(uid: str) -> str:
    """The task id of a to-do: `x` for `x@tengnuo`, else `todo-` + 10 hex digits of sha1(UID)."""
    if uid.endswith(OUR_DOMAIN) and uid.removesuffix(OUR_DOMAIN):
        return uid.removesuffix(OUR_DOMAIN)
    return "todo-" + hashlib.sha1(uid.encode(), usedforsecurity=False).hexdigest()[:10]


def todo_uid(task_id: str) -> str:
    """The UID of a to-do made from a task created in tengnuo (`todo_id` gives the id back)."""
    return f"{task_id}{OUR_DOMAIN}"


def todos_from_text(data: bytes | str, source: str, tz: ZoneInfo
                    ) -> tuple[list[TodoRecord], list[Issue]]:
    """The to-dos in iCalendar data (a file, or a CalDAV server's resource), as tasks.

    Args:
        data: one or several VCALENDARs with VTODOs (VEVENTs and others are ignored).
        source: what the data is called in warnings.
        tz: the planning zone; dates and floating times are read in it.

    Returns:
        The to-dos in the order they appear, one per UID (completed ones included), and
        warnings naming the source and the UID.

    Raises:
        InvalidInputError: the data is not iCalendar, or nothing in it can be parsed.
    """
    text, note = decode(data) if isinstance(data, bytes) else (data.removeprefix("\ufeff"), None)
    if not looks_like_icalendar(text):
        raise InvalidInputError([Issue("not an iCalendar file (no BEGIN:VCALENDAR)", source)])
    issues = [Issue(note, source)] if note else []
    repaired, repairs = repair(text, drop=())
    issues += [Issue(message, source) for message in repairs]
    tops = parse_components(repaired, source, issues, kinds=("VTODO",))
    records: list[TodoRecord] = []
    seen: set[str] = set()
    for top in tops:
        calendar = top if top.name == "VCALENDAR" else None
        for todo in top.walk("VTODO") if calendar is not None else [top]:
            uid = str(todo.get("UID", "")).strip()
            if not uid or uid in seen or "RECURRENCE-ID" in todo:
                if not uid:
                    issues.append(Issue(f"dropped to-do `{todo.get('SUMMARY', '')}`: no UID",
                                        source))
                continue
            seen.add(uid)
            if str(todo.get("STATUS", "")).strip().upper() == "CANCELLED":
                issues.append(Issue(f"to-do {uid} is cancelled, so it was not read", source))
                continue
            warn: list[str] = []
            try:
                task, completed = _read_todo(todo, uid, _zone(calendar, tz), warn)
            except Exception as exc:  # one broken to-do must never stop the others
                issues.append(Issue(f"dropped to-do {uid}: {str(exc).strip() or exc!r}", source))
                continue
            issues += [Issue(f"to-do {uid}: {w}", source) for w in warn]
            own = text if len(tops) == 1 and _only_uid(top, uid) else _text_of(top, uid)
            records.append(TodoRecord(uid, task, completed, own))
    return records, issues


def _zone(calendar: icalendar.Component | None, tz: ZoneInfo) -> ZoneInfo:
    """The zone of floating times: the calendar's X-WR-TIMEZONE when it names a real zone."""
    name = str(calendar.get("X-WR-TIMEZONE", "")).strip() if calendar is not None else ""
    try:
        return ZoneInfo(name) if name else tz
    except (ZoneInfoNotFoundError, ValueError):
        return tz


def _only_uid(top: icalendar.Component, uid: str) -> bool:
    return all(str(c.get("UID", "")).strip() == uid for c in top.subcomponents
               if c.name not in ("VTIMEZONE",))


def _text_of(top: icalendar.Component, uid: str) -> str:
    """A VCALENDAR with this UID's components and the time zones, from a larger calendar."""
    calendar = icalendar.Calendar()
    if top.name == "VCALENDAR":
        for key, value in top.items():
            calendar[key] = value
    else:
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
    for component in top.subcomponents if top.name == "VCALENDAR" else [top]:
        if component.name == "VTIMEZONE" or str(component.get("UID", "")).strip() == uid:
            calendar.add_component(component)
    return str(calendar.to_ical().decode())


def _read_todo(todo: icalendar.Component, uid: str, tz: ZoneInfo, warn: list[str]
               ) -> tuple[Task, bool]:
    """(task, completed) of one VTODO."""
    status = str(todo.get("STATUS", "")).strip().upper()
    if "RRULE" in todo:
        warn.append("it repeats; it was read as one task (later occurrences are not planned)")
    task = Task(
        id=todo_id(uid),
        title=str(todo.get("SUMMARY", "")).strip() or UNTITLED,
        duration=_estimate(todo, warn),
        due=_when(todo, "DUE", tz, warn, end_of_day=True),
        hard=str(todo.get("X-TENGNUO-HARD", "")).strip().upper() == "TRUE",
        priority=_priority(todo.get("PRIORITY"), warn),
        weight=_weight(todo.get("X-TENGNUO-WEIGHT"), warn),
        category=_category(todo),
        hours=str(todo.get("X-TENGNUO-HOURS", "")).strip() or "anytime",
        not_before=_when(todo, "DTSTART", tz, warn, end_of_day=False),
        split=_split(todo.get("X-TENGNUO-SPLIT"), warn),
        after=_depends_on(todo),
    )
    return task, status == "COMPLETED" or "COMPLETED" in todo


def _one(value: Any) -> Any:  # noqa: ANN401 - icalendar property values are not typed
    """The first of a property that occurs several times."""
    return value[0] if isinstance(value, list) else value


def _duration(value: Any) -> timedelta | None:  # noqa: ANN401
    """A DURATION value, or the text of an X- property holding one; None when not a duration."""
    value = _one(value)
    found = getattr(value, "dt", None)
    if isinstance(found, timedelta):
        return found
    try:
        parsed = icalendar.vDuration.from_ical(str(value).strip())  # type: ignore[no-untyped-call]
    except (ValueError, TypeError):
        return None
    return parsed if isinstance(parsed, timedelta) else None


def _estimate(todo: icalendar.Component, warn: list[str]) -> timedelta:
    for name in ESTIMATES:
        if name not in todo:
            continue
        found = _duration(todo[name])
        if found is not None and found > timedelta(0):
            return found
        warn.append(f"{name} `{_one(todo[name]).to_ical().decode()}` is not a positive duration;"
                    " ignored")
    warn.append(f"no estimate (X-TENGNUO-ESTIMATE, ESTIMATED-DURATION or DURATION); "
                f"planned as {_text_duration(DEFAULT_ESTIMATE)}")
    return DEFAULT_ESTIMATE


def _when(todo: icalendar.Component, name: str, tz: ZoneInfo, warn: list[str], *,
          end_of_day: bool) -> datetime | None:
    if name not in todo:
        return None
    prop = _one(todo[name])
    value = getattr(prop, "dt", None)
    if not isinstance(value, date):
        warn.append(f"{name} is not a date or time; ignored")
        return None
    if not isinstance(value, datetime):
        return local_time(value + timedelta(days=1) if end_of_day else value, 0, tz)
    tzid = getattr(prop, "params", {}).get("TZID")
    if tzid and value.tzinfo is None:
        warn.append(f"unknown time zone `{tzid}`; its {name} was read in {tz.key}")
    return instant(value, tz)


def _priority(value: Any, warn: list[str]) -> int:  # noqa: ANN401
    if value is None:
        return 3
    try:
        number = int(str(_one(value)).strip())
    except ValueError:
        number = -1
    if not 0 <= number <= 9:
        warn.append(f"PRIORITY `{_one(value)}` is not 0-9; read as priority 3")
        return 3
    return {0: 3, 1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3}.get(number, 4)


def _weight(value: Any, warn: list[str]) -> int | None:  # noqa: ANN401
    if value is None:
        return None
    try:
        weight = int(str(_one(value)).strip())
    except ValueError:
        weight = -1
    if weight < 0:
        warn.append(f"X-TENGNUO-WEIGHT `{_one(value)}` is not a whole number >= 0; ignored")
        return None
    return weight


def _split(value: Any, warn: list[str]) -> Split | None:  # noqa: ANN401
    if value is None:
        return None
    low, _, high = str(_one(value)).strip().partition("/")
    shortest, longest = _duration(low), _duration(high)
    if shortest is None or longest is None or not timedelta(0) < shortest <= longest:
        warn.append(f"X-TENGNUO-SPLIT `{_one(value)}` is not MIN/MAX durations; ignored")
        return None
    return Split(shortest, longest)


def _categories(todo: icalendar.Component) -> list[str]:
    found = todo.get("CATEGORIES")
    props = found if isinstance(found, list) else [] if found is None else [found]
    names = [str(c).strip() for prop in props for c in getattr(prop, "cats", [prop])]
    return [name for name in names if name]


def _category(todo: icalendar.Component) -> str | None:
    names = _categories(todo)
    return names[0] if names else None


def _related(todo: icalendar.Component) -> list[Any]:
    found = todo.get("RELATED-TO")
    return found if isinstance(found, list) else [] if found is None else [found]


def _is_dependency(prop: Any) -> bool:  # noqa: ANN401
    params = getattr(prop, "params", {})
    return str(params.get("RELTYPE", "PARENT")).strip().upper() == "DEPENDS-ON"


def _depends_on(todo: icalendar.Component) -> tuple[str, ...]:
    ids = [todo_id(str(p).strip()) for p in _related(todo) if _is_dependency(p) and str(p).strip()]
    return tuple(dict.fromkeys(ids))


def _text_duration(value: timedelta) -> str:
    return str(icalendar.vDuration(value).to_ical().decode())  # type: ignore[no-untyped-call]


def todo_to_text(task: Task, uid: str, completed: bool, tz: ZoneInfo, base: str | None = None,
                 *, uids: Mapping[str, str] | None = None, stamp: datetime | None = None) -> str:
    """A VCALENDAR with the to-do `uid` saying what `task` says.

    Args:
        task: the task (its id is not written: it comes from the UID, see `todo_id`).
        uid: the to-do's UID (`todo_uid(task.id)` for a task created in tengnuo).
        completed: whether the to-do is done.
        tz: the zone times are written in (with a VTIMEZONE), and dates in `base` are read in.
        base: the current text of the to-do (from the server); everything in it is kept except
            the properties of the fields that changed (see the module docstring). When nothing
            changed, the result means the same as `base` and has the same DTSTAMP.
        uids: UIDs of the tasks named in `task.after`, by task id.
        stamp: DTSTAMP, LAST-MODIFIED and COMPLETED when set now; now when omitted.

    Raises:
        InvalidInputError: `base` does not parse, or has no VTODO with this UID.
    """
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    calendar, todo = _base_todo(base, uid) if base is not None else _new_todo(uid)
    old: Task | None = None
    was_completed = False
    if base is not None:
        old, was_completed = _read_todo(todo, uid, _zone(calendar, tz), [])
    known_uids = {todo_id(str(p).strip()): str(p).strip() for p in _related(todo)
                  if _is_dependency(p)}
    writers: dict[str, Callable[[], None]] = {
        "title": lambda: _put(todo, "SUMMARY", task.title),
        "duration": lambda: _write_estimate(todo, task.duration),
        "due": lambda: _put(todo, "DUE", _local(task.due, tz)),
        "not_before": lambda: _put(todo, "DTSTART", _local(task.not_before, tz)),
        "hard": lambda: _put(todo, "X-TENGNUO-HARD", "TRUE" if task.hard else None),
        "priority": lambda: _put(todo, "PRIORITY", None if task.priority == 3 and old is None
                                 else PRIORITY_OUT.get(task.priority, 5)),
        "weight": lambda: _put(todo, "X-TENGNUO-WEIGHT",
                               None if task.weight is None else str(task.weight)),
        "category": lambda: _write_category(todo, task.category),
        "hours": lambda: _put(todo, "X-TENGNUO-HOURS",
                              None if task.hours == "anytime" else task.hours),
        "split": lambda: _put(todo, "X-TENGNUO-SPLIT", None if task.split is None else
                              f"{_text_duration(task.split.min)}/{_text_duration(task.split.max)}"),
        "after": lambda: _write_after(todo, task.after, {**known_uids, **(uids or {})}),
    }
    changed = False
    for item in fields(Task):
        if item.name in writers and (old is None or getattr(old, item.name)
                                     != getattr(task, item.name)):
            writers[item.name]()
            changed = True
    if old is None or completed != was_completed:
        _write_completed(todo, completed, stamp)
        changed = True
    if changed and "DUE" in todo and "DURATION" in todo:  # RFC 5545: never both
        estimate = todo.pop("DURATION")
        if not any(name in todo for name in ESTIMATES):
            todo.add("X-TENGNUO-ESTIMATE", _text_duration(_duration(estimate) or task.duration))
    if changed:
        _put(todo, "DTSTAMP", stamp)
        if old is None or "LAST-MODIFIED" in todo:
            _put(todo, "LAST-MODIFIED", stamp)
        calendar.add_missing_timezones()
    return str(calendar.to_ical().decode())


def _new_todo(uid: str) -> tuple[icalendar.Calendar, icalendar.Todo]:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    todo = icalendar.Todo()
    todo.add("uid", uid)
    calendar.add_component(todo)
    return calendar, todo


def _base_todo(base: str, uid: str) -> tuple[icalendar.Calendar, icalendar.Component]:
    try:
        calendar = icalendar.Calendar.from_ical(repair(base, drop=())[0])
    except Exception as exc:  # the parser's errors are not one class
        raise InvalidInputError([Issue(f"the to-do's current text does not parse: {exc}",
                                       uid)]) from None
    for todo in calendar.walk("VTODO"):
        if str(todo.get("UID", "")).strip() == uid and "RECURRENCE-ID" not in todo:
            return calendar, todo
    raise InvalidInputError([Issue("the to-do's current text has no VTODO with this UID", uid)])


def _put(todo: icalendar.Component, name: str, value: object) -> None:
    """Replace every `name` property by one with `value`; None removes them."""
    todo.pop(name, None)
    if value is not None:
        todo.add(name, value)


def _local(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC) if tz.key == "UTC" else value.astimezone(tz)


def _write_estimate(todo: icalendar.Component, duration: timedelta) -> None:
    _put(todo, "X-TENGNUO-ESTIMATE", _text_duration(duration))
    if "ESTIMATED-DURATION" in todo:
        _put(todo, "ESTIMATED-DURATION", _text_duration(duration))
    if "DURATION" in todo:
        _put(todo, "DURATION", duration)


def _write_category(todo: icalendar.Component, category: str | None) -> None:
    others = [c for c in _categories(todo)[1:] if c != category]
    todo.pop("CATEGORIES", None)
    if category is not None:
        todo.add("CATEGORIES", [category, *others])


def _write_after(todo: icalendar.Component, after: tuple[str, ...], uids: Mapping[str, str]
                 ) -> None:
    kept = [p for p in _related(todo) if not _is_dependency(p)]
    todo.pop("RELATED-TO", None)
    for prop in kept:
        todo.add("RELATED-TO", prop, encode=False)
    for task_id in after:
        todo.add("RELATED-TO", uids.get(task_id, todo_uid(task_id)),
                 parameters={"RELTYPE": "DEPENDS-ON"})


def _write_completed(todo: icalendar.Component, completed: bool, stamp: datetime) -> None:
    if completed:
        _put(todo, "STATUS", "COMPLETED")
        if "COMPLETED" not in todo:
            todo.add("COMPLETED", stamp)
        _put(todo, "PERCENT-COMPLETE", 100)
        return
    _put(todo, "STATUS", "NEEDS-ACTION")
    todo.pop("COMPLETED", None)
    if str(todo.get("PERCENT-COMPLETE", "")).strip() == "100":
        todo.pop("PERCENT-COMPLETE")
