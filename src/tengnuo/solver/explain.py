"""Reasons in the user's words: why an item did not fit, and which hard rules clash.

Reasons are measured, not guessed: the free time left in the item's own hours before its due,
the predecessor that is missing, the cap that is full. Conflicts come from CP-SAT assumptions
(one guard literal per user-level hard rule), shrunk by deletion to a minimal set.
"""

from __future__ import annotations

import time
from datetime import datetime

from ortools.sat.python import cp_model

from tengnuo.model.plan import Conflict
from tengnuo.model.problem import Problem
from tengnuo.solver.cpsat_model import Model
from tengnuo.solver.decode import Timeline
from tengnuo.solver.instance import Instance, Job, build
from tengnuo.solver.options import SolveOptions
from tengnuo.solver.spans import Span, clip, total, union


def span_text(minutes: int) -> str:
    """`90` -> `1h30m`, the way durations are written in planning files."""
    h, m = divmod(minutes, 60)
    return f"{h}h{m:02d}m".replace("h00m", "h") if h else f"{m}m"


def when(moment: datetime, problem: Problem) -> str:
    return moment.astimezone(problem.tz).strftime("%a %d %b %H:%M")


def reason(inst: Instance, chunks: list[list[Span]], job: Job) -> str:
    """Why `job` is not in the plan `chunks`."""
    g = inst.grid.slot_minutes
    missing = [inst.jobs[p].item_id for p in job.preds if not chunks[p]]
    if missing:
        return f"waits for {', '.join(missing)}, which did not fit"
    if job.chunking_impossible:
        return (f"no number of chunks between {span_text(job.min_chunk * g)} and "
                "the split maximum adds up to its duration")
    if job.kind == "routine":
        return _routine_reason(inst, chunks, job)
    where = f"in `{inst.problem.task(job.item_id).hours}` hours"
    end = inst.horizon[1]
    by = "in the horizon"
    if job.due_minute is not None and job.hard:
        end = min(end, int(job.due_minute // g))
        by = f"before {when(inst.grid.at(end), inst.problem)}"
    free = _free_slots(inst, chunks, job, end)
    need = job.duration
    if not job.spans:
        return f"needs {span_text(need * g)} {where} {by}; none of those hours is free"
    if free < need:
        return f"needs {span_text(need * g)} {where} {by}; only {span_text(free * g)} is free"
    if job.split and _largest_gap(inst, chunks, job, end) < job.min_chunk:
        return (f"no free gap {where} holds a chunk of {span_text(job.min_chunk * g)}")
    full = _full_caps(inst, chunks, job)
    if full:
        return f"{full} is reached where it would fit"
    if not job.split and _largest_gap(inst, chunks, job, end) < need:
        return f"no free gap {where} {by} is {span_text(need * g)} long"
    return "the free time went to more valuable items (higher priority or weight)"


def _routine_reason(inst: Instance, chunks: list[list[Span]], job: Job) -> str:
    g = inst.grid.slot_minutes
    occ = job.occurrence
    day = occ.day.strftime("%a %d %b") if occ else "that day"
    if not job.spans:
        return f"no free {span_text(job.duration * g)} in its window on {day} (events)"
    if _largest_gap(inst, chunks, job, inst.horizon[1]) < job.duration:
        return f"no free {span_text(job.duration * g)} left in its window on {day}"
    full = _full_caps(inst, chunks, job)
    if full:
        return f"{full} is reached"
    return "the free time in its window went to more valuable items"


def _occupied(inst: Instance, chunks: list[list[Span]], skip: int) -> Timeline:
    timeline = Timeline()
    for j, placed in enumerate(chunks):
        if j != skip:
            for s, e in placed:
                timeline.add(s, e + inst.buffer)
    return timeline


def _free_pieces(inst: Instance, chunks: list[list[Span]], job: Job, end: int) -> list[Span]:
    timeline = _occupied(inst, chunks, job.index)
    pieces = []
    for s, e in clip(job.spans, job.release, end):
        t = s
        while t < e:
            start = timeline.earliest(t, e, 1, inst.buffer)
            if start is None:
                break
            room = timeline.room(start, e, inst.buffer)
            pieces.append((start, start + room))
            t = start + room + 1
    return pieces


def _free_slots(inst: Instance, chunks: list[list[Span]], job: Job, end: int) -> int:
    return total(_free_pieces(inst, chunks, job, end))


def _largest_gap(inst: Instance, chunks: list[list[Span]], job: Job, end: int) -> int:
    return max((e - s for s, e in _free_pieces(inst, chunks, job, end)), default=0)


def _full_caps(inst: Instance, chunks: list[list[Span]], job: Job) -> str | None:
    names = []
    for cap in inst.caps:
        if job.index not in cap.members:
            continue
        used = sum(min(e, cap.end) - max(s, cap.start) for j in cap.members
                   for s, e in chunks[j] if s < cap.end and e > cap.start)
        if cap.slots - used < job.min_chunk and any(
                s < cap.end and e > cap.start for s, e in job.spans):
            names.append(cap.name)
    if not names:
        return None
    return names[0] if len(names) == 1 else f"{names[0]} (and {len(names) - 1} more limits)"


def conflicts(problem: Problem, options: SolveOptions, deadline: float) -> list[Conflict]:
    """A minimal set of user-level hard rules that cannot hold together."""
    inst = build(problem, deadlines="guarded")
    model = Model(inst, guarded=True)
    names = sorted(model.guards)
    core = _core(model, names, deadline)
    if core is None:
        return [Conflict((), "no plan meeting every hard rule was found in the time limit "
                             "(not proved impossible either)")]
    for name in list(core):
        if time.perf_counter() >= deadline:
            break
        trial = [c for c in core if c != name]
        if trial and _infeasible(model, trial, deadline):
            core = trial
    return [Conflict(tuple(_item_of(n) for n in core), _message(inst, core))]


def _core(model: Model, names: list[str], deadline: float) -> list[str] | None:
    model.m.clear_assumptions()
    model.m.add_assumptions([model.guards[n] for n in names])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
    if solver.solve(model.m) != cp_model.INFEASIBLE:
        return None
    index = {model.guards[n].index: n for n in names}
    core = [index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in index]
    return core or names


def _infeasible(model: Model, names: list[str], deadline: float) -> bool:
    model.m.clear_assumptions()
    model.m.add_assumptions([model.guards[n] for n in names])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.1, min(2.0, deadline - time.perf_counter()))
    return bool(solver.solve(model.m) == cp_model.INFEASIBLE)


def _item_of(guard: str) -> str:
    """`due:acme-prep` -> `acme-prep`; a limit keeps its words."""
    kind, _, rest = guard.partition(":")
    if kind == "due":
        return rest
    if kind == "after":
        return rest.replace(">", " after ")
    return guard


def _message(inst: Instance, core: list[str]) -> str:
    g = inst.grid.slot_minutes
    hard = [j for j in inst.jobs if f"due:{j.item_id}" in core and j.kind == "task"]
    limits = [n for n in core if ":" not in n]
    parts = []
    if hard:
        last_due = max(int((j.due_minute or 0) // g) for j in hard)
        work = sum(j.duration for j in hard)
        spans = sorted({s for j in hard for s in clip(j.spans, inst.horizon[0], last_due)})
        free = total(union(spans))
        moment = when(inst.grid.at(last_due), inst.problem)
        parts.append(f"{span_text(work * g)} of hard-deadline work, "
                     f"{span_text(free * g)} free before {moment}")
    parts += [f"limit {n}" for n in limits]
    parts += [f"`{_item_of(n)}`" for n in core if n.startswith("after:")]
    return "; ".join(parts) if parts else "these rules cannot all hold"
