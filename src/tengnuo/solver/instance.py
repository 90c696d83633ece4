"""The problem in integer slots: jobs (task or routine occurrence) with their allowed spans.

Everything the heuristic, the local search and CP-SAT share is derived here once: the grid
rounding of FORMAT.md (durations and split minimums up, maximums down, due down, not_before up,
buffer up, availability inward, events outward), the buffer folded into the spans, and the
limits in slots (`limits.py`). Fixed blocks (`Problem.fixed`, see `fixed.py`) are busy time
like events, use their share of the limits, end their task, and cover their routine's day.
A task whose work is all in fixed blocks (`duration` 0) gets no job but a `Done`: nothing to
place, a constant share of the lateness tier, an end its successors wait for.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from tengnuo.model.hours import (
    Occurrence,
    fixed_days,
    profile_windows,
    quota_left,
    routine_occurrences,
    weeks_in,
)
from tengnuo.model.items import Routine, Task
from tengnuo.model.problem import Problem
from tengnuo.solver import fixed, limits
from tengnuo.solver.grid import Grid
from tengnuo.solver.limits import Cap, Minimum
from tengnuo.solver.spans import Span, clip, cut, subtract, union


@dataclass
class Job:
    """One thing to place: a whole task (maybe in chunks) or one routine occurrence."""

    index: int
    item_id: str
    kind: str  # "task" | "routine"
    title: str
    category: str | None
    duration: int  # slots
    min_chunk: int
    max_chunk: int
    spans: list[Span]  # where its blocks may lie (already clear of events and their buffer)
    weight: int
    missed_cost: int  # cost if left out: weight × written minutes
    release: int  # earliest start slot
    due_minute: float | None = None  # elapsed minutes to the written due (soft or hard)
    hard: bool = False
    preds: list[int] = field(default_factory=list)
    quota_group: int | None = None  # routine occurrences sharing an N/week quota
    occurrence: Occurrence | None = None
    required: bool = False  # must be planned (a window search keeps a fixed successor's pred)
    fixed_end: int | None = None  # slot where the task's last fixed block ends (rounded up)
    fixed_late: int = 0  # whole minutes its fixed blocks already end after the due

    @property
    def split(self) -> bool:
        """May be cut into several chunks (a 2h task with `split: 45m-2h` may still be one)."""
        return self.min_chunk < self.duration

    @property
    def chunking_impossible(self) -> bool:
        return self.max_chunk < self.min_chunk

    def late_minutes(self, end_slot: int, slot_minutes: int) -> int:
        """Whole minutes after the written due; `end_slot` is on the grid, so this is exact.
        A fixed block of the task that ends later sets the task's end instead."""
        if self.due_minute is None:
            return 0
        late = end_slot * slot_minutes - math.floor(self.due_minute + 1e-9)
        return max(0, late, self.fixed_late)

    def end_day(self, end_slot: int, grid: Grid) -> int:
        """The planned day on which the task ends, its fixed blocks included."""
        return grid.day_of(max(end_slot, self.fixed_end or end_slot) - 1)


@dataclass(frozen=True)
class Done:
    """A task with nothing left to place (`duration` 0): its fixed blocks hold all its work."""

    item_id: str
    end: int  # slot where its last fixed block ends (rounded up): its successors start after
    late_cost: int  # weight × whole minutes that end is after the due (a constant of the plan)
    broken: bool = False  # a hard due its fixed blocks already miss: no plan can meet it


@dataclass
class Instance:
    problem: Problem
    grid: Grid
    horizon: Span
    buffer: int
    jobs: list[Job]
    caps: list[Cap]
    minimums: list[Minimum]
    quotas: dict[int, int]  # quota group -> how many occurrences at most
    quota_cost: dict[int, int]  # quota group -> cost of one missed occurrence
    busy: list[Span]  # events and fixed blocks grown to the grid and by the buffer, merged
    restricted: bool = False  # some span was cut at midnight: bounds are not proofs then
    done: list[Done] = field(default_factory=list)  # tasks without a job (nothing to place)

    @property
    def chunk_gap(self) -> int:
        """Two chunks of one task stay this far apart (buffer, and at least one grid step)."""
        return max(self.buffer, 1)

    @property
    def done_lateness(self) -> int:
        """The lateness tier's share no plan changes: done tasks' fixed blocks ending late."""
        return sum(d.late_cost for d in self.done)

    @property
    def done_broken(self) -> int:
        """Hard deadlines that done tasks' fixed blocks already miss (counted as missed)."""
        return sum(1 for d in self.done if d.broken)


def build(problem: Problem, *, deadlines: str = "hard") -> Instance:
    """Translate `problem` to slots.

    `deadlines`: "hard" cuts a hard task's spans at its due; "soft" treats hard deadlines as
    soft (the fallback plan of an infeasible problem); "guarded" keeps the spans whole but the
    task hard, for the model that explains infeasibility with assumptions.
    """
    grid = Grid.of(problem)
    horizon = (grid.ceil(problem.start), grid.floor(problem.end))
    buffer = grid.slots(problem.limits.buffer)
    busy = union([
        *((grid.floor(e.start) - buffer, grid.ceil(e.end) + buffer)
          for e in problem.events if e.end > e.start),
        *fixed.held(problem, grid, buffer),
    ])
    inst = Instance(problem, grid, horizon, buffer, [], [], [], {}, {}, busy)
    cut_points = _cut_points(problem, grid)
    task_jobs: list[Job] = []
    for task in problem.tasks:
        done = _done(inst, task, deadlines)
        if done is not None:
            inst.done.append(done)
        else:
            task_jobs.append(_task_job(inst, len(task_jobs), task, cut_points(task.category),
                                       deadlines))
    inst.jobs.extend(task_jobs)
    by_id = {j.item_id: j.index for j in task_jobs}
    ends = {e.id: grid.ceil(e.end) for e in problem.events if e.inline}
    ends |= {j.item_id: j.fixed_end for j in task_jobs if j.fixed_end is not None}
    ends |= {d.item_id: d.end for d in inst.done}
    tasks = {t.id: t for t in problem.tasks}
    for job in task_jobs:
        task = tasks[job.item_id]
        job.preds = [by_id[p] for p in task.after if p in by_id]
        for p in task.after:  # a predecessor task ends after its fixed blocks at least
            if p in ends:
                job.release = max(job.release, ends[p])
        job.spans = [(max(s, job.release), e) for s, e in job.spans if e - max(s, job.release)
                     >= job.min_chunk]
    for routine in problem.routines:
        _add_routine(inst, routine, cut_points(routine.category))
    categories = [j.category for j in inst.jobs]
    inst.caps.extend(limits.caps(problem, grid, categories))
    inst.minimums.extend(limits.minimums(problem, grid, categories))
    return inst


def _cut_points(problem: Problem, grid: Grid) -> Callable[[str | None], list[int]]:
    """Midnights at which a job's spans may have to be cut: where a daily or weekly limit
    counts the job. Only a job whose block could span a whole day is cut (see `_free`):
    every other block may cross midnight and counts towards each day by its minutes there.
    """
    limits = problem.limits

    def points(category: str | None) -> list[int]:
        cat = limits.categories.get(category) if category else None
        if limits.day_max is not None or cat is not None:
            return list(grid.day_starts)
        return []

    return points


def _free(inst: Instance, spans: list[Span], cuts: list[int], shortest: int,
          longest: int, holes: list[Span] | None = None) -> list[Span]:
    """Free spans of a job. The solver counts a block across one midnight towards both days;
    a block longer than a day could cross two, so such a job keeps off midnights instead,
    and the plan then claims no optimality (`restricted`). `holes`: more busy time, the
    job's own."""
    lo, hi = inst.horizon
    out = subtract(clip(spans, lo, hi), union([*inst.busy, *holes]) if holes else inst.busy)
    shortest_day = min(b - a for a, b in zip(inst.grid.day_starts, inst.grid.day_starts[1:],
                                              strict=False))
    if cuts and longest >= shortest_day:
        whole, out = out, cut(out, cuts)
        if len(out) > len(whole):
            inst.restricted = True
    return [(s, e) for s, e in out if e - s >= shortest]


def _task_job(inst: Instance, index: int, task: Task, cuts: list[int], deadlines: str) -> Job:
    grid = inst.grid
    duration = max(1, grid.slots(task.duration))
    lo, hi = duration, duration
    if task.split is not None:
        lo, hi = grid.slots(task.split.min), grid.slots_down(task.split.max)
        if duration < lo or (duration <= hi and duration < 2 * lo):
            lo, hi = duration, duration
        elif not any(k * lo <= duration <= k * hi for k in range(1, duration // lo + 1)):
            hi = 0  # no number of chunks adds up: the task cannot be planned
    spans = hours_spans(inst, task)
    release = inst.horizon[0]
    if task.not_before is not None:
        release = max(release, grid.ceil(task.not_before))
    hard = task.hard and deadlines != "soft" and task.due is not None
    cut_at_due = hard and deadlines == "hard"
    deadline = grid.floor(task.due) if cut_at_due and task.due else inst.horizon[1]
    spans = [(max(s, release), min(e, deadline)) for s, e in spans]
    minutes = math.ceil(task.duration.total_seconds() / 60)
    fixed_end = fixed.task_end(inst.problem, task.id)
    fixed_late = fixed.late_minutes(fixed_end, task.due)
    own = fixed.held(inst.problem, grid, inst.chunk_gap, task.id)  # chunks never touch
    spans = _free(inst, spans, cuts, lo, hi, own) if lo <= hi else []
    if hard and fixed_late:  # a kept block already misses the hard deadline: it cannot hold
        spans = []
    return Job(
        index=index,
        item_id=task.id, kind="task", title=task.title, category=task.category,
        duration=duration, min_chunk=lo, max_chunk=hi, spans=spans,
        weight=task.cost_weight, missed_cost=task.cost_weight * minutes, release=release,
        due_minute=grid.minutes(task.due) if task.due is not None else None,
        hard=hard, fixed_end=None if fixed_end is None else grid.ceil(fixed_end),
        fixed_late=fixed_late,
    )


def _done(inst: Instance, task: Task, deadlines: str) -> Done | None:
    """The task as a `Done` when its fixed blocks hold all its work (`duration` 0), else None.
    Its lateness counts from its last fixed block; a hard due that block misses cannot hold
    (unless hard deadlines are soft here, for the fallback plan)."""
    end = fixed.task_end(inst.problem, task.id)
    if end is None or task.duration > timedelta(0):
        return None
    late = fixed.late_minutes(end, task.due)
    broken = bool(late) and task.hard and deadlines != "soft"
    cost = 0 if broken else task.cost_weight * late
    return Done(task.id, inst.grid.ceil(end), cost, broken)


def hours_spans(inst: Instance, task: Task) -> list[Span]:
    """The task's hours profile in the horizon, shrunk inward to the grid (events not cut out)."""
    problem, grid = inst.problem, inst.grid
    windows = profile_windows(problem.profile(task.hours), problem.start, problem.end, problem.tz)
    return [(grid.ceil(w.start), grid.floor(w.end)) for w in windows]


def _add_routine(inst: Instance, routine: Routine, cuts: list[int]) -> None:
    problem, grid = inst.problem, inst.grid
    duration = max(1, grid.slots(routine.duration))
    minutes = math.ceil(routine.duration.total_seconds() / 60)
    cost = routine.cost_weight * minutes
    covered = fixed_days(routine, problem.fixed, problem.tz)  # done already: no job
    occurrences = [o for o in routine_occurrences(routine, problem.start, problem.end,
                                                  problem.tz, problem.granularity_minutes)
                   if o.day not in covered]
    groups: dict[int, int] = {}
    if routine.every.per_week is not None:
        covered_weeks = limits.weeks_of(problem, grid, covered)
        for week, days in weeks_in(problem.days):
            candidates = sum(1 for o in occurrences if o.week == week)
            group = len(inst.quotas)
            inst.quotas[group] = quota_left(routine.every.per_week, days, candidates,
                                            covered_weeks[week])
            inst.quota_cost[group] = cost
            groups[week] = group
    for occ in occurrences:
        span = (grid.ceil(occ.window.start), grid.floor(occ.window.end))
        inst.jobs.append(Job(
            index=len(inst.jobs), item_id=routine.id, kind="routine", title=routine.title,
            category=routine.category, duration=duration, min_chunk=duration,
            max_chunk=duration, spans=_free(inst, [span], cuts, duration, duration),
            weight=routine.cost_weight, missed_cost=cost, release=span[0],
            quota_group=groups.get(occ.week), occurrence=occ,
        ))


def unavoidable(inst: Instance) -> int:
    """Unscheduled cost that no plan avoids: jobs without any free span, and quota weeks with
    fewer possible days than the quota. A plan at this cost is proved optimal in that tier."""
    cost = sum(j.missed_cost for j in inst.jobs if not j.spans and j.quota_group is None)
    for group, quota in inst.quotas.items():
        possible = sum(1 for j in inst.jobs if j.quota_group == group and j.spans)
        cost += inst.quota_cost[group] * max(0, quota - possible)
    return cost
