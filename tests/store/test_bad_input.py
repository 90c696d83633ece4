"""Bad input changes nothing: each refused command says what is wrong, and every table of the
workspace (the revision counter included) is exactly as before."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_helpers import dump_file

from tengnuo.errors import InvalidInputError
from tengnuo.model.items import Task
from tengnuo.planner import items as pi
from tengnuo.planner import workspace as pw
from tengnuo.store import Workspace

MIN = timedelta(minutes=1)
PLANFILE = """timezone: Europe/Berlin
start: 2026-12-07
days: 2
tasks:
  - id: {first}
    title: Imported first
    duration: 1h
  - id: imported-second
    title: Imported second
    duration: 30m
    after: [{first}]
"""


def new_task(**fields: object) -> Task:
    return replace(Task("z", "New task", 30 * MIN), **fields)


def editing(**fields: object) -> Callable[[Workspace], object]:
    return lambda ws: pw.edit_task(ws, "a", lambda t: replace(t, **fields))


def importing(tmp: Path, first: str) -> Callable[[Workspace], object]:
    def run(ws: Workspace) -> object:
        plan = tmp / "import.yaml"
        plan.write_text(PLANFILE.format(first=first))
        return pi.import_file(ws, plan)
    return run


# (what the person did, the command, a part of the message that names the problem)
CASES: dict[str, tuple[Callable[[Workspace], object], str]] = {
    "edit an unknown id": (lambda ws: pw.edit_task(ws, "nope", lambda t: t), "no task 'nope'"),
    "done on an unknown id": (lambda ws: pw.set_done(ws, "nope"), "no task 'nope'"),
    "rm an unknown id": (lambda ws: pw.remove_task(ws, "nope"), "no task 'nope'"),
    "log on an unknown id": (lambda ws: pw.log_work(ws, "nope", 30 * MIN), "no task 'nope'"),
    "log zero minutes": (lambda ws: pw.log_work(ws, "a", 0 * MIN), "at least 1 minute"),
    "add with a zero duration": (lambda ws: pw.add_task(ws, new_task(duration=0 * MIN)),
                                 "duration"),
    "edit to a zero duration": (editing(duration=0 * MIN), "duration"),
    "add with a negative duration": (lambda ws: pw.add_task(ws, new_task(duration=-5 * MIN)),
                                     "duration"),
    "add after an unknown id": (lambda ws: pw.add_task(ws, new_task(after=("a", "ghost"))),
                                "'ghost'"),
    "edit after an unknown id": (editing(after=("ghost",)), "'ghost'"),
    "edit making a cycle": (editing(after=("b",)), "cycle"),
    "add with an unknown hours profile": (lambda ws: pw.add_task(ws, new_task(hours="nope")),
                                          "unknown hours profile 'nope'"),
    "edit to an unknown hours profile": (editing(hours="nope"), "unknown hours profile 'nope'"),
    "remove an hours profile in use": (lambda ws: pi.remove_hours(ws, "focus"), "'focus'"),
    "remove an unknown hours profile": (lambda ws: pi.remove_hours(ws, "nope"),
                                        "no hours profile 'nope'"),
    "set an unknown limit": (lambda ws: pi.set_limit(ws, "week_max", 60 * MIN),
                             "'week_max' is not a limit"),
    "set an unknown category limit": (
        lambda ws: pi.set_limit(ws, "month_max", 60 * MIN, "work"), "'month_max' is not"),
    "set a negative limit": (lambda ws: pi.set_limit(ws, "day_max", -5 * MIN), "negative"),
    "add hard without a due date": (lambda ws: pw.add_task(ws, new_task(hard=True)), "due"),
    "add an id already used": (lambda ws: pw.add_task(ws, new_task(id="b")), "already used"),
    "rename to an id already used": (editing(id="b"), "already used"),
    "set an unknown setting": (lambda ws: pw.set_setting(ws, "colour", "red"), "unknown setting"),
    "set a bad timezone": (lambda ws: pw.set_setting(ws, "timezone", "Mars/Olympus"),
                           "Mars/Olympus"),
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tasks a <- b (b after a), c in `focus` hours, d done with logged work; limits set."""
    path = tmp_path_factory.mktemp("pristine") / "ws.db"
    pw.init(path, "Europe/Berlin")
    with Workspace.open(path) as ws:
        pi.set_hours(ws, "focus", "mon-fri 09:00-12:00")
        pi.set_limit(ws, "day_max", timedelta(hours=6))
        pi.set_limit(ws, "week_min", timedelta(hours=2), "work")
        pw.add_task(ws, Task("a", "First", 60 * MIN, due=datetime(2026, 12, 9, tzinfo=UTC)))
        pw.add_task(ws, Task("b", "Second", 45 * MIN, after=("a",), category="work"))
        pw.add_task(ws, Task("c", "Focused", 90 * MIN, hours="focus"))
        pw.add_task(ws, Task("d", "Finished", 20 * MIN))
        pw.log_work(ws, "d", 25 * MIN)
        pw.set_done(ws, "d")
    return path


@pytest.fixture
def workspace(pristine: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ws.db"
    shutil.copyfile(pristine, path)  # closed, so the file holds everything
    return path


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_and_changes_nothing(workspace: Path, case: str) -> None:
    command, names = CASES[case]
    before = dump_file(workspace)
    with Workspace.open(workspace) as ws:
        with pytest.raises(InvalidInputError) as error:
            command(ws)
        assert names in str(error.value)
        assert not ws.conn.in_transaction
        assert dump_file(workspace) == before  # every table, while the workspace is open
        pw.log_work(ws, "a", 5 * MIN)  # and the workspace still takes a good change
    after = dump_file(workspace)
    assert after["work_log"] != before["work_log"]
    assert {k: v for k, v in after.items() if k not in ("work_log", "revision")} == \
        {k: v for k, v in before.items() if k not in ("work_log", "revision")}


def test_an_import_clashing_with_the_workspace_changes_nothing(workspace: Path,
                                                               tmp_path: Path) -> None:
    """The file's zone and tasks would be written before the clash is known: none of it lands."""
    before = dump_file(workspace)
    with Workspace.open(workspace) as ws, pytest.raises(InvalidInputError) as error:
        importing(tmp_path, "a")(ws)
    assert "ids already in the workspace: a" in str(error.value)
    assert dump_file(workspace) == before
    with Workspace.open(workspace) as ws:  # the same file without the clash is taken whole
        importing(tmp_path, "fresh")(ws)
        assert {e.task.id for e in pw.tasks(ws)} >= {"fresh", "imported-second"}
