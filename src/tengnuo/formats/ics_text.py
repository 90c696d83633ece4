"""iCalendar files as text, before any parsing: decoding, repair and cutting into components.

Real .ics files arrive with byte-order marks, in Windows-1252, with LF line ends, with the last
`END:VCALENDAR` missing (which makes the parser return nothing at all, silently), or with one
broken line that makes the parser give up on the whole file. This module turns such bytes into
text the parser accepts, and can cut a file into its top-level components so that `ics` can parse
them one by one and keep everything that is not broken. It also names what we write: the UIDs and
summaries of plan blocks.

Imports the standard library and `tengnuo.model` only (no icalendar), so it can be tested on
plain strings.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tengnuo.model.plan import Block

CRLF = "\r\n"
_IGNORED_COMPONENTS = ("VALARM",)  # never needed to plan, and a common source of parse errors


@dataclass(frozen=True)
class TextBlock:
    """One top-level component (VEVENT, VTIMEZONE...) as text, with its UID when it has one."""

    name: str
    text: str
    uid: str | None


def decode(data: bytes) -> tuple[str, str | None]:
    """Bytes -> text, and a warning when the file was not UTF-8 (accents may then be wrong)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    for encoding, label in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, f"the file is not UTF-8; it was read as {label}, so check accented letters"
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _keyword(line: str) -> tuple[str, str] | None:
    """('BEGIN' | 'END', COMPONENT NAME) for a BEGIN:/END: line, else None."""
    head, sep, value = line.partition(":")
    word = head.strip().upper()
    if sep and word in ("BEGIN", "END"):
        return word, value.strip().upper()
    return None


def repair(text: str, *, drop: Sequence[str] = _IGNORED_COMPONENTS) -> tuple[str, list[str]]:
    """Text with CRLF line ends, no blank lines and no VALARMs (or no `drop` components), and
    every component closed.

    Returns the text and one message per repair that changes what is read (a file cut short).
    """
    lines: list[str] = []
    stack: list[str] = []
    skipping = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        keyword = _keyword(line) if line[0] not in " \t" else None
        if keyword is not None and keyword[1] in drop:
            skipping += 1 if keyword[0] == "BEGIN" else -1 if skipping else 0
            continue
        if skipping:
            continue
        if keyword is not None:
            _track(stack, *keyword)
        lines.append(line)
    notes = []
    if stack:
        notes.append(f"the file ends inside {stack[-1]} (END:{stack[0]} is missing); "
                     "what was there was read")
        lines += [f"END:{name}" for name in reversed(stack)]
    return CRLF.join(lines) + CRLF, notes


def _track(stack: list[str], word: str, name: str) -> None:
    """Follow BEGIN/END nesting; an END for a component not open is ignored, as parsers do."""
    if word == "BEGIN":
        stack.append(name)
    elif name in stack:
        del stack[len(stack) - 1 - stack[::-1].index(name):]


MANY_DATES = 1000
"""A VEVENT with more RDATE and EXDATE values than this has its lists trimmed before parsing."""
_DATE_LISTS = ("RDATE", "EXDATE")


def trim_date_lists(text: str, first: str, last: str, keep: int) -> str:
    """Repaired text in which no VEVENT carries a huge RDATE or EXDATE list.

    Parsing a date list costs about 30 µs a value, so a list of 100,000 RDATEs would take seconds
    before any bound applies. In a VEVENT with more than `MANY_DATES` values, values whose date
    (`YYYYMMDD`, their first 8 characters) lies outside [first, last] are dropped, and at most
    `keep` RDATE values are kept (the earliest). Values outside the window never yield an
    occurrence in it, so only the cap changes what is read, and the reader reports that cap.
    Lines are unfolded.
    """
    out: list[str] = []
    event: list[str] | None = None
    for line in _unfold(text):
        keyword = _keyword(line)
        if event is None:
            if keyword == ("BEGIN", "VEVENT"):
                event = [line]
            else:
                out.append(line)
            continue
        event.append(line)
        if keyword == ("END", "VEVENT"):
            out += _trim_event(event, first, last, keep)
            event = None
    out += event or []
    return CRLF.join(out) + CRLF


def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def _trim_event(lines: list[str], first: str, last: str, keep: int) -> list[str]:
    lists = [i for i, line in enumerate(lines) if _name(line) in _DATE_LISTS and ":" in line]
    if sum(lines[i].count(",") + 1 for i in lists) <= MANY_DATES:
        return lines
    inside: dict[int, list[str]] = {}
    for i in lists:
        values = _split_value(lines[i])[1].split(",")
        inside[i] = [v.strip() for v in values if first <= v.strip()[:8] <= last]
    rdates = sorted((v, i) for i in lists if _name(lines[i]) == "RDATE" for v in inside[i])
    kept_rdates = set(rdates[:keep])
    for i in lists:
        head = _split_value(lines[i])[0]
        values = [v for v in inside[i] if _name(head) != "RDATE" or (v, i) in kept_rdates]
        lines[i] = f"{head}:{','.join(values)}" if values else ""
    return [line for line in lines if line]


def _split_value(line: str) -> tuple[str, str]:
    """A content line cut at its first colon outside double quotes: (name;params, value)."""
    quoted = False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:i], line[i + 1:]
    return line, ""


def looks_like_icalendar(text: str) -> bool:
    """Whether the text has at least one calendar or event (not HTML, not an empty file)."""
    return any(
        _keyword(line) in (("BEGIN", "VCALENDAR"), ("BEGIN", "VEVENT"), ("BEGIN", "VTODO"))
        for line in text.splitlines()
    )


def split_blocks(text: str) -> tuple[list[str], list[TextBlock]]:
    """Calendar-level X-WR-TIMEZONE lines and the top-level components of repaired text.

    Components are those directly inside a VCALENDAR, or bare at the top of the file.
    """
    header: list[str] = []
    blocks: list[TextBlock] = []
    current: list[str] = []
    in_calendar = False
    depth = 0  # nesting inside the current top-level component
    for line in text.splitlines():
        keyword = _keyword(line) if line[:1] not in (" ", "\t") else None
        if depth == 0:
            if keyword is not None and keyword[1] == "VCALENDAR":
                in_calendar = keyword[0] == "BEGIN"
            elif keyword is not None and keyword[0] == "BEGIN":
                depth, current = 1, [line]
            elif in_calendar and _name(line) == "X-WR-TIMEZONE":
                header.append(line)
            continue
        current.append(line)
        if keyword is not None:
            depth += 1 if keyword[0] == "BEGIN" else -1
            if depth == 0:
                blocks.append(_block(current))
    return header, blocks


def _name(line: str) -> str:
    """The property name of a content line (`DTSTART;TZID=...:...` -> `DTSTART`)."""
    return line.split(":", 1)[0].split(";", 1)[0].strip().upper()


def _block(lines: list[str]) -> TextBlock:
    first = _keyword(lines[0])
    name = first[1] if first else "?"
    uid = next((line.split(":", 1)[1].strip() for line in lines
                if _name(line) == "UID" and ":" in line), None)
    return TextBlock(name, CRLF.join(lines) + CRLF, uid)


def block_uid(block: Block, tz: ZoneInfo) -> str:
    """The UID of a block's VEVENT, stable as long as the block keeps its id and chunk or day:
    `<id>@tengnuo`, `<id>.<chunk>@tengnuo`, or `<id>.<local date>@tengnuo` for a routine."""
    if block.kind == "routine":
        return f"{block.id}.{block.start.astimezone(tz).date().isoformat()}@tengnuo"
    if block.chunk is not None:
        return f"{block.id}.{block.chunk}@tengnuo"
    return f"{block.id}@tengnuo"


def unique_uid(uid: str, used: set[str]) -> str:
    """Two blocks must never share a UID (a routine whose window crosses midnight can start twice
    on one date): later ones get a counter. Adds the result to `used`."""
    candidate, n = uid, 2
    while candidate in used:
        base, _, domain = uid.rpartition("@")
        candidate, n = f"{base}.{n}@{domain}", n + 1
    used.add(candidate)
    return candidate


def block_summary(block: Block) -> str:
    """The title, with `(2/3)` for the second of three chunks."""
    if block.chunk is not None and block.chunks:
        return f"{block.title} ({block.chunk}/{block.chunks})"
    return block.title
