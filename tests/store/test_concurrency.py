"""Three processes on one workspace at once: two CLI-like editors changing the same tasks and a
planner saving plans from snapshots. Nobody's change is lost and nobody sees "locked"."""

from __future__ import annotations

import subprocess
import sys
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from store_helpers import HERE, integrity, raw

from tengnuo.model.items import Task
from tengnuo.planner import workspace as pw

CHILD = HERE / "concurrency_child.py"
EDITS = 50  # per editor


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=HERE)


def test_two_editors_and_a_planner_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    pw.init(path, "UTC")
    with pw.open_workspace(path) as ws:
        pw.add_task(ws, Task("a", "Shared task A", timedelta(minutes=30)))
        pw.add_task(ws, Task("b", "Shared task B", timedelta(minutes=45), after=("a",)))
        pw.add_task(ws, Task("c", "Untouched", timedelta(minutes=60)))
        with ws.read() as s:
            revision_before = s.revision()
    stop = tmp_path / "stop"

    planner = start("planner", str(path), str(stop))
    editors = [start("editor", str(path), str(EDITS)) for _ in range(2)]
    results = [editor.communicate(timeout=120) for editor in editors]
    stop.touch()
    planner_out, planner_err = planner.communicate(timeout=60)

    for process, (_out, err) in zip([*editors, planner], [*results, (planner_out, planner_err)],
                                   strict=True):
        assert "database is locked" not in err
        assert process.returncode == 0, err
        assert err == ""
    assert [out for out, _ in results] == [f"EDITS {EDITS}\n"] * 2
    plans_saved = int(planner_out.split()[1])
    print(f"\n{plans_saved} plans saved")

    with pw.open_workspace(path) as ws, ws.read() as s:
        tasks = {e.task.id: e for e in s.tasks()}
        assert tasks["a"].task.duration == timedelta(minutes=30 + 2 * EDITS)  # no lost update
        assert tasks["b"].task.duration == timedelta(minutes=45 + 2 * EDITS)
        assert tasks["c"].task.duration == timedelta(minutes=60)
        assert tasks["b"].task.after == ("a",)
        assert len(s.work_log("a")) == 2 * EDITS  # every log entry, exactly once
        assert tasks["a"].logged == timedelta(minutes=2 * EDITS)
        assert s.revision() == revision_before + 3 * 2 * EDITS  # each change counted once

    with closing(raw(path)) as conn:
        plans = conn.execute("SELECT version, revision FROM plans ORDER BY version").fetchall()
        blocks = dict(conn.execute("SELECT version, count(*) FROM plan_blocks GROUP BY version"))
    assert len(plans) == plans_saved >= 5
    assert all(blocks[version] == 3 for version, _ in plans)  # each plan saved whole
    revisions = [revision for _, revision in plans]
    assert revisions == sorted(revisions)
    assert revision_before <= revisions[0]
    assert revisions[-1] <= revision_before + 6 * EDITS
    assert integrity(path) == ["ok"]
