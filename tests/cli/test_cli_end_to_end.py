"""The real `tengnuo` command on real planning files: reader, solver, checker, .ics writer.

Every plan printed with --json is read back and validated by `tengnuo.check.check`, never by the
solver's own word. Solves use one worker and short time limits (2 shared cores).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
from cli_helpers import (
    INFEASIBLE,
    JOB_HUNT,
    PLAIN_ENV,
    REPO,
    SMALL,
    TWO_PROBLEMS,
    assert_follows_format,
)
from typer.testing import CliRunner, Result

from tengnuo import planner
from tengnuo.check import check
from tengnuo.cli.main import app
from tengnuo.formats.plan_json import plan_from_json

QUICK = ["--time-limit", "3", "--workers", "1", "--seed", "0"]


def run(*args: str) -> Result:
    return CliRunner(env=PLAIN_ENV).invoke(app, list(args))


def checked(path: Path, stdout: str, *, hard_as_soft: bool = False) -> dict:
    """The JSON plan on `stdout`, after asserting the checker finds nothing wrong with it."""
    data = json.loads(stdout)
    violations = check(planner.check_file(path), plan_from_json(data), hard_as_soft=hard_as_soft)
    assert violations == []
    return data


@pytest.fixture(scope="module")
def job_hunt() -> Result:
    """One solve of the demo fortnight, shared by the tests below."""
    return run("plan", str(JOB_HUNT), "--json", *QUICK)


def test_job_hunt_json_is_a_checked_plan_in_shanghai_time(job_hunt: Result):
    """Exit 0; stdout is exactly the JSON plan; keys, types, +08:00 offsets; checker agrees."""
    assert job_hunt.exit_code == 0, job_hunt.output
    data = checked(JOB_HUNT, job_hunt.stdout)
    assert_follows_format(data, 8)
    assert data["status"] in {"optimal", "feasible"}
    assert {e["id"] for e in data["events"]} >= {"acme-interview", "beta-interview"}


def test_job_hunt_hard_deadlines_hold(job_hunt: Result):
    """acme-prep and beta-prep are hard: fully planned and not late."""
    data = json.loads(job_hunt.stdout)
    planned = {b["id"] for b in data["blocks"]}
    assert {"acme-prep", "beta-prep"} <= planned
    assert not {"acme-prep", "beta-prep"} & {x["id"] for x in data["late"]}


def test_small_plan_json_in_berlin_time_with_chunks():
    """A split task comes back as numbered chunks; times carry +01:00 (Berlin in December)."""
    result = run("plan", str(SMALL), "--json", *QUICK)
    assert result.exit_code == 0, result.output
    data = checked(SMALL, result.stdout)
    assert_follows_format(data, 1)
    cv = [b for b in data["blocks"] if b["id"] == "cv"]
    assert [b.get("chunk") for b in cv] == list(range(1, len(cv) + 1)) or len(cv) == 1


def test_infeasible_exits_1_with_conflicts_and_a_checked_fallback():
    """Two hard tasks, too little time: exit 1, a conflict naming both, a valid fallback plan."""
    result = run("plan", str(INFEASIBLE), "--json", *QUICK)
    assert result.exit_code == 1, result.output
    data = checked(INFEASIBLE, result.stdout, hard_as_soft=True)
    assert_follows_format(data, 1)
    assert data["status"] == "infeasible"
    assert any({"tax-return", "grant"} <= set(c["items"]) for c in data["conflicts"])


def test_infeasible_text_lists_the_conflicts_then_the_fallback():
    """Without --json: the conflict first, then the agenda; exit 1."""
    result = run("plan", str(INFEASIBLE), *QUICK)
    assert result.exit_code == 1
    assert "Infeasible" in result.stdout
    assert result.stdout.index("grant") < result.stdout.index("Mon 2026-12-07")


@pytest.mark.parametrize("command", ["plan", "check"])
def test_invalid_file_lists_every_problem_with_file_line_and_field(command: str):
    """Exit 2; both problems of the file on stderr as file:line [field]; no traceback."""
    result = run(command, str(TWO_PROBLEMS))
    assert result.exit_code == 2
    assert f"{TWO_PROBLEMS}:9 [tasks[0].colour]" in result.stderr
    assert f"{TWO_PROBLEMS}:12 [tasks[1].duration]" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_invalid_file_with_json_gives_status_invalid():
    """--json: `status: invalid` and an error per problem with file, line and field."""
    result = run("check", str(TWO_PROBLEMS), "--json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["status"] == "invalid"
    places = [(e["file"], e["line"], e["field"]) for e in data["errors"]]
    assert places == [(str(TWO_PROBLEMS), 9, "tasks[0].colour"),
                      (str(TWO_PROBLEMS), 12, "tasks[1].duration")]
    assert all(e["message"] for e in data["errors"])


@pytest.mark.parametrize("args", [["plan", "missing.yaml"], ["check", "missing.yaml", "--json"]])
def test_missing_file_is_invalid_input_without_traceback(args: list[str]):
    """A file that does not exist: exit 2 and a sentence naming it."""
    result = run(*args)
    assert result.exit_code == 2
    assert "missing.yaml" in result.output
    assert "Traceback" not in result.output


def test_check_valid_file_summarises_it():
    """Exit 0; days, tasks, events and routines of the demo fortnight."""
    result = run("check", str(JOB_HUNT))
    assert result.exit_code == 0, result.output
    assert "valid: 14 days from Mon 2026-12-07 (Asia/Shanghai), 13 tasks" in result.stdout
    data = json.loads(run("check", str(JOB_HUNT), "--json").stdout)
    assert (data["status"], data["days"], data["tasks"], data["routines"]) == (
        "valid", 14, 13, 3)


def test_ics_file_parses_with_icalendar(tmp_path: Path):
    """--ics writes one VEVENT per planned block, readable by icalendar."""
    out = tmp_path / "plan.ics"
    result = run("plan", str(SMALL), "--json", "--ics", str(out), *QUICK)
    assert result.exit_code == 0, result.output
    events = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert len(events) == len(json.loads(result.stdout)["blocks"])
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"]


def test_ics_into_a_missing_folder_is_a_message_not_a_traceback(tmp_path: Path):
    """A file that cannot be written: a sentence naming it, exit 74."""
    result = run("plan", str(SMALL), "--ics", str(tmp_path / "no" / "plan.ics"), *QUICK)
    assert result.exit_code == 74
    assert "Traceback" not in result.output
    assert "plan.ics" in result.stderr or "no" in result.stderr


def test_piped_plan_is_plain_text_without_ansi_escapes():
    """Through a real pipe: no escape codes, the agenda and the summary; nothing on stderr."""
    env = {k: v for k, v in os.environ.items() if k not in PLAIN_ENV and k != "NO_COLOR"}
    result = subprocess.run(
        [sys.executable, "-m", "tengnuo", "plan", str(SMALL), *QUICK],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "Mon 2026-12-07" in result.stdout
    assert "Update CV" in result.stdout
    assert "bound" in result.stdout
    assert result.stderr == ""
