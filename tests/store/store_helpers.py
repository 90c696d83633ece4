"""Shared by the workspace safety tests: a populated workspace, and ways to look at a file that
do not go through the code under test (raw sqlite3, bytes)."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tengnuo.model.items import Task
from tengnuo.model.plan import Block, Cost, Plan, Status
from tengnuo.planner import items as pi
from tengnuo.planner import workspace as pw
from tengnuo.store import PlanVersion, Workspace

HERE = Path(__file__).resolve().parent
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_in(folder: Path) -> dict[str, str]:
    """Every file under `folder` (recursively) with its sha256: what a person would find there."""
    return {str(p.relative_to(folder)): sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def raw(path: Path, *, readonly: bool = True) -> sqlite3.Connection:
    """A plain sqlite3 connection, bypassing tengnuo (read-only: it never checkpoints)."""
    mode = "ro" if readonly else "rw"
    return sqlite3.connect(f"file:{path}?mode={mode}", uri=True, isolation_level=None)


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """The logical content of every table (and the schema version), order-independent."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]
    for name in names:
        out[name] = sorted(conn.execute(f"SELECT * FROM {name}").fetchall(), key=repr)
    out["pragma user_version"] = [conn.execute("PRAGMA user_version").fetchone()]
    out["pragma application_id"] = [conn.execute("PRAGMA application_id").fetchone()]
    return out


def dump_file(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with closing(raw(path)) as conn:
        return dump(conn)


def integrity(path: Path) -> list[str]:
    with closing(raw(path)) as conn:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]


def trivial_plan(task_ids: list[str], revision: int, command: str = "plan") -> PlanVersion:
    """A plan with one hour-long block per task, one after the other (no solver involved)."""
    blocks = tuple(Block(START + timedelta(hours=i), START + timedelta(hours=i + 1), task_id,
                         "task", f"work on {task_id}") for i, task_id in enumerate(task_ids))
    plan = Plan(Status.FEASIBLE, Cost(len(blocks), 0, 0, len(blocks)), 0, 0.01, blocks)
    return PlanVersion(0, datetime.now(UTC), command, START, START, 7, "UTC", revision, plan)


def populate(path: Path, tasks: int = 40) -> None:
    """A workspace a person would have after some weeks: tasks with long titles and `after`
    chains, an hours profile, a limit, logged work and a stored plan. Closed afterwards, so
    the file holds everything (no -wal file beside it)."""
    pw.init(path, "UTC")
    ws = Workspace.open(path)
    try:
        pi.set_hours(ws, "focus", "mon-fri 09:00-12:00, 13:00-17:00")
        pi.set_limit(ws, "day_max", timedelta(hours=8))
        for i in range(tasks):
            after = (f"t{i - 1}",) if i % 3 else ()
            pw.add_task(ws, Task(f"t{i}", f"Task number {i}: " + "write the report " * 8,
                                 timedelta(minutes=30 + i), hours="focus" if i % 2 else "anytime",
                                 after=after))
            if i % 4 == 0:
                pw.log_work(ws, f"t{i}", timedelta(minutes=10))
        with ws.read() as s:
            revision = s.revision()
        ws.save_plan(trivial_plan([f"t{i}" for i in range(tasks)], revision))
    finally:
        ws.close()
    assert not path.with_name(path.name + "-wal").exists()
