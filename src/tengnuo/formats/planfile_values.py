"""Scalar values of the planning file: durations, dates, times of day, day specs, `every`, `split`.

Each parser takes the text exactly as written in the file (we never let YAML 1.1 guess: `22:30`
would otherwise become the sexagesimal integer 1350) and returns a model value, or raises
`ValueError` with a sentence that says what is wrong and how to write it. Line numbers and field
paths are the caller's business (`planfile_yaml`).

Imports only the standard library and `tengnuo.model`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tengnuo.model.horizon import GRANULARITIES_MINUTES, DayRange, local_time
from tengnuo.model.items import WEEKDAY_NAMES, Every, Split

ALL_DAYS = frozenset(range(7))
DURATION_FORMS = "write it with a unit, like 90m, 1h30m or 2h"
WHEN_FORMS = "write 2026-12-09, 2026-12-09 14:00 or 2026-12-09T14:00+01:00"
DAY_FORMS = "use mon..sun, a range like mon-fri or a list like mon,wed,fri"
EVERY_FORMS = "use day, weekday, weekend, a day list like mon,wed,fri, or N/week like 3/week"

_DURATION = re.compile(r"(?:(?P<h>\d{1,5})\s*h)?\s*(?:(?P<m>\d{1,6})\s*m(?:in)?)?", re.IGNORECASE)
_WHEN = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?P<offset>Z|[+-]\d{2}:?\d{2})?)?",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})")
_PER_WEEK = re.compile(r"(?P<n>\d+)\s*/\s*week", re.IGNORECASE)
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_duration(text: str) -> timedelta:
    """`90m`, `1h30m`, `2h` -> timedelta; a bare number is refused because its unit is a guess.

    >>> parse_duration("1h30m")
    datetime.timedelta(seconds=5400)
    """
    raw = text.strip()
    match = _DURATION.fullmatch(raw)
    if raw and match and (match["h"] or match["m"]):
        return timedelta(hours=int(match["h"] or 0), minutes=int(match["m"] or 0))
    if re.fullmatch(r"\d+(\.\d+)?", raw):
        raise ValueError(f"duration `{raw}` has no unit: {DURATION_FORMS}")
    raise ValueError(f"`{raw}` is not a duration: {DURATION_FORMS}")


def parse_granularity(text: str) -> int:
    """The planning grid in minutes; only steps that divide every DST shift are allowed."""
    allowed = ", ".join(f"{g}m" for g in GRANULARITIES_MINUTES)
    try:
        minutes = parse_duration(text).total_seconds() / 60
    except ValueError:
        raise ValueError(f"granularity `{text.strip()}` must be one of {allowed}") from None
    if minutes not in GRANULARITIES_MINUTES:
        raise ValueError(f"granularity `{text.strip()}` must be one of {allowed}")
    return int(minutes)


def parse_zone(text: str) -> ZoneInfo:
    """An IANA zone such as `Europe/Berlin`; abbreviations and offsets are refused (they have no DST
    rules)."""
    name = text.strip()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f"unknown time zone `{name}`: use an IANA name like Europe/Berlin or Asia/Shanghai"
        ) from None


def parse_when(text: str, tz: ZoneInfo, *, end_of_day: bool = False) -> tuple[datetime, bool]:
    """A date or a date and time -> (UTC instant, whether only a date was written).

    A date alone means local midnight, or the end of that day (24:00) when `end_of_day` (a `due`).
    A time without an offset is a wall-clock time in `tz`, with FORMAT.md's DST gap/fold rules.
    """
    raw = text.strip()
    match = _WHEN.fullmatch(raw)
    if not match:
        raise ValueError(f"`{raw}` is not a date or time: {WHEN_FORMS}")
    try:
        day = date.fromisoformat(match["date"])
    except ValueError:
        raise ValueError(f"`{match['date']}` is not a calendar date: {WHEN_FORMS}") from None
    if match["hour"] is None:
        return local_time(day + timedelta(days=1 if end_of_day else 0), 0, tz), True
    minute = _minute_of_day(match["hour"], match["minute"], allow_24=True, raw=raw)
    seconds = int(match["second"] or 0)
    if seconds > 59:
        raise ValueError(f"`{raw}` has {seconds} seconds: {WHEN_FORMS}")
    if match["offset"] is None:
        return local_time(day, minute, tz) + timedelta(seconds=seconds), False
    return _with_offset(day, minute, seconds, match["offset"], raw), False


def _with_offset(day: date, minute: int, seconds: int, offset: str, raw: str) -> datetime:
    """An ISO 8601 time with an explicit offset, as a UTC instant."""
    if offset.upper() == "Z":
        zone = UTC
    else:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours, mins = int(digits[:2]), int(digits[2:])
        if hours > 23 or mins > 59:
            raise ValueError(f"`{raw}` has an impossible offset {offset}: {WHEN_FORMS}")
        zone = timezone(sign * timedelta(hours=hours, minutes=mins))
    naive = datetime.combine(day, time()) + timedelta(minutes=minute, seconds=seconds)
    return naive.replace(tzinfo=zone).astimezone(UTC)


def _minute_of_day(hour: str, minute: str, *, allow_24: bool, raw: str) -> int:
    h, m = int(hour), int(minute)
    if m > 59 or h > 24 or (h == 24 and (m or not allow_24)):
        limit = "00:00 to 24:00" if allow_24 else "00:00 to 23:59"
        raise ValueError(f"`{raw}` is not a time of day ({limit})")
    return h * 60 + m


def parse_clock(text: str, *, allow_24: bool) -> int:
    """`09:30` -> minutes after local midnight; `24:00` only where a range ends."""
    raw = text.strip()
    match = _CLOCK.fullmatch(raw)
    if not match:
        raise ValueError(f"`{raw}` is not a time of day: write it as HH:MM, like 09:30")
    return _minute_of_day(match["hour"], match["minute"], allow_24=allow_24, raw=raw)


def parse_day_range(text: str) -> DayRange:
    """`09:00-12:00`; an end earlier than the start runs into the next day (`22:00-02:00`)."""
    raw = text.strip()
    parts = raw.split("-")
    if len(parts) != 2:
        raise ValueError(f"`{raw}` is not a time range: write it like 09:00-12:00")
    start = parse_clock(parts[0], allow_24=False)
    end = parse_clock(parts[1], allow_24=True)
    if start == end:
        raise ValueError(f"time range `{raw}` is empty: its start and end are the same")
    return DayRange(start, end)


def parse_ranges(text: str) -> tuple[DayRange, ...]:
    """Comma-separated ranges, `09:00-12:00, 13:00-18:00`."""
    pieces = text.split(",")
    if any(not p.strip() for p in pieces):
        raise ValueError(f"`{text.strip()}` has an empty range: write 09:00-12:00, 13:00-18:00")
    return tuple(parse_day_range(p) for p in pieces)


def parse_day_spec(text: str) -> frozenset[int]:
    """`mon-fri`, `sat-sun`, `mon`, `mon,wed,fri` -> weekdays (0 = Monday); `fri-mon` wraps."""
    days: set[int] = set()
    for token in text.split(","):
        ends = [_weekday(t, text) for t in token.split("-")]
        if len(ends) == 1:
            days.add(ends[0])
        elif len(ends) == 2:
            span = (ends[1] - ends[0]) % 7
            days.update((ends[0] + i) % 7 for i in range(span + 1))
        else:
            raise ValueError(f"`{text.strip()}` is not a day spec: {DAY_FORMS}")
    return frozenset(days)


def _weekday(token: str, whole: str) -> int:
    name = token.strip().lower()
    if name in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index(name)
    if name in _FULL_DAY_NAMES:
        return _FULL_DAY_NAMES.index(name)
    raise ValueError(f"unknown day `{token.strip()}` in `{whole.strip()}`: {DAY_FORMS}")


def parse_every(text: str) -> Every:
    """`day` | `weekday` | `weekend` | `mon,wed,fri` | `N/week` (at most one a day)."""
    raw = text.strip().lower()
    if raw in ("day", "daily", "days"):
        return Every(ALL_DAYS)
    if raw in ("weekday", "weekdays"):
        return Every(frozenset(range(5)))
    if raw in ("weekend", "weekends"):
        return Every(frozenset({5, 6}))
    match = _PER_WEEK.fullmatch(raw)
    if match:
        n = int(match["n"])
        if not 1 <= n <= 7:
            raise ValueError(f"`{text.strip()}`: N/week needs N from 1 to 7 (at most one a day)")
        return Every(ALL_DAYS, per_week=n)
    try:
        return Every(parse_day_spec(raw))
    except ValueError:
        raise ValueError(f"`{text.strip()}` is not a valid `every`: {EVERY_FORMS}") from None


def parse_split(text: str, granularity_minutes: int) -> Split:
    """`30m-90m` -> Split; the minimum rounds up and the maximum down to the grid (FORMAT.md), and
    the range must still hold a chunk length afterwards."""
    raw = text.strip()
    parts = raw.split("-")
    if len(parts) != 2:
        raise ValueError(f"`{raw}` is not a split range: write it like 30m-90m")
    low, high = parse_duration(parts[0]), parse_duration(parts[1])
    if low <= timedelta(0):
        raise ValueError(f"split `{raw}`: the minimum must be more than 0m")
    if low > high:
        raise ValueError(f"split `{raw}`: the minimum is larger than the maximum")
    g = granularity_minutes
    low_slots = math.ceil(low.total_seconds() / 60 / g)
    high_slots = math.floor(high.total_seconds() / 60 / g)
    if low_slots > high_slots:
        raise ValueError(
            f"split `{raw}`: on the {g}m grid the minimum rounds up to {low_slots * g}m and the "
            f"maximum down to {high_slots * g}m; widen the range"
        )
    return Split(low, high)


def parse_int(text: str, what: str, low: int, high: int | None = None) -> int:
    """A whole number in [low, high]."""
    raw = text.strip()
    if not re.fullmatch(r"[+-]?\d{1,9}", raw):
        raise ValueError(f"{what} `{raw}` is not a whole number")
    value = int(raw)
    if value < low or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{what} must be {bounds}, not {value}")
    return value


def parse_bool(text: str) -> bool:
    """`true` or `false`; YAML 1.1's yes/no/on/off are refused as too easy to misread."""
    raw = text.strip().lower()
    if raw in ("true", "false"):
        return raw == "true"
    raise ValueError(f"`{text.strip()}` is not true or false")


def slugify(title: str) -> str:
    """An id from a title: lowercase ASCII words joined by `-` (at most 40 characters).

    >>> slugify("Prepare Acme: system design!")
    'prepare-acme-system-design'
    """
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > 40:
            break
        slug = candidate
    return slug or (words[0][:40] if words else "item")
