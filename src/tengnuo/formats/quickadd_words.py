"""Shared pieces of the quick-add grammar: word boundaries, Chinese numerals and durations.

The grammar itself is documented in `tengnuo.formats.quickadd`. Everything here works on the
line after `normalise` (full-width ASCII folded to ASCII, one character for one, so positions in
the normalised line are positions in what the user typed).
"""

from __future__ import annotations

import re
from datetime import timedelta
from fractions import Fraction

A = r"(?<![A-Za-z0-9_-])"
"""An ASCII word starts here (not inside `wedding`, `cv-update` or `x9am`)."""
Z = r"(?![A-Za-z0-9_-])"
"""An ASCII word ends here."""
_AD = r"(?<![A-Za-z0-9_.])"
_ZD = r"(?![A-Za-z0-9_])"
# Durations may touch a `-` (`split 45m-2h`), so they have boundaries of their own.
TAKEN = "\x00"
"""Stands in the working copy of the line for a character already read as part of a field."""
GAP = r"[\s\x00]"
"""Whitespace, or a place where another field was taken out."""

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
CN_NUMBER = r"(?:[一二两三四五六七八九]?十[一二三四五六七八九]?|[零〇一二两三四五六七八九])"
NUMBER = rf"(?:\d+|{CN_NUMBER})"
DURATION_HINT = "write it like 45m, 1h30m, 1.5h, 90min, 2 hours, 45分钟 or 1个半小时"


class PhraseError(Exception):
    """Words the line cannot be read with; becomes one `Issue` of the `InvalidInputError`."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def normalise(text: str) -> str:
    """Full-width ASCII (！＃＠：１，) as typed by Chinese input methods -> ASCII; same length."""
    table = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
    table[0x3000] = ord(" ")
    return text.translate(table)


def number(text: str) -> int:
    """`12`, `十二`, `两`, `二十五` -> int."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return CN_DIGITS.get(tens, 1) * 10 + CN_DIGITS.get(ones, 0)
    return CN_DIGITS[text]


def strip_names(pattern: str) -> str:
    """The same pattern without named groups, so several can be joined into one alternation."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_EN_HOURS = r"(?P<eh>\d+(?:\.\d+)?)(?:h|\s*(?:hrs?|hours?))"
_EN_MINUTES = r"(?P<{name}>\d+)(?:m|\s*(?:mins?|minutes?))"
_ZH_HOURS = (
    rf"(?P<zh>\d+(?:\.\d+)?|{CN_NUMBER})\s*(?:个\s*)?(?P<zhalf>半\s*)?(?:个\s*)?(?:小时|钟头)"
    rf"(?:\s*(?P<zm1>{NUMBER})\s*分钟?)?"
)
DURATION_PARTS = (
    rf"{_AD}{_EN_HOURS}(?:\s*{_EN_MINUTES.format(name='em1')})?{_ZD}",
    rf"{_AD}{_EN_MINUTES.format(name='em')}{_ZD}",
    rf"{A}(?P<half>half\s+an\s+hour){_ZD}",
    rf"{A}(?P<one>an|one)\s+hour{_ZD}",
    rf"(?<![0-9.]){_ZH_HOURS}",
    r"(?P<zhonly>半\s*(?:个\s*)?(?:小时|钟头))",
    rf"(?<![0-9.])(?P<zm>{NUMBER})\s*分钟",
    r"(?P<zq>[一两三]|[123])\s*刻钟",
)
DURATION = "(?:" + "|".join(strip_names(p) for p in DURATION_PARTS) + ")"
"""Any one duration, EN or ZH (no groups): for finding them in a line."""
_DURATION_READERS = [re.compile(p, re.IGNORECASE) for p in DURATION_PARTS]


def read_duration(words: str, field: str = "duration") -> timedelta:
    """One duration as found by `DURATION` -> timedelta; whole minutes, more than zero."""
    for pattern in _DURATION_READERS:
        m = pattern.fullmatch(words)
        if m:
            minutes = _minutes(m.groupdict())
            break
    else:  # pragma: no cover - callers only pass what DURATION found
        raise PhraseError(f"`{words}` is not a duration: {DURATION_HINT}", field)
    if minutes.denominator != 1:
        raise PhraseError(f"`{words}` is not a whole number of minutes: {DURATION_HINT}", field)
    if minutes <= 0:
        raise PhraseError(f"`{words}` is no time at all: a duration must be more than 0m", field)
    return timedelta(minutes=int(minutes))


def _minutes(g: dict[str, str | None]) -> Fraction:
    if g.get("half") or g.get("zhonly"):
        return Fraction(30)
    if g.get("one"):
        return Fraction(60)
    if g.get("zq"):
        return Fraction(15 * number(g["zq"] or ""))
    hours = g.get("eh") or g.get("zh")
    minutes = g.get("em1") or g.get("em") or g.get("zm1") or g.get("zm")
    total = Fraction(0)
    if hours:
        total += _quantity(hours) * 60 + (30 if g.get("zhalf") else 0)
    if minutes:
        total += _quantity(minutes)
    return total


def _quantity(text: str) -> Fraction:
    return Fraction(text) if text[0].isascii() else Fraction(number(text))


def duration_text(value: timedelta) -> str:
    """FORMAT.md's way to write a duration: `45m`, `3h`, `1h30m`."""
    minutes = int(value.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest}m"
    return f"{hours}h" if hours else f"{rest}m"
