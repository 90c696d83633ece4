"""Planning the workspace through the real CLI: `plan` from a fixed now, `replan` with a diff,
`today`/`week`/`next`, `history`/`diff`, and the demo. Every stored plan is judged by the
independent checker (workspace_helpers.verdict), never taken on the solver's word.

The week: Shanghai, working hours 09:00-18:00 every day (the `anytime` profile), at most 4h of
work a day, six tasks planned from Monday 2026-12-07 09:00, so they spread over three days.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from cli_helpers import PLAIN_ENV
from typer.testing import CliRunner
from workspace_helpers import SHANGHAI, Cli, local, minutes, moved_minutes, new_workspace

from tengnuo.cli.main import app
from tengnuo.formats.plan_json import plan_from_json
from tengnuo.model.plan import Block
from tengnuo.planner import items

MONDAY_9 = "2026-12-07 09:00"
TASKS = (
    "Call insurer 30m by tue",
    "Tax forms 1h30m by wed #admin",
    "Review PRs 2h by thu #work",
    "Draft proposal 3h by fri #work split 1h-2h",
    "Plan trip 1h by sat #home",
    "Read paper 2h",
)
IDS = {"call-insurer", "tax-forms", "review-prs", "draft-proposal", "plan-trip", "read-paper"}
NO_PLAN = "No plan yet: run `tengnuo plan`."
STALE = "Your tasks changed since this plan: `tengnuo replan` updates it."


@pytest.fixture
def week(tmp_path: Path) -> Cli:
    cli = new_workspace(tmp_path, MONDAY_9)
    with cli.open() as ws:
        items.set_hours(ws, "anytime", "mon-sun 09:00-18:00")
    cli.set_limit("day_max", timedelta(hours=4))
    for line in TASKS:
        cli.add(line)
    return cli


@pytest.fixture
def planned(week: Cli) -> Cli:
    """`week` with version 1 planned from Monday 09:00, checked."""
    week.plan()
    assert week.verdict(1) == []
    return week


def when(moment: datetime) -> str:
    """A `--now` value: the Shanghai wall clock of `moment`."""
    return f"{moment.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def span(block: Block) -> tuple[str, str, datetime, datetime]:
    return (block.kind, block.id, block.start, block.end)


def on_day(blocks: tuple[Block, ...] | list[Block], day: int) -> list[Block]:
    return [b for b in blocks if b.start.astimezone(SHANGHAI).date() == date(2026, 12, day)]


def json_blocks(data: list[dict[str, object]]) -> list[tuple[str, datetime, datetime]]:
    return [(str(b["id"]), datetime.fromisoformat(str(b["start"])),
             datetime.fromisoformat(str(b["end"]))) for b in data]


# --------------------------------------------------------------------------------------- plan


def test_plan_from_now_places_every_block_after_now_and_stores_version_1(week: Cli):
    result = week.ok("plan", "--time-limit", "1", now="2026-12-07 10:20")
    lines = result.stdout.splitlines()
    assert lines[-1] == "Plan version 1."
    assert "Changes" not in result.stdout  # nothing to compare the first plan with
    assert lines[0] == "Mon 2026-12-07"

    stored = week.version(1)
    assert week.versions() == [1]
    assert stored.command == "plan"
    assert stored.now == local(7, 10, 20)
    blocks = stored.plan.blocks
    assert min(b.start for b in blocks) >= local(7, 10, 30)  # after now, on the 15-minute grid
    assert {b.id for b in blocks} == IDS
    assert stored.plan.unscheduled == ()
    assert week.verdict(1) == []
    for b in on_day(blocks, 7):  # the agenda shows what was stored
        local_start, local_end = b.start.astimezone(SHANGHAI), b.end.astimezone(SHANGHAI)
        assert f"{local_start:%H:%M}-{local_end:%H:%M}   {b.title}" in result.stdout


def test_plan_json_is_the_stored_version(week: Cli):
    data = week.plan()
    assert (data["version"], data["diff"]) == (1, None)
    plan = plan_from_json(data["plan"])
    assert sorted(map(span, plan.blocks)) == sorted(map(span, week.version(1).plan.blocks))
    assert all(b["start"].endswith("+08:00") for b in data["plan"]["blocks"])


def test_done_tasks_are_left_out_of_the_next_plan(planned: Cli):
    assert planned.task_blocks("tax-forms", 1)
    planned.ok("done", "tax-forms")
    planned.plan()
    assert planned.task_blocks("tax-forms", 2) == []
    assert {b.id for b in planned.version(2).plan.blocks} == IDS - {"tax-forms"}
    assert planned.verdict(2) == []


def test_logged_time_shrinks_the_planned_minutes(planned: Cli):
    assert minutes(planned.task_blocks("draft-proposal", 1)) == 180
    planned.ok("log", "draft-proposal", "1h15m")
    planned.plan()
    assert minutes(planned.task_blocks("draft-proposal", 2)) == 105
    assert planned.verdict(2) == []


def test_a_block_under_way_is_kept_exactly_even_when_urgent_work_arrives(planned: Cli):
    first = planned.version(1).plan.blocks
    longest = max(on_day(first, 7), key=lambda b: b.minutes)
    assert longest.minutes >= 60
    inside = longest.start + timedelta(minutes=30)
    deadline = longest.end + timedelta(hours=1)
    planned.add("Urgent fix 1h !1", "--due", when(deadline), "--hard")  # wants to start now

    data = planned.plan(now=when(inside))
    assert data["version"] == 2
    second = planned.version(2).plan.blocks
    assert span(longest) in map(span, second)  # unchanged: same task, start and end
    starting_before = [b for b in second if b.start < inside and b.end > inside]
    assert list(map(span, starting_before)) == [span(longest)]
    [urgent] = planned.task_blocks("urgent-fix", 2)
    assert longest.end <= urgent.start
    assert urgent.end <= deadline
    assert planned.verdict(2) == []

    now_next = planned.json("next", now=when(inside))
    assert now_next["now"]["id"] == longest.id
    assert now_next["next"]["id"] == "urgent-fix"


def test_a_block_under_way_that_ends_after_the_due_is_reported_late(tmp_path: Path):
    cli = new_workspace(tmp_path)
    cli.add("Big job 2h by fri")
    cli.plan()
    [block] = cli.task_blocks("big-job", 1)
    inside = when(block.start + timedelta(minutes=30))
    cli.ok("edit", "big-job", "--due", when(block.end - timedelta(minutes=30)), now=inside)
    cli.plan(now=inside)
    assert [t["id"] for t in cli.json("list", "--late", now=inside)] == ["big-job"]


# ------------------------------------------------------------------------------------- replan


def test_replan_after_an_urgent_task_moves_little_and_shows_the_changes_first(
        planned: Cli, tmp_path: Path):
    first = planned.version(1).plan.blocks
    now = local(7, 9)
    planned.add("Urgent fix 1h by 18:00 hard !1")
    fresh = Cli(tmp_path / "fresh.db", planned.now)
    shutil.copy(planned.path, fresh.path)

    text = planned.ok("replan", "--time-limit", "2").stdout
    lines = text.splitlines()
    assert lines[0] == "Changes"
    assert any(line.startswith("  added    Urgent fix: Mon 2026-12-07 ") for line in lines)
    assert any(line.startswith("  kept     ") for line in lines)
    assert lines.index("Mon 2026-12-07") > max(i for i, line in enumerate(lines)
                                                if line.startswith("  kept"))
    assert lines[-1] == "Plan version 2."
    assert planned.versions() == [1, 2]
    assert planned.version(2).command == "replan"
    assert planned.verdict(2) == []

    replanned = planned.version(2).plan.blocks
    later = [b for b in first if b.start >= local(8, 0)]
    assert set(map(span, later)) <= set(map(span, replanned))  # only today's blocks may move
    moved = moved_minutes(first, replanned, now)
    assert moved <= minutes(on_day(first, 7))

    fresh.plan()
    assert fresh.verdict(2) == []
    fresh_moved = moved_minutes(first, fresh.version(2).plan.blocks, now)
    assert 2 * moved <= fresh_moved, (moved, fresh_moved)


def test_replan_json_counts_the_kept_blocks(planned: Cli):
    first = planned.version(1).plan.blocks
    planned.add("Urgent fix 1h by 18:00 hard !1")
    data = planned.json("replan", "--time-limit", "2")
    assert data["version"] == 2
    diff = data["diff"]
    assert [b["id"] for b in diff["added"]] == ["urgent-fix"]
    assert diff["dropped"] == []
    assert diff["now_late"] == []
    kept = {span(b) for b in first} & {span(b) for b in planned.version(2).plan.blocks}
    assert diff["kept"] == len(kept) >= len(first) // 2
    moved_blocks = sum(len(m["from"]) for m in diff["moved"])
    assert diff["kept"] + moved_blocks == len(first)
    assert data["stability"] > 0
    assert planned.verdict(2) == []


def test_replan_dry_run_stores_nothing(planned: Cli):
    planned.add("Urgent fix 1h by 18:00 hard !1")
    result = planned.ok("replan", "--dry-run", "--time-limit", "1")
    assert result.stdout.splitlines()[0] == "Changes"
    assert result.stdout.splitlines()[-1] == "Plan not stored (--dry-run)."
    assert planned.versions() == [1]
    assert planned.json("replan", "--dry-run", "--time-limit", "1")["version"] is None
    assert planned.versions() == [1]
    assert planned.json("today")["version"] == 1


def test_an_event_over_a_planned_block_moves_exactly_that_block(planned: Cli):
    first = planned.version(1).plan.blocks
    single = [b for b in first if b.start >= local(8, 0)
              and len(planned.task_blocks(b.id, 1)) == 1]
    target = single[-1]
    planned.add_event("Dentist", target.start, target.end)

    data = planned.json("replan", "--time-limit", "2")
    diff = data["diff"]
    assert [m["id"] for m in diff["moved"]] == [target.id]
    assert (diff["added"], diff["dropped"], diff["now_late"]) == ([], [], [])
    assert diff["kept"] == len(first) - 1

    second = planned.version(2).plan.blocks
    others = [b for b in first if b != target]
    assert set(map(span, others)) <= set(map(span, second))
    [moved] = planned.task_blocks(target.id, 2)
    assert moved.end <= target.start or moved.start >= target.end  # clear of the dentist
    assert planned.verdict(2) == []

    listed = planned.ok("diff", "1", "2").stdout
    assert f"moved    {target.title}: " in listed


# ---------------------------------------------------------------------- today / week / next


def test_nothing_to_show_before_the_first_plan(week: Cli):
    for command in ("today", "week", "next", "history"):
        result = week.ok(command)
        assert result.stdout.strip() == NO_PLAN, command
    assert week.json("today") | {"events": []} == {
        "version": None, "stale": False, "timezone": "Asia/Shanghai", "blocks": [], "events": []}
    assert week.json("next") == {"version": None, "stale": False, "now": None, "next": None}
    assert week.json("history") == []


def test_today_and_week_show_the_current_plan(planned: Cli):
    blocks = planned.version(1).plan.blocks
    today = planned.ok("today").stdout
    assert today.splitlines()[0] == "Mon 2026-12-07"
    assert "Tue 2026-12-08" not in today
    for b in blocks:
        shown = f"{b.start.astimezone(SHANGHAI):%H:%M}-{b.end.astimezone(SHANGHAI):%H:%M}"
        assert (f"{shown}   {b.title}" in today) == (b in on_day(blocks, 7))

    data = planned.json("today")
    assert (data["version"], data["stale"]) == (1, False)
    expected = [(b.id, b.start, b.end) for b in on_day(blocks, 7)]
    assert json_blocks(data["blocks"]) == expected
    assert all(b["start"].endswith("+08:00") for b in data["blocks"])

    week = planned.ok("week").stdout
    for day in range(7, 14):
        assert f"{date(2026, 12, day):%a %Y-%m-%d}" in week
    for b in blocks:
        assert b.title in week
    assert sorted(json_blocks(planned.json("week")["blocks"])) == sorted(
        (b.id, b.start, b.end) for b in blocks)


def test_today_shows_events(planned: Cli):
    planned.add_event("Dentist", local(7, 17), local(7, 18))
    assert "17:00-18:00   Dentist" in planned.ok("today").stdout
    [event] = planned.json("today")["events"]
    assert (event["title"], event["start"]) == ("Dentist", "2026-12-07T17:00:00+08:00")


def test_next_shows_the_block_under_way_and_the_one_after(planned: Cli):
    monday = sorted(on_day(planned.version(1).plan.blocks, 7), key=lambda b: b.start)
    current, coming = monday[1], monday[2]
    now = current.start + timedelta(minutes=15)
    text = planned.ok("next", now=when(now)).stdout
    lines = text.splitlines()
    until = f"{current.end.astimezone(SHANGHAI):%H:%M}"
    assert lines[0].startswith(f"Now   {current.title}  until {until}")
    assert lines[1].startswith(f"Next  {coming.title}  Mon 2026-12-07 "
                               f"{coming.start.astimezone(SHANGHAI):%H:%M}-")
    data = planned.json("next", now=when(now))
    assert (data["now"]["id"], data["next"]["id"]) == (current.id, coming.id)
    assert datetime.fromisoformat(data["now"]["end"]) == current.end

    later = max(b.end for b in planned.version(1).plan.blocks)
    assert "Nothing more is planned." in planned.ok("next", now=when(later)).stdout


def test_the_stale_hint_after_an_edit(planned: Cli):
    assert STALE not in planned.ok("today").stdout
    planned.ok("edit", "read-paper", "--priority", "1")
    for command in ("today", "week", "next"):
        assert planned.ok(command).stdout.splitlines()[0] == STALE, command
    assert planned.json("today")["stale"] is True
    planned.ok("replan", "--time-limit", "1")
    assert STALE not in planned.ok("today").stdout
    assert planned.json("today")["stale"] is False


# --------------------------------------------------------------------------- history / diff


def test_history_lists_versions_and_diff_shows_what_became_late(planned: Cli):
    planned.ok("edit", "tax-forms", "--due", "today 9:30")  # 1h30m cannot end by 09:30
    planned.ok("replan", "--time-limit", "1")
    assert planned.verdict(2) == []

    history = planned.ok("history").stdout.splitlines()
    assert history[0].split()[:3] == ["version", "made", "planned"]
    assert history[1].split()[0] == "1"
    assert "plan" in history[1].split()
    assert history[2].split()[0] == "2"
    assert "replan" in history[2].split()
    assert "Mon 2026-12-07 09:00" in history[1]
    rows = planned.json("history")
    assert [(r["version"], r["command"]) for r in rows] == [(1, "plan"), (2, "replan")]
    assert rows[0]["now"] == "2026-12-07T09:00:00+08:00"

    text = planned.ok("diff", "1", "2").stdout
    assert text.splitlines()[0] == "Changes"
    assert "  now late tax-forms: " in text
    data = planned.json("diff", "1", "2")
    assert [x["id"] for x in data["now_late"]] == ["tax-forms"]
    assert data["now_late"][0]["minutes_late"] >= 60

    same = planned.ok("diff", "1", "1").stdout
    assert same.startswith("No changes: ")


def test_diff_with_an_unknown_version_is_exit_2(planned: Cli):
    result = planned("diff", "1", "7")
    assert result.exit_code == 2
    assert "no plan version 7" in result.stderr
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------------------- demo


def test_demo_prints_the_fortnight_and_exits_0(tmp_path: Path):
    runner = CliRunner(env={**PLAIN_ENV, "TENGNUO_WORKSPACE": str(tmp_path / "untouched.db"),
                            "TENGNUO_NOW": None})
    result = runner.invoke(app, ["demo", "--time-limit", "3"])
    assert result.exit_code == 0, result.output
    for day in range(7, 21):
        assert f"{date(2026, 12, day):%a %Y-%m-%d}" in result.stdout
    assert "Plan version 1." in result.stdout
    assert "temporary" in result.stdout
    assert not (tmp_path / "untouched.db").exists()  # the user's workspace is left alone
