"""The plan as FORMAT.md's `--json` contract, and back.

`plan_to_json` writes every time in the problem's zone as ISO 8601 with its offset
(`2026-12-07T09:00:00+08:00`); `plan_from_json` reads such a document back into a `Plan` with UTC
datetimes (the model's invariant). Only the stdlib and `tengnuo.model` / `tengnuo.errors`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tengnuo.errors import Issue
from tengnuo.model.items import Event
from tengnuo.model.plan import Block, Conflict, Cost, Late, Plan, Status, Unscheduled
from tengnuo.model.problem import Problem

JSONObject = dict[str, Any]


def iso(moment: datetime, tz: ZoneInfo) -> str:
    """`moment` on the wall clock of `tz`, with its offset, to the second.

    >>> from datetime import UTC, datetime
    >>> iso(datetime(2026, 12, 7, 1, 0, tzinfo=UTC), ZoneInfo("Asia/Shanghai"))
    '2026-12-07T09:00:00+08:00'
    """
    return moment.astimezone(tz).isoformat(timespec="seconds")


def plan_to_json(plan: Plan, problem: Problem) -> JSONObject:
    """The plan of `problem` as the JSON object of FORMAT.md.

    Args:
        plan: the solved plan (UTC datetimes).
        problem: the problem it solves; gives the zone, the horizon and the events.

    Returns:
        A dict ready for `json.dumps`; `conflicts` is present when the plan is infeasible.
    """
    tz = problem.tz
    out: JSONObject = {
        "status": plan.status.value,
        "cost": _cost_json(plan.cost),
        "bound": plan.bound,
        "solve_seconds": round(plan.solve_seconds, 3),
        "blocks": [_block_json(b, tz) for b in sorted(plan.blocks, key=lambda b: b.sort_key)],
        "events": [_event_json(e, tz) for e in events_in_horizon(problem)],
        "late": [_late_json(x, tz) for x in plan.late],
        "unscheduled": [_unscheduled_json(u) for u in plan.unscheduled],
        "warnings": list(plan.warnings),
    }
    if plan.status is Status.INFEASIBLE or plan.conflicts:
        out["conflicts"] = [_conflict_json(c) for c in plan.conflicts]
    return out


def invalid_to_json(issues: Iterable[Issue]) -> JSONObject:
    """The `status: invalid` answer: every issue with its file, line, field and message."""
    return {
        "status": Status.INVALID.value,
        "errors": [
            {"file": i.file, "line": i.line, "field": i.field, "message": i.message}
            for i in issues
        ],
    }


def valid_to_json(problem: Problem) -> JSONObject:
    """What `tengnuo check FILE --json` says about a valid file: its size and horizon."""
    tz = problem.tz
    return {
        "status": "valid",
        "timezone": problem.timezone,
        "start": iso(problem.start, tz),
        "end": iso(problem.end, tz),
        "days": problem.days,
        "tasks": len(problem.tasks),
        "events": len(events_in_horizon(problem)),
        "routines": len(problem.routines),
        "warnings": [str(issue) for issue in problem.warnings],
    }


def events_in_horizon(problem: Problem) -> list[Event]:
    """The problem's events that overlap its horizon, in time order."""
    start, end = problem.start, problem.end
    inside = (e for e in problem.events if e.start < end and e.end > start)
    return sorted(inside, key=lambda e: (e.start, e.end, e.id))


def _cost_json(cost: Cost) -> JSONObject:
    return {
        "total": cost.total,
        "unscheduled": cost.unscheduled,
        "lateness": cost.lateness,
        "preferences": cost.preferences,
    }


def _block_json(block: Block, tz: ZoneInfo) -> JSONObject:
    out: JSONObject = {
        "id": block.id,
        "kind": block.kind,
        "title": block.title,
        "category": block.category,
        "start": iso(block.start, tz),
        "end": iso(block.end, tz),
    }
    if block.chunks is not None and block.chunks > 1:
        out["chunk"] = block.chunk
        out["chunks"] = block.chunks
    return out


def _event_json(event: Event, tz: ZoneInfo) -> JSONObject:
    return {
        "id": event.id,
        "title": event.title,
        "start": iso(event.start, tz),
        "end": iso(event.end, tz),
        "category": event.category,
    }


def _late_json(late: Late, tz: ZoneInfo) -> JSONObject:
    return {
        "id": late.id,
        "due": iso(late.due, tz),
        "end": iso(late.end, tz),
        "minutes_late": late.minutes_late,
        "cost": late.cost,
    }


def _unscheduled_json(item: Unscheduled) -> JSONObject:
    out: JSONObject = {
        "id": item.id,
        "kind": item.kind,
        "minutes": item.minutes,
        "reason": item.reason,
    }
    if item.date is not None:
        out["date"] = item.date.isoformat()
    return out


def _conflict_json(conflict: Conflict) -> JSONObject:
    return {"items": list(conflict.items), "message": conflict.message}


def plan_from_json(data: JSONObject) -> Plan:
    """Read a document written by `plan_to_json` back into a `Plan` (UTC datetimes).

    Raises:
        KeyError, ValueError: when `data` does not follow FORMAT.md's plan.
    """
    cost = data["cost"]
    return Plan(
        status=Status(data["status"]),
        cost=Cost(cost["total"], cost["unscheduled"], cost["lateness"], cost["preferences"]),
        bound=data["bound"],
        solve_seconds=float(data["solve_seconds"]),
        blocks=tuple(_block_from(b) for b in data["blocks"]),
        late=tuple(_late_from(x) for x in data["late"]),
        unscheduled=tuple(_unscheduled_from(u) for u in data["unscheduled"]),
        warnings=tuple(data["warnings"]),
        conflicts=tuple(
            Conflict(tuple(c["items"]), c["message"]) for c in data.get("conflicts", [])
        ),
    )


def _utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no offset")
    return moment.astimezone(UTC)


def _block_from(data: JSONObject) -> Block:
    return Block(
        start=_utc(data["start"]),
        end=_utc(data["end"]),
        id=data["id"],
        kind=data["kind"],
        title=data["title"],
        category=data.get("category"),
        chunk=data.get("chunk"),
        chunks=data.get("chunks"),
    )


def _late_from(data: JSONObject) -> Late:
    return Late(
        data["id"], _utc(data["due"]), _utc(data["end"]), data["minutes_late"], data["cost"]
    )


def _unscheduled_from(data: JSONObject) -> Unscheduled:
    day = date.fromisoformat(data["date"]) if "date" in data else None
    return Unscheduled(data["id"], data["kind"], data["minutes"], data["reason"], day)
