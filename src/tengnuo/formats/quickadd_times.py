"""Times of day in quick-add lines, and wall-clock times made exact (DST-strict) in a zone.

The rules are documented in `tengnuo.formats.quickadd`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tengnuo.formats.quickadd_words import CN_NUMBER, A, PhraseError, Z, number

END_OF_DAY = 1440
TONIGHT, EOD, MORNING = 20 * 60, 17 * 60, 9 * 60
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PERIOD = r"(?:上午|早上|早晨|中午|下午|傍晚|晚上|夜里|凌晨|早|晚)"
TimeReader = Callable[[re.Match[str], str | None], int]

def _clock(m: re.Match[str], mood: str | None) -> int:
    """`13:00`, `3:30pm`, `9am`, `下午3:30`: 24-hour unless am/pm or a Chinese period says so."""
    h, minute = int(m["h"]), int(m["m"] or 0)
    if minute > 59:
        raise PhraseError(f"`{m[0]}` is not a time of day: minutes go up to 59", "time")
    if m["ap"]:
        if not 1 <= h <= 12:
            raise PhraseError(f"`{m[0]}` is not a time: with am/pm the hour is 1 to 12", "time")
        return (h % 12 + (12 if m["ap"][0].lower() == "p" else 0)) * 60 + minute
    if m["p"]:
        return _zh_hour(m["p"], h, m[0]) * 60 + minute
    if mood == "tonight" and 1 <= h <= 11:
        h += 12
    if h > 24 or (h == 24 and minute):
        raise PhraseError(f"`{m[0]}` is not a time of day: write 00:00 to 24:00", "time")
    return h * 60 + minute


def _zh_clock(m: re.Match[str], mood: str | None) -> int:
    """`9点`, `下午3点半`, `9点15分`, `晚上8点`; a bare 1..6点 could be night or afternoon."""
    h = number(m["h"])
    minute = 30 if m["half"] else {"一刻": 15, "三刻": 45}.get(m["q"] or "", 0)
    if m["m"]:
        minute = number(m["m"])
    if minute > 59:
        raise PhraseError(f"`{m[0]}` is not a time of day: minutes go up to 59", "time")
    period = m["p"] or {"tonight": "晚上", "morning": "早上"}.get(mood or "")
    if period:
        h = _zh_hour(period, h, m[0])
    elif 1 <= h <= 6:
        raise PhraseError(
            f"`{m[0]}` could be {h:02d}:00 or {h + 12:02d}:00: write 凌晨{m['h']}点 or "
            f"下午{m['h']}点 (or {h + 12}:00)", "time")
    if h > 24 or (h == 24 and minute):
        raise PhraseError(f"`{m[0]}` is not a time of day", "time")
    return h * 60 + minute


_PERIOD_HOURS = {  # period -> (hours taken as written, hours that get +12)
    "上午": (range(0, 13), range(0)), "早上": (range(0, 13), range(0)),
    "早晨": (range(0, 13), range(0)), "早": (range(0, 13), range(0)),
    "中午": (range(10, 13), range(1, 3)), "下午": (range(12, 24), range(1, 12)),
    "傍晚": (range(12, 24), range(1, 12)), "晚上": (range(13, 25), range(6, 13)),
    "晚": (range(13, 25), range(6, 13)), "夜里": (range(13, 25), range(6, 13)),
    "凌晨": (range(0, 7), range(0)),
}


def _zh_hour(period: str, h: int, words: str) -> int:
    """The 24-hour hour of `h` said with a period: 下午3点 = 15, 晚上12点 = 24 (end of the day)."""
    as_is, plus = _PERIOD_HOURS[period]
    if h in as_is:
        return h
    if h in plus:
        return h + 12
    raise PhraseError(f"`{words}`: {period} has no {h}点; write the time as HH:MM", "time")


def _named_time(m: re.Match[str], mood: str | None) -> int:
    word = re.sub(r"\s+", " ", m[0].lower())
    return {"noon": 720, "中午": 720, "midnight": END_OF_DAY, "eod": EOD,
            "end of day": EOD}[word]


TIMES: list[tuple[str, TimeReader]] = [
    (rf"(?:(?P<p>{_PERIOD})\s*|(?<=T)|{A})(?P<h>\d{{1,2}}):(?P<m>\d{{2}})(?:\s*(?P<ap>[ap])\.?m\.?)?"
     r"(?![A-Za-z0-9_:])", _clock),
    (rf"{A}(?P<h>\d{{1,2}})\s*(?P<ap>[ap])\.?m\.?(?![A-Za-z0-9_])(?P<m>)(?P<p>)", _clock),
    (rf"(?:(?P<p>{_PERIOD})\s*|(?<![0-9]))(?P<h>\d{{1,2}}|{CN_NUMBER})\s*[点時时]"
     rf"(?:\s*(?P<half>半)|\s*(?P<q>一刻|三刻)|\s*(?P<m>\d{{1,2}}|{CN_NUMBER})\s*分?|整)?",
     _zh_clock),
    (rf"{A}(?:noon|midnight|eod|end\s+of\s+day){Z}|中午", _named_time),
]


def strict_local(naive: datetime, tz: ZoneInfo, words: str) -> datetime:
    """A written wall-clock time as UTC; a time skipped or repeated by a DST change is refused."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.astimezone(UTC) == second.astimezone(UTC):
        return first.astimezone(UTC)
    shown = f"{day_text(naive.date())} {naive:%H:%M}"
    shift = abs((second.utcoffset() or timedelta()) - (first.utcoffset() or timedelta()))
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive:
        stamps = [f"{naive:%Y-%m-%dT%H:%M}{_offset(x)}" for x in (first, second)]
        raise PhraseError(
            f"`{words}` is {shown}, which happens twice in {tz.key} (the clocks go back "
            f"{_span(shift)}): write {stamps[0]} for the first or {stamps[1]} for the second",
            "time")
    before, after = (f"{naive + s:%H:%M}" for s in (-shift, shift))
    raise PhraseError(
        f"`{words}` is {shown}, which does not exist in {tz.key} (the clocks go forward "
        f"{_span(shift)}): write {before} or {after}", "time")


def _offset(x: datetime) -> str:
    minutes = int((x.utcoffset() or timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _span(shift: timedelta) -> str:
    minutes = int(shift.total_seconds() // 60)
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"


def day_text(d: date) -> str:
    """`Wed 02 Dec 2026`, in English whatever the machine's locale."""
    return f"{WEEKDAYS[d.weekday()]} {d.day:02d} {MONTHS[d.month - 1]} {d.year}"
