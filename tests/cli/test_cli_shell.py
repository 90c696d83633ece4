"""The CLI shell on its own: rendering, exit codes, the one error handler, progress, help.

`tengnuo.planner`'s use cases are replaced by functions returning the hand-made plans of
conftest.py, so these tests pin the shell without loading files or solving.
"""

from __future__ import annotations

import io
import json
import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tengnuo import planner
from tengnuo.cli import progress as progress_view
from tengnuo.cli import render
from tengnuo.cli.main import app
from tengnuo.cli.shell import EXIT_INTERNAL, EXIT_IO
from tengnuo.errors import ExitStatus, InvalidInputError, Issue, TengnuoError
from tengnuo.model.cost import total_of
from tengnuo.model.plan import Cost, Plan
from tengnuo.model.problem import Problem
from tengnuo.solver.options import Progress, SolveOptions

ISSUES = [
    Issue("unknown field `colour`", "week.yaml", 9, "tasks[0].colour"),
    Issue("a duration needs a unit, such as 90m", "week.yaml", 12, "tasks[1].duration"),
]


class BrokenStoreError(TengnuoError):
    exit_status: ClassVar[ExitStatus] = ExitStatus.INFEASIBLE  # any status other than 2


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch, problem: Problem, plan: Plan) -> list[object]:
    """plan_file and check_file answer with the hand-made problem and plan; calls are recorded."""
    calls: list[object] = []

    def plan_file(path: Path, options: SolveOptions, progress: object = None):
        calls.append((path, options, progress))
        return problem, plan

    monkeypatch.setattr(planner, "plan_file", plan_file)
    monkeypatch.setattr(planner, "check_file", lambda path: problem)
    return calls


def fail_with(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    def raise_it(*args: object, **kwargs: object):
        raise error

    monkeypatch.setattr(planner, "plan_file", raise_it)
    monkeypatch.setattr(planner, "check_file", raise_it)


def test_plan_prints_agenda_day_by_day(runner: CliRunner, planned: list[object]):
    """Weekday and date headers, time ranges, titles, categories, chunks, events, exit 0."""
    result = runner.invoke(app, ["plan", "week.yaml"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("Mon 2026-12-07") < out.index("Tue 2026-12-08")
    assert "07:00-07:45" in out
    assert "Run by the river" in out
    assert "health" in out
    assert "chunk 1/2" in out
    assert "chunk 2/2" in out
    assert "14:00-15:30" in out
    assert "Acme - interview" in out
    assert "event" in out
    assert "After the horizon" not in out
    assert out.index("Acme - interview") > out.index("chunk 2/2")  # among the day's blocks


def test_plan_prints_what_did_not_fit_late_warnings_and_summary(
    runner: CliRunner, planned: list[object]
):
    """The sections after the agenda, and one summary line with status, tiers, bound and time."""
    out = runner.invoke(app, ["plan", "week.yaml"]).stdout
    assert "Did not fit" in out
    assert "Check the budget (task, 2h): needs 2h" in out
    assert "Run by the river on Tue 2026-12-08 (routine, 45m)" in out
    assert "Late" in out
    assert "Write the essay: 30m late, due Mon 2026-12-07 12:00" in out
    assert "jobsearch: 3h planned in week 1" in out
    cost_line, bound_line = out.strip().splitlines()[-2:]
    for part in ("feasible", "unscheduled 240", "lateness 60", "preferences 156",
                 "total 123,456", "solved in 0.41 s"):
        assert part in cost_line
    assert bound_line.startswith("bound 120,000, gap 3,456: ")


def test_plan_output_on_a_pipe_has_no_trailing_spaces(runner: CliRunner, planned: list[object]):
    """Rich pads table cells; the plain agenda has none of that padding."""
    out = runner.invoke(app, ["plan", "week.yaml"]).stdout
    assert all(line == line.rstrip() for line in out.splitlines())


def test_plan_output_on_a_pipe_has_no_ansi_escapes(runner: CliRunner, planned: list[object]):
    """CliRunner's stdout is not a terminal: plain text only."""
    result = runner.invoke(app, ["plan", "week.yaml"])
    assert "\x1b" not in result.output


def test_plan_json_prints_only_the_json_plan(runner: CliRunner, planned: list[object]):
    """--json: stdout is one JSON document and nothing else; no progress when not a terminal."""
    result = runner.invoke(app, ["plan", "week.yaml", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["status"] == "feasible"
    assert len(data["blocks"]) == 4
    assert result.stderr == ""
    assert planned[0][2] is None  # no progress callback: stderr is not a tty


def test_plan_passes_solver_options(runner: CliRunner, planned: list[object]):
    """--time-limit, --workers and --seed reach the planner as SolveOptions."""
    runner.invoke(app, ["plan", "w.yaml", "--time-limit", "2.5", "--workers", "1", "--seed", "7"])
    path, options, _ = planned[0]
    assert path == Path("w.yaml")
    assert options == SolveOptions(time_limit_seconds=2.5, workers=1, seed=7)


@pytest.mark.parametrize("args", [["--time-limit", "0"], ["--workers", "0"]])
def test_plan_rejects_bad_solver_options(runner: CliRunner, planned: list[object], args):
    """A usage error (exit 2) with the reason, and no traceback."""
    result = runner.invoke(app, ["plan", "w.yaml", *args])
    assert result.exit_code == 2
    assert "must be" in result.output
    assert "Traceback" not in result.output


def test_plan_infeasible_exits_1_with_conflicts_and_fallback(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, problem: Problem, infeasible_plan: Plan
):
    """Conflicts first, then the fallback plan, exit 1; --json carries `conflicts` too."""
    monkeypatch.setattr(planner, "plan_file", lambda *a, **k: (problem, infeasible_plan))
    result = runner.invoke(app, ["plan", "w.yaml"])
    assert result.exit_code == 1
    assert "acme-prep, acme-interview: 3h of hard work" in result.stdout
    assert result.stdout.index("Fallback plan") < result.stdout.index("Mon 2026-12-07")
    result = runner.invoke(app, ["plan", "w.yaml", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["conflicts"][0]["items"] == ["acme-prep", "acme-interview"]


@pytest.mark.parametrize("command", ["plan", "check"])
def test_invalid_input_lists_every_issue_and_exits_2(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: str
):
    """Each issue on stderr as file:line [field]: message; nothing on stdout; no traceback."""
    fail_with(monkeypatch, InvalidInputError(ISSUES))
    result = runner.invoke(app, [command, "week.yaml"])
    assert result.exit_code == 2
    assert "week.yaml:9 [tasks[0].colour]: unknown field `colour`" in result.stderr
    assert "week.yaml:12 [tasks[1].duration]: a duration needs a unit" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["plan", "check"])
def test_invalid_input_with_json_prints_invalid_json(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: str
):
    """--json: `status: invalid` with every error on stdout, exit 2."""
    fail_with(monkeypatch, InvalidInputError(ISSUES))
    result = runner.invoke(app, [command, "week.yaml", "--json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["status"] == "invalid"
    assert [(e["file"], e["line"], e["field"]) for e in data["errors"]] == [
        ("week.yaml", 9, "tasks[0].colour"), ("week.yaml", 12, "tasks[1].duration")]


@pytest.mark.parametrize(
    ("error", "code", "words"),
    [
        (BrokenStoreError("the store is newer than this tengnuo"), 1, "store is newer"),
        (PermissionError(13, "Permission denied", "out.ics"), EXIT_IO, "out.ics"),
        (RuntimeError("boom"), EXIT_INTERNAL, "--debug"),
    ],
)
def test_errors_become_a_message_and_an_exit_code(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, error: Exception, code: int, words: str
):
    """A TengnuoError exits with its own status; I/O and bugs get a sentence, never a traceback."""
    fail_with(monkeypatch, error)
    result = runner.invoke(app, ["plan", "week.yaml"])
    assert result.exit_code == code
    assert words in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("args", [["--debug", "plan", "w.yaml"], ["plan", "w.yaml", "--debug"]])
def test_debug_lets_the_traceback_through(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str]
):
    """With --debug (global or per command) the original exception propagates."""
    fail_with(monkeypatch, RuntimeError("boom"))
    result = runner.invoke(app, args)
    assert isinstance(result.exception, RuntimeError)


def test_check_summarises_a_valid_file(runner: CliRunner, planned: list[object]):
    """Exit 0 and one line with days, tasks, events (inside the horizon) and routines."""
    result = runner.invoke(app, ["check", "week.yaml"])
    assert result.exit_code == 0
    assert "valid: 2 days from Mon 2026-12-07 (Asia/Shanghai), 3 tasks, 1 events, 1 routines" \
        in result.stdout
    result = runner.invoke(app, ["check", "week.yaml", "--json"])
    assert json.loads(result.stdout)["status"] == "valid"


def _command_paths() -> list[list[str]]:
    """Every command of the app, groups included (`["routine", "add"]`)."""
    import typer.main

    root = typer.main.get_command(app)
    paths = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            paths += [[name, sub] for sub in subcommands]
        else:
            paths.append([name])
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=" ".join)
def test_every_command_has_help_with_an_example(runner: CliRunner, path: list[str]):
    """`--help` describes the command and shows an example of that very command."""
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert f"Example: tengnuo {' '.join(path)}" in result.stdout


def test_there_are_all_the_everyday_commands():
    """The workspace commands a person runs every morning all exist."""
    names = {" ".join(p) for p in _command_paths()}
    for expected in ("init", "add", "list", "show", "edit", "done", "rm", "log", "plan",
                     "replan", "today", "week", "next", "history", "diff", "demo", "check"):
        assert expected in names


def test_progress_view_waits_a_second_then_shows_cost_and_bound():
    """Nothing before 1 s of solving; then elapsed time, phase, best cost and bound."""
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=100)
    with progress_view.ProgressView(console) as view:
        view(Progress(0.3, "heuristic", 500, None))
        assert not view.showing
        view(Progress(1.2, "cp-sat: lateness", 1234, 1100))
        assert view.showing
        text = progress_view.progress_text(Progress(1.2, "cp-sat: lateness", 1234, 1100)).plain
    assert not view.showing
    assert text == "solving 1.2 s  cp-sat: lateness  best 1,234  bound 1,100"


def test_write_ics_replaces_the_file_atomically(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, problem: Problem, plan: Plan
):
    """The new content replaces the old, keeps its mode, and no temporary file is left."""
    import tengnuo.formats.ics

    monkeypatch.setattr(tengnuo.formats.ics, "plan_to_ics", lambda *a, **k: b"NEW")
    out = tmp_path / "week.ics"
    out.write_bytes(b"OLD")
    os.chmod(out, 0o600)
    planner.write_ics(plan, problem, out)
    assert out.read_bytes() == b"NEW"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["week.ics"]


@pytest.mark.parametrize(
    ("tiers", "bound_tiers", "expected"),
    [
        ((0, 0, 500), (0, 0, 500), "proved optimal"),
        ((0, 0, 500), (0, 0, 400),
         "unscheduled and lateness proved best; preferences at most 100 (20.0%) above the best"),
        ((240, 60, 156), (120, 0, 0), "unscheduled at most 120 (50.0%) above the best"),
        ((240, 60, 156), None, "nothing proved yet"),
    ],
)
def test_summary_says_what_the_bound_proves_tier_by_tier(
    problem: Problem, plan: Plan, tiers, bound_tiers, expected: str
):
    """The combined bound splits into per-tier bounds; each tier that meets it is proved best."""
    cost = Cost(total_of(problem, *tiers), *tiers)
    bound = total_of(problem, *bound_tiers) if bound_tiers else 0
    text = render.proof_text(replace(plan, cost=cost, bound=bound), problem)
    assert text.startswith(expected)


def test_shell_completion_script_is_offered():
    """`tengnuo --show-completion bash` prints a completion script for the whole command."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "tengnuo", "--show-completion", "bash"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "complete" in done.stdout
    assert "_TENGNUO_COMPLETE" in done.stdout or "tengnuo" in done.stdout
