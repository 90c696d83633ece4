"""Plan versions: every `plan` and `replan` is stored, never overwritten, so `history` and
`diff` can show how the week changed."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tengnuo.model.plan import Block, Conflict, Cost, Late, Plan, Status, Unscheduled
from tengnuo.store import rows


@dataclass(frozen=True)
class PlanVersion:
    """A stored plan and the circumstances it was made in."""

    version: int
    created: datetime
    command: str  # "plan" | "replan" | "import" ...
    now: datetime  # the instant planned from: blocks before it were the past
    start: datetime
    days: int
    timezone: str
    revision: int  # the workspace's input revision the plan was made from
    plan: Plan


def save(conn: sqlite3.Connection, record: PlanVersion) -> int:
    """Store `record` as the next version (its `version` field is ignored); returns the number."""
    plan = record.plan
    cursor = conn.execute(
        "INSERT INTO plans (created, command, now, start, days, timezone, status, cost_total, "
        "cost_unscheduled, cost_lateness, cost_preferences, bound, solve_seconds, revision, "
        "details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (rows.to_text(record.created), record.command, rows.to_text(record.now),
         rows.to_text(record.start), record.days, record.timezone, plan.status.value,
         plan.cost.total, plan.cost.unscheduled, plan.cost.lateness, plan.cost.preferences,
         plan.bound, plan.solve_seconds, record.revision, json.dumps(_details(plan))))
    version = int(cursor.lastrowid or 0)
    conn.executemany("INSERT INTO plan_blocks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        (version, rows.to_text(b.start), rows.to_text(b.end), b.id, b.kind, b.title, b.category,
         b.chunk, b.chunks) for b in plan.blocks])
    return version


def load(conn: sqlite3.Connection, version: int | None = None) -> PlanVersion | None:
    """The given version, or the newest one; None when there is none."""
    where = "WHERE version = ?" if version is not None else \
        "WHERE version = (SELECT max(version) FROM plans)"
    row = conn.execute(f"SELECT * FROM plans {where}",
                       (version,) if version is not None else ()).fetchone()
    if row is None:
        return None
    blocks = tuple(Block(rows.need_text(s), rows.need_text(e), i, k, t, c, n, m)
                   for s, e, i, k, t, c, n, m in conn.execute(
                       "SELECT start, end, item_id, kind, title, category, chunk, chunks "
                       "FROM plan_blocks WHERE version = ? ORDER BY start, item_id", (row[0],)))
    return _version(row, blocks)


def history(conn: sqlite3.Connection) -> list[PlanVersion]:
    """Every stored version, oldest first, without their blocks (for listing)."""
    return [_version(row, ()) for row in conn.execute("SELECT * FROM plans ORDER BY version")]


def _version(row: tuple[Any, ...], blocks: tuple[Block, ...]) -> PlanVersion:
    (version, created, command, now, start, days, timezone, status, total, unscheduled,
     lateness, preferences, bound, seconds, revision, details) = row
    extra = json.loads(details)
    plan = Plan(Status(status), Cost(total, unscheduled, lateness, preferences), bound, seconds,
                blocks,
                tuple(Late(d["id"], rows.need_text(d["due"]), rows.need_text(d["end"]),
                           d["minutes_late"], d["cost"]) for d in extra["late"]),
                tuple(Unscheduled(d["id"], d["kind"], d["minutes"], d["reason"],
                                  date.fromisoformat(d["date"]) if d["date"] else None)
                      for d in extra["unscheduled"]),
                tuple(extra["warnings"]),
                tuple(Conflict(tuple(d["items"]), d["message"]) for d in extra["conflicts"]))
    return PlanVersion(version, rows.need_text(created), command, rows.need_text(now),
                       rows.need_text(start), days, timezone, revision, plan)


def _details(plan: Plan) -> dict[str, Any]:
    return {
        "late": [{"id": x.id, "due": rows.to_text(x.due), "end": rows.to_text(x.end),
                  "minutes_late": x.minutes_late, "cost": x.cost} for x in plan.late],
        "unscheduled": [{"id": x.id, "kind": x.kind, "minutes": x.minutes, "reason": x.reason,
                         "date": x.date.isoformat() if x.date else None}
                        for x in plan.unscheduled],
        "warnings": list(plan.warnings),
        "conflicts": [{"items": list(c.items), "message": c.message} for c in plan.conflicts],
    }
