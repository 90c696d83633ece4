"""The `--json` plan pinned to FORMAT.md's keys and types, on hand-made plans (no solver needed)."""

from __future__ import annotations

import json

import pytest
from cli_helpers import assert_follows_format, assert_iso_with_offset

from tengnuo.errors import Issue
from tengnuo.formats.plan_json import (
    invalid_to_json,
    plan_from_json,
    plan_to_json,
    valid_to_json,
)
from tengnuo.model.plan import Plan
from tengnuo.model.problem import Problem


def test_plan_json_has_exactly_the_format_keys(
    plan: Plan, infeasible_plan: Plan, problem: Problem
):
    """Top level, cost, blocks, events, late and unscheduled carry FORMAT.md's keys and types."""
    assert_follows_format(plan_to_json(plan, problem), 8)
    assert_follows_format(plan_to_json(infeasible_plan, problem), 8)


def test_plan_json_types_follow_the_format(plan: Plan, problem: Problem):
    """Numbers are numbers, lists are lists, and the document survives json.dumps."""
    data = json.loads(json.dumps(plan_to_json(plan, problem)))
    assert data["status"] == "feasible"
    assert all(type(v) is int for v in data["cost"].values())
    assert type(data["bound"]) is int
    assert isinstance(data["solve_seconds"], float)
    assert data["solve_seconds"] == pytest.approx(0.415)
    assert all(isinstance(w, str) for w in data["warnings"])
    assert all(type(u["minutes"]) is int and isinstance(u["reason"], str)
               for u in data["unscheduled"])


def test_plan_json_times_are_iso_in_the_problem_zone(plan: Plan, problem: Problem):
    """Every time is written on Shanghai's wall clock with +08:00, as FORMAT.md shows."""
    data = plan_to_json(plan, problem)
    times = [b[k] for b in data["blocks"] for k in ("start", "end")]
    times += [e[k] for e in data["events"] for k in ("start", "end")]
    times += [x[k] for x in data["late"] for k in ("due", "end")]
    for text in times:
        assert_iso_with_offset(text, 8)
    assert data["blocks"][0]["start"] == "2026-12-07T07:00:00+08:00"


def test_plan_json_blocks_in_time_order_with_chunks_only_when_split(plan: Plan, problem: Problem):
    """Blocks come sorted by start; only the split task's blocks say `chunk n` of `chunks`."""
    data = plan_to_json(plan, problem)
    starts = [b["start"] for b in data["blocks"]]
    assert starts == sorted(starts)
    chunked = [(b["id"], b["chunk"], b["chunks"]) for b in data["blocks"] if "chunk" in b]
    assert chunked == [("acme-prep", 1, 2), ("acme-prep", 2, 2)]
    assert next(b for b in data["blocks"] if b["id"] == "essay")["category"] is None


def test_plan_json_lists_only_events_inside_the_horizon(plan: Plan, problem: Problem):
    """The event two weeks later is not part of a two-day plan."""
    events = plan_to_json(plan, problem)["events"]
    assert [e["id"] for e in events] == ["acme-interview"]
    assert events[0]["category"] == "jobsearch"


def test_plan_json_routine_occurrence_names_its_date(plan: Plan, problem: Problem):
    """A missed routine occurrence carries its day; a missed task has no date."""
    missed = {u["id"]: u for u in plan_to_json(plan, problem)["unscheduled"]}
    assert missed["run"]["date"] == "2026-12-08"
    assert missed["run"]["kind"] == "routine"
    assert "date" not in missed["budget"]


def test_plan_json_conflicts_only_when_infeasible(
    plan: Plan, infeasible_plan: Plan, problem: Problem
):
    """`conflicts` appears with `infeasible`, listing items and a message; not otherwise."""
    assert "conflicts" not in plan_to_json(plan, problem)
    data = plan_to_json(infeasible_plan, problem)
    assert data["status"] == "infeasible"
    assert data["conflicts"] == [
        {"items": ["acme-prep", "acme-interview"], "message": "3h of hard work, 2h free before"}
    ]


def test_plan_json_reads_back_into_the_same_plan(
    plan: Plan, infeasible_plan: Plan, problem: Problem
):
    """plan_from_json(plan_to_json(p)) gives p back, blocks in time order, times in UTC."""
    for original in (plan, infeasible_plan):
        back = plan_from_json(json.loads(json.dumps(plan_to_json(original, problem))))
        assert back.blocks == tuple(sorted(original.blocks, key=lambda b: b.sort_key))
        assert (back.status, back.cost, back.bound) == (
            original.status, original.cost, original.bound)
        assert (back.late, back.unscheduled, back.conflicts) == (
            original.late, original.unscheduled, original.conflicts)


def test_invalid_json_lists_every_issue_with_its_place():
    """status invalid, and one error per issue with file, line, field and message."""
    issues = [Issue("unknown field", "plan.yaml", 9, "tasks[0].colour"), Issue("no file")]
    assert invalid_to_json(issues) == {
        "status": "invalid",
        "errors": [
            {"file": "plan.yaml", "line": 9, "field": "tasks[0].colour",
             "message": "unknown field"},
            {"file": None, "line": None, "field": None, "message": "no file"},
        ],
    }


def test_valid_json_summarises_the_problem(problem: Problem):
    """`check --json` on a valid file: counts and the horizon with offsets."""
    data = valid_to_json(problem)
    assert data == {
        "status": "valid", "timezone": "Asia/Shanghai",
        "start": "2026-12-07T00:00:00+08:00", "end": "2026-12-09T00:00:00+08:00",
        "days": 2, "tasks": 3, "events": 1, "routines": 1, "warnings": [],
    }
