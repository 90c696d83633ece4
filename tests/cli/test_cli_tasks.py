"""The everyday task commands on a real workspace: init, add (the quick-add echo), list, show,
edit, done, rm and log, through the real CLI, as a user in Shanghai on Monday 2026-12-07 08:00.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from cli_helpers import PLAIN_ENV
from typer.testing import CliRunner
from workspace_helpers import SHANGHAI, Cli, local, new_workspace

from tengnuo.cli.main import app


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return new_workspace(tmp_path)


def echo(output: str) -> dict[str, str]:
    """The add/edit echo as {field: value}: the lines under `Added ID`."""
    rows = [line.strip().split(None, 1) for line in output.splitlines()[1:] if line.strip()]
    return {row[0]: row[1].strip() for row in rows}


def at(text: str) -> datetime:
    """A JSON datetime, which must carry the workspace's offset (+08:00)."""
    moment = datetime.fromisoformat(text)
    assert moment.utcoffset() == SHANGHAI.utcoffset(moment.replace(tzinfo=None)), text
    return moment


def ids(cli: Cli, *args: str) -> list[str]:
    return [t["id"] for t in cli.json("list", *args)]


# --------------------------------------------------------------------------------------- init


def test_init_creates_the_file_and_a_second_init_says_it_is_there(tmp_path: Path):
    cli = Cli(tmp_path / "mine.db")
    first = cli.ok("init", "--timezone", "Asia/Shanghai")
    assert first.stdout.startswith(f"Created {cli.path} ")
    assert "timezone Asia/Shanghai" in first.stdout
    assert cli.path.is_file()

    again = cli.ok("init")
    assert again.stdout.startswith(f"Already there: {cli.path} ")
    assert "timezone Asia/Shanghai" in again.stdout  # the zone chosen first is kept


def test_init_default_path_is_tengnuo_workspace_from_the_environment(tmp_path: Path):
    target = tmp_path / "from-env" / "ws.db"
    target.parent.mkdir()
    runner = CliRunner(env={**PLAIN_ENV, "TENGNUO_WORKSPACE": str(target), "TENGNUO_NOW": None})
    result = runner.invoke(app, ["init", "--timezone", "Europe/Berlin"])
    assert result.exit_code == 0, result.output
    assert f"Created {target} " in result.stdout
    assert target.is_file()


def test_init_default_path_is_the_user_data_folder(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch):
    data = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.delenv("TENGNUO_WORKSPACE", raising=False)
    runner = CliRunner(env={**PLAIN_ENV, "TENGNUO_WORKSPACE": None, "TENGNUO_NOW": None})
    result = runner.invoke(app, ["init", "--timezone", "UTC"])
    assert result.exit_code == 0, result.output
    expected = data / "tengnuo" / "workspace.db"
    assert f"Created {expected} " in result.stdout
    assert expected.is_file()
    # later commands find it there too
    listed = runner.invoke(app, ["list"])
    assert listed.exit_code == 0, listed.output
    assert "No tasks." in listed.stdout


def test_a_command_before_init_says_what_to_do_without_a_traceback(tmp_path: Path):
    result = Cli(tmp_path / "missing.db")("list")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "init" in result.output


# ---------------------------------------------------------------------------------------- add


def test_add_quick_line_echoes_every_field_as_understood(cli: Cli):
    result = cli.ok("add", "Prepare Acme interview 3h by wed 13:00 hard #jobsearch !1 "
                           "split 45m-2h")
    assert result.stdout.splitlines()[0] == "Added prepare-acme-interview"
    assert echo(result.stdout) == {
        "title": "Prepare Acme interview", "duration": "3h",
        "due": "Wed 09 Dec 2026 13:00 (hard)", "category": "jobsearch", "priority": "1",
        "split": "45m-2h",
    }
    task = cli.json("show", "prepare-acme-interview")
    assert task["duration_minutes"] == 180
    assert at(task["due"]) == local(9, 13)
    assert task["hard"] is True
    assert task["split"] == {"min_minutes": 45, "max_minutes": 120}
    assert (task["status"], task["remaining_minutes"]) == ("open", 180)


def test_add_chinese_line(cli: Cli):
    result = cli.ok("add", "准备 Acme 系统设计面试 3小时 周三13:00前 #jobsearch !1")
    assert echo(result.stdout) == {
        "title": "准备 Acme 系统设计面试", "duration": "3h", "due": "Wed 09 Dec 2026 13:00",
        "category": "jobsearch", "priority": "1",
    }
    [task] = cli.json("list")
    assert task["title"] == "准备 Acme 系统设计面试"
    assert task["id"]  # readable id made from the ASCII part
    assert (at(task["due"]), task["hard"]) == (local(9, 13), False)


def test_add_mixed_chinese_and_english_line(cli: Cli):
    result = cli.ok("add", "给妈妈打电话 call mom 20m 明天下午3点前 !2")
    assert echo(result.stdout) == {
        "title": "给妈妈打电话 call mom", "duration": "20m", "due": "Tue 08 Dec 2026 15:00",
        "priority": "2",
    }
    mixed = cli.ok("add", "Review 周报 1h30m by 周三 #work from tomorrow")
    assert echo(mixed.stdout) == {
        "title": "Review 周报", "duration": "1h30m", "due": "Wed 09 Dec 2026 24:00 (end of day)",
        "category": "work", "priority": "3", "not_before": "Tue 08 Dec 2026 00:00",
    }


def test_add_with_structured_flags(cli: Cli):
    cli.add("Collect sources 1h")
    result = cli.ok("add", "Write essay", "--duration", "2h", "--due", "fri 17:00", "--hard",
                    "--category", "school", "--priority", "2", "--split", "30m-1h",
                    "--after", "collect-sources", "--from", "tue 9:00")
    assert echo(result.stdout) == {
        "title": "Write essay", "duration": "2h", "due": "Fri 11 Dec 2026 17:00 (hard)",
        "category": "school", "priority": "2", "split": "30m-1h", "after": "collect-sources",
        "not_before": "Tue 08 Dec 2026 09:00",
    }
    task = cli.json("show", "write-essay")
    assert task["duration_minutes"] == 120
    assert at(task["due"]) == local(11, 17)
    assert at(task["not_before"]) == local(8, 9)
    assert (task["hard"], task["category"], task["priority"]) == (True, "school", 2)
    assert task["split"] == {"min_minutes": 30, "max_minutes": 60}
    assert task["after"] == ["collect-sources"]


def test_flags_override_the_line(cli: Cli):
    result = cli.ok("add", "Essay two 2h by fri #school !3", "--duration", "3h",
                    "--category", "uni", "--priority", "1")
    assert echo(result.stdout) == {
        "title": "Essay two", "duration": "3h", "due": "Fri 11 Dec 2026 24:00 (end of day)",
        "category": "uni", "priority": "1",
    }


def test_add_json_has_the_task_and_what_was_understood(cli: Cli):
    data = cli.json("add", "Call the bank 30m by tomorrow 10:00 #admin")
    assert data["id"] == "call-the-bank"
    assert data["duration_minutes"] == 30
    assert at(data["due"]) == local(8, 10)
    assert data["understood"]["due"] == "Tue 08 Dec 2026 10:00"


def test_ambiguous_slash_date_is_refused_with_both_readings_and_nothing_stored(cli: Cli):
    result = cli("add", "Pay rent 30m by 12/09")
    assert result.exit_code == 2
    assert "9 Dec" in result.stderr
    assert "12 Sep" in result.stderr
    assert "Traceback" not in result.output
    assert cli.json("list", "--status", "all") == []


def test_add_without_a_duration_is_refused(cli: Cli):
    result = cli("add", "Write the budget by fri")
    assert result.exit_code == 2
    assert "duration" in result.stderr
    assert cli.json("list", "--status", "all") == []


def test_after_an_unknown_id_is_refused_and_nothing_stored(cli: Cli):
    result = cli("add", "Report 1h", "--after", "nope")
    assert result.exit_code == 2
    assert "nope" in result.stderr
    assert cli.json("list", "--status", "all") == []


def test_edit_making_a_cycle_is_refused_and_nothing_changes(cli: Cli):
    cli.add("Outline 1h")
    cli.add("Draft 2h after:outline")
    before = cli.json("list")
    result = cli("edit", "outline", "--after", "draft", "--priority", "1")
    assert result.exit_code == 2
    assert "cycle" in result.stderr
    assert cli.json("list") == before


# --------------------------------------------------------------------------------------- list


@pytest.fixture
def four(cli: Cli) -> Cli:
    cli.add("Tax forms 1h30m by wed #admin")
    cli.add("Review PRs 2h by fri #work")
    cli.add("Draft proposal 3h by thu 12:00 #work")
    cli.add("Read paper 2h")
    return cli


def test_list_shows_what_is_left_and_the_due(four: Cli):
    out = four.ok("list").stdout
    lines = out.splitlines()
    assert lines[0].split() == ["id", "title", "left", "due", "category", "p"]
    tax = next(line for line in lines if line.startswith("tax-forms"))
    assert "Tax forms" in tax
    assert "1h30m" in tax
    assert "admin" in tax
    assert len(lines) == 5


def test_list_filters_by_category_due_and_status(four: Cli):
    assert ids(four, "--category", "work") == ["review-prs", "draft-proposal"]
    assert ids(four, "--category", "#admin") == ["tax-forms"]
    assert ids(four, "--due-before", "thu") == ["tax-forms", "draft-proposal"]
    assert ids(four, "--due-before", "wed") == ["tax-forms"]
    four.ok("done", "tax-forms")
    assert ids(four) == ["review-prs", "draft-proposal", "read-paper"]
    assert ids(four, "--status", "done") == ["tax-forms"]
    assert sorted(ids(four, "--status", "all")) == sorted(
        ["tax-forms", "review-prs", "draft-proposal", "read-paper"])
    assert four("list", "--status", "finished").exit_code == 2


def test_list_late_shows_the_tasks_late_in_the_current_plan(four: Cli):
    four.add("Big job 3h by 9:00")  # due in an hour: late whatever the plan
    assert ids(four, "--late") == []  # no plan yet: nothing is late
    assert "No tasks." in four.ok("list", "--late").stdout
    four.plan()
    assert ids(four, "--late") == ["big-job"]
    assert "big-job" in four.ok("list", "--late").stdout


def test_list_json_fields(four: Cli):
    [tax] = four.json("list", "--category", "admin")
    assert tax["title"] == "Tax forms"
    assert (tax["duration_minutes"], tax["remaining_minutes"], tax["logged_minutes"]) == (
        90, 90, 0)
    assert at(tax["due"]) == local(10, 0)  # by wed = the end of Wednesday
    assert (tax["status"], tax["done_at"], tax["hard"]) == ("open", None, False)
    assert tax["category"] == "admin"


# --------------------------------------------------------------------------------------- show


def test_show_fields_log_and_planned_blocks(cli: Cli):
    cli.add("Prepare Acme interview 3h by wed 13:00 hard #jobsearch !1 split 45m-2h")
    cli.ok("log", "prepare-acme-interview", "30m")
    cli.plan()
    out = cli.ok("show", "prepare-acme-interview").stdout
    assert out.splitlines()[0] == "prepare-acme-interview: Prepare Acme interview"
    fields = dict(line.strip().split(None, 1) for line in out.splitlines()[1:]
                  if not line.strip().startswith(("log ", "planned ")))
    assert fields["status"] == "open"
    assert fields["estimate"] == "3h"
    assert fields["logged"] == "30m"
    assert fields["left"] == "2h30m"
    assert fields["due"] == "Wed 2026-12-09 13:00 (hard)"
    assert fields["category"] == "jobsearch"
    assert fields["split"] == "45m-2h"
    assert sum(line.strip().startswith("log ") for line in out.splitlines()) == 1

    data = cli.json("show", "prepare-acme-interview")
    assert [entry["minutes"] for entry in data["log"]] == [30]
    planned = [(at(b["start"]), at(b["end"])) for b in data["blocks"]]
    assert planned
    assert sum((end - start).total_seconds() for start, end in planned) == 150 * 60
    assert all(local(7, 8) <= start and end <= local(9, 13) for start, end in planned)
    for start, end in planned:  # every planned block is listed in the text as well
        assert f"planned  {start:%a %Y-%m-%d %H:%M}-{end:%H:%M}" in out


def test_show_unknown_task_is_exit_2(cli: Cli):
    cli.add("Read paper 2h")
    result = cli("show", "nope")
    assert result.exit_code == 2
    assert "read-paper" in result.stderr  # the open tasks are named


# --------------------------------------------------------------------------------------- edit


def test_edit_changes_only_the_given_fields(cli: Cli):
    cli.add("Write essay 2h by fri 17:00 hard #school !3 split 30m-1h")
    before = cli.json("show", "write-essay")
    result = cli.ok("edit", "write-essay", "--priority", "1", "--duration", "3h")
    assert result.stdout.splitlines()[0] == "Changed write-essay"
    assert echo(result.stdout)["priority"] == "1"
    after = cli.json("show", "write-essay")
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"priority", "duration_minutes", "remaining_minutes"}
    assert (after["priority"], after["duration_minutes"]) == (1, 180)


def test_edit_due_none_clears_it(cli: Cli):
    cli.add("Write essay 2h by fri 17:00 hard")
    cli.ok("edit", "write-essay", "--due", "none")
    task = cli.json("show", "write-essay")
    assert task["due"] is None
    assert task["hard"] is False  # no due left to be hard about
    assert "due" not in cli.ok("show", "write-essay").stdout


def test_edit_without_flags_says_so(cli: Cli):
    cli.add("Write essay 2h")
    result = cli("edit", "write-essay")
    assert result.exit_code == 2
    assert "nothing to change" in result.stderr


def test_edit_id_renames_and_after_references_follow(cli: Cli):
    cli.add("Update CV 2h")
    cli.add("Apply to Acme 1h after:update-cv")
    cli.ok("edit", "update-cv", "--id", "cv")
    assert ids(cli) == ["cv", "apply-to-acme"]
    assert cli.json("show", "apply-to-acme")["after"] == ["cv"]
    assert cli("show", "update-cv").exit_code == 2


def test_edit_to_an_id_in_use_is_refused(cli: Cli):
    cli.add("Update CV 2h")
    cli.add("Cover letter 1h")
    result = cli("edit", "update-cv", "--id", "cover-letter")
    assert result.exit_code == 2
    assert ids(cli) == ["update-cv", "cover-letter"]


# ---------------------------------------------------------------------------------- done / rm


def test_done_and_undo(cli: Cli):
    cli.add("Update CV 2h")
    assert cli.ok("done", "update-cv").stdout.strip() == "Done: update-cv (Update CV)"
    assert ids(cli) == []
    task = cli.json("show", "update-cv")
    assert task["status"] == "done"
    assert task["done_at"] is not None
    assert cli.ok("done", "update-cv", "--undo").stdout.strip() == "Reopened: update-cv (Update CV)"
    assert ids(cli) == ["update-cv"]
    assert cli.json("show", "update-cv")["done_at"] is None


def test_rm_asks_and_no_keeps_the_task(cli: Cli):
    cli.add("Old idea 1h")
    result = cli("rm", "old-idea", input="n\n")
    assert "Delete old-idea (Old idea)?" in result.stdout
    assert "Deleted" not in result.stdout
    assert ids(cli) == ["old-idea"]


def test_rm_asks_and_yes_deletes(cli: Cli):
    cli.add("Old idea 1h")
    result = cli.ok("rm", "old-idea", input="y\n")
    assert "Delete old-idea (Old idea)?" in result.stdout
    assert "Deleted old-idea" in result.stdout
    assert cli.json("list", "--status", "all") == []


def test_rm_yes_does_not_ask_and_reports_dependants(cli: Cli):
    cli.add("Update CV 2h")
    cli.add("Apply to Acme 1h after:update-cv")
    cli.add("Apply to Bolt 1h after:update-cv")
    result = cli.ok("rm", "update-cv", "--yes")
    assert "?" not in result.stdout
    assert result.stdout.strip() == (
        "Deleted update-cv; no longer waiting for it: apply-to-acme, apply-to-bolt")
    assert cli.json("show", "apply-to-acme")["after"] == []
    assert cli.json("show", "apply-to-bolt")["after"] == []


def test_rm_unknown_task_is_exit_2(cli: Cli):
    assert cli("rm", "nope", "--yes").exit_code == 2


# ---------------------------------------------------------------------------------------- log


def test_log_shrinks_what_is_left_and_accumulates(cli: Cli):
    cli.add("Draft proposal 3h")
    first = cli.ok("log", "draft-proposal", "45m")
    assert first.stdout.strip() == "Logged 45m on draft-proposal: 45m spent, 2h15m left"
    second = cli.ok("log", "draft-proposal", "1h")
    assert second.stdout.strip() == "Logged 1h on draft-proposal: 1h45m spent, 1h15m left"
    task = cli.json("show", "draft-proposal")
    assert (task["logged_minutes"], task["remaining_minutes"]) == (105, 75)
    assert task["duration_minutes"] == 180  # the estimate stays
    assert [entry["minutes"] for entry in task["log"]] == [45, 60]
    assert "1h15m" in cli.ok("list").stdout


def test_log_refuses_what_is_not_a_duration(cli: Cli):
    cli.add("Draft proposal 3h")
    result = cli("log", "draft-proposal", "soon")
    assert result.exit_code == 2
    assert cli.json("show", "draft-proposal")["logged_minutes"] == 0
