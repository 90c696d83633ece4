"""The whole loop against a real CalDAV server, through the CLI: events with recurrences,
overrides, zones and a declined invitation block time; to-dos become tasks; the plan is written
to its calendar, updated in place on replan, and completion travels both ways."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import icalendar
import pytest
from conftest import new_calendar
from typer.testing import CliRunner

from tengnuo.check import check
from tengnuo.cli.main import app
from tengnuo.planner.keep import started_blocks
from tengnuo.planner.schedule import build_problem, read_busy, read_inputs
from tengnuo.planner.workspace import open_workspace
from tengnuo.sync.storage import Item
from tengnuo.sync.storage_caldav import CalDavStorage, ensure_calendar

pytestmark = pytest.mark.caldav

CAL = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{}END:VCALENDAR\r\n"
BERLIN = ("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000"
          "\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"
          "\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;"
          "BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n"
          "END:VTIMEZONE\r\n")
# Monday 2026-12-07 09:00 local in Shanghai is 02:00 in Berlin: the daily stand-up at
# 10:00 Berlin is 17:00 Shanghai; Tuesday's is moved (override with a UTC time) to 03:00 UTC.
STANDUP = CAL.format(BERLIN + "BEGIN:VEVENT\r\nUID:standup@example.com\r\n"
                     "DTSTART;TZID=Europe/Berlin:20261207T100000\r\n"
                     "DTEND;TZID=Europe/Berlin:20261207T110000\r\nRRULE:FREQ=DAILY;COUNT=5\r\n"
                     "SUMMARY:Stand-up\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n"
                     "UID:standup@example.com\r\nRECURRENCE-ID;TZID=Europe/Berlin:"
                     "20261208T100000\r\nDTSTART:20261208T030000Z\r\nDTEND:20261208T040000Z\r\n"
                     "SUMMARY:Stand-up (moved)\r\nEND:VEVENT\r\n")
DECLINED = CAL.format("BEGIN:VEVENT\r\nUID:offsite@example.com\r\nDTSTART:20261207T020000Z\r\n"
                      "DTEND:20261207T090000Z\r\nSUMMARY:Offsite\r\n"
                      "ATTENDEE;PARTSTAT=DECLINED:mailto:alice@example.com\r\nEND:VEVENT\r\n")


def todo(uid: str, summary: str, extra: str = "") -> str:
    return CAL.format(f"BEGIN:VTODO\r\nUID:{uid}\r\nSUMMARY:{summary}\r\n"
                      f"X-TENGNUO-ESTIMATE:PT2H\r\nDUE:20261209T100000Z\r\n{extra}"
                      "DESCRIPTION:kept by tengnuo\r\nEND:VTODO\r\n")


@pytest.fixture(params=["radicale", "xandikos"])
def world(request, tmp_path, monkeypatch):
    """A server with a Work calendar and a task list, and a workspace using both."""
    server = request.getfixturevalue(request.param)
    monkeypatch.setenv("TENGNUO_NO_KEYRING", "1")
    monkeypatch.setenv("TENGNUO_CONFIG_DIR", str(tmp_path / "config"))
    work, todos = new_calendar(server), new_calendar(server)
    work.upload(Item(STANDUP))
    work.upload(Item(DECLINED))
    todos.upload(Item(todo("cv@example.com", "Update the CV")))
    todos.upload(Item(todo("letter@example.com", "Write the cover letter",
                           "RELATED-TO;RELTYPE=DEPENDS-ON:cv@example.com\r\n")))
    env = {"TENGNUO_WORKSPACE": str(tmp_path / "ws.db"), "TENGNUO_NOW": "2026-12-07 08:00",
           "COLUMNS": "150"}
    runner = CliRunner(env=env)

    def run(*args: str, stdin: str | None = None) -> str:
        result = runner.invoke(app, list(args), input=stdin)
        assert result.exit_code == 0, result.output
        return result.output

    run("init", "--timezone", "Asia/Shanghai")
    login = ["--user", server.username, "--password-stdin"] if server.username else []
    run("account", "add", "home", server.url, *login, stdin=f"{server.password}\n")
    run("subscribe", "home", work.url, "--me", "alice@example.com")
    run("subscribe", "home", todos.url, "--tasks")
    plan_name = f"plan-{uuid.uuid4().hex[:8]}"
    run("publish", "home", plan_name)
    plan_url = ensure_calendar(server.url, plan_name, server.username, server.password)
    plan_cal = CalDavStorage(plan_url, server.username, server.password)
    return run, work, todos, plan_cal, tmp_path / "ws.db"


def server_events(storage: CalDavStorage) -> dict[str, tuple[datetime, datetime, str]]:
    found = {}
    for href in storage.list():
        item, _ = storage.get(href)
        for event in icalendar.Calendar.from_ical(item.text).walk("VEVENT"):
            found[str(event["UID"])] = (event.start.astimezone(UTC), event.end.astimezone(UTC),
                                        href)
    return found


def stored_plan(path, now):
    ws = open_workspace(path)
    try:
        inp = read_inputs(ws)
        version = ws.plan()
        busy = read_busy(inp, now)
        problem = build_problem(inp, now, busy, started_blocks(inp, (), now, busy.events))
        return problem, version.plan
    finally:
        ws.close()


def test_the_loop_with_a_real_server(world):
    run, _work, todos, plan_cal, path = world
    first = run("sync")
    assert "2 new, 0 changed, 0 removed events" in first
    assert "here: 2 created" in first
    listed = run("list")
    assert "Update the CV" in listed
    assert "Write the cover letter" in listed

    run("plan", "--time-limit", "2")
    now = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
    problem, plan = stored_plan(path, now)
    standups = [e for e in problem.events if e.id.startswith("standup")]
    assert len(standups) == 5
    assert any(e.start == datetime(2026, 12, 8, 3, 0, tzinfo=UTC) for e in standups)
    assert not any(e.id.startswith("offsite") for e in problem.events), "declined: not busy"
    assert check(problem, plan) == []

    pushed = run("sync")
    assert f"server: {len(plan.blocks)} created" in pushed
    on_server = server_events(plan_cal)
    assert {(b.start, b.end) for b in plan.blocks} == {(s, e) for s, e, _ in
                                                       on_server.values()}
    assert "no changes" in run("sync").split("(plan): ")[1].splitlines()[0]
    texts = [plan_cal.get(h)[0].text for h in plan_cal.list()]
    cv_blocks = [t for t in texts if "Update the CV" in t]
    assert cv_blocks
    assert all("RELATED-TO:cv@example.com" in t for t in cv_blocks), "a link back to the to-do"
    assert all("Planned by tengnuo" in t for t in texts)

    task_id = next(line.split()[0] for line in run("list").splitlines()
                   if "Update the CV" in line)
    run("done", task_id)
    run("sync")
    cv = next(todos.get(h)[0].text for h in todos.list() if "cv@example.com" in
              todos.get(h)[0].text)
    assert "STATUS:COMPLETED" in cv
    assert "DESCRIPTION:kept by tengnuo" in cv, "properties tengnuo does not model survive"

    href = next(h for h in todos.list() if "letter" in todos.get(h)[0].text)
    item, etag = todos.get(href)
    todos.update(href, Item(item.text.replace("DESCRIPTION", "STATUS:COMPLETED\r\n"
                                              "DESCRIPTION")), etag)
    run("sync")
    assert "Write the cover letter" in run("list", "--status", "done")


def test_replan_updates_blocks_in_place_and_a_quiet_sync_writes_nothing(world):
    run, _work, _todos, plan_cal, _path = world
    run("sync")
    run("plan", "--time-limit", "2")
    run("sync")
    before = server_events(plan_cal)
    run("--now", "2026-12-07 11:20", "add", "Urgent reply 1h by today 17:00 !1")
    run("--now", "2026-12-07 11:20", "replan", "--time-limit", "3")
    report = run("--now", "2026-12-07 11:20", "sync", "--json")
    after = server_events(plan_cal)
    kept = [uid for uid in before if uid in after and before[uid] == after[uid]]
    assert kept, "blocks that did not move stay as they were on the server"
    for uid in set(before) & set(after):
        assert before[uid][2] == after[uid][2], "updated in place, never deleted and recreated"
    assert '"action": "create"' in report
    quiet = run("--now", "2026-12-07 11:20", "sync", "--json")
    assert '"action"' not in quiet
