"""`routine`, `event`, `calendar`, `hours`, `limit`, `config`, `import`, `export` on a real
workspace, as a person sees them: what each prints (and its --json), that bad input exits 2
naming the field and changes nothing, and that `export --yaml` reads back exactly.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import icalendar
import pytest
from cli_helpers import DATA, JOB_HUNT, PLAIN_ENV, REPO, SMALL
from typer.testing import CliRunner, Result

from tengnuo.cli.main import app
from tengnuo.errors import InvalidInputError
from tengnuo.formats.planfile import load_planfile
from tengnuo.model.problem import ALL_DAY, DEFAULT_PROFILE, Problem
from tengnuo.planner.workspace import open_workspace

NOW = "2026-12-07 08:00"
ICS = DATA / "ics"


def _planfiles() -> list[Path]:
    """Every valid planning file of examples/ and tests/data/planfiles/."""
    found = sorted((REPO / "examples").glob("*.yaml"))
    found += sorted((DATA / "planfiles").glob("*.yaml"))
    valid = []
    for path in found:
        try:
            load_planfile(path)
        except InvalidInputError:
            continue
        valid.append(path)
    return valid


PLANFILES = _planfiles()


class Shell:
    """`tengnuo --workspace W --now NOW ...` through typer's runner."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.runner = CliRunner(env=PLAIN_ENV)

    def __call__(self, *args: str | Path, stdin: str | None = None) -> Result:
        return self.runner.invoke(app, ["--workspace", str(self.path), "--now", NOW,
                                        *map(str, args)], input=stdin)

    def ok(self, *args: str | Path, stdin: str | None = None) -> str:
        result = self(*args, stdin=stdin)
        assert result.exit_code == 0, result.output
        return result.stdout

    def json(self, *args: str | Path) -> object:
        return json.loads(self.ok(*args, "--json"))


def fresh(tmp_path: Path, name: str = "w", zone: str = "Asia/Shanghai") -> Shell:
    sh = Shell(tmp_path / f"{name}.db")
    sh.ok("init", "--timezone", zone)
    return sh


@pytest.fixture
def sh(tmp_path: Path) -> Shell:
    return fresh(tmp_path)


@pytest.fixture(scope="module")
def filled_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The job hunt imported, plus a routine and an event typed in (built once)."""
    sh = fresh(tmp_path_factory.mktemp("template"))
    sh.ok("import", JOB_HUNT)
    sh.ok("routine", "add", "Stretch", "-d", "15m", "--every", "day", "--window", "21:00-23:00")
    sh.ok("event", "add", "Dentist", "--start", "2026-12-10 09:00", "--end", "10:00")
    return sh.path


@pytest.fixture
def filled(filled_template: Path, tmp_path: Path) -> Shell:
    """A copy of the template workspace of its own."""
    shutil.copyfile(filled_template, tmp_path / "filled.db")
    return Shell(tmp_path / "filled.db")


# ------------------------------------------------------------------------------------ routines


def test_routine_add_list_and_json(sh: Shell):
    """Added routines show in the list with duration, every and window, and as JSON."""
    out = sh.ok("routine", "add", "Run by the river", "--duration", "45m", "--every",
                "mon,wed,fri", "--window", "07:00-09:00", "-c", "health")
    assert out.strip() == ("Added run-by-the-river: Run by the river, 45m every mon,wed,fri in "
                           "07:00-09:00, #health")
    sh.ok("routine", "add", "Read", "-d", "30m", "--every", "3/week", "-p", "2", "--id", "read")
    sh.ok("routine", "add", "Plan the day", "-d", "10m", "--every", "weekday")
    listing = sh.ok("routine", "list")
    assert "run-by-the-river  Run by the river  45m" in listing
    assert "mon,wed,fri  07:00-09:00  health" in listing
    assert "3/week" in listing
    assert "weekday      00:00-24:00" in listing
    data = sh.json("routine", "list")
    assert [r["id"] for r in data] == ["plan-the-day", "read", "run-by-the-river"]
    read = data[1]
    assert read == {"id": "read", "title": "Read", "duration_minutes": 30, "every": "3/week",
                    "weekdays": [0, 1, 2, 3, 4, 5, 6], "per_week": 3, "window": "00:00-24:00",
                    "category": None, "priority": 2}
    assert data[2]["weekdays"] == [0, 2, 4]


def test_routine_edit_changes_only_the_fields_given(sh: Shell):
    sh.ok("routine", "add", "Run", "-d", "45m", "--every", "day", "--window", "07:00-09:00",
          "-c", "health")
    out = sh.ok("routine", "edit", "run", "--every", "weekend", "--window", "06:30-08:30")
    assert "every weekend in 06:30-08:30" in out
    (run,) = sh.json("routine", "list")
    assert (run["duration_minutes"], run["every"], run["window"], run["category"]) == (
        45, "weekend", "06:30-08:30", "health")
    sh.ok("routine", "edit", "run", "--category", "none", "--title", "Run fast")
    (run,) = sh.json("routine", "list")
    assert (run["title"], run["category"]) == ("Run fast", None)


def test_routine_rm_asks_unless_yes(sh: Shell):
    sh.ok("routine", "add", "Run", "-d", "45m", "--every", "day")
    declined = sh("routine", "rm", "run", stdin="n\n")
    assert declined.exit_code == 1
    assert "Delete routine run (Run)?" in declined.stdout
    assert len(sh.json("routine", "list")) == 1
    assert "Deleted routine run" in sh.ok("routine", "rm", "run", stdin="y\n")
    assert sh.json("routine", "list") == []
    sh.ok("routine", "add", "Run", "-d", "45m", "--every", "day")
    sh.ok("routine", "rm", "run", "--yes")
    assert sh.ok("routine", "list").strip() == "No routines."


# -------------------------------------------------------------------------------------- events


def test_event_add_in_the_workspace_zone_list_and_rm(sh: Shell):
    """Times are wall-clock times of the workspace; the quick-add words work too."""
    out = sh.ok("event", "add", "Acme interview", "--start", "2026-12-09 14:00", "--end",
                "2026-12-09 15:30", "-c", "jobsearch")
    assert out.strip() == "Added acme-interview: Acme interview, Wed 2026-12-09 14:00-15:30, " \
                          "#jobsearch"
    sh.ok("event", "add", "Dentist", "--start", "thu 09:00", "--end", "10:15", "--id", "teeth")
    data = sh.json("event", "list")
    assert data == [
        {"id": "acme-interview", "title": "Acme interview", "start": "2026-12-09T14:00:00+08:00",
         "end": "2026-12-09T15:30:00+08:00", "category": "jobsearch"},
        {"id": "teeth", "title": "Dentist", "start": "2026-12-10T09:00:00+08:00",
         "end": "2026-12-10T10:15:00+08:00", "category": None},
    ]
    assert "teeth           Dentist         Thu 2026-12-10 09:00-10:15" in sh.ok("event", "list")
    assert "Deleted event teeth" in sh.ok("event", "rm", "teeth")
    assert [e["id"] for e in sh.json("event", "list")] == ["acme-interview"]


def test_event_list_shows_only_inline_events(sh: Shell):
    sh.ok("calendar", "add", REPO / "examples" / "calendars" / "personal.ics")
    assert sh.ok("event", "list").strip() == "No events."


# ----------------------------------------------------------------------------------- calendars


@pytest.mark.parametrize(("name", "count", "warnings"), [
    ("allday_transp_cancelled.ics", 3, []),
    ("broken_series.ics", 1, ["garbage-start@test", "no-start@test", "bad-rule@test",
                              "no-end@test"]),
    ("dst_berlin.ics", 7, []),
    ("salvage.ics", 3, ["the file has errors"]),
    ("zones.ics", 3, ["unknown-zone@test"]),
])
def test_calendar_add_counts_the_coming_events_and_warns(sh: Shell, name: str, count: int,
                                                         warnings: list[str]):
    """The events of the coming horizon (7 days from --now) and every dropped component."""
    result = sh("calendar", "add", ICS / name)
    assert result.exit_code == 0, result.output
    plural = "" if count == 1 else "s"
    assert f"Subscribed to {ICS / name}: {count} event{plural} in the coming 7 days" \
        in result.stdout
    for words in warnings:
        assert words in result.stderr
    if not warnings:
        assert result.stderr == ""
    data = json.loads(sh.ok("calendar", "add", ICS / name, "--json"))
    assert (data["events"], len(data["warnings"])) == (count, len(warnings))


def test_calendar_list_and_rm(sh: Shell, tmp_path: Path):
    gone = tmp_path / "gone.ics"
    gone.write_bytes((ICS / "bom_lf.ics").read_bytes())
    sh.ok("calendar", "add", ICS / "zones.ics")
    sh.ok("calendar", "add", gone)
    gone.unlink()
    assert sh.ok("calendar", "list").splitlines() == [str(ICS / "zones.ics"),
                                                      f"{gone}  (missing)"]
    plain = {"all_day_free": False, "me": []}
    assert sh.json("calendar", "list") == [
        {"path": str(ICS / "zones.ics"), "exists": True, **plain},
        {"path": str(gone), "exists": False, **plain}]
    sh.ok("calendar", "rm", gone)
    assert sh.json("calendar", "list") == [
        {"path": str(ICS / "zones.ics"), "exists": True, **plain}]


def test_calendar_options_free_all_day_events_and_declined_invitations(sh: Shell):
    """--all-day-free and --me change what blocks time in the next plan; adding the same file
    again changes its options."""
    declined = ICS / "declined.ics"
    busy = sh.json("calendar", "add", declined)["events"]
    assert busy > 0
    freed = sh.json("calendar", "add", declined, "--me", "me@example.org")["events"]
    assert freed < busy
    listed = sh.json("calendar", "list")
    assert listed[0]["me"] == ["me@example.org"]
    assert len(listed) == 1


# ------------------------------------------------------------------------------ hours, limits


def test_hours_set_list_rm(sh: Shell):
    spec = "mon-fri 09:00-12:00, 13:00-18:00; sat 10:00-12:00"
    assert sh.ok("hours", "set", "work", spec).strip() == f"Hours work: {spec}"
    sh.ok("hours", "set", "evenings", "mon,wed 19:00-22:00")
    listing = sh.ok("hours", "list")
    assert f"work      {spec}" in listing
    assert "evenings  mon,wed 19:00-22:00" in listing
    data = {p["name"]: p for p in sh.json("hours", "list")}
    assert data["work"]["days"]["sat"] == ["10:00-12:00"]
    assert data["work"]["days"]["mon"] == ["09:00-12:00", "13:00-18:00"]
    assert "sun" not in data["work"]["days"]
    sh.ok("hours", "rm", "evenings")
    assert [p["name"] for p in sh.json("hours", "list")] == ["work"]


def test_limit_set_list_and_clear(sh: Shell):
    assert sh.ok("limit", "set", "day_max", "9h").strip() == "day_max = 9h"
    sh.ok("limit", "set", "buffer", "15m")
    assert sh.ok("limit", "set", "jobsearch", "week_min", "12h").strip() == \
        "jobsearch week_min = 12h"
    sh.ok("limit", "set", "jobsearch", "day_max", "4h")
    listing = sh.ok("limit", "list")
    assert "day_max   9h" in listing
    assert "buffer    15m" in listing
    assert "jobsearch  week_min  12h" in listing
    assert sh.json("limit", "list") == {
        "day_max_minutes": 540, "buffer_minutes": 15,
        "categories": {"jobsearch": {"day_max_minutes": 240, "week_max_minutes": None,
                                     "week_min_minutes": 720}}}
    assert sh.ok("limit", "set", "day_max", "none").strip() == "Cleared day_max"
    sh.ok("limit", "set", "jobsearch", "day_max", "none")
    data = sh.json("limit", "list")
    assert data["day_max_minutes"] is None
    assert data["categories"]["jobsearch"]["day_max_minutes"] is None


def test_config_set_and_list(sh: Shell):
    sh.ok("config", "set", "days", "14")
    sh.ok("config", "set", "date_order", "dmy")
    sh.ok("config", "set", "timezone", "Europe/Berlin")
    assert sh.json("config", "list") == {"timezone": "Europe/Berlin", "days": 14,
                                         "granularity_minutes": 15, "date_order": "dmy",
                                         "time_limit_seconds": 10.0}
    assert "days = 14" in sh.ok("config", "list").splitlines()


# ------------------------------------------------------------------------------- bad input


BAD_INPUT = [
    (["routine", "add", "X", "-d", "45", "--every", "day"], "duration", "no unit"),
    (["routine", "add", "X", "-d", "45m", "--every", "someday"], "every", "someday"),
    (["routine", "add", "X", "-d", "45m", "--every", "day", "--window", "09:00"], "window",
     "time range"),
    (["routine", "add", "X", "-d", "3h", "--every", "day", "--window", "07:00-08:00"], "window",
     "does not fit"),
    (["routine", "add", "X", "-d", "5m", "--every", "day", "--id", "acme-prep"], "id",
     "already used"),
    (["routine", "edit", "nope", "--title", "Y"], "id", "no routine 'nope'"),
    (["routine", "edit", "stretch", "--duration", "5x"], "duration", "5x"),
    (["routine", "edit", "stretch", "--every", "8/week"], "every", "8/week"),
    (["routine", "rm", "nope", "--yes"], "id", "no routine 'nope'"),
    (["event", "add", "X", "--start", "2026-12-09 14:00", "--end", "2026-12-09 13:00"], "end",
     "not after the start"),
    (["event", "add", "X", "--start", "someday", "--end", "15:00"], "start", "someday"),
    (["event", "add", "X", "--start", "2026-12-09 14:00", "--end", "25:00"], "end", "25:00"),
    (["event", "rm", "nope"], "id", "no event 'nope'"),
    (["calendar", "add", "missing.ics"], None, "does not exist"),
    (["calendar", "rm", "nope.ics"], "path", "no calendar 'nope.ics'"),
    (["hours", "set", "work", "mon-fri 25:00-26:00"], "work", "25:00"),
    (["hours", "set", "x", "funday 09:00-10:00"], "x", "funday"),
    (["hours", "rm", "nope"], "name", "no hours profile 'nope'"),
    (["hours", "rm", "work"], None, "work"),  # tasks still use it
    (["limit", "set", "day_max", "9"], "day_max", "no unit"),
    (["limit", "set", "foo", "1h"], "foo", "not a limit"),
    (["limit", "set", "jobsearch", "week_max", "1h"], "jobsearch.week_max",
     "week_min is larger than week_max"),
    (["limit", "set", "jobsearch", "month_max", "1h"], "month_max", "not a category limit"),
    (["limit", "set", "a", "b", "c", "d"], None, "CATEGORY NAME VALUE"),
    (["config", "set", "dayz", "3"], "dayz", "unknown setting"),
    (["config", "set", "days", "0"], "days", "between 1 and 60"),
    (["config", "set", "timezone", "Mars/Olympus"], "timezone", "Mars/Olympus"),
    (["import", str(JOB_HUNT)], None, "--replace"),
    (["import", str(DATA / "invalid" / "duplicate_id.yaml")], None, "duplicate_id.yaml"),
]


@pytest.mark.parametrize(("args", "field", "words"), BAD_INPUT,
                         ids=[" ".join(Path(w).name for w in a[:3]) for a, _, _ in BAD_INPUT])
def test_bad_input_exits_2_names_the_field_and_changes_nothing(
    filled: Shell, args: list[str], field: str | None, words: str
):
    before = [filled.ok("export", "--yaml"), filled.ok("config", "list")]
    result = filled(*args)
    assert result.exit_code == 2, result.output
    assert words in result.stderr
    if field is not None:
        assert f"[{field}]" in result.stderr
    assert "Traceback" not in result.output
    assert [filled.ok("export", "--yaml"), filled.ok("config", "list")] == before


def test_bad_input_with_json_answers_invalid_json(filled: Shell):
    result = filled("routine", "add", "X", "-d", "45", "--every", "day", "--json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["status"] == "invalid"
    assert data["errors"][0]["field"] == "duration"


# ----------------------------------------------------------------------------- import, export


def test_import_prints_counts_and_calendars(sh: Shell):
    out = sh.ok("import", JOB_HUNT)
    problem = load_planfile(JOB_HUNT)
    inline = [e for e in problem.events if e.calendar is None]
    assert f"{len(problem.tasks)} tasks, {len(problem.routines)} routines, " \
           f"{len(inline)} events" in out
    assert f"Subscribed to {REPO / 'examples' / 'calendars' / 'personal.ics'}" in out
    assert sh.json("calendar", "list") == [
        {"path": str(REPO / "examples" / "calendars" / "personal.ics"), "exists": True,
         "all_day_free": False, "me": []}]
    again = sh("import", JOB_HUNT, "--replace")
    assert again.exit_code == 0, again.output
    assert len(sh.json("routine", "list")) == len(problem.routines)


def _hours(problem: Problem) -> dict[str, object]:
    """The profiles, `anytime` as the reader defines it when the file leaves it out."""
    return {DEFAULT_PROFILE: ALL_DAY, **problem.hours}


def _inputs(problem: Problem) -> dict[str, object]:
    return {
        "head": (problem.timezone, problem.start, problem.days, problem.granularity_minutes),
        "tasks": {t.id: t for t in problem.tasks},
        "routines": {r.id: r for r in problem.routines},
        "events": {e.id: e for e in problem.events if e.calendar is None},
        "calendars": {str(Path(e.calendar).resolve()) for e in problem.events if e.calendar},
        "hours": _hours(problem),
        "limits": problem.limits,
    }


def test_there_are_planning_files_to_round_trip():
    assert JOB_HUNT in PLANFILES
    assert len(PLANFILES) >= 20


@pytest.mark.parametrize("path", PLANFILES, ids=lambda p: p.name)
def test_export_yaml_round_trips_every_planning_file(tmp_path: Path, path: Path):
    """import -> export -> import elsewhere -> export: the same text, and the file's items."""
    first = fresh(tmp_path, "first")
    first.ok("import", path)
    text = first.ok("export", "--yaml")
    exported = tmp_path / "exported.yaml"
    exported.write_text(text, encoding="utf-8")
    second = fresh(tmp_path, "second", zone="UTC")
    second.ok("import", exported)
    assert second.ok("export") == text
    original = load_planfile(path)
    original = replace(original, events=tuple(
        e if e.calendar is None else replace(e, calendar=str(path.parent / e.calendar))
        for e in original.events))
    assert _inputs(load_planfile(exported)) == _inputs(original)


def test_export_to_a_file_is_the_same_text(filled: Shell, tmp_path: Path):
    out = tmp_path / "week.yaml"
    result = filled("export", "--yaml", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == filled.ok("export")
    assert out.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".week")) == []


def test_export_ics_has_one_vevent_per_block_of_the_newest_plan(sh: Shell, tmp_path: Path):
    sh.ok("import", SMALL)
    refused = sh("export", "--ics")
    assert refused.exit_code == 2
    assert "no plan yet" in refused.stderr
    planned = sh("plan", "--time-limit", "3", "--deterministic")
    assert planned.exit_code == 0, planned.output
    with open_workspace(sh.path) as ws:
        current = ws.plan()
    assert current is not None
    blocks = current.plan.blocks
    assert blocks
    out = tmp_path / "plan.ics"
    sh.ok("export", "--ics", "-o", out)
    for raw in (out.read_bytes(), sh.ok("export", "--ics").encode()):
        calendar = icalendar.Calendar.from_ical(raw)
        vevents = list(calendar.walk("VEVENT"))
        assert len(vevents) == len(blocks)
        got = sorted((v.decoded("DTSTART"), v.decoded("DTEND"), str(v["SUMMARY"]))
                     for v in vevents)
        assert [(s, e) for s, e, _ in got] == sorted((b.start, b.end) for b in blocks)
        titles = {b.title for b in blocks}
        assert all(any(t in summary for t in titles) for _, _, summary in got)
