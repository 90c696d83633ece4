"""The cost of expanding a recurrence rule (RFC 5545 RRULE), and how to keep it bounded.

The expander (dateutil, under recurring-ical-events) walks a rule one step at a time from
DTSTART and builds every occurrence of the span it is asked for. An hourly rule begun in 2000, or
`FREQ=SECONDLY` with no end, would take seconds or never finish. From the rule alone we work out:

- how far DTSTART can move forward without changing any occurrence in the window (whole
  intervals, when the rule has no COUNT), so the walk starts just before the window;
- how many steps a rule that cannot move would walk before the window (too many: drop it);
- how long a slice of the window may be so that one query yields at most about half of
  `MAX_OCCURRENCES` (then `ics` can stop after a few slices with a warning).

A rule is a mapping like icalendar's `vRecur` (`{"FREQ": ["DAILY"], "BYHOUR": [9, 17]}`).
Also here: reading an occurrence's date or time as a UTC instant. Imports the standard library and
`tengnuo.model` only (no icalendar), so it can be tested on plain values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from math import prod
from zoneinfo import ZoneInfo

from tengnuo.model.horizon import local_time

Rule = Mapping[str, Sequence[object]]
Time = date | datetime

MAX_OCCURRENCES = 2000
"""Occurrences kept per series; a series with more in the window is cut, with a warning."""
PRE_WINDOW_STEPS = 20_000
"""Steps we let the expander walk from DTSTART to the window (about a tenth of a second)."""
MIN_SLICE = timedelta(minutes=15)

_STEP = {"SECONDLY": timedelta(seconds=1), "MINUTELY": timedelta(minutes=1),
         "HOURLY": timedelta(hours=1), "DAILY": timedelta(days=1), "WEEKLY": timedelta(weeks=1)}
_ROUGH_STEP = {**_STEP, "MONTHLY": timedelta(days=28), "YEARLY": timedelta(days=365)}
_BY_PARTS = ("BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO",
             "BYMONTH")
_DAYS_PER_PERIOD = {"MONTHLY": 5, "YEARLY": 53}  # a plain BYDAY=MO matches this many times


class TooCostlyError(ValueError):
    """The rule can be neither walked nor moved; the message says why, for the user."""


def _first(rule: Rule, key: str, default: object) -> object:
    values = rule.get(key) or [default]
    return values[0]


def frequency(rule: Rule) -> str:
    return str(_first(rule, "FREQ", "")).upper()


def step(rule: Rule) -> timedelta:
    """One INTERVAL of FREQ (months and years counted short, to err on the safe side)."""
    interval = int(str(_first(rule, "INTERVAL", 1)))
    return _ROUGH_STEP.get(frequency(rule), timedelta(days=1)) * max(interval, 1)


def spacing(rule: Rule) -> timedelta:
    """A lower bound of the average time between two occurrences."""
    per_step = prod(max(1, len(rule.get(key) or ())) for key in _BY_PARTS)
    if rule.get("BYDAY"):
        per_step *= _DAYS_PER_PERIOD.get(frequency(rule), 1)
    return step(rule) / per_step


def slice_length(rules: Sequence[Rule]) -> timedelta | None:
    """How long a query slice may be; None when the series has no rule (one query is enough)."""
    if not rules:
        return None
    densest = min(spacing(rule) for rule in rules)
    return max(MIN_SLICE, densest * (MAX_OCCURRENCES // 2))


def skip_ahead(rule: Rule, first: datetime, length: timedelta, window_start: datetime
               ) -> timedelta:
    """How far DTSTART may move forward (on the wall clock) before expanding; zero for no move.

    Moving by whole intervals keeps every occurrence the rule has from there on (RFC 5545 rules
    without COUNT depend on DTSTART only through its phase and the fields it defaults).

    Raises:
        TooCostlyError: the rule has a COUNT (or a month/year step) and starts too long before
            the window to walk there.
    """
    gap = window_start - first
    if gap <= timedelta(0):
        return timedelta(0)
    one = step(rule)
    walk = max(gap / one, gap / spacing(rule))
    movable = "COUNT" not in rule and frequency(rule) in _STEP
    if movable:
        intervals = (gap - length - 2 * one - timedelta(days=2)) // one
        return one * intervals if intervals > 0 else timedelta(0)
    if walk > PRE_WINDOW_STEPS:
        raise TooCostlyError(
            f"it repeats {frequency(rule) or 'without FREQ'} from {first:%Y-%m-%d} with a COUNT: "
            f"about {int(walk):,} occurrences before the planning window, too many to expand")
    return timedelta(0)


def instant(value: Time, tz: ZoneInfo) -> datetime:
    """A date or a floating, zoned or UTC datetime as a UTC instant.

    Dates and floating times are read in the planning zone `tz`, with FORMAT.md's DST rules (a
    time in the spring gap moves forward, a repeated time is its first occurrence).
    """
    if not isinstance(value, datetime):
        return local_time(value, 0, tz)
    if value.tzinfo is None:
        rest = timedelta(seconds=value.second, microseconds=value.microsecond)
        return local_time(value.date(), value.hour * 60 + value.minute, tz) + rest
    return value.astimezone(UTC)
