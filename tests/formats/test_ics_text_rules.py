"""Text repair before parsing, and the cost rules that keep recurrence expansion bounded."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tengnuo.formats.ics_rules import (
    MAX_OCCURRENCES,
    MIN_SLICE,
    TooCostlyError,
    instant,
    skip_ahead,
    slice_length,
    spacing,
)
from tengnuo.formats.ics_text import decode, looks_like_icalendar, repair, split_blocks

BERLIN = ZoneInfo("Europe/Berlin")


def test_decode_strips_bom_and_reports_other_encodings():
    """UTF-8 (with or without BOM) and UTF-16 are silent; Windows-1252 gives a warning."""
    assert decode("\ufeffCafé".encode()) == ("Café", None)
    assert decode("Café".encode("utf-16")) == ("Café", None)
    text, note = decode("Café".encode("cp1252"))
    assert text == "Café"
    assert note is not None
    assert "Windows-1252" in note


def test_repair_closes_open_components_and_drops_alarms():
    """A cut-off file is closed; VALARMs (never needed, often broken) are removed."""
    text, notes = repair("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nBEGIN:VALARM\nTRIGGER:x\n"
                         "END:VALARM\n\nDTSTART:20261208T090000Z\n")
    assert text.split("\r\n") == ["BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:a",
                                  "DTSTART:20261208T090000Z", "END:VEVENT", "END:VCALENDAR", ""]
    assert len(notes) == 1


def test_repair_leaves_a_complete_file_alone():
    """Nothing to report for a well-formed file; folded lines stay folded."""
    original = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:long\r\n  folded\r\nEND:VEVENT\r\n" \
               "END:VCALENDAR\r\n"
    assert repair(original) == (original, [])


def test_split_blocks_finds_components_and_x_wr_timezone():
    """Top-level components come out one by one, with their UID, across calendars."""
    header, blocks = split_blocks(
        "BEGIN:VCALENDAR\r\nX-WR-TIMEZONE:Europe/Berlin\r\nBEGIN:VTIMEZONE\r\nTZID:x\r\n"
        "END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        "BEGIN:VEVENT\r\nUID;X-P=1:b\r\nEND:VEVENT\r\n")
    assert header == ["X-WR-TIMEZONE:Europe/Berlin"]
    assert [(b.name, b.uid) for b in blocks] == [("VTIMEZONE", None), ("VEVENT", "a"),
                                                ("VEVENT", "b")]


def test_looks_like_icalendar():
    """Calendars and bare events yes; HTML and empty text no."""
    assert looks_like_icalendar("begin:vcalendar\n")
    assert looks_like_icalendar("BEGIN:VEVENT\n")
    assert not looks_like_icalendar("<html></html>")
    assert not looks_like_icalendar("")


def test_spacing_accounts_for_by_parts():
    """DAILY with two BYHOURs is at most 12 h apart on average; SECONDLY 1 s."""
    assert spacing({"FREQ": ["DAILY"], "BYHOUR": [9, 17]}) == timedelta(hours=12)
    assert spacing({"FREQ": ["SECONDLY"]}) == timedelta(seconds=1)
    assert spacing({"FREQ": ["WEEKLY"], "INTERVAL": [2]}) == timedelta(weeks=2)


def test_slice_length_keeps_each_query_small():
    """A dense rule is queried in short slices; no rule means one query."""
    assert slice_length([{"FREQ": ["SECONDLY"]}]) == timedelta(seconds=MAX_OCCURRENCES // 2)
    assert slice_length([{"FREQ": ["SECONDLY"], "BYMINUTE": list(range(60))}]) == MIN_SLICE
    assert slice_length([{"FREQ": ["DAILY"]}]) == timedelta(days=MAX_OCCURRENCES // 2)
    assert slice_length([]) is None


def test_skip_ahead_moves_by_whole_intervals_only():
    """An endless hourly rule from 2000 moves close to the window by whole 3-hour intervals."""
    first = datetime(2000, 1, 1, 0, 15, tzinfo=UTC)
    window = datetime(2026, 12, 7, tzinfo=UTC)
    shift = skip_ahead({"FREQ": ["HOURLY"], "INTERVAL": [3]}, first, timedelta(minutes=5), window)
    assert shift % timedelta(hours=3) == timedelta(0)
    assert timedelta(0) < window - (first + shift) <= timedelta(days=3)


def test_skip_ahead_leaves_near_or_monthly_rules():
    """Rules starting in or near the window, or monthly ones, are walked as they are."""
    window = datetime(2026, 12, 7, tzinfo=UTC)
    assert skip_ahead({"FREQ": ["DAILY"]}, window, timedelta(hours=1), window) == timedelta(0)
    old = datetime(1990, 1, 1, tzinfo=UTC)
    assert skip_ahead({"FREQ": ["MONTHLY"]}, old, timedelta(hours=1), window) == timedelta(0)


def test_skip_ahead_refuses_a_long_count_rule():
    """COUNT depends on every earlier occurrence, so a far-off dense one cannot be moved."""
    rule = {"FREQ": ["MINUTELY"], "COUNT": [10**9]}
    with pytest.raises(TooCostlyError, match="too many"):
        skip_ahead(rule, datetime(2020, 1, 1, tzinfo=UTC), timedelta(0),
                   datetime(2026, 12, 7, tzinfo=UTC))


def test_instant_reads_dates_and_floating_times_in_the_zone():
    """A date is local midnight; a floating time is local; an aware time keeps its instant."""
    assert instant(datetime(2026, 3, 29).date(), BERLIN) == datetime(2026, 3, 28, 23, tzinfo=UTC)
    assert instant(datetime(2026, 3, 29, 2, 30), BERLIN) == datetime(2026, 3, 29, 1, 30,
                                                                      tzinfo=UTC)
    aware = datetime(2026, 3, 29, 12, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert instant(aware, BERLIN) == datetime(2026, 3, 29, 3, tzinfo=UTC)
