"""Valid planning files read into the Problem a user means (FORMAT.md semantics)."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tengnuo.formats.planfile import load_planfile, loads_planfile
from tengnuo.model.horizon import DayRange
from tengnuo.model.problem import Problem

ROOT = Path(__file__).resolve().parents[2]
PLANFILES = ROOT / "tests" / "data" / "planfiles"
EXAMPLE = ROOT / "examples" / "job-hunt.yaml"
BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(problem: Problem, when: datetime) -> datetime:
    return when.astimezone(problem.tz)


@pytest.fixture(scope="module")
def example() -> Problem:
    return load_planfile(EXAMPLE)


@pytest.fixture(scope="module")
def features() -> Problem:
    return load_planfile(PLANFILES / "features.yaml")


def test_example_loads_with_all_its_items(example):
    """The shipped example has 13 tasks, 3 routines and 4 inline events."""
    assert len(example.tasks) == 13
    assert len(example.routines) == 3
    assert [e.id for e in example.events if e.inline] == [
        "acme-interview", "beta-interview", "gamma-call", "delta-interview"]
    assert example.warnings == ()


def test_example_horizon_is_two_weeks_from_local_midnight(example):
    """`start: 2026-12-07` in Shanghai is local midnight; the horizon is 14 local days."""
    assert example.start == datetime(2026, 12, 7, tzinfo=SHANGHAI).astimezone(UTC)
    assert example.end == datetime(2026, 12, 21, tzinfo=SHANGHAI).astimezone(UTC)
    assert example.start.tzinfo is UTC


def test_example_calendar_weekly_call_is_on_sundays_at_eight(example):
    """The RRULE weekly call appears every Sunday 20:00-21:00 in and around the horizon."""
    calls = [e for e in example.events if e.id.startswith("weekly-call-parents@")]
    days = [local(example, e.start).date() for e in calls]
    assert days == [date(2026, 12, 6), date(2026, 12, 13), date(2026, 12, 20)]
    for call in calls:
        assert local(example, call.start).strftime("%a %H:%M") == "Sun 20:00"
        assert call.end - call.start == timedelta(hours=1)
        assert call.calendar == "calendars/personal.ics"


def test_example_calendar_badminton_skips_the_exdate(example):
    """Badminton is on Wednesdays, except 2026-12-16 which the file excludes."""
    days = [local(example, e.start).date() for e in example.events
            if e.id.startswith("badminton@")]
    assert date(2026, 12, 9) in days
    assert date(2026, 12, 16) not in days
    assert all(d.weekday() == 2 for d in days)


def test_example_calendar_all_day_trip_blocks_the_whole_day(example):
    """The all-day trip blocks 2026-12-19 from local midnight to the next midnight."""
    trip = next(e for e in example.events if e.id == "holiday-trip@example.org")
    assert local(example, trip.start) == datetime(2026, 12, 19, tzinfo=SHANGHAI)
    assert local(example, trip.end) == datetime(2026, 12, 20, tzinfo=SHANGHAI)


def test_example_single_calendar_events_keep_their_uid(example):
    """Events that do not repeat are named by their UID alone."""
    ids = {e.id for e in example.events}
    assert {"dentist@example.org", "friend-birthday@example.org"} <= ids


def test_times_without_offset_are_wall_clock_in_the_zone(features):
    """`2026-12-09 14:00` is 14:00 Berlin; an ISO offset is honoured as written."""
    interview = next(e for e in features.events if e.id == "interview")
    assert local(features, interview.start) == datetime(2026, 12, 9, 14, 0, tzinfo=BERLIN)
    assert local(features, interview.end) == datetime(2026, 12, 9, 15, 30, tzinfo=BERLIN)


def test_date_only_due_means_end_of_that_day(features):
    """`due: 2026-12-08` is 24:00 that day, i.e. the next local midnight."""
    cv = features.task("cv")
    assert cv.due == datetime(2026, 12, 9, tzinfo=BERLIN).astimezone(UTC)


def test_date_only_not_before_means_beginning_of_that_day(features):
    """`not_before: 2026-12-09` is local midnight of that day."""
    note = features.task("write-thank-you-note")
    assert note.not_before == datetime(2026, 12, 9, tzinfo=BERLIN).astimezone(UTC)


def test_date_only_event_end_covers_that_whole_day(features):
    """An event from 2026-12-10 to 2026-12-11 (dates) blocks both days entirely."""
    offsite = next(e for e in features.events if e.title.startswith("Offsite"))
    assert local(features, offsite.start) == datetime(2026, 12, 10, tzinfo=BERLIN)
    assert local(features, offsite.end) == datetime(2026, 12, 12, tzinfo=BERLIN)


def test_every_task_field_is_read(features):
    """All task fields of FORMAT.md land in the model, durations unrounded."""
    prep = features.task("prep")
    assert prep.duration == timedelta(hours=1, minutes=30)
    assert (prep.hard, prep.priority, prep.weight) == (True, 1, 8)
    assert (prep.category, prep.hours, prep.after) == ("jobsearch", "work", ("cv",))
    assert prep.split is not None
    assert (prep.split.min, prep.split.max) == (timedelta(minutes=30), timedelta(hours=1))
    assert prep.due == datetime(2026, 12, 9, 13, 0, tzinfo=BERLIN).astimezone(UTC)
    assert prep.not_before == datetime(2026, 12, 7, 12, 0, tzinfo=BERLIN).astimezone(UTC)


def test_defaults_apply_when_fields_are_absent(features):
    """A bare task gets priority 3, soft deadline, no split, the `anytime` profile."""
    cv = features.task("cv")
    assert (cv.priority, cv.hard, cv.split, cv.hours, cv.after) == (3, False, None, "anytime", ())


def test_ids_are_generated_from_titles_and_unique(features):
    """Two tasks titled the same get distinct slugs; a time-like title stays text."""
    ids = [t.id for t in features.tasks]
    assert ids == ["prep", "cv", "write-thank-you-note", "write-thank-you-note-2", "22-30"]
    assert features.task("22-30").title == "22:30"
    assert [r.id for r in features.routines] == ["run", "standup", "long-walk", "guitar"]


def test_after_accepts_a_single_id_and_an_event(features):
    """`after: interview` (no brackets) names the inline event."""
    assert features.task("write-thank-you-note").after == ("interview",)


def test_several_day_specs_add_up_for_one_day(features):
    """`mon-fri` and `wed` both give Wednesday ranges; Tuesday has only mon-fri's."""
    work = features.profile("work")
    assert work.ranges[2] == (DayRange(540, 720), DayRange(780, 1080), DayRange(1140, 1260))
    assert work.ranges[1] == (DayRange(540, 720), DayRange(780, 1080))
    assert 5 not in work.ranges


def test_hours_across_midnight_and_until_24(features):
    """`22:00-02:00` runs into the next day; `24:00` ends a range; lists are accepted."""
    assert features.profile("night").ranges == {4: (DayRange(1320, 120),),
                                                 5: (DayRange(1320, 120),)}
    assert features.profile("evenings").ranges[6] == (DayRange(1080, 1200), DayRange(1260, 1440))


def test_anytime_defaults_to_the_whole_day(features):
    """A file that does not define `anytime` still has it, 00:00-24:00 every day."""
    anytime = features.profile("anytime")
    assert all(anytime.ranges[d] == (DayRange(0, 1440),) for d in range(7))


def test_routine_every_forms(features):
    """3/week, weekday, weekend and a day list become the right weekdays and quota."""
    run, standup, walk, guitar = features.routines
    assert (run.every.weekdays, run.every.per_week) == (frozenset(range(7)), 3)
    assert standup.every.weekdays == frozenset(range(5))
    assert walk.every.weekdays == frozenset({5, 6})
    assert guitar.every.weekdays == frozenset({0, 2, 4})
    assert guitar.window == DayRange(1380, 60)
    assert walk.window == DayRange(0, 1440)
    assert (run.priority, walk.weight) == (2, 3)


def test_limits_are_read(features):
    """day_max, buffer and category quotas as timedeltas."""
    limits = features.limits
    assert (limits.day_max, limits.buffer) == (timedelta(hours=9), timedelta(minutes=10))
    assert limits.categories["work"].week_max == timedelta(hours=40)
    learning = limits.categories["learning"]
    assert (learning.week_min, learning.day_max) == (timedelta(hours=4), timedelta(hours=2))
    assert features.granularity_minutes == 30


def test_start_in_the_spring_gap_moves_forward():
    """02:30 on 2026-03-29 does not exist in Berlin: it means 03:30 CEST (01:30 UTC)."""
    problem = load_planfile(PLANFILES / "dst_start.yaml")
    assert problem.start == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_repeated_time_in_autumn_means_the_first_one():
    """02:30 on 2026-10-25 happens twice in Berlin: the first (CEST, 00:30 UTC) counts."""
    problem = load_planfile(PLANFILES / "dst_start.yaml")
    assert problem.task("in-the-fold").due == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_calendar_path_is_relative_to_the_planning_file():
    """`calendar: ../ics/...` is found next to the file; only busy events are kept."""
    problem = load_planfile(PLANFILES / "with_calendar.yaml")
    from_file = {e.id for e in problem.events if not e.inline}
    assert from_file == {"lunch@test", "conference@test", "holiday@test"}
    assert all(e.calendar == "../ics/allday_transp_cancelled.ics"
               for e in problem.events if not e.inline)


def test_calendar_warnings_reach_the_problem(tmp_path):
    """Dropped calendar components are kept as warnings, naming the UID."""
    (tmp_path / "cal.ics").write_bytes((ROOT / "tests/data/ics/broken_series.ics").read_bytes())
    text = "timezone: Europe/Berlin\nstart: 2026-12-07\ndays: 7\nevents:\n  - calendar: cal.ics\n"
    problem = loads_planfile(text, "plan.yaml", tmp_path)
    assert any("no-start@test" in w.message for w in problem.warnings)
    assert [e.id for e in problem.events] == ["good@test"]


def test_minimal_file_gets_the_defaults():
    """Only timezone, start and days: 15m grid, no limits, the anytime profile."""
    problem = load_planfile(PLANFILES / "minimal.yaml")
    assert problem.granularity_minutes == 15
    assert problem.limits.day_max is None
    assert problem.limits.buffer == timedelta(0)
    assert set(problem.hours) == {"anytime"}
    assert problem.start == datetime(2026, 12, 7, tzinfo=SHANGHAI).astimezone(UTC)


def test_start_with_a_time_keeps_it():
    """`start: 2026-12-07 08:30` starts the horizon then, and ends it at 08:30 days later."""
    problem = loads_planfile("timezone: Europe/Berlin\nstart: 2026-12-07 08:30\ndays: 2\n",
                             "x.yaml", PLANFILES)
    assert local(problem, problem.start) == datetime(2026, 12, 7, 8, 30, tzinfo=BERLIN)
    assert local(problem, problem.end) == datetime(2026, 12, 9, 8, 30, tzinfo=BERLIN)


def test_utf8_bom_is_accepted(tmp_path):
    """Editors on Windows write a BOM; it is not part of the first key."""
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (PLANFILES / "minimal.yaml").read_bytes())
    assert load_planfile(path).timezone == "Asia/Shanghai"
