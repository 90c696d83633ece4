"""Shared by the CLI tests: the test files, a plain environment, FORMAT.md's plan as assertions."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
JOB_HUNT = REPO / "examples" / "job-hunt.yaml"
SMALL = DATA / "planfiles" / "cli_small.yaml"
INFEASIBLE = DATA / "planfiles" / "cli_infeasible.yaml"
TWO_PROBLEMS = DATA / "invalid" / "cli_two_problems.yaml"

PLAIN_ENV: dict[str, str | None] = {
    "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "TTY_INTERACTIVE": None, "COLUMNS": None,
}
"""Without these, rich may colour output even on a pipe, or take its width from the environment."""

TOP_KEYS = {"status", "cost", "bound", "solve_seconds", "blocks", "events", "late",
            "unscheduled", "warnings"}
COST_KEYS = {"total", "unscheduled", "lateness", "preferences"}
BLOCK_KEYS = {"id", "kind", "title", "category", "start", "end"}
EVENT_KEYS = {"id", "title", "start", "end", "category"}
LATE_KEYS = {"id", "due", "end", "minutes_late", "cost"}
UNSCHEDULED_KEYS = {"id", "kind", "minutes", "reason"}
CONFLICT_KEYS = {"items", "message"}
STATUSES = {"optimal", "feasible", "infeasible"}


def assert_iso_with_offset(text: str, hours: int) -> None:
    """`text` is ISO 8601 to the second with an explicit offset of `hours`."""
    moment = datetime.fromisoformat(text)
    assert moment.utcoffset() == timedelta(hours=hours), text
    assert text.endswith(f"+{hours:02d}:00"), text
    assert len(text) == len("2026-12-07T09:00:00+08:00"), text


def assert_follows_format(data: dict[str, Any], offset_hours: int) -> None:
    """Keys, types and time format of a plan document, as FORMAT.md fixes them."""
    expected_top = TOP_KEYS | ({"conflicts"} if data["status"] == "infeasible" else set())
    assert set(data) == expected_top
    assert data["status"] in STATUSES
    assert set(data["cost"]) == COST_KEYS
    assert all(type(v) is int and v >= 0 for v in data["cost"].values())
    assert type(data["bound"]) is int
    assert data["bound"] <= data["cost"]["total"]
    assert isinstance(data["solve_seconds"], int | float)
    for block in data["blocks"]:
        assert BLOCK_KEYS <= set(block) <= BLOCK_KEYS | {"chunk", "chunks"}
        assert block["kind"] in {"task", "routine"}
        assert ("chunk" in block) == ("chunks" in block)
    for event in data["events"]:
        assert set(event) == EVENT_KEYS
    for late in data["late"]:
        assert set(late) == LATE_KEYS
        assert type(late["minutes_late"]) is int
    for item in data["unscheduled"]:
        assert UNSCHEDULED_KEYS <= set(item) <= UNSCHEDULED_KEYS | {"date"}
        assert ("date" in item) <= (item["kind"] == "routine")
        assert isinstance(item["reason"], str)
        assert item["reason"]
    assert all(isinstance(w, str) for w in data["warnings"])
    for conflict in data.get("conflicts", []):
        assert set(conflict) == CONFLICT_KEYS
    times = [b[k] for b in data["blocks"] for k in ("start", "end")]
    times += [e[k] for e in data["events"] for k in ("start", "end")]
    times += [x[k] for x in data["late"] for k in ("due", "end")]
    for text in times:
        assert_iso_with_offset(text, offset_hours)
