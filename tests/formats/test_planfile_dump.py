"""A Problem written as a planning file reads back into the same Problem (FORMAT.md round trip)."""

import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tengnuo.formats.planfile import load_planfile, loads_planfile
from tengnuo.formats.planfile_dump import dump_planfile
from tengnuo.model.horizon import DayRange
from tengnuo.model.items import Event, Every, HoursProfile, Routine, Task
from tengnuo.model.problem import ALL_DAY, DEFAULT_PROFILE, Problem

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:  # `strategies` lives in tests/, also when run alone
    sys.path.insert(0, str(ROOT / "tests"))
from strategies import problems  # noqa: E402

PLANFILES = sorted([*(ROOT / "examples").glob("*.yaml"),
                    *(ROOT / "tests" / "data" / "planfiles").glob("*.yaml")])
EMPTY_ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tengnuo tests//empty//EN\r\n" \
            "END:VCALENDAR\r\n"
TRICKY_TITLES = (
    "yes", "no", "null", "~", "true", "12:30", "22:00-02:00", "2026-12-09", "1h30m", "3", "0x1F",
    "#tag", "a # not a comment", "!important", "&anchor", "*alias", "- dash", "? what",
    "key: value", "colon:", "[list]", "{map}", "a, b", "'single'", '"double"', "it's", "%percent",
    "@at", "`tick`", "| pipe", "> fold", "写简历", "准备面试：系统设计", "🎉 party", "Café ☕",
    "multi\nline", "next\x85line", "line\u2028separator", "tab\there", "back\\slash", "---",
    "...", "=", "<<",
)
MINUTE = timedelta(minutes=1)


def assert_equivalent(got: Problem, want: Problem) -> None:
    """Field by field; calendar events by their instants (they come from the file again)."""
    assert got.timezone == want.timezone
    assert got.start == want.start
    assert got.days == want.days
    assert got.granularity_minutes == want.granularity_minutes
    assert normal_hours(got) == normal_hours(want)
    assert got.limits == want.limits
    assert got.tasks == want.tasks
    assert got.routines == want.routines
    assert [e for e in got.events if e.inline] == [e for e in want.events if e.inline]
    assert calendar_instants(got) == calendar_instants(want)


def normal_hours(problem: Problem) -> dict[str, HoursProfile]:
    """The profiles as the reader defines them: `anytime` always present, no empty days."""
    hours = {name: HoursProfile(name, {d: tuple(r) for d, r in p.ranges.items() if r})
             for name, p in problem.hours.items()}
    hours.setdefault(DEFAULT_PROFILE, ALL_DAY)
    return hours


def calendar_instants(problem: Problem) -> list[tuple[str | None, datetime, datetime]]:
    return sorted((e.calendar, e.start, e.end) for e in problem.events if not e.inline)


def as_text(text: str) -> dict:
    """The file with every scalar as the text written (no YAML 1.1 guessing)."""
    return yaml.load(text, Loader=yaml.BaseLoader)


def round_trip(problem: Problem, base_dir: Path, calendars: tuple[str, ...] = ()) -> str:
    """Dump, read back, compare; dump again and check the text is a fixed point."""
    text = dump_planfile(problem, calendars)
    again = loads_planfile(text, "<dump>", base_dir)
    assert_equivalent(again, problem)
    assert dump_planfile(again, calendars) == text
    assert "!!" not in text  # no value needed an explicit YAML tag
    return text


@pytest.mark.parametrize("path", PLANFILES, ids=lambda p: p.name)
def test_every_shipped_planning_file_round_trips(path: Path):
    problem = load_planfile(path)
    round_trip(problem, path.parent)


def test_calendar_events_are_named_not_expanded():
    """The example's calendar file appears once as `calendar:`, none of its events inline."""
    path = ROOT / "examples" / "job-hunt.yaml"
    problem = load_planfile(path)
    data = yaml.safe_load(dump_planfile(problem))
    refs = [e for e in data["events"] if "calendar" in e]
    assert refs == [{"calendar": "calendars/personal.ics"}]
    assert len(data["events"]) == 1 + sum(e.inline for e in problem.events)


def test_calendars_argument_names_each_path_once_as_given(tmp_path: Path):
    (tmp_path / "a.ics").write_text(EMPTY_ICS)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.ics").write_text(EMPTY_ICS)
    problem = Problem("UTC", datetime(2026, 12, 7, tzinfo=UTC), 2)
    text = dump_planfile(problem, ["a.ics", "sub/b.ics", "a.ics"])
    assert yaml.safe_load(text)["events"] == [{"calendar": "a.ics"}, {"calendar": "sub/b.ics"}]
    assert loads_planfile(text, "<dump>", tmp_path).events == ()


def test_file_keeps_format_md_order_and_leaves_defaults_out():
    start = datetime(2026, 12, 6, 23, tzinfo=UTC)  # midnight in Berlin
    task = Task("t", "Task", timedelta(minutes=90), due=datetime(2026, 12, 8, 12, tzinfo=UTC))
    routine = Routine("r", "Routine", timedelta(minutes=30), Every(frozenset(range(7))),
                      DayRange(0, 1440))
    text = dump_planfile(Problem("Europe/Berlin", start, 7, tasks=(task,), routines=(routine,)))
    assert text == (
        "timezone: Europe/Berlin\nstart: 2026-12-07\ndays: 7\ngranularity: 15m\n\n"
        "tasks:\n  - id: t\n    title: Task\n    duration: 1h30m\n    due: 2026-12-08 13:00\n\n"
        "routines:\n  - id: r\n    title: Routine\n    duration: 30m\n    every: day\n"
    )


def test_start_off_midnight_is_written_with_its_time():
    problem = Problem("Asia/Shanghai", datetime(2026, 12, 7, 1, 30, tzinfo=UTC), 1)
    assert "start: 2026-12-07 09:30\n" in round_trip(problem, ROOT)


@pytest.mark.parametrize(("utc", "written"), [
    (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "2026-10-25 02:30"),        # first 02:30 (CEST)
    (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "2026-10-25T02:30+01:00"),  # repeated 02:30 (CET)
    (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "2026-03-29 03:00"),          # just after the gap
    (datetime(2026, 3, 29, 0, 59, 30, tzinfo=UTC), "2026-03-29 01:59:30"),  # just before it
])
def test_dst_day_times_round_trip_to_the_same_instant(utc: datetime, written: str):
    start = datetime(2026, 3, 1, tzinfo=UTC)
    task = Task("t", "Task", timedelta(minutes=30), due=utc, not_before=utc - timedelta(hours=1))
    event = Event("e", "Event", utc, utc + timedelta(minutes=30))
    problem = Problem("Europe/Berlin", start, 1, tasks=(task,), events=(event,))
    text = round_trip(problem, ROOT)
    assert f"due: {written}\n" in text
    assert f"start: {written}\n" in text
    again = loads_planfile(text, "<dump>", ROOT)
    assert again.tasks[0].due == utc
    assert again.events[0].start == utc


def test_whole_day_event_and_midnight_due_are_written_as_dates():
    midnight = datetime(2026, 12, 9, 23, tzinfo=UTC)  # 2026-12-10 00:00 in Berlin
    event = Event("off", "Offsite", midnight, midnight + timedelta(days=2))
    task = Task("t", "Task", timedelta(hours=1), due=midnight, not_before=midnight - timedelta(1))
    late = Event("late", "Late", midnight - timedelta(hours=2), midnight)
    problem = Problem("Europe/Berlin", midnight - timedelta(days=3), 7, events=(event, late),
                      tasks=(task,))
    data = as_text(round_trip(problem, ROOT))
    assert data["events"][0]["start"] == "2026-12-10"
    assert data["events"][0]["end"] == "2026-12-11"  # a date as end: the end of that day
    assert data["events"][1]["end"] == "2026-12-10 00:00"  # not a whole-day event
    assert data["tasks"][0]["due"] == "2026-12-09"
    assert data["tasks"][0]["not_before"] == "2026-12-09"


def test_unwritable_values_are_refused():
    start = datetime(2026, 12, 7, tzinfo=UTC)
    odd = Task("t", "Task", timedelta(minutes=1, seconds=30))
    with pytest.raises(ValueError, match="whole number of minutes"):
        dump_planfile(Problem("UTC", start, 1, tasks=(odd,)))
    some_days = Routine("r", "R", timedelta(minutes=30), Every(frozenset({0, 2}), per_week=1),
                        DayRange(0, 1440))
    with pytest.raises(ValueError, match="N/week"):
        dump_planfile(Problem("UTC", start, 1, routines=(some_days,)))


def readable(problem: Problem) -> Problem:
    """The strategy's problem made acceptable to the file reader, which checks three things that
    `Problem.validate` does not: a routine fits its window, `due` is after `not_before`, and a
    category's `week_min` is at most its `week_max`."""
    categories = {name: c if c.week_min is None or c.week_max is None or c.week_min <= c.week_max
                  else replace(c, week_min=c.week_max)
                  for name, c in problem.limits.categories.items()}
    tasks = tuple(t if t.due is None or t.not_before is None or t.due > t.not_before
                  else replace(t, not_before=None) for t in problem.tasks)
    routines = tuple(replace(r, duration=min(r.duration, r.window.length_minutes * MINUTE))
                     for r in problem.routines)
    limits = replace(problem.limits, categories=categories)
    return replace(problem, tasks=tasks, routines=routines, limits=limits)


TITLES = st.sampled_from(TRICKY_TITLES) | st.text(min_size=1, max_size=20).filter(
    lambda t: t == t.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), data=st.data())
def test_random_problems_round_trip(tmp_path_factory: pytest.TempPathFactory, problem: Problem,
                                    data: st.DataObject):
    """Random problems (DST starts, midnight-crossing ranges, splits, limits) with titles and
    categories that YAML would misread; the strategy's calendar file is an empty one here."""
    def titled(item: Event | Task | Routine) -> Event | Task | Routine:
        return replace(item, title=data.draw(TITLES))

    cal_events = [e for e in problem.events if not e.inline]
    problem = readable(problem)
    problem = replace(
        problem,
        events=tuple(titled(e) for e in problem.events if e.inline),
        tasks=tuple(titled(t) for t in problem.tasks),
        routines=tuple(titled(r) for r in problem.routines),
    )
    base = tmp_path_factory.getbasetemp() / "calendars"
    base.mkdir(exist_ok=True)
    (base / "personal.ics").write_text(EMPTY_ICS)
    text = round_trip(problem, base, tuple(sorted({e.calendar or "" for e in cal_events})))
    # Any YAML reader, not only ours, reads the titles back as the same strings.
    assert [t["title"] for t in yaml.safe_load(text)["tasks"]] == [t.title for t in problem.tasks]
