"""Child of test_crash.py: applies ops[start:] of a script (JSON lines) to the workspace through the
planner's use cases, and after each one has returned (committed, or refused for bad input)
prints `ACK <n> <kind> <id>` and flushes. The parent kills it with SIGKILL at a random moment.

Usage: python crash_child.py WORKSPACE SCRIPT, then START on stdin: the parent starts the next
child while this one runs, so its imports are done when it is told where to start.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from store_helpers import trivial_plan

from tengnuo.errors import InvalidInputError
from tengnuo.model.items import Task
from tengnuo.planner import items as pi
from tengnuo.planner import workspace as pw
from tengnuo.store import Workspace


def task_of(op: dict[str, Any]) -> Task:
    return Task(op["id"], op["title"], timedelta(minutes=op["min"]), hours=op["hours"],
                after=tuple(op["after"]))


def apply(ws: Workspace, op: dict[str, Any]) -> None:
    kind = op["op"]
    if kind == "add":
        pw.add_task(ws, task_of(op))
    elif kind == "addlog":  # one command: a task, its `after` edges and time already spent
        with pw.validated_change(ws) as s:
            s.put_task(task_of(op))
            s.log_work(op["id"], op["log"], datetime.now(UTC))
    elif kind == "edit":
        pw.edit_task(ws, op["id"], lambda t: replace(
            t, title=op["title"], duration=timedelta(minutes=op["min"]), hours=op["hours"],
            after=tuple(op["after"])))
    elif kind == "rename":
        pw.edit_task(ws, op["id"], lambda t: replace(t, id=op["new"]))
    elif kind == "log":
        pw.log_work(ws, op["id"], timedelta(minutes=op["min"]))
    elif kind == "done":
        pw.set_done(ws, op["id"], op["done"])
    elif kind == "rm":
        pw.remove_task(ws, op["id"])
    elif kind == "limit":
        pi.set_limit(ws, op["name"], None if op["min"] is None else timedelta(minutes=op["min"]))
    elif kind == "hours":
        pi.set_hours(ws, op["name"], op["spec"])
    elif kind == "rmhours":
        pi.remove_hours(ws, op["name"])
    elif kind == "plan":
        with ws.read() as s:
            ids, revision = [e.task.id for e in s.tasks("open")], s.revision()
        ws.save_plan(trivial_plan(ids, revision))
    elif kind == "bad":
        try:
            apply(ws, op["inner"])
        except InvalidInputError:
            return
        raise SystemExit(f"bad input was accepted: {op['inner']}")
    else:
        raise SystemExit(f"unknown op {kind}")


def main() -> None:
    path, ops = Path(sys.argv[1]), Path(sys.argv[2]).read_text().splitlines()  # JSON lines
    line = sys.stdin.readline()
    if not line:  # not needed after all
        return
    start = int(line)
    ws = pw.open_workspace(path)
    print("READY", flush=True)
    for n in range(start + 1, len(ops) + 1):  # ops are numbered from 1
        op = json.loads(ops[n - 1])
        apply(ws, op)
        print(f"ACK {n} {op['op']} {op.get('id', '')}", flush=True)
    ws.close()


if __name__ == "__main__":
    main()
