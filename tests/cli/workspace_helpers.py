"""Shared by the workspace CLI tests: a real workspace in tmp_path driven through the real CLI,
and the independent checker's verdict on a stored plan version.

The workspace is in Asia/Shanghai and `--now` defaults to Monday 2026-12-07 08:00 there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cli_helpers import PLAIN_ENV
from typer.testing import CliRunner, Result

from tengnuo.check import check
from tengnuo.check_context import Violation
from tengnuo.cli.main import app
from tengnuo.model.items import Event
from tengnuo.model.plan import Block, Status
from tengnuo.planner import items
from tengnuo.planner.schedule import build_problem, read_busy, read_inputs
from tengnuo.planner.workspace import PlanVersion, Workspace, open_workspace

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_8 = "2026-12-07 08:00"


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """2026-12-`day` at `hour`:`minute` on the Shanghai wall clock."""
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


def minutes(blocks: list[Block] | tuple[Block, ...]) -> int:
    return sum(b.minutes for b in blocks)


@dataclass
class Cli:
    """`tengnuo` with TENGNUO_WORKSPACE and TENGNUO_NOW set, as a user's shell would have them."""

    path: Path
    now: str = MONDAY_8

    def __call__(self, *args: str, now: str | None = None, input: str | None = None) -> Result:
        env = {**PLAIN_ENV, "TENGNUO_WORKSPACE": str(self.path), "TENGNUO_NOW": now or self.now}
        return CliRunner(env=env).invoke(app, list(args), input=input)

    def ok(self, *args: str, now: str | None = None, input: str | None = None) -> Result:
        result = self(*args, now=now, input=input)
        assert result.exit_code == 0, result.output
        return result

    def json(self, *args: str, now: str | None = None) -> Any:
        return json.loads(self.ok(*args, "--json", now=now).stdout)

    def add(self, *args: str) -> str:
        """Add a task; its id."""
        return str(self.json("add", *args)["id"])

    def plan(self, *args: str, now: str | None = None) -> Any:
        """`plan --json` with a short time limit (appended; a later --time-limit wins)."""
        return self.json("plan", "--time-limit", "1", *args, now=now)

    @contextmanager
    def open(self) -> Iterator[Workspace]:
        ws = open_workspace(self.path)
        try:
            yield ws
        finally:
            ws.close()

    def version(self, number: int | None = None) -> PlanVersion:
        with self.open() as ws:
            found = ws.plan(number)
        assert found is not None, f"no plan version {number}"
        return found

    def versions(self) -> list[int]:
        with self.open() as ws:
            return [v.version for v in ws.history()]

    def task_blocks(self, task_id: str, number: int | None = None) -> list[Block]:
        return [b for b in self.version(number).plan.blocks if b.kind == "task" and b.id == task_id]

    def add_event(self, title: str, start: datetime, end: datetime) -> Event:
        """Through the planner, as `tengnuo event add` would."""
        with self.open() as ws:
            return items.add_event(ws, Event("", title, start, end))

    def set_limit(self, name: str, value: timedelta) -> None:
        with self.open() as ws:
            items.set_limit(ws, name, value)

    def verdict(self, number: int | None = None) -> list[Violation]:
        return verdict(self.path, number)


def new_workspace(tmp_path: Path, now: str = MONDAY_8) -> Cli:
    cli = Cli(tmp_path / "workspace.db", now)
    cli.ok("init", "--timezone", "Asia/Shanghai")
    return cli


def verdict(path: Path, number: int | None = None) -> list[Violation]:
    """The independent checker on a stored version, judged from the moment it was planned.

    The problem is rebuilt from the workspace input (which must not have changed since), with
    the blocks under way at that moment as fixed blocks; every other future block is judged as a
    placement (so blocks `replan` kept are checked in full, not trusted). Blocks that had ended
    are history and left out; a task's chunks are then numbered from now on.
    """
    ws = open_workspace(path)
    try:
        version = ws.plan(number)
        assert version is not None
        inp = read_inputs(ws)
    finally:
        ws.close()
    assert inp.revision == version.revision, "the input changed after this plan"
    now = version.now
    future = _numbered([b for b in version.plan.blocks if b.end > now])
    under_way = [b for b in future if b.start < now]
    problem = build_problem(inp, now, read_busy(inp, now), under_way)
    plan = replace(version.plan, blocks=tuple(future))
    return check(problem, plan, hard_as_soft=plan.status is Status.INFEASIBLE)


def _numbered(blocks: list[Block]) -> list[Block]:
    counts: dict[str, int] = {}
    for b in blocks:
        counts[b.id] = counts.get(b.id, 0) + (b.kind == "task")
    seen: dict[str, int] = {}
    out = []
    for b in sorted(blocks, key=lambda b: b.sort_key):
        if b.kind == "task" and b.chunk is not None:
            seen[b.id] = seen.get(b.id, 0) + 1
            many = counts[b.id] > 1
            b = replace(b, chunk=seen[b.id] if many else None,
                        chunks=counts[b.id] if many else None)
        out.append(b)
    return out


def moved_minutes(old: list[Block] | tuple[Block, ...], new: list[Block] | tuple[Block, ...],
                  now: datetime) -> int:
    """Minutes of `old`'s future blocks that `new` does not have exactly (same item and time)."""
    keep = {(b.kind, b.id, b.start, b.end) for b in new}
    return sum(b.minutes for b in old if b.end > now and (b.kind, b.id, b.start, b.end) not in keep)
