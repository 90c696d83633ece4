"""A plan written as iCalendar: calendar apps get every block at the right instant, stably named."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tengnuo.formats.ics import plan_to_ics, read_calendar
from tengnuo.model.plan import Block

BERLIN = ZoneInfo("Europe/Berlin")
STAMP = datetime(2026, 12, 1, tzinfo=UTC)


def at(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


BLOCKS = [
    # chunks of one task, the second across the spring DST switch (01:30-03:00 UTC on 29 March)
    Block(at(28, 8), at(28, 9), "acme-prep", "task", "Prepare Acme", "jobsearch", 1, 3),
    Block(at(29, 0, 30), at(29, 2), "acme-prep", "task", "Prepare Acme", "jobsearch", 2, 3),
    Block(at(30, 8), at(30, 9), "acme-prep", "task", "Prepare Acme", "jobsearch", 3, 3),
    Block(at(28, 6), at(28, 6, 45), "run", "routine", "Run", "health"),
    Block(at(29, 6), at(29, 6, 45), "run", "routine", "Run", "health"),
    Block(at(28, 10), at(28, 10, 20), "thanks", "task", "Thank-you note; to Acme, \"now\""),
]


@pytest.fixture(scope="module")
def calendar():
    return icalendar.Calendar.from_ical(plan_to_ics(BLOCKS, BERLIN, "My week", stamp=STAMP))


def vevents(calendar):
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_every_block_round_trips_to_the_same_utc_instants(calendar):
    """Parsed back, each VEVENT starts and ends exactly when its block does."""
    events = vevents(calendar)
    assert len(events) == len(BLOCKS)
    got = sorted((e.start.astimezone(UTC), e.end.astimezone(UTC)) for e in events.values())
    assert got == sorted((b.start, b.end) for b in BLOCKS)


def test_uids_are_stable_and_derived_from_the_block(calendar):
    """Chunks are numbered, routine occurrences dated (local date), whole tasks plain."""
    assert set(vevents(calendar)) == {
        "acme-prep.1@tengnuo", "acme-prep.2@tengnuo", "acme-prep.3@tengnuo",
        "run.2026-03-28@tengnuo", "run.2026-03-29@tengnuo", "thanks@tengnuo",
    }
    again = plan_to_ics(list(reversed(BLOCKS)), BERLIN, "My week", stamp=STAMP)
    assert again == plan_to_ics(BLOCKS, BERLIN, "My week", stamp=STAMP)


def test_summary_counts_chunks_and_keeps_punctuation(calendar):
    """`(2/3)` marks the second of three chunks; commas and quotes survive escaping."""
    events = vevents(calendar)
    assert str(events["acme-prep.2@tengnuo"]["SUMMARY"]) == "Prepare Acme (2/3)"
    assert str(events["thanks@tengnuo"]["SUMMARY"]) == 'Thank-you note; to Acme, "now"'
    assert str(events["run.2026-03-28@tengnuo"]["SUMMARY"]) == "Run"


def test_times_carry_the_zone_and_a_vtimezone(calendar):
    """DTSTART has TZID=Europe/Berlin and the calendar defines that zone."""
    event = vevents(calendar)["acme-prep.2@tengnuo"]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.start == datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN)
    assert event.end == datetime(2026, 3, 29, 4, 0, tzinfo=BERLIN)  # after the spring switch
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_calendar_properties_and_categories(calendar):
    """The calendar is named, every VEVENT has DTSTAMP; categories are kept."""
    assert str(calendar["X-WR-CALNAME"]) == "My week"
    assert str(calendar["VERSION"]) == "2.0"
    events = vevents(calendar)
    assert all(e["DTSTAMP"].dt == STAMP for e in events.values())
    assert events["acme-prep.1@tengnuo"].categories == ["jobsearch"]
    assert "CATEGORIES" not in events["thanks@tengnuo"]


def test_our_own_reader_reads_the_plan_back(tmp_path):
    """What we write, we read: the blocks come back as busy events at the same instants."""
    path = tmp_path / "plan.ics"
    path.write_bytes(plan_to_ics(BLOCKS, BERLIN, stamp=STAMP))
    events, issues = read_calendar(path, at(27, 0), at(31, 0), ZoneInfo("Asia/Tokyo"))
    assert issues == []
    assert sorted((e.start, e.end) for e in events) == sorted((b.start, b.end) for b in BLOCKS)


def test_two_blocks_on_one_date_never_share_a_uid():
    """A routine with a window across midnight may start twice on one date; UIDs stay unique."""
    late = Block(at(28, 23, 30), at(28, 23, 45), "night", "routine", "Night walk")
    early = Block(at(28, 0, 30), at(28, 0, 45), "night", "routine", "Night walk")
    calendar = icalendar.Calendar.from_ical(plan_to_ics([late, early], ZoneInfo("UTC")))
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(set(uids)) == 2


def test_empty_plan_is_a_valid_calendar():
    """No blocks still gives a calendar apps can open."""
    calendar = icalendar.Calendar.from_ical(plan_to_ics([], BERLIN))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["PRODID"])


def test_dtstamp_defaults_to_now():
    """Without a stamp, DTSTAMP is the time of writing."""
    calendar = icalendar.Calendar.from_ical(plan_to_ics(BLOCKS[:1], BERLIN))
    stamp = calendar.walk("VEVENT")[0]["DTSTAMP"].dt
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=1)
