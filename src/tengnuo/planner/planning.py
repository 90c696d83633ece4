"""`plan` and `replan` of the workspace, and the current plan for `today`/`week`/`next`.

`replan` tries a few sets of kept blocks (all that still work, those of the next day, none but
the started ones), solves each, drops any plan the independent checker rejects, and keeps the
best by (unscheduled, lateness, preferences + stability): FORMAT.md's order, with the minutes
moved as part of the preferences tier.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from tengnuo.model.cost import total_of
from tengnuo.model.diff import PlanDiff, diff_plans, stability_cost
from tengnuo.model.horizon import local_time
from tengnuo.model.plan import Block, Cost, Plan, Status
from tengnuo.model.problem import Problem
from tengnuo.planner.keep import kept_blocks, started_blocks
from tengnuo.planner.schedule import Busy, Inputs, build_problem, read_busy, read_inputs
from tengnuo.planner.workspace import Settings
from tengnuo.solver.options import ProgressCallback, SolveOptions
from tengnuo.store import PlanVersion, Workspace

NEVER = (1 << 62, 0, 0, 0)
MIN_ATTEMPT_SECONDS = 0.5
FRESH_SHARE = 0.35  # of the time limit, for the plan made anew
PREFIX_SHARE = 0.15  # for each plan with kept blocks (smaller: fewer blocks to place)
RELEASED_DAYS = (1, 2, 3, 5, 8)  # release the blocks before the end of today, tomorrow, ...


@dataclass(frozen=True)
class Planned:
    """A new plan version and how it differs from the one before."""

    version: int | None  # None on a dry run (not stored)
    problem: Problem
    plan: Plan  # the stored plan: the past as it was, then the new blocks
    diff: PlanDiff | None  # against the previous version's future; None for the first plan
    stability: int  # preference units paid for moved blocks


def plan_workspace(ws: Workspace, now: datetime, options: SolveOptions,
                   progress: ProgressCallback | None = None, *, stable: bool = False,
                   dry_run: bool = False) -> Planned:
    """Plan from `now` and store the result as a new version (unless `dry_run`)."""
    inp = read_inputs(ws)
    previous = ws.plan()
    old = previous.plan.blocks if previous else ()
    busy = read_busy(inp, now)
    started = started_blocks(inp, old, now, busy.events)
    if stable and previous:
        best = _least_moves(inp, now, busy, old, started, options, progress)
    else:
        best = _attempt(inp, now, busy, started, options, progress, ())
    if best.score == NEVER:  # nothing could be kept: plan everything anew
        best = _attempt(inp, now, busy, (), options, progress, old if stable else ())
    stored = _with_past(best.plan, old, now, best.problem)
    version = None if dry_run else ws.save_plan(PlanVersion(
        0, datetime.now(UTC), "replan" if stable else "plan", now, best.problem.start,
        best.problem.days, best.problem.timezone, inp.revision, stored))
    diff = diff_plans(_future(old, now), _future(best.plan.blocks, now),
                      previous.plan.late, best.plan.late) if previous else None
    return Planned(version, best.problem, stored, diff, best.moved)


def _least_moves(inp: Inputs, now: datetime, busy: Busy, old: Sequence[Block],
                 started: list[Block], options: SolveOptions,
                 progress: ProgressCallback | None) -> Attempt:
    """The best of: everything planned anew (what fits and how late, at best), every block that
    still works kept, and ever longer stretches from now released until a plan is as good in
    unscheduled and lateness as the fresh one. Releasing from now on is what makes room for
    urgent work; the stretch is kept as short as that allows."""
    everything = kept_blocks(inp, old, now, started, busy.events)
    deadline = time.perf_counter() + options.time_limit_seconds

    def run(fixed: Sequence[Block], share: float) -> Attempt:
        left = deadline - time.perf_counter()
        limit = max(MIN_ATTEMPT_SECONDS, min(share * options.time_limit_seconds, left))
        return _attempt(inp, now, busy, fixed, replace(options, time_limit_seconds=limit),
                        progress, old)

    fresh = run(started, FRESH_SHARE)
    attempts = [fresh]
    if everything != started:
        attempts.append(run(everything, PREFIX_SHARE))
        day = day_start(now, inp.cfg)
        for days in RELEASED_DAYS:
            if attempts[-1].score[:3] <= fresh.score[:3] or time.perf_counter() > deadline:
                break
            cut = day + timedelta(days=days)
            attempts.append(run([*started, *(b for b in everything
                                            if b not in started and b.start >= cut)],
                                PREFIX_SHARE))
    return min(attempts, key=lambda a: a.score)


class Attempt(NamedTuple):
    problem: Problem
    plan: Plan
    score: tuple[int, int, int, int]  # (infeasible, unscheduled, lateness, preferences+moves)
    moved: int  # stability cost of the moves


def _attempt(inp: Inputs, now: datetime, busy: Busy, fixed: Sequence[Block],
             options: SolveOptions, progress: ProgressCallback | None,
             old: Sequence[Block]) -> Attempt:
    """Solve with `fixed` kept; the plan is checked independently and scored with stability
    against `old` (empty for a plain `plan`)."""
    from tengnuo.check import check
    from tengnuo.solver import solve

    problem = build_problem(inp, now, busy, fixed)
    if problem.validate():  # the kept blocks do not fit together: never chosen
        return Attempt(problem, _empty(), NEVER, 0)
    plan = solve(problem, options, progress)
    violations = check(problem, plan, hard_as_soft=plan.status is Status.INFEASIBLE)
    if violations and fixed:  # kept blocks that no longer fit a tightened limit
        return Attempt(problem, plan, NEVER, 0)
    if violations:
        raise RuntimeError("the plan broke a rule the checker verifies: "
                           + "; ".join(str(v) for v in violations[:3]))
    moved = stability_cost(_future(old, now), plan.blocks, now)
    c = plan.cost
    cost = Cost(total_of(problem, c.unscheduled, c.lateness, c.preferences + moved),
                c.unscheduled, c.lateness, c.preferences + moved)
    status = Status.FEASIBLE if moved and plan.status is Status.OPTIMAL else plan.status
    plan = replace(plan, cost=cost, status=status)
    infeasible = int(plan.status is Status.INFEASIBLE)
    return Attempt(problem, plan, (infeasible, c.unscheduled, c.lateness, cost.preferences),
                   moved)


def _empty() -> Plan:
    return Plan(Status.INVALID, Cost(0, 0, 0, 0), 0, 0.0)


def _future(blocks: Sequence[Block], now: datetime) -> list[Block]:
    return [b for b in blocks if b.end > now]


def _with_past(plan: Plan, old: Sequence[Block], now: datetime, problem: Problem) -> Plan:
    """The previous plan's past (blocks that ended before `now`) as it was, then the new
    blocks; chunks are numbered anew over both, so one task's blocks read 1/n .. n/n."""
    fixed = set(problem.fixed)
    past = [b for b in old if b.end <= now and b not in fixed]
    blocks = sorted([*past, *plan.blocks], key=lambda b: b.sort_key)
    return replace(plan, blocks=tuple(_renumber(blocks)))


def _renumber(blocks: list[Block]) -> list[Block]:
    counts: dict[str, int] = {}
    for b in blocks:
        if b.kind == "task":
            counts[b.id] = counts.get(b.id, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for b in blocks:
        if b.kind == "task" and counts[b.id] > 1:
            seen[b.id] = seen.get(b.id, 0) + 1
            b = replace(b, chunk=seen[b.id], chunks=counts[b.id])
        elif b.kind == "task":
            b = replace(b, chunk=None, chunks=None)
        out.append(b)
    return out


@dataclass(frozen=True)
class View:
    """What `today`, `week` and `next` show: the current version's blocks and events in a range."""

    version: PlanVersion | None
    problem: Problem  # the workspace input over the range (events, zone) for display
    blocks: tuple[Block, ...]
    stale: bool  # the input changed after this plan was made


def view(ws: Workspace, start: datetime, end: datetime) -> View:
    inp = read_inputs(ws)
    current = ws.plan()
    cfg = replace(inp.cfg, days=max(1, -(-int((end - start).total_seconds()) // 86400)))
    narrowed = replace(inp, cfg=cfg)
    problem = replace(build_problem(narrowed, start, read_busy(narrowed, start)), start=start)
    blocks = tuple(b for b in (current.plan.blocks if current else ())
                   if b.end > start and b.start < end)
    stale = current is not None and current.revision != inp.revision
    return View(current, problem, blocks, stale)


def day_start(now: datetime, cfg: Settings) -> datetime:
    """Local midnight of the day of `now`."""
    return local_time(now.astimezone(cfg.tz).date(), 0, cfg.tz)


def diff_versions(ws: Workspace, old: int, new: int) -> PlanDiff:
    """The changes from plan version `old` to `new`, over all their blocks."""
    from tengnuo.errors import InvalidInputError, Issue

    versions = [ws.plan(v) for v in (old, new)]
    missing = [str(v) for v, found in zip((old, new), versions, strict=True) if found is None]
    if missing:
        raise InvalidInputError([Issue(f"no plan version {', '.join(missing)} (see history)",
                                       field="version")])
    a, b = (v.plan for v in versions if v is not None)
    return diff_plans(a.blocks, b.blocks, a.late, b.late)
