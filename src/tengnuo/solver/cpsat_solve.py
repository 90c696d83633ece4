"""Lexicographic improvement with CP-SAT: one solve per cost tier, each fixing the last.

Tiers are solved in FORMAT.md's order (unscheduled, lateness, preferences); after each solve
the tier is bounded by the best value found, so a later tier can never buy an improvement with
an earlier one. Every solve starts from the best plan so far as a hint.
"""

from __future__ import annotations

import math
import time

from ortools.sat.python import cp_model

from tengnuo.solver.cpsat_model import Model, robust_solve
from tengnuo.solver.decode import Decoder
from tengnuo.solver.instance import Instance, unavoidable
from tengnuo.solver.options import Progress, ProgressCallback, SolveOptions
from tengnuo.solver.outcome import Outcome
from tengnuo.solver.spans import Span

TIER_NAMES = ("unscheduled", "lateness", "preferences")
TIER_SHARE = (0.5, 0.6, 1.0)  # of the time left when the tier starts
DETERMINISTIC_SHARE = (0.35, 0.25, 0.25)  # of the time limit, in CP-SAT's deterministic time


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, phase: str, started: float, progress: ProgressCallback | None) -> None:
        super().__init__()
        self.phase, self.started, self.progress = phase, started, progress

    def on_solution_callback(self) -> None:
        if self.progress is not None:
            self.progress(Progress(time.perf_counter() - self.started, self.phase,
                                   int(self.objective_value), int(self.best_objective_bound)))


LIGHT_PRESOLVE_VARIABLES = 5000  # measured: probing a 14k-variable fortnight takes 7 s of 10


def solver_for(options: SolveOptions, seconds: float, wall_seconds: float,
               variables: int = 0) -> cp_model.CpSolver:
    """A solver for one run: `seconds` of budget (deterministic time in a deterministic run),
    never more than `wall_seconds` of real time."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    if variables > LIGHT_PRESOLVE_VARIABLES:
        params.cp_model_probing_level = 0
    params.num_workers = options.workers
    params.random_seed = options.seed
    if options.deterministic:
        params.max_deterministic_time = max(0.05, seconds)
        params.max_time_in_seconds = max(0.1, wall_seconds)
    else:
        params.max_time_in_seconds = max(0.05, min(seconds, wall_seconds))
    return solver


def improve(inst: Instance, decoder: Decoder, start: list[list[Span]], deadline: float,
            options: SolveOptions, started: float,
            progress: ProgressCallback | None = None) -> Outcome:
    """Improve `start` tier by tier until `deadline` (a perf_counter value)."""
    model = Model(inst)
    best = Outcome(start, decoder.score(start))
    model.hint(start)
    model.complete_hint(options.seed)
    exprs = (model.tiers.unscheduled, model.tiers.lateness, model.tiers.preferences)
    floors = (unavoidable(inst), inst.done_lateness, 0)  # costs are never below these
    for k, expr in enumerate(exprs):
        if best.score[0] == 0 and best.score[k + 1] == floors[k] and all(best.proved[:k]):
            best.proved[k] = True
            best.bounds[k] = floors[k]
            model.m.add(expr <= floors[k])
            continue
        left = deadline - time.perf_counter()
        if left < 0.05:
            break
        # a deterministic run must not size its budgets by the clock: fixed shares of the limit
        seconds = (options.time_limit_seconds * DETERMINISTIC_SHARE[k] if options.deterministic
                   else left * TIER_SHARE[k])
        if not _solve_tier(model, k, expr, seconds, left, decoder, best, options,
                           _Reporter(f"cp-sat: {TIER_NAMES[k]}", started, progress)):
            break
    return best


def _solve_tier(model: Model, k: int, expr: cp_model.LinearExprT, seconds: float,
                wall_seconds: float, decoder: Decoder, best: Outcome, options: SolveOptions,
                reporter: _Reporter) -> bool:
    """One tier's solve; returns False when the model has no solution at all."""
    model.m.minimize(expr)
    solver = solver_for(options, seconds, wall_seconds, len(model.m.proto.variables))
    status = robust_solve(solver, model.m, reporter)
    if status == cp_model.INFEASIBLE and k == 0:
        best.infeasible = True
        return False
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    chunks = model.read(solver)
    score = decoder.score(chunks)
    if score < best.score:
        best.chunks, best.score = chunks, score
        model.use_solution(solver)
    best.bounds[k] = max(0, math.ceil(solver.best_objective_bound - 1e-6))
    if status == cp_model.OPTIMAL and best.score[k + 1] == best.bounds[k]:
        best.proved[k] = True
    model.m.add(expr <= best.score[k + 1])
    return True
