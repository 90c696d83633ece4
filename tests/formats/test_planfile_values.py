"""Scalar values of the planning file: what is accepted, what it means, and what is refused."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tengnuo.formats.planfile_values import (
    parse_day_range,
    parse_day_spec,
    parse_duration,
    parse_every,
    parse_granularity,
    parse_ranges,
    parse_split,
    parse_when,
    parse_zone,
    slugify,
)
from tengnuo.model.horizon import DayRange

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("90m", 90), ("1h30m", 90), ("2h", 120), ("1h 30m", 90), ("0m", 0), ("45min", 45)],
)
def test_durations_with_units(text, minutes):
    """Hours and minutes, with the unit written."""
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["90", "1.5", "1.5h", "h", "", "2 hours", "-1h", "1d"])
def test_durations_without_a_clear_unit_are_refused(text):
    """A bare number, a fraction or a word is an error, never a guess."""
    with pytest.raises(ValueError, match=r"unit|not a duration"):
        parse_duration(text)


def test_granularity_only_allowed_steps():
    """1m, 5m, 10m, 15m, 30m; anything else names the allowed steps."""
    assert parse_granularity("30m") == 30
    with pytest.raises(ValueError, match="1m, 5m, 10m, 15m, 30m"):
        parse_granularity("1h")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-09", datetime(2026, 12, 8, 23, 0, tzinfo=UTC)),
        ("2026-12-09 14:00", datetime(2026, 12, 9, 13, 0, tzinfo=UTC)),
        ("2026-12-09T14:00", datetime(2026, 12, 9, 13, 0, tzinfo=UTC)),
        ("2026-12-09 14:00:30", datetime(2026, 12, 9, 13, 0, 30, tzinfo=UTC)),
        ("2026-12-09T14:00:00+08:00", datetime(2026, 12, 9, 6, 0, tzinfo=UTC)),
        ("2026-12-09T14:00Z", datetime(2026, 12, 9, 14, 0, tzinfo=UTC)),
        ("2026-12-09 24:00", datetime(2026, 12, 9, 23, 0, tzinfo=UTC)),
    ],
)
def test_dates_and_times(text, expected):
    """Dates, local times and ISO 8601 with an offset become the right UTC instant."""
    instant, _ = parse_when(text, BERLIN)
    assert instant == expected
    assert instant.tzinfo is UTC


def test_date_as_end_of_day():
    """A date-only `due` is the end of that day."""
    instant, date_only = parse_when("2026-12-09", BERLIN, end_of_day=True)
    assert date_only
    assert instant == datetime(2026, 12, 9, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text", ["2026-12-32", "09.12.2026", "2026-12-09 9", "tomorrow", "2026-12-09 12:60",
             "2026-12-09T14:00+25:00", "20261209"])
def test_bad_dates_are_refused(text):
    """Impossible or foreign-looking dates are errors that show the accepted forms."""
    with pytest.raises(ValueError, match="2026-12-09"):
        parse_when(text, BERLIN)


def test_unknown_zone():
    """A zone not in the IANA database is refused by name."""
    assert parse_zone("Asia/Shanghai").key == "Asia/Shanghai"
    for name in ("Europe/Atlantis", "CEST+2", "../etc/passwd", ""):
        with pytest.raises(ValueError, match="unknown time zone"):
            parse_zone(name)


def test_ranges():
    """Comma-separated ranges; 24:00 as an end; a reversed range runs past midnight."""
    assert parse_ranges("09:00-12:00, 13:00-18:00") == (DayRange(540, 720), DayRange(780, 1080))
    assert parse_day_range("00:00-24:00") == DayRange(0, 1440)
    assert parse_day_range("22:00-02:00").crosses_midnight
    for bad in ("24:00-02:00", "9-12", "09:00-12:00-13:00", "09:00-09:00", "09:00"):
        with pytest.raises(ValueError, match=r"time|range"):
            parse_day_range(bad)
    with pytest.raises(ValueError, match="empty range"):
        parse_ranges("09:00-12:00,")


@pytest.mark.parametrize(
    ("text", "days"),
    [("mon-fri", {0, 1, 2, 3, 4}), ("sat-sun", {5, 6}), ("mon", {0}), ("mon,wed,fri", {0, 2, 4}),
     ("mon-sun", set(range(7))), ("fri-mon", {4, 5, 6, 0}), ("Tue", {1}), ("monday", {0})],
)
def test_day_specs(text, days):
    """Day names, ranges (wrapping over the week end) and lists."""
    assert parse_day_spec(text) == frozenset(days)


def test_every_forms():
    """day | weekday | weekend | a day list | N/week (all days, at most N)."""
    assert parse_every("day").weekdays == frozenset(range(7))
    assert parse_every("weekday").weekdays == frozenset(range(5))
    assert parse_every("weekend").weekdays == frozenset({5, 6})
    assert parse_every("tue,thu").weekdays == frozenset({1, 3})
    three = parse_every("3/week")
    assert (three.weekdays, three.per_week) == (frozenset(range(7)), 3)
    for bad in ("8/week", "0/week", "hourly", "2/month"):
        with pytest.raises(ValueError, match=r"every|N/week"):
            parse_every(bad)


def test_split_rounds_to_the_grid():
    """Minimum rounds up, maximum down; an error only when nothing is left."""
    split = parse_split("20m-50m", 15)
    assert (split.min, split.max) == (timedelta(minutes=20), timedelta(minutes=50))  # unrounded
    with pytest.raises(ValueError, match="rounds up to 30m and the maximum down to 15m"):
        parse_split("20m-25m", 15)
    with pytest.raises(ValueError, match="larger than the maximum"):
        parse_split("2h-1h", 15)
    with pytest.raises(ValueError, match="more than 0m"):
        parse_split("0m-1h", 15)


def test_slugs():
    """Slugs are lowercase ASCII words; accents are folded, punctuation dropped."""
    assert slugify("Prepare Acme: system design!") == "prepare-acme-system-design"
    assert slugify("Café crème") == "cafe-creme"
    assert slugify("!!!") == "item"
    assert len(slugify("word " * 30)) <= 40
