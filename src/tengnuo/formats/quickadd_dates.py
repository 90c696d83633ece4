"""Date and time phrases of quick-add lines: finding them, reading them, resolving them to UTC.

The rules are documented in `tengnuo.formats.quickadd`. A phrase is read in two steps: `read_phrase`
turns its words into candidate days and a time of day (it needs only today's date), and `resolve`
picks the candidate and builds the instant (it needs now, the zone and whether it is a `due`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from tengnuo.formats.planfile_values import parse_when
from tengnuo.formats.quickadd_times import (
    END_OF_DAY,
    MONTHS,
    MORNING,
    TIMES,
    TONIGHT,
    strict_local,
)
from tengnuo.formats.quickadd_words import NUMBER, A, PhraseError, Z, number, strip_names
from tengnuo.model.horizon import local_time

_EN_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5,
    "sat": 5, "sunday": 6, "sun": 6,
}
_EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_RELATIVE = {
    "today": (0, None), "tonight": (0, "tonight"), "tomorrow": (1, None), "tmrw": (1, None),
    "tmr": (1, None), "今天": (0, None), "今日": (0, None), "今晚": (0, "tonight"),
    "明天": (1, None), "明日": (1, None), "明早": (1, "morning"), "明晚": (1, "tonight"),
    "后天": (2, None), "大后天": (3, None),
}


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_WD = rf"(?:{_alt(_EN_WEEKDAYS)})"
_MON = rf"(?:{_alt(_EN_MONTHS)})"
_ORD = r"(?:st|nd|rd|th)?"


@dataclass(frozen=True)
class Day:
    """The days a phrase may mean, in order (the first one still ahead is taken), and its mood."""

    candidates: tuple[date, ...]
    mood: str | None = None  # "tonight" (evening, 20:00 by default) or "morning" (09:00)


@dataclass(frozen=True)
class Phrase:
    """A date/time phrase as read: a day and/or a minute of the day, or an exact instant."""

    words: str
    day: Day | None = None
    minute: int | None = None  # minutes after local midnight; END_OF_DAY = 24:00
    instant: datetime | None = None
    later: timedelta | None = None  # `in 2 hours`: this long after now


DayReader = Callable[[re.Match[str], date, str], Day]


def _relative(m: re.Match[str], today: date, order: str) -> Day:
    offset, mood = _RELATIVE[m["w"].lower()]
    return Day((today + timedelta(days=offset),), mood)


def _weekday(m: re.Match[str], today: date, order: str) -> Day:
    wd = _EN_WEEKDAYS[m["wd"].lower()] if m["wd"].isascii() else _ZH_WEEKDAYS[m["wd"][-1]]
    which = (m["which"] or "").lower()
    monday = today - timedelta(days=today.weekday())
    if which in ("this", "这", "这个", "本"):
        return Day((monday + timedelta(days=wd),))
    if which:
        weeks = 2 if which.startswith("下下") else 1
        return Day((monday + timedelta(days=7 * weeks + wd),))
    first = today + timedelta(days=(wd - today.weekday()) % 7)
    return Day((first, first + timedelta(days=7)))


def _in_days(m: re.Match[str], today: date, order: str) -> Day:
    n = 1 if m["n"].lower() in ("a", "an", "one") else int(m["n"])
    days = n * (7 if m["unit"].lower().startswith("week") else 1)
    return Day((today + timedelta(days=days),))


def _iso(m: re.Match[str], today: date, order: str) -> Day:
    try:
        return Day((date.fromisoformat(m[0]),))
    except ValueError:
        raise PhraseError(f"`{m[0]}` is not a calendar date", "date") from None


def _month_name(m: re.Match[str], today: date, order: str) -> Day:
    month, day = _EN_MONTHS[m["mon"].lower()], int(m["d"])
    return _month_day(month, day, m["y"], m[0], today)


def _zh_date(m: re.Match[str], today: date, order: str) -> Day:
    return _month_day(number(m["m"]), number(m["d"]), m["y"], m[0], today)


def _slash(m: re.Match[str], today: date, order: str) -> Day:
    a, b, words = int(m["a"]), int(m["b"]), m[0]
    readings = []
    if order in ("mdy", "auto") and a <= 12:
        readings.append(_month_day(a, b, m["y"], words, today, quiet=True))
    if order in ("dmy", "auto") and b <= 12 and (order == "dmy" or a != b):
        readings.append(_month_day(b, a, m["y"], words, today, quiet=True))
    found = [r for r in readings if r.candidates]
    if len(found) == 1:
        return found[0]
    if not found:
        how = {"mdy": "month/day", "dmy": "day/month"}.get(order, "month/day or day/month")
        raise PhraseError(f"`{words}` is not a {how} date: write it like 2026-12-09", "date")
    firsts = [r.candidates[0] for r in found]
    said = " or ".join(f"{d.day} {MONTHS[d.month - 1]}" for d in firsts)
    iso = " or ".join(d.isoformat() for d in firsts)
    raise PhraseError(f"`{words}` could be {said}: write {iso}, or set the date order", "date")


def _month_day(month: int, day: int, year: str | None, words: str, today: date,
               quiet: bool = False) -> Day:
    """A day of a month; without a year, the next ones from today on (today included)."""
    years = [int(year)] if year else list(range(today.year, today.year + 9))
    days = []
    for y in years:
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if year or d >= today:
            days.append(d)
    if not days and not quiet:
        raise PhraseError(f"`{words}` is not a calendar date", "date")
    return Day(tuple(days[:2]))


_DAYS: list[tuple[str, DayReader]] = [
    (r"(?P<w>大后天|后天|明天|明日|明早|明晚|今天|今日|今晚)", _relative),
    (rf"{A}(?P<w>today|tonight|tomorrow|tmrw|tmr){Z}", _relative),
    (rf"{A}(?P<which>next|this)\s+(?P<wd>{_WD}){Z}", _weekday),
    (rf"{A}(?P<wd>{_WD}){Z}(?P<which>)", _weekday),
    (r"(?P<which>下下个?|下个?|这个?|本)?(?P<wd>(?:周|星期|礼拜)[一二三四五六日天])", _weekday),
    (rf"{A}in\s+(?P<n>\d+|an?|one)\s+(?P<unit>days?|weeks?){Z}", _in_days),
    (rf"{A}\d{{4}}-\d{{2}}-\d{{2}}(?=T\d|[^A-Za-z0-9_-]|$)", _iso),
    (rf"(?:(?P<y>\d{{4}})\s*年\s*)?(?P<m>{NUMBER})\s*月\s*(?P<d>{NUMBER})\s*[日号]", _zh_date),
    (rf"{A}(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})(?:/(?P<y>\d{{4}}))?(?![A-Za-z0-9_/-])", _slash),
    (rf"{A}(?P<mon>{_MON})\.?\s*(?P<d>\d{{1,2}}){_ORD}(?:,?\s+(?P<y>\d{{4}}))?{Z}", _month_name),
    (rf"{A}(?P<d>\d{{1,2}}){_ORD}\s*(?:of\s+)?(?P<mon>{_MON})\.?(?:,?\s+(?P<y>\d{{4}}))?{Z}",
     _month_name),
]



_IN = rf"{A}in\s+(?:\d+|an?|one)\s+(?:hours?|hrs?|minutes?|mins?){Z}"
_ISO_OFFSET = (
    r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})(?![A-Za-z0-9_:])"
)
DAY = "(?:" + "|".join(strip_names(p) for p, _ in _DAYS) + ")"
TIME = "(?:" + "|".join(strip_names(p) for p, _ in TIMES) + ")"
PHRASE = (
    rf"(?:{_IN}|{A}{_ISO_OFFSET}|{DAY}(?:(?:T|\s*,?\s*(?:at\s+)?){TIME})?"
    rf"|{TIME}(?:\s*,?\s*(?:on\s+)?{DAY})?)"
)
"""Any date/time phrase (no groups), for finding phrases in a line."""
_PARTS = re.compile(
    rf"(?P<rel>{_IN})|(?P<iso>{A}{_ISO_OFFSET})|(?P<d1>{DAY})(?:(?:T|\s*,?\s*(?:at\s+)?)(?P<t1>{TIME}))?"
    rf"|(?P<t2>{TIME})(?:\s*,?\s*(?:on\s+)?(?P<d2>{DAY}))?",
    re.IGNORECASE,
)
_DAY_READERS = [(re.compile(p, re.IGNORECASE), f) for p, f in _DAYS]
_TIME_READERS = [(re.compile(p, re.IGNORECASE), f) for p, f in TIMES]


def read_phrase(words: str, today: date, order: str) -> Phrase:
    """The meaning of a phrase that `PHRASE` matched, before it is pinned to an instant."""
    m = _PARTS.fullmatch(words)
    if m is None:  # pragma: no cover - callers only pass what PHRASE matched
        raise PhraseError(f"`{words}` is not a date or time", "date")
    if m["rel"]:
        n, unit = m["rel"].split()[1:]
        count = 1 if n.lower() in ("a", "an", "one") else int(n)
        return Phrase(words, later=timedelta(minutes=count * (60 if unit[0] in "hH" else 1)))
    if m["iso"]:
        try:
            return Phrase(words, instant=parse_when(m["iso"], ZoneInfo("UTC"))[0])
        except ValueError as e:
            raise PhraseError(str(e), "date") from None
    day_words, time_words = m["d1"] or m["d2"], m["t1"] or m["t2"]
    day = None
    if day_words:
        reader_m, day_reader = _first(_DAY_READERS, day_words)
        day = day_reader(reader_m, today, order)
    minute = None
    if time_words:
        reader_t, time_reader = _first(_TIME_READERS, time_words)
        minute = time_reader(reader_t, day.mood if day else None)
    return Phrase(words, day, minute)


F = TypeVar("F")


def _first(readers: list[tuple[re.Pattern[str], F]], words: str) -> tuple[re.Match[str], F]:
    for pattern, reader in readers:
        m = pattern.fullmatch(words)
        if m:
            return m, reader
    raise AssertionError(f"no reader for {words!r}")  # pragma: no cover


def resolve(phrase: Phrase, now: datetime, tz: ZoneInfo, *, due: bool) -> datetime:
    """The UTC instant of a phrase: the first candidate day whose instant is still ahead of now."""
    if phrase.instant is not None:
        return phrase.instant
    if phrase.later is not None:
        return now.astimezone(UTC) + phrase.later
    local_now = now.astimezone(tz)
    today = local_now.date()
    day = phrase.day
    days = day.candidates if day else (today, today + timedelta(days=1))
    minute = phrase.minute
    if minute is None and day and day.mood:
        minute = TONIGHT if day.mood == "tonight" else MORNING
    wall = [_wall(d, minute, due) for d in days]
    ahead = [w for w in wall if w > local_now.replace(tzinfo=None)]
    chosen = ahead[0] if ahead else wall[-1]
    if minute is None or minute == END_OF_DAY:
        return local_time(chosen.date(), 0, tz)
    return strict_local(chosen, tz, phrase.words)


def _wall(day: date, minute: int | None, due: bool) -> datetime:
    """The wall-clock time a phrase means on `day`; a date alone is 24:00 for a due, else 00:00."""
    if minute is None:
        minute = END_OF_DAY if due else 0
    return datetime(day.year, day.month, day.day) + timedelta(minutes=minute)

