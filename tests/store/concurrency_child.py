"""Child of test_concurrency.py, in one of two roles.

`editor N`: like N runs of a CLI command, each opening the workspace: add a minute to the
estimate of each of the shared tasks `a` and `b` (read-modify-write through `edit_task`), and
log a minute on `a`. Prints `EDITS N` at the end.

`planner STOPFILE`: until STOPFILE exists, read a snapshot of all inputs and save a plan made
from it, checking the snapshot does not move while it is read. Prints `PLANS <count>`.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from store_helpers import trivial_plan

from tengnuo.model.items import Task
from tengnuo.planner import workspace as pw
from tengnuo.store import Workspace


def longer(task: Task) -> Task:
    return replace(task, duration=task.duration + timedelta(minutes=1))


def editor(path: Path, count: int) -> None:
    for _ in range(count):
        with pw.open_workspace(path) as ws:
            pw.edit_task(ws, "a", longer)
        with pw.open_workspace(path) as ws:
            pw.edit_task(ws, "b", longer)
            pw.log_work(ws, "a", timedelta(minutes=1))
    print(f"EDITS {count}", flush=True)


def planner(path: Path, stop: Path) -> None:
    saved = 0
    with Workspace.open(path) as ws:
        while not stop.exists() or saved < 5:
            with ws.read() as s:
                revision = s.revision()
                entries = s.tasks("open")
                s.hours()
                s.limits()
                s.events()
                s.routines()
                if s.revision() != revision or s.tasks("open") != entries:
                    raise SystemExit("the snapshot moved while it was read")
            ws.save_plan(trivial_plan([e.task.id for e in entries], revision))
            saved += 1
            time.sleep(0.005)  # a real planner solves for a while between saves
    print(f"PLANS {saved}", flush=True)


if __name__ == "__main__":
    role, workspace, arg = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    if role == "editor":
        editor(workspace, int(arg))
    else:
        planner(workspace, Path(arg))
