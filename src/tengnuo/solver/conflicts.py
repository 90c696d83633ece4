"""Which hard rules clash: CP-SAT assumptions, one guard literal per user-level hard rule
(`due:acme-prep`, a limit, an `after`), shrunk by deletion to a minimal set.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from tengnuo.model.plan import Conflict
from tengnuo.model.problem import Problem
from tengnuo.solver.cpsat_model import Model, robust_solve
from tengnuo.solver.instance import Instance, build
from tengnuo.solver.options import SolveOptions
from tengnuo.solver.reasons import free_hours, span_text, when
from tengnuo.solver.spans import total, union


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
    if robust_solve(solver, model.m) != cp_model.INFEASIBLE:
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
    return bool(robust_solve(solver, model.m) == cp_model.INFEASIBLE)


def _item_of(guard: str) -> str:
    """`due:acme-prep` -> `acme-prep`; `after:cv>prep` -> `prep after cv`; a limit keeps its
    words."""
    kind, _, rest = guard.partition(":")
    if kind == "due":
        return rest
    if kind == "after":
        pred, _, succ = rest.partition(">")
        return f"{succ} after {pred}"
    return guard


def _message(inst: Instance, core: list[str]) -> str:
    g = inst.grid.slot_minutes
    hard = [j for j in inst.jobs if f"due:{j.item_id}" in core and j.kind == "task"]
    limits = [n for n in core if ":" not in n]
    parts = [f"`{d.item_id}`'s kept block ends {when(inst.grid.at(d.end), inst.problem)}, "
             "after its hard deadline" for d in inst.done
             if d.broken and f"due:{d.item_id}" in core]
    if hard:
        last_due = max(int((j.due_minute or 0) // g) for j in hard)
        work = sum(j.duration for j in hard)
        spans = sorted({s for j in hard for s in free_hours(inst, j, last_due)})
        free = total(union(spans))
        moment = when(inst.grid.at(last_due), inst.problem)
        parts.append(f"{span_text(work * g)} of hard-deadline work, "
                     f"{span_text(free * g)} free before {moment}")
        parts += [f"no number of chunks of `{j.item_id}` adds up to its duration"
                  for j in hard if j.chunking_impossible]
        parts += [f"no free stretch of `{j.item_id}`'s hours holds "
                  f"{span_text((j.min_chunk if j.split else j.duration) * g)}"
                  for j in hard if not j.spans and not j.chunking_impossible
                  and total(free_hours(inst, j, last_due))]
    parts += [f"limit {n}" for n in limits]
    parts += [f"`{_item_of(n)}`" for n in core if n.startswith("after:")]
    return "; ".join(parts) if parts else "these rules cannot all hold"
