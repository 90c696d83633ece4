"""Fast local search for the single-line case: unsplit tasks that all share one free stretch.

Then a plan is just an order, each completion time is a prefix sum, and a swap or an insertion
between positions i and j changes the cost only of the jobs between them, so a move costs
O(|i - j|) instead of a whole decode. This is exactly the weighted-tardiness special case of
FORMAT.md (and the shape of a day of unsplit tasks in one profile); the general search in
`search.py` handles everything else.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

from tengnuo.solver.instance import Instance

Cost = tuple[int, int]  # (lateness, weighted completion)
KICK_EVALUATIONS = 5  # a kick and its descent count as this many decodes in a work budget


def applies(inst: Instance) -> bool:
    """True when every job is a soft, unsplit task free on one shared stretch, nothing else."""
    jobs = inst.jobs
    if not jobs or inst.caps or inst.minimums or inst.quotas:
        return False
    spans = jobs[0].spans
    if len(spans) != 1:
        return False
    ok = all(j.kind == "task" and not j.hard and not j.preds and not j.split
             and j.fixed_end is None and j.spans == spans and j.release <= spans[0][0]
             for j in jobs)
    need = sum(j.duration for j in jobs) + inst.buffer * (len(jobs) - 1)
    return ok and need <= spans[0][1] - spans[0][0]


class SequenceSearch:
    def __init__(self, inst: Instance, seed: int) -> None:
        g = inst.grid.slot_minutes
        self.p = [j.duration + inst.buffer for j in inst.jobs]
        self.w = [j.weight for j in inst.jobs]
        # lateness of job k ending at slot t: w * max(0, (t - buffer) * g - due)
        self.due = [math.floor(j.due_minute + 1e-9) if j.due_minute is not None else 1 << 60
                    for j in inst.jobs]
        self.g = g
        self.start = inst.jobs[0].spans[0][0]
        self.buffer = inst.buffer
        self.rng = random.Random(seed)
        self.tiebreak = False

    def _job_cost(self, k: int, end: int) -> tuple[int, int]:
        end_real = end - self.buffer
        late = end_real * self.g - self.due[k]
        return (self.w[k] * late if late > 0 else 0), self.w[k] * end_real

    def cost(self, seq: list[int]) -> Cost:
        t, lat, comp = self.start, 0, 0
        for k in seq:
            t += self.p[k]
            a, b = self._job_cost(k, t)
            lat += a
            comp += b
        return lat, comp

    def _segment(self, seq: list[int], lo: int, hi: int, t: int) -> Cost:
        lat = comp = 0
        p, g, w, due, buf = self.p, self.g, self.w, self.due, self.buffer
        for idx in range(lo, hi + 1):
            k = seq[idx]
            t += p[k]
            late = (t - buf) * g - due[k]
            if late > 0:
                lat += w[k] * late
            comp += w[k] * (t - buf)
        return lat, comp

    def descend(self, seq: list[int], deadline: float) -> list[int]:
        n = len(seq)
        p = self.p
        starts = [self.start]
        for k in seq:
            starts.append(starts[-1] + p[k])
        improved = True
        while improved and time.perf_counter() < deadline:
            improved = False
            for i in range(n - 1):
                for j in range(i + 1, n):
                    if self._try(seq, i, j, starts):
                        improved = True
                        for x in range(i, j + 1):
                            starts[x + 1] = starts[x] + p[seq[x]]
        return seq

    def _try(self, seq: list[int], i: int, j: int, starts: list[int]) -> bool:
        """Try swap(i, j), insert i→j and insert j→i; apply the first that lowers the cost."""
        base = self._segment(seq, i, j, starts[i])
        sub = seq[i:j + 1]
        for cand in (
            [sub[-1], *sub[1:-1], sub[0]],  # swap
            [*sub[1:], sub[0]],  # move i behind j
            [sub[-1], *sub[:-1]],  # move j before i
        ):
            trial = self._segment(cand, 0, len(cand) - 1, starts[i])
            if trial[0] < base[0] or (self.tiebreak and trial < base):
                seq[i:j + 1] = cand
                return True
        return False

    def perturb(self, seq: list[int]) -> list[int]:
        out = list(seq)
        n = len(out)
        for _ in range(self.rng.randint(2, 5)):
            i, j = self.rng.randrange(n), self.rng.randrange(n)
            out[i], out[j] = out[j], out[i]
        return out

    def run(self, seq: list[int], deadline: float, patience: int, budget: int | None = None,
            on_improve: Callable[[list[int]], None] | None = None) -> list[int]:
        """ILS on lateness alone (measured: the tie-break on completion times misleads the
        search), then one descent with the tie-break to settle the preference tier."""
        self.tiebreak = False
        best = self.descend(list(seq), deadline)
        best_cost = self.cost(best)
        idle = 0
        kicks = 0
        while time.perf_counter() < deadline and idle < patience and (
                budget is None or kicks * KICK_EVALUATIONS < budget):
            kicks += 1
            trial = self.descend(self.perturb(best), deadline)
            cost = self.cost(trial)
            if cost[0] < best_cost[0]:
                best, best_cost, idle = trial, cost, 0
                if on_improve is not None:
                    on_improve(best)
            else:
                idle += 1
                if cost[0] == best_cost[0]:  # sideways moves keep the walk going
                    best, best_cost = trial, cost
        self.tiebreak = True
        polished = self.descend(list(best), deadline + 1.0)
        return polished if self.cost(polished) <= best_cost else best
