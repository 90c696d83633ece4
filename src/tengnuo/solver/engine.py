"""solve(): dispatch heuristic, then local search, then CP-SAT tier by tier; then the Plan.

The plan's cost is recomputed from its blocks by tengnuo.model.cost, never taken from the
search; `bound` combines the proved tier bounds and is 0 where nothing is proved.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from tengnuo.model.cost import evaluate, total_of
from tengnuo.model.plan import Block, Plan, Status, Unscheduled
from tengnuo.model.problem import Problem
from tengnuo.solver import sequence
from tengnuo.solver.decode import Decoder, Placement, Score
from tengnuo.solver.greedy import dispatch
from tengnuo.solver.instance import Instance, build, unavoidable
from tengnuo.solver.options import Progress, ProgressCallback, SolveOptions
from tengnuo.solver.outcome import Outcome
from tengnuo.solver.reasons import Reasons, span_text
from tengnuo.solver.search import Search
from tengnuo.solver.spans import Span
from tengnuo.solver.tidy import left_justify

LOCAL_SEARCH_SHARE = 0.8  # of the time limit at most; it usually stalls (patience) sooner
JOB_DECODES_PER_SECOND = 12000  # deterministic local-search work per second of limit, in
# jobs decoded: about a quarter of what this 2-core machine does, so a slower one still fits
CP_SAT_MIN_SECONDS = 0.4  # less time left than this: skip CP-SAT (importing it takes ~0.3 s)
SEARCH_SHARE = 0.93  # of the time limit; the rest is kept for reasons and the plan itself
WHOLE_MODEL_LIMIT = 2000  # model size up to which one CP-SAT model is solved (with proofs)
LARGE_INSTANCE_JOBS = 400  # above this, the cheapest dispatch and a sampled local search


def solve(problem: Problem, options: SolveOptions | None = None,
          progress: ProgressCallback | None = None, started: float | None = None) -> Plan:
    """The best plan for `problem` found within `options.time_limit_seconds` of `started`
    (a perf_counter value; now by default)."""
    options = options or SolveOptions()
    started = time.perf_counter() if started is None else started
    deadline = started + options.time_limit_seconds * SEARCH_SHARE
    inst = build(problem)
    outcome = optimise(inst, options, started, deadline, progress)
    if outcome.score[0] == 0 and not outcome.infeasible:
        return to_plan(inst, outcome, started)
    from tengnuo.solver.conflicts import conflicts  # ortools: loaded only when needed

    found = conflicts(problem, options, started + options.time_limit_seconds * 1.05)
    soft = build(problem, deadlines="soft")
    fallback = optimise(soft, options, started, max(deadline, time.perf_counter() + 0.5),
                        progress)
    plan = to_plan(soft, fallback, started)
    return Plan(Status.INFEASIBLE, plan.cost, plan.bound, round(time.perf_counter() - started, 3),
                plan.blocks, plan.late, plan.unscheduled, plan.warnings, tuple(found))


def optimise(inst: Instance, options: SolveOptions, started: float, deadline: float,
             progress: ProgressCallback | None) -> Outcome:
    """Dispatch, then local search until it stalls, then CP-SAT as the problem's size allows."""
    decoder = Decoder(inst)
    large = len(inst.jobs) > LARGE_INSTANCE_JOBS
    order, placement = dispatch(inst, decoder, quick=large)
    _report(progress, started, "heuristic", placement.score)
    if placement.score[0] or placement.score[1:3] > (unavoidable(inst), inst.done_lateness):
        placement = _local_search(inst, decoder, order, placement, options, deadline, large,
                                  lambda score: _report(progress, started, "local search", score))
    outcome = Outcome(placement.chunks, placement.score)
    if options.use_cp_sat and deadline - time.perf_counter() > CP_SAT_MIN_SECONDS:
        outcome = _cp_sat(inst, decoder, outcome, options, started, deadline, progress)
    return _tidy(inst, decoder, outcome)


def _local_search(inst: Instance, decoder: Decoder, order: list[int], placement: Placement,
                  options: SolveOptions, deadline: float, large: bool,
                  report: Callable[[Score], None]) -> Placement:
    """Search orders until patience runs out (or the work budget of a deterministic run), at
    most LOCAL_SEARCH_SHARE of the limit when CP-SAT follows."""
    cap = options.time_limit_seconds * (LOCAL_SEARCH_SHARE if options.use_cp_sat else 1.0)
    ls_deadline = min(deadline, time.perf_counter() + cap)
    budget = None
    if options.deterministic:  # work, not time; the clock is only the limit's safety net
        budget = int(cap * JOB_DECODES_PER_SECOND / max(1, len(inst.jobs)))
        ls_deadline = deadline
    if sequence.applies(inst):
        seq = sequence.SequenceSearch(inst, options.seed)
        order = seq.run(order, ls_deadline, patience=4000, budget=budget,
                        on_improve=lambda better: report(decoder.decode(better).score))
        placement = decoder.decode(order)
    else:
        search = Search(decoder, options.seed)
        _, placement = search.run(order, placement, ls_deadline, patience=10 if large else 30,
                                  budget=budget, on_improve=lambda better: report(better.score))
    report(placement.score)
    return placement


def _cp_sat(inst: Instance, decoder: Decoder, outcome: Outcome, options: SolveOptions,
            started: float, deadline: float, progress: ProgressCallback | None) -> Outcome:
    """Small problems: one model, tier by tier, with proofs. Larger ones: windows of days.

    Measured on the generated fortnight (150 tasks, 10 s): one model after the local search
    proved no bound and left less time to the windows, which improve the plan (lateness 276k
    with windows only, 384k with windows then one model, 300k with local search alone).
    """
    # ortools loads here, after the heuristic's first plan exists (about 0.3 s to import)
    from tengnuo.solver.cpsat_solve import improve
    from tengnuo.solver.lns import window_search

    if model_size(inst) > WHOLE_MODEL_LIMIT:
        return window_search(inst, decoder, outcome, deadline, options, started, progress)
    best = improve(inst, decoder, outcome.chunks, deadline, options, started, progress)
    return best if best.score <= outcome.score else outcome


def _tidy(inst: Instance, decoder: Decoder, outcome: Outcome) -> Outcome:
    """Left-justify within days; kept only if the score is no worse (it never should be)."""
    chunks = left_justify(inst, outcome.chunks)
    score = decoder.score(chunks)
    if score <= outcome.score:
        outcome.chunks, outcome.score = chunks, score
    return outcome


def model_size(inst: Instance) -> int:
    """A cheap estimate of the CP-SAT model's size: chunk slots times the spans they choose from."""
    total = 0
    for job in inst.jobs:
        chunks = job.duration // max(1, job.min_chunk) if job.split else 1
        total += chunks * max(1, len(job.spans))
    return total


def _report(progress: ProgressCallback | None, started: float, phase: str,
            score: Score) -> None:
    if progress is not None:
        progress(Progress(time.perf_counter() - started, phase, sum(score[1:]), None))


def blocks_of(inst: Instance, chunks: list[list[Span]]) -> tuple[Block, ...]:
    """The plan's blocks: the problem's fixed blocks unchanged, so that one plan is the whole
    picture, and the planned chunks."""
    grid = inst.grid
    out = list(inst.problem.fixed)
    for job, placed in zip(inst.jobs, chunks, strict=True):
        many = len(placed) > 1
        for i, (s, e) in enumerate(placed):
            out.append(Block(grid.at(s), grid.at(e), job.item_id, job.kind, job.title,
                             job.category, i + 1 if many else None, len(placed) if many else None))
    return tuple(sorted(out, key=lambda b: b.sort_key))


def to_plan(inst: Instance, outcome: Outcome, started: float) -> Plan:
    problem = inst.problem
    blocks = blocks_of(inst, outcome.chunks)
    ev = evaluate(problem, blocks)
    cost = ev.cost
    bound = 0 if inst.restricted else _bound(problem, outcome, cost.total)
    status = Status.OPTIMAL if bound == cost.total else Status.FEASIBLE
    warnings = [f"{s.category}: {span_text(s.planned_minutes)} planned in week {s.week + 1}, "
                f"below week_min {span_text(s.minimum_minutes)}" for s in ev.shortfalls]
    if inst.restricted:
        warnings.append("where a daily or weekly limit applies, no block crosses midnight; "
                        "so this plan is not proved optimal")
    if status is Status.FEASIBLE and bound == 0 and not inst.restricted:
        warnings.append("no lower bound was proved within the time limit")
    return Plan(status, cost, bound, round(time.perf_counter() - started, 3), blocks, ev.late,
                _unscheduled(inst, outcome.chunks, ev.missed), tuple(warnings))


def _bound(problem: Problem, outcome: Outcome, total: int) -> int:
    """Combine tier bounds: a later tier's bound counts only once the earlier ones are proved."""
    u, lat, _ = (outcome.score[1], outcome.score[2], outcome.score[3])
    b = outcome.bounds
    if not outcome.proved[0]:
        value = total_of(problem, b[0], 0, 0)
    elif not outcome.proved[1]:
        value = total_of(problem, u, b[1], 0)
    elif not outcome.proved[2]:
        value = total_of(problem, u, lat, b[2])
    else:
        value = total
    return min(value, total)


def _unscheduled(inst: Instance, chunks: list[list[Span]],
                 missed: tuple[object, ...]) -> tuple[Unscheduled, ...]:
    out = []
    reasons = Reasons(inst, chunks)
    by_key = {(j.item_id, j.occurrence.day if j.occurrence else None): j for j in inst.jobs}
    for m in missed:
        job = by_key.get((m.id, m.day)) or by_key.get((m.id, None))  # type: ignore[attr-defined]
        why = reasons.why(job) if job else "the week's quota is not met"
        out.append(Unscheduled(m.id, m.kind, m.minutes, why, m.day))  # type: ignore[attr-defined]
    return tuple(out)
