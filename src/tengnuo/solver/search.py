"""Iterated local search over the order of jobs, decoded by the serial decoder.

CP-SAT alone is weak when lateness dominates (see bench/README): sequence moves (swap, insert)
with random perturbation find near-optimal orders quickly; CP-SAT then starts from the result.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from tengnuo.solver.decode import Decoder, Placement

MAX_FULL_NEIGHBOURHOOD = 60  # above this many movable jobs, moves are sampled


class Search:
    def __init__(self, decoder: Decoder, seed: int) -> None:
        self.decoder = decoder
        self.rng = random.Random(seed)
        self.evaluations = 0
        self.budget: int | None = None

    def run(
        self, order: list[int], best: Placement, deadline: float, patience: int,
        budget: int | None = None, on_improve: Callable[[Placement], None] | None = None,
    ) -> tuple[list[int], Placement]:
        """Improve `order` until `deadline` (a perf_counter value), `patience` kicks in vain, or
        `budget` decodes (a deterministic run's measure of work)."""
        self.budget = budget
        best_order = list(order)
        cur_order, cur = self.descend(list(order), best, deadline)
        if cur.score < best.score:
            best_order, best = cur_order, cur
        idle = 0
        while time.perf_counter() < deadline and idle < patience and not self._spent():
            trial = self.perturb(best_order)
            trial_order, trial_place = self.descend(trial, self.decoder.decode(trial), deadline)
            if trial_place.score < best.score:
                best_order, best, idle = trial_order, trial_place, 0
                if on_improve is not None:
                    on_improve(best)
            else:
                idle += 1
        return best_order, best

    def descend(self, order: list[int], cur: Placement,
                deadline: float) -> tuple[list[int], Placement]:
        """First-improvement descent with insert and swap moves."""
        n = len(order)
        if n < 2:
            return order, cur
        improved = True
        while improved and time.perf_counter() < deadline:
            improved = False
            for i, j, kind in self._moves(n):
                trial = _apply(order, i, j, kind)
                placement = self.decoder.decode(trial)
                self.evaluations += 1
                if placement.score < cur.score:
                    order, cur, improved = trial, placement, True
                    break
                if self._spent() or (
                        self.evaluations % 64 == 0 and time.perf_counter() >= deadline):
                    return order, cur
        return order, cur

    def _spent(self) -> bool:
        return self.budget is not None and self.evaluations >= self.budget

    def _moves(self, n: int) -> list[tuple[int, int, str]]:
        if n <= MAX_FULL_NEIGHBOURHOOD:
            moves = [(i, j, k) for i in range(n) for j in range(n) if i != j
                     for k in ("insert", "swap") if k == "insert" or i < j]
        else:
            moves = [(self.rng.randrange(n), self.rng.randrange(n),
                      self.rng.choice(("insert", "swap"))) for _ in range(4 * n)]
            moves = [m for m in moves if m[0] != m[1]]
        self.rng.shuffle(moves)
        return moves

    def perturb(self, order: list[int]) -> list[int]:
        out = list(order)
        n = len(out)
        for _ in range(self.rng.randint(2, 4)):
            i, j = self.rng.randrange(n), self.rng.randrange(n)
            out[i], out[j] = out[j], out[i]
        return out


def _apply(order: list[int], i: int, j: int, kind: str) -> list[int]:
    out = list(order)
    if kind == "swap":
        out[i], out[j] = out[j], out[i]
    else:
        out.insert(j, out.pop(i))
    return out
