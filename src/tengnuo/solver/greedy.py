"""Dispatch orders: fast, priority- and due-date-aware sequences for the decoder.

ATC (apparent tardiness cost) is the classic rule for weighted lateness; a few look-ahead
values and simpler rules (EDD, WSPT, priority) are all decoded and the best kept. Routine
occurrences and hard deadlines go first: they have the least freedom.
"""

from __future__ import annotations

import math

from tengnuo.solver.decode import Decoder, Placement
from tengnuo.solver.instance import Instance, Job

ATC_LOOKAHEADS = (0.5, 1.0, 2.0, 4.0)


def _due_slot(job: Job, inst: Instance) -> float:
    if job.due_minute is None:
        return float(inst.horizon[1] + job.duration)
    return job.due_minute / inst.grid.slot_minutes


def _front(inst: Instance) -> list[int]:
    """Routine occurrences (by window) and hard-deadline tasks (by due) come first."""
    routines = sorted((j for j in inst.jobs if j.kind == "routine"),
                      key=lambda j: (j.spans[0][0] if j.spans else 0, -j.weight))
    hard = sorted((j for j in inst.jobs if j.hard), key=lambda j: _due_slot(j, inst))
    return [j.index for j in routines] + [j.index for j in hard]


def atc_order(inst: Instance, lookahead: float) -> list[int]:
    """Single-machine ATC dispatch over the soft tasks, as if time were one continuous line."""
    soft = [j for j in inst.jobs if j.kind == "task" and not j.hard]
    if not soft:
        return []
    mean_p = sum(j.duration for j in soft) / len(soft)
    t = float(inst.horizon[0])
    left = {j.index: j for j in soft}
    order = []
    while left:
        def index(job: Job, now: float = t) -> float:
            slack = max(0.0, _due_slot(job, inst) - job.duration - now)
            return job.weight / job.duration * math.exp(-slack / (lookahead * mean_p))

        best = max(left.values(), key=index)
        order.append(best.index)
        t += best.duration
        del left[best.index]
    return order


def simple_orders(inst: Instance) -> list[list[int]]:
    soft = [j for j in inst.jobs if j.kind == "task" and not j.hard]
    edd = sorted(soft, key=lambda j: (_due_slot(j, inst), -j.weight))
    wspt = sorted(soft, key=lambda j: -j.weight / j.duration)
    prio = sorted(soft, key=lambda j: (-j.weight, _due_slot(j, inst)))
    return [[j.index for j in o] for o in (edd, wspt, prio)]


def dispatch(
    inst: Instance, decoder: Decoder, *, quick: bool = False
) -> tuple[list[int], Placement]:
    """The best of several dispatch rules, decoded. `quick` tries one rule (huge instances)."""
    front = _front(inst)
    tails = simple_orders(inst)[2:] if quick else simple_orders(inst)
    if not quick:
        tails += [atc_order(inst, k) for k in ATC_LOOKAHEADS]
    best: tuple[list[int], Placement] | None = None
    for tail in tails:
        order = front + tail
        placement = decoder.decode(order)
        if best is None or placement.score < best[1].score:
            best = (order, placement)
    assert best is not None
    return best
