"""Invalid planning files: every problem named with its file, line and field, all at once."""

from pathlib import Path

import pytest

from tengnuo.errors import InvalidInputError, Issue
from tengnuo.formats.planfile import load_planfile, loads_planfile

INVALID = Path(__file__).resolve().parents[2] / "tests" / "data" / "invalid"
HEAD = "timezone: UTC\nstart: 2026-12-07\ndays: 1\n"

# file, line, field, words the message must contain (what a user needs to fix it)
CASES = [
    ("yaml_syntax.yaml", 7, None, "YAML syntax error"),
    ("duplicate_key.yaml", 7, "tasks[0].duration", "(first written on line 6)"),
    ("unknown_top_field.yaml", 4, "horizon", "unknown field `horizon`"),
    ("missing_duration.yaml", 7, "tasks[1].duration", "missing required field `duration`"),
    ("missing_days.yaml", 1, "days", "missing required field `days`"),
    ("duration_without_unit.yaml", 6, "tasks[0].duration", "has no unit"),
    ("duration_words.yaml", 6, "routines[0].duration", "`1.5 hours` is not a duration"),
    ("bad_date.yaml", 7, "tasks[0].due", "`2026-13-09` is not a calendar date"),
    ("unknown_zone.yaml", 1, "timezone", "unknown time zone `Europe/Atlantis`"),
    ("bad_granularity.yaml", 4, "granularity", "1m, 5m, 10m, 15m, 30m"),
    ("unknown_profile.yaml", 10, "tasks[0].hours", "unknown hours profile 'evenings'"),
    ("unknown_after.yaml", 7, "tasks[0].after", "'nope', which is unknown"),
    ("after_routine.yaml", 7, "tasks[0].after", "which is a routine"),
    ("after_cycle.yaml", 10, "tasks[1].after", "cycle: a -> b -> a"),
    ("event_end_before_start.yaml", 8, "events[0].end", "end is not after start"),
    ("priority_out_of_range.yaml", 7, "tasks[0].priority", "from 1 to 4, not 5"),
    ("split_off_grid.yaml", 8, "tasks[0].split", "rounds up to 60m and the maximum down to 30m"),
    ("bad_every.yaml", 7, "routines[0].every", "`fortnightly` is not a valid `every`"),
    ("empty_window.yaml", 8, "routines[0].window", "is empty"),
    ("window_single_time.yaml", 8, "routines[0].window", "`22:30` is not a time range"),
    ("routine_longer_than_window.yaml", 8, "routines[0].window", "does not fit in its window"),
    ("bad_hours_range.yaml", 6, "hours.work.mon-fri", "`25:00` is not a time of day"),
    ("bad_day_spec.yaml", 6, "hours.work.mon-fry", "unknown day `fry`"),
    ("missing_calendar.yaml", 9, "events[1].calendar", "cannot read calendar `calendars/now"),
    ("duplicate_id.yaml", 7, "tasks[1].id", "id 'a' is used twice"),
    ("hard_without_due.yaml", 7, "tasks[0].hard", "needs a due date"),
    ("yes_is_not_true.yaml", 8, "tasks[0].hard", "`yes` is not true or false"),
    ("week_min_over_max.yaml", 6, "limits.categories.learning.week_min", "larger than week_max"),
    ("bad_category_limit.yaml", 6, "limits.categories.learning.week_min", "has no unit"),
    ("tasks_not_a_list.yaml", 5, "tasks", "expected a list"),
    ("days_zero.yaml", 3, "days", "from 1 to 366, not 0"),
    ("due_before_not_before.yaml", 8, "tasks[0].due", "due is not after not_before"),
    ("empty.yaml", 1, None, "empty"),
]


def issues_of(name: str) -> list[Issue]:
    with pytest.raises(InvalidInputError) as caught:
        load_planfile(INVALID / name)
    return caught.value.issues


@pytest.mark.parametrize(("name", "line", "field", "words"), CASES, ids=[c[0] for c in CASES])
def test_invalid_file_names_line_and_field(name, line, field, words):
    """The file is refused with exactly one issue, at the right line and field."""
    issues = issues_of(name)
    assert len(issues) == 1, issues
    issue = issues[0]
    assert (issue.line, issue.field) == (line, field)
    assert words in issue.message
    assert issue.file == str(INVALID / name)


def test_unknown_field_suggests_the_near_name():
    """A typo is reported as unknown (never ignored), with the field it probably meant."""
    issues = issues_of("unknown_field.yaml")
    unknown = next(i for i in issues if i.field == "tasks[0].duraton")
    assert unknown.line == 7
    assert "did you mean `duration`?" in unknown.message
    assert any(i.field == "tasks[0].duration" for i in issues)  # and the real one is missing


def test_bad_time_in_start_and_end_both_reported():
    """25:00 and 26:00 are each reported on their own line."""
    issues = issues_of("bad_time.yaml")
    assert [(i.line, i.field) for i in issues] == [(6, "events[0].start"), (7, "events[0].end")]


def test_several_errors_are_reported_together_in_line_order():
    """Five mistakes in different places come back in one error, sorted by line."""
    issues = issues_of("several_errors.yaml")
    assert [(i.line, i.field) for i in issues] == [
        (5, "granularity"),
        (9, "tasks[0].duration"),
        (13, "tasks[1].priority"),
        (14, "tasks[1].after"),
        (19, "routines[0].every"),
    ]


def test_a_broken_task_does_not_make_its_successor_unknown():
    """A task whose duration is unreadable still exists for `after` (no false second issue)."""
    text = """timezone: UTC
start: 2026-12-07
days: 3
tasks:
  - id: a
    duration: soon
  - id: b
    duration: 1h
    after: [a]
"""
    with pytest.raises(InvalidInputError) as caught:
        loads_planfile(text, "t.yaml", INVALID)
    assert [(i.line, i.field) for i in caught.value.issues] == [(6, "tasks[0].duration")]


def test_missing_file_is_an_issue_not_a_crash(tmp_path):
    """A path that does not exist gives an InvalidInputError naming it."""
    with pytest.raises(InvalidInputError) as caught:
        load_planfile(tmp_path / "nope.yaml")
    assert caught.value.issues[0].file == str(tmp_path / "nope.yaml")


def test_non_utf8_file_names_the_line(tmp_path):
    """Latin-1 bytes in a planning file are refused with the line they are on."""
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"timezone: UTC\nstart: 2026-12-07\ndays: 1\n# caf\xe9\n")
    with pytest.raises(InvalidInputError) as caught:
        load_planfile(path)
    assert caught.value.issues[0].line == 4


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        ("- just a list\n", 1, None),
        (HEAD + "tasks:\n  - 5\n", 5, "tasks[0]"),
        (HEAD + "tasks:\n  - title: [x]\n    duration: 1h\n", 5, "tasks[0].title"),
        (HEAD + "---\nx: 1\n", 4, None),
        (HEAD + "events:\n  - calendar: ../ics/floating.ics\n    id: e\n", 6, "events[0].id"),
    ],
    ids=["top-level-list", "item-not-mapping", "title-is-a-list", "two-documents",
         "calendar-with-extra-field"],
)
def test_wrong_shapes_are_reported_where_they_are(text, line, field):
    """Values of the wrong YAML shape are one clear issue each."""
    with pytest.raises(InvalidInputError) as caught:
        loads_planfile(text, "t.yaml", INVALID)
    issues = caught.value.issues
    assert len(issues) == 1, issues
    assert (issues[0].line, issues[0].field) == (line, field)


def test_missing_calendar_reported_even_when_the_horizon_is_broken():
    """A bad zone does not hide a missing calendar file: both come back in one run."""
    text = "timezone: Mars/Base\nstart: 2026-12-07\ndays: 7\nevents:\n  - calendar: gone.ics\n"
    with pytest.raises(InvalidInputError) as caught:
        loads_planfile(text, "t.yaml", INVALID)
    assert [(i.line, i.field) for i in caught.value.issues] == [
        (1, "timezone"), (5, "events[0].calendar")]
