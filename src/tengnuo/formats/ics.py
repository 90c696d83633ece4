"""iCalendar: calendar files read into busy `Event`s, and a plan written as VEVENTs.

Reading is forgiving, because real files are messy (see DEPENDENCIES.md): text problems are fixed
in `ics_text`, each UID series is expanded on its own so that one broken series never stops the
rest, every dropped series is reported as a warning naming its UID, and expansion is bounded (a
rule such as `FREQ=SECONDLY` with no end is cut off after `MAX_OCCURRENCES`, with a warning).

What blocks time (FORMAT.md "Events"), per occurrence, so that an override decides for itself:
- `STATUS:CANCELLED` and `TRANSP:TRANSPARENT` never block (a cancelled RECURRENCE-ID override frees
  only that occurrence).
- All-day events (DTSTART a date) are busy, from local midnight to midnight in the planning zone,
  unless transparent, or unless the caller says the calendar marks all-day events as free
  (`all_day_free=True`, a per-calendar setting: holiday and birthday calendars).
- An invitation the person declined does not block: an ATTENDEE whose address is one of
  `own_addresses` (case-insensitive, with or without `mailto:`) with `PARTSTAT=DECLINED`. An
  override carries its own attendee list, so declining one occurrence frees only that one. This is
  not reported: the event is not dropped, it is simply not busy.

Time zones: IANA TZIDs, Windows names (`W. Europe Standard Time`, mapped to IANA by icalendar),
custom VTIMEZONE definitions and X-WR-TIMEZONE are honoured; an unknown TZID is read in the planning
zone with a warning naming the UID.

With `ics_todo` (to-dos), the only modules that import `icalendar` and `recurring_ical_events`
(besides `sync/`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from tengnuo.errors import InvalidInputError, Issue
from tengnuo.formats.ics_rules import MAX_OCCURRENCES, Rule, Time, instant, skip_ahead, slice_length
from tengnuo.formats.ics_text import (
    block_summary,
    block_uid,
    decode,
    looks_like_icalendar,
    repair,
    split_blocks,
    trim_date_lists,
    unique_uid,
)
from tengnuo.model.horizon import local_time
from tengnuo.model.items import Event
from tengnuo.model.plan import Block

__all__ = ["MAX_OCCURRENCES", "plan_to_ics", "read_calendar", "read_calendar_text"]

QUERY_PAD = timedelta(days=2)  # floating and all-day times are compared before zone conversion
LONGEST_EVENT = timedelta(days=32)  # huge RDATE lists lose dates this long before the window
PRODID = "-//tengnuo//tengnuo plan//EN"


class Occurrence(NamedTuple):
    """One expanded occurrence with its start and end read once."""

    component: icalendar.Event
    start: Time
    end: Time


class DroppedError(ValueError):
    """A series that cannot be used; the message is the reason shown to the user."""


@dataclass
class Series:
    """All components that share a UID (the master and its RECURRENCE-ID overrides)."""

    uid: str
    components: list[icalendar.Event] = field(default_factory=list)
    x_wr_timezone: str | None = None


def read_calendar(
    path: Path, start: datetime, end: datetime, tz: ZoneInfo, *,
    own_addresses: Sequence[str] = (), all_day_free: bool = False,
) -> tuple[list[Event], list[Issue]]:
    """The busy events of an .ics file that overlap [start, end]: `read_calendar_text` on the
    file's bytes, with the file's path as the source named in warnings.

    Raises:
        InvalidInputError: the file is missing, unreadable, or not iCalendar at all.
    """
    return read_calendar_text(_read_bytes(path), str(path), start, end, tz,
                              own_addresses=own_addresses, all_day_free=all_day_free)


def read_calendar_text(
    data: bytes | str, source: str, start: datetime, end: datetime, tz: ZoneInfo, *,
    own_addresses: Sequence[str] = (), all_day_free: bool = False,
) -> tuple[list[Event], list[Issue]]:
    """The busy events of iCalendar data (a file's bytes, or a CalDAV server's) in [start, end].

    Args:
        data: the calendar; several VCALENDARs and bare VEVENTs are allowed. Bytes are decoded
            (UTF-8 with or without BOM, UTF-16, else Windows-1252 with a warning).
        source: what the data is called in warnings (a file path, a calendar URL).
        start: first instant of interest (aware).
        end: last instant of interest (aware).
        tz: the planning zone; floating times and all-day dates are read in it.
        own_addresses: the person's addresses (`me@example.org` or `mailto:me@example.org`, any
            case); an event or occurrence they declined does not block time.
        all_day_free: the calendar is marked "all-day events are free": no all-day event blocks.

    Returns:
        Events sorted by start (UTC), with ids `<UID>` for a single event and
        `<UID>@<UTC start, 20261209T060000Z>` for each occurrence of a recurring one, and warnings
        (each an Issue naming the source, and the UID and reason of what was dropped or cut).

    Raises:
        InvalidInputError: the data is not iCalendar at all, or nothing in it can be parsed.
    """
    file = source
    text, note = decode(data) if isinstance(data, bytes) else (data.removeprefix("\ufeff"), None)
    if not looks_like_icalendar(text):
        raise InvalidInputError([Issue("not an iCalendar file (no BEGIN:VCALENDAR)", file)])
    issues = [Issue(note, file)] if note else []
    text, repairs = repair(text)
    issues += [Issue(message, file) for message in repairs]
    first, last = (start - LONGEST_EVENT).astimezone(UTC), (end + QUERY_PAD).astimezone(UTC)
    text = trim_date_lists(text, f"{first:%Y%m%d}", f"{last:%Y%m%d}",
                           MAX_OCCURRENCES + 1)
    busy = Busyness(frozenset(_address(a) for a in own_addresses), all_day_free)
    events: list[Event] = []
    for series in _group(parse_components(text, file, issues)):
        try:
            events += _expand(series, start, end, tz, file, issues, busy)
        except Exception as exc:  # one broken series must never stop the rest of the file
            issues.append(Issue(f"dropped event {series.uid}: {_reason(exc)}", file))
    events.sort(key=lambda e: (e.start, e.end, e.id))
    return events, issues


@dataclass(frozen=True)
class Busyness:
    """The caller's rules for what blocks time, beyond the event's own STATUS and TRANSP."""

    own_addresses: frozenset[str] = frozenset()
    all_day_free: bool = False


def _address(value: str) -> str:
    """`MAILTO:Me@Example.org` -> `me@example.org`."""
    return value.strip().lower().removeprefix("mailto:").strip()


def _declined(component: icalendar.Event, own: frozenset[str]) -> bool:
    """Whether one of the person's addresses is an ATTENDEE with PARTSTAT=DECLINED."""
    if not own:
        return False
    found = component.get("ATTENDEE")
    attendees = found if isinstance(found, list) else [] if found is None else [found]
    return any(
        _address(str(a)) in own
        and str(getattr(a, "params", {}).get("PARTSTAT", "")).upper() == "DECLINED"
        for a in attendees)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidInputError([Issue("the calendar file does not exist", str(path))]) from None
    except OSError as exc:
        message = f"cannot read the calendar file: {exc.strerror or exc}"
        raise InvalidInputError([Issue(message, str(path))]) from None


def _reason(exc: Exception) -> str:
    return str(exc).strip() or type(exc).__name__


def parse_components(text: str, file: str, issues: list[Issue], kinds: Sequence[str] = ("VEVENT",)
                     ) -> list[icalendar.Component]:
    """Every top-level component; when the file as a whole does not parse, the `kinds` components
    block by block (each with the file's VTIMEZONEs).

    Raises:
        InvalidInputError: not even one event could be salvaged.
    """
    try:
        return list(icalendar.Calendar.from_ical(text, multiple=True))
    except Exception as exc:  # the parser's errors are not one class; salvage what we can
        problem = _reason(exc)
    issues.append(Issue(f"the file has errors ({problem}); read it event by event", file))
    header, blocks = split_blocks(text)
    zones = [b.text for b in blocks if b.name == "VTIMEZONE" and _parses(_wrap(header, b.text))]
    out: list[icalendar.Component] = []
    for block in blocks:
        if block.name not in kinds:
            continue
        try:
            out.append(icalendar.Calendar.from_ical(_wrap(header, *zones, block.text)))
        except Exception as exc:  # a broken event is reported and skipped
            what = "event" if block.name == "VEVENT" else block.name.lower().removeprefix("v")
            issues.append(Issue(f"dropped {what} {block.uid}: {_reason(exc)}", file))
    if not out:
        raise InvalidInputError([Issue(f"cannot parse the calendar file: {problem}", file)])
    return out


def _wrap(header: list[str], *blocks: str) -> str:
    head = "".join(f"{line}\r\n" for line in header)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{PRODID}\r\n{head}{''.join(blocks)}" \
           "END:VCALENDAR\r\n"


def _parses(text: str) -> bool:
    try:
        icalendar.Calendar.from_ical(text)
    except Exception:  # only asking whether it parses
        return False
    return True


def _group(components: list[icalendar.Component]) -> list[Series]:
    """VEVENTs grouped by UID, each with its calendar's X-WR-TIMEZONE."""
    by_uid: dict[str, Series] = {}
    for top in components:
        x_wr = top.get("X-WR-TIMEZONE")
        events = top.walk("VEVENT") if top.name == "VCALENDAR" else [top]
        for component in events:
            if not isinstance(component, icalendar.Event):
                continue
            uid = str(component.get("UID", "")).strip() or _made_up_uid(component)
            series = by_uid.setdefault(uid, Series(uid))
            series.components.append(component)
            series.x_wr_timezone = series.x_wr_timezone or (str(x_wr) if x_wr else None)
    return list(by_uid.values())


def _made_up_uid(component: icalendar.Event) -> str:
    """A stable id for an event without UID, from what it says (so re-reading gives the same)."""
    dtstart = component.get("DTSTART")
    seed = f"{component.get('SUMMARY', '')}|{dtstart.to_ical() if dtstart is not None else ''!r}"
    return "no-uid-" + hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:10]


def _expand(series: Series, start: datetime, end: datetime, tz: ZoneInfo, file: str,
            issues: list[Issue], busy: Busyness) -> list[Event]:
    """The busy occurrences of one series overlapping [start, end]."""
    issues += [Issue(f"event {series.uid}: {w}", file) for w in _check(series, tz)]
    master = next((c for c in series.components if "RECURRENCE-ID" not in c), None)
    recurring = master is None or len(series.components) > 1 or any(
        k in master for k in ("RRULE", "RDATE"))
    rules = _rules(master)
    if master is not None and len(rules) == 1:
        _move_start(master, rules[0], start - QUERY_PAD, tz)
    query = recurring_ical_events.of(_calendar_of(series))
    occurrences, capped = _bounded(query, start - QUERY_PAD, end + QUERY_PAD, rules, tz)
    if capped:
        issues.append(Issue(f"event {series.uid} repeats too often: only its first "
                            f"{MAX_OCCURRENCES} occurrences were read", file))
    events: dict[str, Event] = {}
    timeless = False
    for occurrence in occurrences:
        event = _to_event(occurrence, series.uid, recurring, tz, busy)
        if event is None or event.end < start or event.start > end:
            continue
        timeless |= event.end <= event.start
        kept = events.get(event.id)
        if event.end > event.start and (kept is None or event.end > kept.end):
            events[event.id] = event
    if timeless:
        issues.append(Issue(f"event {series.uid} takes no time (no DTEND or DURATION), so it "
                            "blocks nothing", file))
    return list(events.values())


def _calendar_of(series: Series) -> icalendar.Calendar:
    """A calendar holding only this series, so an error in it cannot touch any other."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if series.x_wr_timezone:
        calendar.add("x-wr-timezone", series.x_wr_timezone)
    for component in series.components:
        calendar.add_component(component)
    return calendar


def _check(series: Series, tz: ZoneInfo) -> list[str]:
    """Refuse components without one DTSTART; warn about time zones we cannot resolve."""
    warnings = []
    for component in series.components:
        dtstart = component.get("DTSTART")
        if dtstart is None:
            raise DroppedError("it has no DTSTART")
        if isinstance(dtstart, list):
            raise DroppedError("it has more than one DTSTART")
        tzid = dtstart.params.get("TZID")
        if tzid and isinstance(dtstart.dt, datetime) and dtstart.dt.tzinfo is None:
            warnings.append(f"unknown time zone `{tzid}`; its times were read in {tz.key}")
    return sorted(set(warnings))


def _rules(master: icalendar.Event | None) -> list[Rule]:
    """The RRULEs of a master component (usually none or one)."""
    if master is None:
        return []
    found = master.get("RRULE")
    if found is None:
        return []
    return list(found) if isinstance(found, list) else [found]


def _move_start(master: icalendar.Event, rule: Rule, window_start: datetime, tz: ZoneInfo
                ) -> None:
    """Start the rule just before the window when that changes nothing in it (see ics_rules)."""
    first = instant(master.start, tz)
    length = max(instant(master.end, tz) - first, timedelta(0))
    try:
        shift = skip_ahead(rule, first, length, window_start)
    except ValueError as exc:
        raise DroppedError(str(exc)) from None
    if shift:
        end = master.DTEND
        master.DTSTART = master.start + shift
        if end is not None:
            master.DTEND = end + shift


def _bounded(query: recurring_ical_events.CalendarQuery, lo: datetime, hi: datetime,
             rules: list[Rule], tz: ZoneInfo) -> tuple[list[Occurrence], bool]:
    """Occurrences in [lo, hi], at most MAX_OCCURRENCES; True when some were cut off.

    The window is queried in slices short enough for the series' densest rule, so a runaway rule
    is noticed after a few thousand occurrences instead of being expanded over the whole window.
    """
    size = slice_length(rules) or hi - lo
    found: dict[tuple[Time, Time], Occurrence] = {}
    cursor = lo
    while cursor < hi:
        stop = min(cursor + size, hi)
        for component in query.between(cursor, stop):
            if isinstance(component, icalendar.Event):
                # reading start/end is costly (validation each time): once per occurrence
                start, end = component.start, component.end
                found.setdefault((start, end), Occurrence(component, start, end))
        if len(found) > MAX_OCCURRENCES:
            ordered = sorted(found.values(), key=lambda o: instant(o.start, tz))
            return ordered[:MAX_OCCURRENCES], True
        cursor = stop
    return list(found.values()), False


def _to_event(occurrence: Occurrence, uid: str, recurring: bool, tz: ZoneInfo, busy: Busyness
              ) -> Event | None:
    """One occurrence as a busy Event; None when it does not block time."""
    component = occurrence.component
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        return None
    if str(component.get("TRANSP", "")).upper() == "TRANSPARENT":
        return None
    if busy.all_day_free and not isinstance(occurrence.start, datetime):
        return None
    if _declined(component, busy.own_addresses):
        return None
    start, end = instant(occurrence.start, tz), instant(occurrence.end, tz)
    if not isinstance(occurrence.start, datetime) and end <= start:
        end = local_time(occurrence.start + timedelta(days=1), 0, tz)
    title = str(component.get("SUMMARY", "")).strip() or "(busy)"
    event_id = f"{uid}@{start:%Y%m%dT%H%M%SZ}" if recurring else uid
    return Event(event_id, title, start, end)


def plan_to_ics(
    blocks: Sequence[Block], tz: ZoneInfo, name: str = "tengnuo plan", *,
    stamp: datetime | None = None, related: Mapping[str, str] | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per block, for calendar apps.

    Args:
        blocks: the plan's blocks (UTC times).
        tz: the zone the times are written in (with a VTIMEZONE).
        name: the calendar's name, shown by calendar apps.
        stamp: DTSTAMP of every event; now when omitted (give one for reproducible bytes).
        related: the UID of the to-do a task came from, by task id: written as RELATED-TO, the
            link back a calendar app can follow (every block also says its task in DESCRIPTION).

    Returns:
        The calendar as bytes. UIDs are stable across runs: `<id>@tengnuo` for a whole task,
        `<id>.<chunk>@tengnuo` for a chunk, `<id>.<local date>@tengnuo` for a routine occurrence.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tz.key)
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    used: set[str] = set()
    for block in sorted(blocks, key=lambda b: (b.start, b.end, b.id, b.chunk or 0)):
        event = _vevent(block, tz, stamp, unique_uid(block_uid(block, tz), used))
        if related and block.kind == "task" and block.id in related:
            event.add("related-to", related[block.id])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def blocks_to_ics(blocks: Sequence[Block], tz: ZoneInfo, *, stamp: datetime,
                  related: Mapping[str, str] | None = None) -> list[str]:
    """One VCALENDAR per block (a CalDAV resource each), UIDs as in `plan_to_ics`.

    The zone's VTIMEZONE is built once and shared: building it takes ~40 ms, once per block
    it was most of a sync's time.
    """
    zone = icalendar.Timezone.from_tzid(tz.key)
    texts, used = [], set[str]()
    for block in sorted(blocks, key=lambda b: (b.start, b.end, b.id, b.chunk or 0)):
        calendar = icalendar.Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        event = _vevent(block, tz, stamp.astimezone(UTC),
                        unique_uid(block_uid(block, tz), used))
        if related and block.kind == "task" and block.id in related:
            event.add("related-to", related[block.id])
        calendar.add_component(zone)
        calendar.add_component(event)
        texts.append(calendar.to_ical().decode())
    return texts


def _vevent(block: Block, tz: ZoneInfo, stamp: datetime, uid: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", block_summary(block))
    event.add("dtstart", block.start.astimezone(tz))
    event.add("dtend", block.end.astimezone(tz))
    if block.category:
        event.add("categories", [block.category])
    event.add("description", f"Planned by tengnuo for the {block.kind} {block.id} "
                             f"(tengnuo show {block.id})" if block.kind == "task" else
              f"Planned by tengnuo for the {block.kind} {block.id}")
    event.add("x-tengnuo-id", block.id)
    event.add("x-tengnuo-kind", block.kind)
    return event
