"""Calendars both ways: bytes from a server, declined invitations, all-day-free calendars, Windows
zones, cancelled series, bounded expansion, and a round trip through our writer across DST."""

import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tengnuo.formats.ics import MAX_OCCURRENCES, plan_to_ics, read_calendar, read_calendar_text
from tengnuo.formats.ics_text import trim_date_lists
from tengnuo.model.plan import Block

ROOT = Path(__file__).resolve().parents[2]
ICS = ROOT / "tests" / "data" / "ics"
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEK_START = datetime(2026, 12, 7, tzinfo=BERLIN).astimezone(UTC)
WEEK_END = datetime(2026, 12, 21, tzinfo=BERLIN).astimezone(UTC)
ME = ("mailto:me@example.org",)


def berlin(*args):
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


def read(name, start=WEEK_START, end=WEEK_END, tz=BERLIN, **options):
    return read_calendar(ICS / name, start, end, tz, **options)


def starts_of(events, prefix):
    return [e.start for e in events if e.id.startswith(prefix)]


def test_text_reader_takes_bytes_or_text_and_names_the_source():
    """The same reader on a server's bytes; warnings name the source, not a file."""
    data = (ICS / "cp1252.ics").read_bytes()
    source = "https://dav.example.org/cal/personal/"
    events, issues = read_calendar_text(data, source, WEEK_START, WEEK_END, BERLIN)
    assert [e.title for e in events] == ["Café with Zoë"]
    assert [i.file for i in issues] == [source]
    assert "not UTF-8" in issues[0].message
    text = (ICS / "bom_lf.ics").read_bytes().decode("utf-8")  # still starts with the BOM
    again, quiet = read_calendar_text(text, "memory", WEEK_START, WEEK_END, BERLIN)
    assert [e.title for e in again] == ["Café with Zoë"]
    assert quiet == []


def test_file_reader_is_the_text_reader_on_the_file():
    """read_calendar gives exactly what read_calendar_text gives on the file's bytes."""
    path = ICS / "declined.ics"
    by_file = read_calendar(path, WEEK_START, WEEK_END, BERLIN, own_addresses=ME)
    by_text = read_calendar_text(path.read_bytes(), str(path), WEEK_START, WEEK_END, BERLIN,
                                 own_addresses=ME)
    assert by_file == by_text


def test_declined_invitations_do_not_block():
    """Declining the 15 Dec occurrence frees only it; a declined single event frees its time;
    a colleague's decline or a decline from an address not given changes nothing."""
    events, issues = read("declined.ics", own_addresses=ME)
    assert starts_of(events, "weekly-1on1@google.com") == [berlin(2026, 12, 8, 10),
                                                           berlin(2026, 12, 22, 10)][:1]
    assert not starts_of(events, "vendor-pitch")  # `ME@EXAMPLE.ORG` without mailto: matches
    assert {e.id for e in events} == {
        "weekly-1on1@google.com@20261208T090000Z", "planning@google.com",
        "other-address@google.com"}
    assert issues == []  # not a drop: nothing to report


def test_declined_occurrence_inside_a_longer_window_and_several_addresses():
    """Over three weeks the series keeps its first and third Tuesday; two own addresses."""
    events, _ = read("declined.ics", end=berlin(2026, 12, 28), own_addresses=[
        "Me@Example.org", "MAILTO:me.work@corp.example"])
    assert starts_of(events, "weekly-1on1") == [berlin(2026, 12, 8, 10), berlin(2026, 12, 22, 10)]
    assert {e.id for e in events} == {"weekly-1on1@google.com@20261208T090000Z",
                                      "weekly-1on1@google.com@20261222T090000Z",
                                      "planning@google.com"}


def test_without_own_addresses_every_invitation_blocks():
    """Nobody said who the person is: attendance is not guessed."""
    events, _ = read("declined.ics")
    assert len(starts_of(events, "weekly-1on1")) == 2
    assert {"vendor-pitch@google.com", "planning@google.com"} <= {e.id for e in events}


def test_all_day_events_are_free_when_the_calendar_says_so():
    """Default: all-day events block unless TRANSPARENT; all_day_free frees every one of them
    and leaves timed events alone."""
    busy, _ = read("allday_transp_cancelled.ics")
    assert {e.id for e in busy} == {"conference@test", "holiday@test", "lunch@test"}
    free, issues = read("allday_transp_cancelled.ics", all_day_free=True)
    assert [e.id for e in free] == ["lunch@test"]
    assert issues == []


def test_windows_zone_names_are_mapped_to_iana():
    """Exchange's `China Standard Time` (with its VTIMEZONE), `Eastern Standard Time` (without
    one, weekly across the New York DST end) and `W. Europe Standard Time`; an unknown name is
    read in the planning zone with a warning naming the UID and the zone."""
    events, issues = read("windows_zones.ics", start=berlin(2026, 10, 26), end=berlin(2026, 12, 12))
    uid = "040000008200E00074C5B7101A82E00800000000A0C2B1C2D3E4F50600000000000000001000000"
    found = {e.id: e for e in events}
    assert found[f"{uid}01"].start == datetime(2026, 12, 8, 1, tzinfo=UTC)  # 09:00 +08:00
    assert found[f"{uid}03"].start == berlin(2026, 12, 9, 14)
    new_york = [e.start for e in events if e.id.startswith(f"{uid}02")]
    assert len(new_york) == 7
    assert new_york[0] == datetime(2026, 10, 26, 13, tzinfo=UTC)  # EDT -04:00
    assert new_york[-1] == datetime(2026, 12, 7, 14, tzinfo=UTC)  # EST -05:00
    assert all(s.astimezone(NEW_YORK).hour == 9 for s in new_york)
    assert found["unknown-windows@test"].start == berlin(2026, 12, 10, 9)
    assert len(issues) == 1
    assert "unknown-windows@test" in issues[0].message
    assert "Atlantis Standard Time" in issues[0].message


def test_cancelled_series_and_cancelled_occurrence():
    """A cancelled master frees the whole series; a cancelled override frees only its day."""
    events, issues = read("cancelled_series.ics")
    assert not starts_of(events, "7F3C1A2B")
    assert starts_of(events, "8A4D2B3C") == [
        berlin(2026, 12, 8, 7), berlin(2026, 12, 15, 7), berlin(2026, 12, 17, 7)]
    assert issues == []


def _series(rule_lines):
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
            "UID:big@test\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:big\r\n"
            "DTSTART:20261207T080000Z\r\nDURATION:PT1S\r\n"
            f"{rule_lines}END:VEVENT\r\nEND:VCALENDAR\r\n")


def _rdates(n):
    first = datetime(2026, 12, 7, 8, tzinfo=UTC)
    values = [f"{first + timedelta(minutes=i):%Y%m%dT%H%M%SZ}" for i in range(n)]
    lines = "".join(f"RDATE:{','.join(values[i:i + 1000])}\r\n" for i in range(0, n, 1000))
    return _series(lines)


@pytest.mark.parametrize(
    "data",
    [_series("RRULE:FREQ=MINUTELY;COUNT=1000000000\r\n"), _series("RRULE:FREQ=SECONDLY\r\n"),
     _rdates(100_000)],
    ids=["count-1e9", "secondly-endless", "rdate-100000"],
)
def test_runaway_series_are_cut_quickly_and_in_little_memory(data):
    """Each is capped to MAX_OCCURRENCES in the window with a warning, in about a second and a
    few MB (the bounds asserted are generous, so that a slow machine never fails the test)."""
    began = time.perf_counter()
    events, issues = read_calendar_text(data.encode(), "big.ics", WEEK_START, WEEK_END, BERLIN)
    seconds = time.perf_counter() - began
    tracemalloc.start()  # measured apart: tracing every allocation makes the reading slower
    read_calendar_text(data.encode(), "big.ics", WEEK_START, WEEK_END, BERLIN)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\n{len(data):,} bytes in: {seconds:.3f} s, peak {peak / 1e6:.1f} MB")
    assert len(events) == MAX_OCCURRENCES
    assert events[0].start == datetime(2026, 12, 7, 8, tzinfo=UTC)
    assert all(WEEK_START <= e.start <= WEEK_END for e in events)
    assert ["repeats too often" in i.message and "big@test" in i.message for i in issues] == [True]
    assert seconds < 2.0
    assert peak < 50e6


def _expanded(path_or_bytes, tz, start, end):
    if isinstance(path_or_bytes, bytes):
        events, issues = read_calendar_text(path_or_bytes, "written.ics", start, end, tz)
    else:
        events, issues = read_calendar(path_or_bytes, start, end, tz)
    return events, issues


@pytest.mark.parametrize(
    ("path", "tz"),
    [(ROOT / "examples" / "calendars" / "personal.ics", SHANGHAI),
     (ICS / "berlin_new_york_weekly.ics", BERLIN),
     (ICS / "berlin_new_york_weekly.ics", NEW_YORK)],
    ids=["personal-shanghai", "weekly-berlin", "weekly-new-york"],
)
def test_round_trip_through_our_writer_keeps_every_instant_over_two_years(path, tz):
    """Expand two years (four DST switches), write every occurrence as a VEVENT, read that back:
    the UTC instants are the same, all of them."""
    start = datetime(2026, 1, 1, tzinfo=tz).astimezone(UTC)
    end = datetime(2028, 1, 1, tzinfo=tz).astimezone(UTC)
    events, issues = _expanded(path, tz, start, end)
    assert issues == []
    blocks = [Block(e.start, e.end, e.id, "task", e.title) for e in events]
    written = plan_to_ics(blocks, tz, stamp=datetime(2026, 1, 1, tzinfo=UTC))
    again, issues_again = _expanded(written, tz, start, end)
    assert issues_again == []
    assert [(e.start, e.end) for e in again] == [(e.start, e.end) for e in events]
    assert len(events) > 20


def test_weekly_series_keep_their_wall_clock_in_their_own_zone():
    """Berlin weekly at 09:30 Berlin and New York weekly at 16:30 New York all year, whatever
    the planning zone; the override in Berlin time and the EXDATE hold."""
    start, end = berlin(2026, 1, 1), berlin(2027, 1, 1)
    events, _ = read("berlin_new_york_weekly.ics", start, end, tz=ZoneInfo("Asia/Tokyo"))
    berlin_starts = starts_of(events, "berlin-weekly")
    assert {s.astimezone(BERLIN).time().isoformat() for s in berlin_starts} == {"09:30:00"}
    assert berlin(2026, 12, 24, 9, 30) not in berlin_starts
    assert len(berlin_starts) == 104 - 1
    new_york = starts_of(events, "new-york-weekly")
    moved = berlin(2026, 3, 18, 17)
    assert moved in new_york
    assert {s.astimezone(NEW_YORK).hour for s in new_york if s != moved} == {16}
    assert {s.astimezone(UTC).hour for s in new_york if s != moved} == {20, 21}
    night = [e for e in events if e.id.startswith("night-call")]
    assert [e.end - e.start for e in night] == [timedelta(hours=2), timedelta(hours=3),
                                                timedelta(hours=2)]
    assert night[0].start.astimezone(BERLIN).date() == date(2026, 10, 24)


def test_huge_date_lists_are_trimmed_to_the_window_before_parsing():
    """Out-of-window values go, the earliest RDATEs in the window stay, a quoted TZID with a
    colon is kept whole, and a small list is left exactly as it was."""
    values = ",".join(f"{y}{m:02d}{d:02d}T090000"
                      for y in (2025, 2026) for m in range(1, 13) for d in range(1, 29))
    text = ("BEGIN:VEVENT\r\nUID:x\r\n"
            f'RDATE;TZID="(UTC+01:00) Amsterdam, Berlin":{values}\r\n'
            f"EXDATE:{values.replace('T090000', 'T100000')}\r\nEND:VEVENT\r\n")
    trimmed = trim_date_lists(text, "20261201", "20261231", 3)
    assert 'RDATE;TZID="(UTC+01:00) Amsterdam, Berlin":20261201T090000,20261202T090000,' \
           "20261203T090000\r\n" in trimmed
    exdates = next(line for line in trimmed.splitlines() if line.startswith("EXDATE:"))
    assert exdates.count(",") == 27
    small = "BEGIN:VEVENT\r\nUID:y\r\nRDATE:20200101T090000Z\r\nEND:VEVENT\r\n"
    assert trim_date_lists(small, "20261201", "20261231", 3) == small
