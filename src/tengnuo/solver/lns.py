"""Large-neighbourhood search: re-optimise a window of days with CP-SAT, the rest held fixed.

For problems too big for one CP-SAT model within the time limit (hundreds of tasks over weeks),
each step frees the jobs planned inside a few days (and the unplanned ones that could go there),
builds a sub-instance in which fixed blocks are busy time and the limits are what the fixed
blocks leave, and hands it to the same tier-by-tier CP-SAT improvement. The sub-problem's cost
differs from the whole plan's by a constant, so an improvement there is one here.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace

from tengnuo.solver.cpsat_solve import improve
from tengnuo.solver.decode import Decoder
from tengnuo.solver.instance import Instance, Job
from tengnuo.solver.limits import Cap, Minimum
from tengnuo.solver.options import ProgressCallback, SolveOptions
from tengnuo.solver.outcome import Outcome
from tengnuo.solver.spans import Span, clip, subtract, union

MAX_FREE_JOBS = 45
STEP_SECONDS = 1.5


def window_search(inst: Instance, decoder: Decoder, best: Outcome, deadline: float,
                  options: SolveOptions, started: float,
                  progress: ProgressCallback | None = None) -> Outcome:
    """Improve `best` window by window until `deadline`."""
    rng = random.Random(options.seed)
    days = len(inst.grid.day_starts) - 1
    width = 2
    steps = int(options.time_limit_seconds / STEP_SECONDS) if options.deterministic else -1
    step_options = replace(options, time_limit_seconds=STEP_SECONDS)
    while time.perf_counter() + 0.2 < deadline and steps != 0:
        steps -= 1
        first = rng.randrange(max(1, days - width + 1))
        window = (inst.grid.day_starts[first], inst.grid.day_starts[min(days, first + width)])
        sub, free = _sub_instance(inst, best.chunks, window)
        if not free:
            continue
        start = [list(best.chunks[j]) for j in free]
        step_deadline = min(deadline, time.perf_counter() + STEP_SECONDS)
        result = improve(sub, Decoder(sub), start, step_deadline, step_options, started,
                         progress)
        merged = [list(c) for c in best.chunks]
        for k, j in enumerate(free):
            merged[j] = result.chunks[k]
        score = decoder.score(merged)
        if score < best.score:
            best = Outcome(merged, score)
        width = min(7, width + 1) if all(result.proved) else max(1, width - 1)
    return best


def _sub_instance(inst: Instance, chunks: list[list[Span]],
                  window: Span) -> tuple[Instance, list[int]]:
    lo, hi = window
    free = [j.index for j in inst.jobs if _movable(j, chunks[j.index], lo, hi)][:MAX_FREE_JOBS]
    free_set = set(free)
    fixed = [(s, e) for j, placed in enumerate(chunks) if j not in free_set for s, e in placed]
    b = inst.buffer
    occupied = union((s - b, e + b) for s, e in fixed)
    index = {j: k for k, j in enumerate(free)}
    jobs = [_sub_job(inst, chunks, inst.jobs[j], k, index, occupied, window)
            for k, j in enumerate(free)]
    caps = [_sub_cap(c, chunks, free_set, index) for c in inst.caps]
    minimums = [_sub_minimum(m, chunks, free_set, index, inst.grid.slot_minutes)
                for m in inst.minimums]
    quotas = {g: q - sum(1 for j in inst.jobs if j.quota_group == g and j.index not in free_set
                         and chunks[j.index]) for g, q in inst.quotas.items()}
    sub = Instance(inst.problem, inst.grid, inst.horizon, b, jobs,
                   [c for c in caps if c.members], [m for m in minimums if m.members],
                   {g: max(0, q) for g, q in quotas.items()}, inst.quota_cost, inst.busy)
    return sub, free


def _movable(job: Job, placed: list[Span], lo: int, hi: int) -> bool:
    if placed:
        return all(lo <= s and e <= hi for s, e in placed)
    return any(s < hi and e > lo for s, e in job.spans)


def _sub_job(inst: Instance, chunks: list[list[Span]], job: Job, k: int, index: dict[int, int],
             occupied: list[Span], window: Span) -> Job:
    release = job.release
    spans = clip(job.spans, *window)
    for p in job.preds:
        if p not in index:
            if not chunks[p]:
                spans = []
            else:
                release = max(release, chunks[p][-1][1])
    deadline, required = window[1], False
    for succ in inst.jobs:
        if job.index in succ.preds and succ.index not in index and chunks[succ.index]:
            deadline, required = min(deadline, chunks[succ.index][0][0]), True
    spans = [(max(s, release), min(e, deadline)) for s, e in subtract(spans, occupied)]
    spans = [(s, e) for s, e in spans if e - s >= job.min_chunk]
    preds = [index[p] for p in job.preds if p in index]
    return replace(job, index=k, spans=spans, release=release, preds=preds,
                   required=required or job.required)


def _sub_cap(cap: Cap, chunks: list[list[Span]], free: set[int], index: dict[int, int]) -> Cap:
    used = _usage(chunks, [j for j in cap.members if j not in free], cap.start, cap.end)
    members = frozenset(index[j] for j in cap.members if j in free)
    return replace(cap, slots=max(0, cap.slots - used), members=members)


def _sub_minimum(mn: Minimum, chunks: list[list[Span]], free: set[int], index: dict[int, int],
                 slot_minutes: int) -> Minimum:
    used = _usage(chunks, [j for j in mn.members if j not in free], mn.start, mn.end)
    members = frozenset(index[j] for j in mn.members if j in free)
    return replace(mn, minutes=max(0, mn.minutes - used * slot_minutes), members=members)


def _usage(chunks: list[list[Span]], jobs: list[int], lo: int, hi: int) -> int:
    return sum(min(e, hi) - max(s, lo) for j in jobs for s, e in chunks[j] if s < hi and e > lo)
