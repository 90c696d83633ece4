"""Fixtures for the CLI tests: a hand-made problem and plans (no solver needed), paths, a runner."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from cli_helpers import PLAIN_ENV
from typer.testing import CliRunner

from tengnuo.model.horizon import DayRange
from tengnuo.model.items import Event, Every, Split, Task
from tengnuo.model.items import Routine as RoutineItem
from tengnuo.model.plan import Block, Conflict, Cost, Late, Plan, Status, Unscheduled
from tengnuo.model.problem import Problem

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """2026-12-`day` at `hour`:`minute` in Shanghai, as the UTC datetime the model holds."""
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env=PLAIN_ENV)


@pytest.fixture
def problem() -> Problem:
    """Two days in Shanghai: a split task, a late task, a routine and two events (one outside)."""
    return Problem(
        timezone="Asia/Shanghai",
        start=at(7, 0),
        days=2,
        events=(
            Event("acme-interview", "Acme - interview", at(8, 14), at(8, 15, 30), "jobsearch"),
            Event("later", "After the horizon", at(20, 9), at(20, 10)),
        ),
        tasks=(
            Task("acme-prep", "Prepare Acme interview", timedelta(hours=3),
                 due=at(8, 13), hard=True, priority=1, category="jobsearch",
                 split=Split(timedelta(minutes=30), timedelta(minutes=90))),
            Task("essay", "Write the essay", timedelta(hours=1), due=at(7, 12)),
            Task("budget", "Check the budget", timedelta(hours=2), category="admin"),
        ),
        routines=(
            RoutineItem("run", "Run by the river", timedelta(minutes=45),
                        Every(frozenset(range(7))), DayRange(7 * 60, 9 * 60), "health"),
        ),
    )


def blocks() -> tuple[Block, ...]:
    return (
        Block(at(7, 9), at(7, 10, 30), "acme-prep", "task", "Prepare Acme interview",
              "jobsearch", 1, 2),
        Block(at(7, 7), at(7, 7, 45), "run", "routine", "Run by the river", "health"),
        Block(at(7, 11), at(7, 12, 30), "essay", "task", "Write the essay"),
        Block(at(8, 9), at(8, 10, 30), "acme-prep", "task", "Prepare Acme interview",
              "jobsearch", 2, 2),
    )


@pytest.fixture
def plan() -> Plan:
    """A feasible plan of `problem`: one late task, one unplanned task, one missed routine day."""
    return Plan(
        status=Status.FEASIBLE,
        cost=Cost(total=123_456, unscheduled=240, lateness=60, preferences=156),
        bound=120_000,
        solve_seconds=0.4149,
        blocks=blocks(),
        late=(Late("essay", at(7, 12), at(7, 12, 30), 30, 60),),
        unscheduled=(
            Unscheduled("budget", "task", 120, "needs 2h in `anytime` hours; only 1h30m is free"),
            Unscheduled("run", "routine", 45, "07:00-09:00 is taken", date(2026, 12, 8)),
        ),
        warnings=("jobsearch: 3h planned in week 1, below week_min 12h",),
    )


@pytest.fixture
def infeasible_plan(plan: Plan) -> Plan:
    return Plan(
        status=Status.INFEASIBLE,
        cost=plan.cost,
        bound=0,
        solve_seconds=0.2,
        blocks=plan.blocks,
        late=plan.late,
        unscheduled=plan.unscheduled,
        conflicts=(Conflict(("acme-prep", "acme-interview"), "3h of hard work, 2h free before"),),
    )
