"""Quick add: one line of English, Chinese or both -> the fields of a task.

    Prepare Acme interview 3h by wed 13:00 hard #jobsearch !1 split 45m-2h after cv-update
    准备 Acme 系统设计面试 3小时 周三13:00前 #jobsearch !1

This docstring is the reference of the grammar (the CLI help points here). Fields may stand
anywhere in the line; what is left, in order, with runs of spaces collapsed and stray commas
trimmed at the ends, is the title, which must not be empty. Text in double quotes ("..." or
“...”) is always title and is never read as a field: `"Call mom after lunch" 20m`. English words
are case-insensitive; full-width forms typed by Chinese input methods (！＃＠：１，) count as
their ASCII forms. Nothing is guessed: when words could mean two things the line is refused with
the readings and what to write.

Fields
- duration: `3h` `45m` `1h30m` `1h 30m` `1.5h` `90min` `2 hours` `30 minutes` `2 hrs` `an hour`
  `half an hour`; `2小时` `45分钟` `1个半小时` `半小时` `半个钟头` `一个小时` `两小时`
  `1小时30分钟` `3个小时` `一刻钟`; Chinese numerals 一..九, 两, 十, 十一.. up to 九十九. Whole
  minutes, more than 0. One duration per line (two are an error: for chunks write `split`).
- due: `by`, `due`, `due by`, `due on`, `before`, `until`, `till` + a date/time phrase; in
  Chinese a phrase + `前` `之前` `以前` `截止`, or `截止` `截止到` `截至` `截止日期` + a phrase.
  A keyword not followed by a phrase is title (`Learn by doing`). A due already past when the
  line is read is an error. A phrase without a keyword is title too (`Plan monday standup`).
- hard: `hard` right after the due phrase or as the last word of the line; `必须` right before
  or after a Chinese due, `硬` right after it, or either standing alone between spaces.
  Elsewhere `hard` is a title word (`Do the hard part`). `hard` without a due is an error.
- not_before: `from`, `not before`, `no earlier than`, `starting`, `starting from`, `starting
  on` + a phrase; `从`/`自` + phrase (+ `开始`/`起`), or phrase + `起` `以后` `之后`
  (`在周四之后` too).
- category `#name`, hours profile `@name` (a name starting with a letter; `C#`, `#123` and
  `a@b.com` are title), priority `!1` (highest) .. `!4`; `p1`..`p4` are NOT priorities (too
  often a title word). Each at most once.
- split: `split 45m-2h`, `split 45m to 2h`, `拆分 45分钟-2小时` (also 拆成, 分段; `-` `~` `到`
  `至`).
- after: `after:ID` or `after:a,b` (any ids); `after ID` when the id has a `-`, `_` or digit
  (`after cv-update`), or is a list without spaces (`after a,b`); so `Call mom after lunch`
  keeps its title. `after` + a date/time (`after fri`) is an error pointing to `from`. Chinese:
  `在 ID 之后`, `ID之后` for an ASCII id (a date before 之后 makes a not_before instead).
  Repeatable.

Date/time phrases (a day, a time, or a day and a time in either order: `wed 13:00`, `9am
tomorrow`, `fri at 5pm`, `明天下午3点`, `周三13:00`, `2026-12-09T13:00`; exact instants
`2026-12-09T13:00+01:00` and `in 2 hours` / `in 30 minutes`, counted from now)
- Days: `today`, `tomorrow` (`tmr`, `tmrw`), `tonight` = today 20:00 (a time given with it
  counts, read as evening: `tonight 8:00` = 20:00); 今天 明天 后天 大后天; 今晚 = tonight; 明晚
  = tomorrow evening (20:00); 明早 = tomorrow morning (09:00).
- A weekday name (`wed`, `wednesday`, 周三, 星期三, 礼拜三, 周日/周天/星期天) means the nearest
  such day from today whose instant is still ahead of now: today counts if its time (for a due
  without a time: the end of today) is still ahead, else the same day next week. So on a
  Wednesday `by wed` is tonight 24:00, `by wed 9:00` at 10:00 is next Wednesday, and `from wed`
  (00:00, passed) is next Wednesday.
- `next wed`, 下周三, 下星期三, 下个周三 = the Wednesday of next week, weeks running Monday to
  Sunday (on Sunday, `next mon` is tomorrow; on Monday, `next fri` is 11 days away); 下下周三 =
  the week after. `this wed`, 这周三, 本周三 = the Wednesday of this week, even if past (then a
  due is refused as past).
- `in 3 days`, `in 2 weeks`, `in a week` = that many days from today.
- Dates: `2026-12-09`; `dec 9`, `9 dec`, `december 9th`, `dec 9, 2027`; 12月9日, 12月9号,
  2026年12月9日. Without a year: the first such date from today on whose instant is still ahead
  (so on 31 Dec `dec 9` is next year's). Slash dates `12/09`, `12/09/2026` follow `date_order`
  ("mdy" or "dmy"); with "auto" a slash date is read only when one reading is possible (a part
  over 12, or both parts equal), else it is refused with both readings.
- Times: `13:00` (24-hour clock), `3:30pm`, `9am`, `12pm` = noon, `12am` = 00:00, `noon`,
  `midnight` = 24:00 (the end of that day), `eod` / `end of day` = 17:00 (end of the working
  day). Chinese: `9点` `9点15分` `9点半` `9:30` `上午9点` `早上8点` `中午12点` `中午1点` = 13:00
  `下午3点` `下午3点半` `晚上8点` `晚上12点` = 24:00 `凌晨1点`; a bare `1点`..`6点` is refused
  (night or afternoon?).
- A day without a time: a due means the end of that day (24:00, as FORMAT.md), a not_before its
  start (00:00). A time without a day: today if that time is still ahead, else tomorrow. The
  echo (`QuickTask.understood`) always shows the resolved date.
- Times are wall-clock times in the user's zone, returned in UTC. A written time that a DST
  change skips (spring forward) or repeats (fall back) is refused, naming both readings; a
  whole-day phrase uses FORMAT.md's rule instead (no one wrote that time).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from tengnuo.errors import InvalidInputError, Issue
from tengnuo.formats.quickadd_dates import PHRASE, read_phrase, resolve
from tengnuo.formats.quickadd_times import day_text
from tengnuo.formats.quickadd_words import (
    DURATION,
    GAP,
    TAKEN,
    A,
    PhraseError,
    Z,
    duration_text,
    normalise,
    read_duration,
)

DATE_ORDERS = ("mdy", "dmy", "auto")
_F = re.IGNORECASE
_IDS = r"[A-Za-z0-9][A-Za-z0-9_-]*(?:,[A-Za-z0-9][A-Za-z0-9_-]*)*"
_EN_DUE = re.compile(
    rf"{A}(?:due\s+(?:by|on)|due|by|before|until|till)\s+(?P<p1>{PHRASE})"
    rf"(?:{GAP}+(?P<hard>hard){Z})?", _F)
_ZH_DUE = re.compile(
    rf"(?:(?P<hard1>必须){GAP}*)?(?:(?:截止到|截止日期|截止|截至)\s*(?P<p1>{PHRASE})"
    rf"|(?P<p2>{PHRASE})\s*(?:之前|以前|前|截止))(?:{GAP}*(?P<hard>必须|硬))?", _F)
_EN_FROM = re.compile(
    rf"{A}(?:from|not\s+before|no\s+earlier\s+than|starting(?:\s+(?:from|on))?)\s+"
    rf"(?P<p1>{PHRASE})(?P<p2>)", _F)
_ZH_FROM = re.compile(
    rf"(?:从|自)\s*(?P<p1>{PHRASE})\s*(?:开始|起(?![床飞来]))?"
    rf"|(?:在\s*)?(?P<p2>{PHRASE})\s*(?:以后|之后|起(?![床飞来]))", _F)
_AFTER_DATE = re.compile(rf"{A}after\s+(?P<phrase>{PHRASE})", _F)
_AFTER = re.compile(rf"{A}after(?P<sep>:|\s+)(?P<ids>{_IDS})(?![A-Za-z0-9_,-])", _F)
_ZH_AFTER = re.compile(rf"在\s*(?P<ids>{_IDS})\s*之后|{A}(?P<ids2>{_IDS})\s*之后")
_SPLIT_WORD = r"(?:(?<![A-Za-z0-9_-])split\s+|拆分\s*|拆成\s*|分段\s*)"
_SPLIT = re.compile(
    rf"{_SPLIT_WORD}(?P<a>{DURATION})\s*(?:-|–|—|~|to|到|至)\s*(?P<b>{DURATION})", _F)
_SPLIT_HALF = re.compile(rf"{_SPLIT_WORD}{DURATION}", _F)
_CATEGORY = re.compile(r"(?<![A-Za-z0-9_&#])#(?P<v>[^\W\d][\w-]*)")
_HOURS = re.compile(r"(?<![A-Za-z0-9_.@])@(?P<v>[^\W\d][\w-]*)")
_PRIORITY = re.compile(r"(?<![A-Za-z0-9_!])!(?P<v>\d+)(?![A-Za-z0-9_.])")
_DURATION = re.compile(DURATION, _F)
_HARD = re.compile(rf"{A}hard(?={GAP}*$)|(?<![^\s\x00])(?:硬|必须)(?![^\s\x00])", _F)
_QUOTED = re.compile(r"\"([^\"]*)\"|“([^”]*)”")
T = TypeVar("T")


@dataclass(frozen=True)
class QuickTask:
    """What a quick-add line said; None (or empty) = not given. Datetimes are aware UTC."""

    title: str
    duration: timedelta | None = None
    due: datetime | None = None
    hard: bool = False
    category: str | None = None
    priority: int | None = None  # 1..4
    hours: str | None = None  # the @profile
    split: tuple[timedelta, timedelta] | None = None
    after: tuple[str, ...] = ()
    not_before: datetime | None = None

    def understood(self, tz: ZoneInfo) -> list[tuple[str, str]]:
        """Field by field what the line was read as, dates resolved in `tz`, for the user to check.

        Only the fields given are listed, title first. A due at local midnight shows as 24:00 of
        the day before (`Wed 02 Dec 2026 24:00 (end of day)`); `(hard)` follows a hard due.
        """
        hard = " (hard)" if self.hard else ""
        rows = [
            ("title", self.title),
            ("duration", duration_text(self.duration) if self.duration else None),
            ("due", when_text(self.due, tz, due=True) + hard if self.due else None),
            ("category", self.category),
            ("priority", None if self.priority is None else str(self.priority)),
            ("hours", self.hours),
            ("split", "-".join(duration_text(d) for d in self.split) if self.split else None),
            ("after", ", ".join(self.after) or None),
            ("not_before", when_text(self.not_before, tz, due=False) if self.not_before else None),
        ]
        return [(name, value) for name, value in rows if value is not None]


def when_text(instant: datetime, tz: ZoneInfo, *, due: bool) -> str:
    """`Wed 02 Dec 2026 13:00`; a due at local midnight is `24:00 (end of day)` of the day
    before."""
    local = instant.astimezone(tz)
    if due and (local.hour, local.minute) == (0, 0):
        return f"{day_text(local.date() - timedelta(days=1))} 24:00 (end of day)"
    return f"{day_text(local.date())} {local:%H:%M}"


class _Line:
    """The line being read: a field's words are blanked out of `work` and left out of the title.

    Quoted text is blanked too (so no field is read in it) but kept for the title, quotes dropped.
    """

    def __init__(self, text: str) -> None:
        self.original = text
        self.work = list(normalise(text))
        self.keep = [True] * len(text)
        for m in _QUOTED.finditer(text):
            inner = 1 if m[1] is not None else 2
            for i in range(m.start(), m.end()):
                inside = m.start(inner) <= i < m.end(inner)
                self.work[i] = "\x01" if inside else TAKEN
                self.keep[i] = inside

    def find(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        return list(pattern.finditer("".join(self.work)))

    def take(self, m: re.Match[str]) -> None:
        for i in range(m.start(), m.end()):
            self.work[i] = TAKEN
            self.keep[i] = False

    def title(self) -> str:
        kept = "".join(c for c, k in zip(self.original, self.keep, strict=True) if k)
        return " ".join(kept.split()).strip(" ,，;；、:：")


@dataclass
class _Reading:
    """The line and everything found in it so far, with the words each value came from."""

    line: _Line
    now: datetime
    tz: ZoneInfo
    order: str
    issues: list[Issue] = field(default_factory=list)
    found: dict[str, list[tuple[str, object]]] = field(default_factory=dict)
    hard: list[str] = field(default_factory=list)

    def each(self, pattern: re.Pattern[str], name: str,
             read: Callable[[re.Match[str]], object]) -> None:
        """Every match of `pattern`: its value is recorded under `name` and its words taken out;
        a value of None records nothing."""
        for m in self.line.find(pattern):
            try:
                value = read(m)
            except PhraseError as problem:
                self.issues.append(Issue(problem.message, field=name))
                value = None
            self.line.take(m)
            if value is not None:
                self.found.setdefault(name, []).append((" ".join(m[0].split()), value))

    def when(self, m: re.Match[str], *, due: bool) -> datetime:
        """The instant of the phrase in group p1 or p2 of `m`."""
        phrase = read_phrase(m["p1"] or m["p2"], self.now.astimezone(self.tz).date(), self.order)
        return resolve(phrase, self.now, self.tz, due=due)

    def one(self, name: str, kind: type[T]) -> T | None:
        """The single value found for `name`; two are an issue (the first is kept meanwhile)."""
        items = self.found.get(name, [])
        if len(items) > 1:
            said = ", ".join(f"`{words}`" for words, _ in items)
            hint = " (for chunks write split 45m-2h)" if name == "duration" else ""
            self.issues.append(
                Issue(f"the line gives {name} twice: {said}; keep one{hint}", field=name))
        value = items[0][1] if items else None
        return value if isinstance(value, kind) else None


def parse_quick_add(text: str, now: datetime, tz: ZoneInfo, date_order: str = "auto") -> QuickTask:
    """Read one quick-add line (grammar in this module's docstring) as of `now`, in zone `tz`.

    `date_order` is the locale's order of slash dates: "mdy", "dmy" or "auto" (unknown).
    Raises InvalidInputError listing every problem, each naming the words and what to write.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    if date_order not in DATE_ORDERS:
        message = f"date order `{date_order}` is not one of {', '.join(DATE_ORDERS)}"
        raise InvalidInputError([Issue(message, field="date_order")])
    r = _Reading(_Line(text), now, tz, date_order)
    for step in (_read_tokens, _read_dates, _read_after, _read_durations):
        step(r)
    task = _assemble(r)
    if r.issues:
        raise InvalidInputError(r.issues)
    return task


def _read_tokens(r: _Reading) -> None:
    r.each(_CATEGORY, "category", lambda m: m["v"])
    r.each(_HOURS, "hours", lambda m: m["v"])
    r.each(_PRIORITY, "priority", _priority)
    r.each(_SPLIT, "split", _split)
    r.each(_SPLIT_HALF, "split", _split_half)


def _priority(m: re.Match[str]) -> int:
    value = int(m["v"])
    if not 1 <= value <= 4:
        raise PhraseError(f"priority `{m[0]}`: write !1 (highest), !2, !3 or !4 (lowest)")
    return value


def _split(m: re.Match[str]) -> tuple[timedelta, timedelta]:
    low, high = read_duration(m["a"].strip()), read_duration(m["b"].strip())
    if low > high:
        raise PhraseError(f"`{m[0].strip()}`: the smallest chunk is larger than the largest; "
                          f"write it like split 45m-2h")
    return low, high


def _split_half(m: re.Match[str]) -> None:
    raise PhraseError(f"`{m[0].strip()}` needs a range of chunk lengths: write it like "
                      f"split 45m-2h or 拆分 45分钟-2小时")


def _read_dates(r: _Reading) -> None:
    """not_before first, so that `not before fri` is not read as `before fri`."""

    def due(m: re.Match[str]) -> datetime:
        if m["hard"] or m.groupdict().get("hard1"):
            r.hard.append(m["hard"] or m["hard1"])
        return r.when(m, due=True)

    r.each(_EN_FROM, "not_before", lambda m: r.when(m, due=False))
    r.each(_ZH_FROM, "not_before", lambda m: r.when(m, due=False))
    r.each(_EN_DUE, "due", due)
    r.each(_ZH_DUE, "due", due)


def _read_after(r: _Reading) -> None:
    def refuse(m: re.Match[str]) -> None:
        raise PhraseError(f"`{m[0]}`: `after` names tasks (like after cv-update); for a start "
                          f"date write `from {m['phrase']}`")

    def en_ids(m: re.Match[str]) -> tuple[str, ...] | None:
        names = tuple(m["ids"].split(","))
        explicit = m["sep"] == ":" or len(names) > 1 or re.search(r"[-_0-9]", names[0])
        return names if explicit else None

    r.each(_AFTER_DATE, "after", refuse)
    for m in r.line.find(_AFTER):
        if (names := en_ids(m)) is not None:
            r.line.take(m)
            r.found.setdefault("after", []).append((m[0], names))
    r.each(_ZH_AFTER, "after", lambda m: tuple((m["ids"] or m["ids2"]).split(",")))


def _read_durations(r: _Reading) -> None:
    r.each(_DURATION, "duration", lambda m: read_duration(" ".join(m[0].split())))
    r.each(_HARD, "hard", lambda m: r.hard.append(m[0]))


def _assemble(r: _Reading) -> QuickTask:
    """The task from what was found; a field given twice, `hard` without a due, a due already
    past and an empty title are issues."""
    due = r.one("due", datetime)
    if r.hard and due is None:
        r.issues.append(Issue(
            f"`{r.hard[0]}` marks the due as hard, but the line has no due: add one, like "
            f"`by fri 17:00 hard` or `周五17:00前 必须`, or put the title in quotes", field="hard"))
    if due is not None and due <= r.now:
        words = r.found["due"][0][0]
        r.issues.append(Issue(
            f"`{words}` is {when_text(due, r.tz, due=True)}, which is already past", field="due"))
    title = r.line.title()
    if not title:
        r.issues.append(Issue("the line has no title left once its fields are read: write what "
                              "the task is, like `Call mom 20m`", field="title"))
    after = [i for _, ids in r.found.get("after", []) if isinstance(ids, tuple) for i in ids]
    return QuickTask(
        title=title, duration=r.one("duration", timedelta), due=due, hard=bool(r.hard and due),
        category=r.one("category", str), priority=r.one("priority", int),
        hours=r.one("hours", str), split=r.one("split", tuple),
        after=tuple(str(i) for i in after), not_before=r.one("not_before", datetime))
