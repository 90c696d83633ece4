"""Calendar files read into busy events: recurrence, zones, all-day, and messy real-world files."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tengnuo.errors import InvalidInputError
from tengnuo.formats.ics import MAX_OCCURRENCES, read_calendar

ICS = Path(__file__).resolve().parents[2] / "tests" / "data" / "ics"
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
WEEK_START = datetime(2026, 12, 7, tzinfo=BERLIN).astimezone(UTC)
WEEK_END = datetime(2026, 12, 21, tzinfo=BERLIN).astimezone(UTC)


def read(name, start=WEEK_START, end=WEEK_END, tz=BERLIN):
    return read_calendar(ICS / name, start, end, tz)


def berlin(*args):
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


def by_id(events):
    return {e.id: e for e in events}


def test_event_ids_name_the_uid_and_each_occurrence():
    """A single event is `<UID>`; each occurrence of a series is `<UID>@<UTC start>`."""
    events, _ = read("rdate_exdate.ics")
    assert [e.id for e in events] == ["yoga@test@20261208T170000Z", "yoga@test@20261212T090000Z"]
    single, _ = read("floating.ics")
    assert {e.id for e in single} == {"floating@test", "utc@test"}
    assert all(e.calendar is None for e in events)  # the planning file sets it


def test_rdate_adds_and_exdate_removes_occurrences():
    """Tuesday yoga, plus the RDATE Saturday, minus the EXDATE Tuesday."""
    events, issues = read("rdate_exdate.ics")
    assert [e.start for e in events] == [
        datetime(2026, 12, 8, 17, tzinfo=UTC), datetime(2026, 12, 12, 9, tzinfo=UTC)]
    assert issues == []


@pytest.mark.parametrize(
    ("window", "before", "after"),
    [
        ((berlin(2026, 3, 27), berlin(2026, 3, 31)), 8, 7),  # spring: CET +1 -> CEST +2
        ((berlin(2026, 10, 23), berlin(2026, 10, 27)), 7, 8),  # autumn: CEST +2 -> CET +1
    ],
    ids=["2026-03-29", "2026-10-25"],
)
def test_daily_series_keeps_its_wall_clock_time_over_dst(window, before, after):
    """A 09:00 Berlin stand-up stays at 09:00 local, so its UTC hour changes with DST."""
    events, _ = read("dst_berlin.ics", *window)
    standups = [e for e in events if e.id.startswith("standup@test@")]
    assert len(standups) == 4
    assert [e.start.hour for e in standups] == [before, before, after, after]
    assert all(e.start.astimezone(BERLIN).hour == 9 for e in standups)
    assert all(e.end - e.start == timedelta(minutes=15) for e in standups)


def test_event_over_a_dst_switch_lasts_real_time():
    """01:00-04:00 local is 2 real hours on the spring night and 4 on the autumn night."""
    spring, _ = read("dst_berlin.ics", berlin(2026, 3, 28), berlin(2026, 3, 30))
    autumn, _ = read("dst_berlin.ics", berlin(2026, 10, 24), berlin(2026, 10, 26))
    assert by_id(spring)["night-shift-spring@test"].end - \
        by_id(spring)["night-shift-spring@test"].start == timedelta(hours=2)
    shift = by_id(autumn)["night-shift-autumn@test"]
    assert shift.end - shift.start == timedelta(hours=4)
    assert shift.start == datetime(2026, 10, 24, 23, 0, tzinfo=UTC)


def test_recurrence_id_override_with_another_tzid_moves_that_occurrence():
    """The 14 Dec sync moved to 09:00 New York (15:00 Berlin); the 21 Dec one is cancelled."""
    events, _ = read("override_tzid.ics", end=berlin(2027, 1, 10))
    starts = [e.start for e in events]
    assert starts == [
        berlin(2026, 12, 7, 10),
        datetime(2026, 12, 14, 9, tzinfo=NEW_YORK).astimezone(UTC),
        berlin(2026, 12, 28, 10),
    ]
    assert berlin(2026, 12, 14, 10) not in starts
    assert events[1].title == "Team sync (moved, colleague in New York)"


def test_all_day_blocks_whole_local_days_unless_transparent():
    """Busy all-day events block local midnight to midnight; TRANSPARENT and CANCELLED do not."""
    events = by_id(read("allday_transp_cancelled.ics")[0])
    assert set(events) == {"conference@test", "holiday@test", "lunch@test"}
    conference = events["conference@test"]
    assert (conference.start, conference.end) == (berlin(2026, 12, 8), berlin(2026, 12, 10))
    holiday = events["holiday@test"]  # no DTEND: one day
    assert (holiday.start, holiday.end) == (berlin(2026, 12, 12), berlin(2026, 12, 13))


def test_all_day_is_read_in_the_planning_zone():
    """The same all-day date blocks Shanghai's day when planning in Shanghai."""
    shanghai = ZoneInfo("Asia/Shanghai")
    events = by_id(read("allday_transp_cancelled.ics", tz=shanghai)[0])
    assert events["conference@test"].start == datetime(2026, 12, 8, tzinfo=shanghai)


def test_floating_times_are_in_the_planning_zone():
    """DTSTART without zone is wall-clock time where the person plans; Z times are UTC."""
    events = by_id(read("floating.ics")[0])
    assert events["floating@test"].start == berlin(2026, 12, 8, 9)
    assert events["utc@test"].start == datetime(2026, 12, 8, 12, tzinfo=UTC)


def test_x_wr_timezone_applies_to_floating_times():
    """A calendar-wide X-WR-TIMEZONE (Google exports) wins over the planning zone."""
    events, _ = read("x_wr_timezone.ics")
    assert [e.start for e in events] == [
        datetime(2026, 12, 8, 9, tzinfo=NEW_YORK).astimezone(UTC),
        datetime(2026, 12, 9, 9, tzinfo=NEW_YORK).astimezone(UTC),
    ]


def test_windows_custom_and_unknown_tzids():
    """Windows zone names map to IANA, a VTIMEZONE defines a custom one, unknown ones warn."""
    events, issues = read("zones.ics")
    found = by_id(events)
    assert found["windows-zone@test"].start == berlin(2026, 12, 8, 9)
    assert found["custom-zone@test"].start == datetime(2026, 12, 8, 4, 0, tzinfo=UTC)
    assert found["unknown-zone@test"].start == berlin(2026, 12, 8, 9)
    assert len(issues) == 1
    assert "unknown-zone@test" in issues[0].message
    assert "Mars/Olympus_Mons" in issues[0].message


def test_endless_secondly_and_billion_count_are_capped_with_a_warning():
    """Runaway rules stop at MAX_OCCURRENCES each, say so, and the rest of the file is read."""
    events, issues = read("runaway.ics")
    per_uid = {}
    for event in events:
        uid = event.id.split("@test")[0]
        per_uid[uid] = per_uid.get(uid, 0) + 1
    assert per_uid == {"every-second": MAX_OCCURRENCES, "billion": MAX_OCCURRENCES, "normal": 1}
    first = min(e.start for e in events if e.id.startswith("every-second"))
    assert first == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # the earliest ones are kept
    capped = [i.message for i in issues]
    assert any("every-second@test" in m and "repeats too often" in m for m in capped)
    assert any("billion@test" in m and "repeats too often" in m for m in capped)


def test_rules_that_started_long_ago_still_expand_in_the_window():
    """An hourly rule from 2000 and a daily one from 1990 give their occurrences in the window;
    a COUNT rule too long to walk is dropped with its reason."""
    events, issues = read("far_past.ics", end=berlin(2026, 12, 14))
    hourly = [e for e in events if e.id.startswith("hourly-since-2000")]
    assert len(hourly) == 14  # 09:15 and 17:15 UTC on each of 7 days
    assert {(e.start.hour, e.start.minute) for e in hourly} == {(9, 15), (17, 15)}
    daily = [e for e in events if e.id.startswith("daily-since-1990")]
    assert [e.start.day for e in daily] == [7, 8, 9, 10, 11, 12, 13]
    assert [i.message for i in issues if "minutely-count@test" in i.message] != []
    assert not any(e.id.startswith("minutely-count") for e in events)


def test_broken_series_are_dropped_one_by_one_with_their_uid():
    """Each broken component is reported by UID and reason; the good one is kept."""
    events, issues = read("broken_series.ics")
    assert [e.id for e in events] == ["good@test"]
    messages = " | ".join(i.message for i in issues)
    for uid in ("garbage-start@test", "no-start@test", "bad-rule@test", "no-end@test"):
        assert uid in messages
    assert "no DTSTART" in messages
    assert all(i.file == str(ICS / "broken_series.ics") for i in issues)


def test_unparsable_lines_are_salvaged_event_by_event():
    """A junk line that makes the parser give up costs no events, and is reported."""
    events, issues = read("salvage.ics")
    assert [e.id for e in events] == ["first@test", "mangled@test", "last@test"]
    assert events[0].start == berlin(2026, 12, 8, 9)  # X-WR-TIMEZONE kept while salvaging
    assert len(issues) == 1
    assert "event by event" in issues[0].message


def test_unterminated_calendar_is_read_with_a_warning():
    """A file cut before END:VCALENDAR still gives its events (not silently none)."""
    events, issues = read("unterminated.ics")
    assert [e.id for e in events] == ["complete@test", "cut@test"]
    assert "END:VCALENDAR is missing" in issues[0].message


def test_several_calendars_in_one_file():
    """Concatenated VCALENDARs are all read."""
    events, _ = read("several_calendars.ics")
    assert [e.id for e in events] == ["from-first@test", "from-second@test"]


def test_bom_and_lf_line_ends():
    """A UTF-8 BOM and LF-only lines are accepted without a warning."""
    events, issues = read("bom_lf.ics")
    assert [e.title for e in events] == ["Café with Zoë"]
    assert issues == []


def test_windows_1252_text_is_read_with_a_warning():
    """Non-UTF-8 text is decoded as Windows-1252 and the user is told."""
    events, issues = read("cp1252.ics")
    assert [e.title for e in events] == ["Café with Zoë"]
    assert "not UTF-8" in issues[0].message


def test_only_events_overlapping_the_window_are_returned():
    """Occurrences outside [start, end] are left out; an overlapping one is kept."""
    events, _ = read("dst_berlin.ics", berlin(2026, 3, 29, 9, 10), berlin(2026, 3, 30, 9, 0))
    assert [e.start for e in events if e.id.startswith("standup")] == [
        berlin(2026, 3, 29, 9), berlin(2026, 3, 30, 9)]


@pytest.mark.parametrize(
    ("content", "words"),
    [(None, "does not exist"), (b"", "not an iCalendar file"),
     (b"<html><body>Login</body></html>", "not an iCalendar file"),
     (b"BEGIN:VCALENDAR\nnonsense\nEND:VCALENDAR\n", "cannot parse the calendar file")],
    ids=["missing", "empty", "html", "unparsable"],
)
def test_unusable_file_raises_invalid_input(tmp_path, content, words):
    """A missing, empty or non-calendar file is an error naming the file."""
    path = tmp_path / "cal.ics"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InvalidInputError) as caught:
        read_calendar(path, WEEK_START, WEEK_END, BERLIN)
    assert caught.value.issues[0].file == str(path)
    assert words in caught.value.issues[0].message


def test_bare_vevents_without_vcalendar(tmp_path):
    """Components outside any VCALENDAR are still read."""
    path = tmp_path / "bare.ics"
    path.write_text("BEGIN:VEVENT\nUID:bare@test\nDTSTART:20261208T090000Z\n"
                    "DTEND:20261208T100000Z\nEND:VEVENT\n")
    events, _ = read_calendar(path, WEEK_START, WEEK_END, BERLIN)
    assert [e.id for e in events] == ["bare@test"]
