"""How a solve runs: its time limit, workers and seed, and the progress it reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SolveOptions:
    """Settings of one solve.

    The same problem and options give the same plan when `workers` is 1 and nothing stops on
    the wall clock: the solve proves optimality before `time_limit_seconds`, or `deterministic`
    is set (CP-SAT then stops on its deterministic time, the local searches on their patience)
    and the run still ends within the limit. Every random choice is seeded with `seed`.
    """

    time_limit_seconds: float = 10.0
    workers: int = 2
    seed: int = 0
    deterministic: bool = False  # stop CP-SAT on deterministic time instead of wall time
    use_cp_sat: bool = True  # False: heuristic and local search only (the benchmark baseline)

    def __post_init__(self) -> None:
        if self.time_limit_seconds <= 0:
            raise ValueError("time_limit_seconds must be positive")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")


@dataclass(frozen=True)
class Progress:
    """A report during a solve: the best plan's cost so far and the best proved bound."""

    elapsed_seconds: float
    phase: str  # "heuristic", "local search", "cp-sat: unscheduled", "cp-sat: lateness", ...
    best_cost: int | None
    bound: int | None


ProgressCallback = Callable[[Progress], None]
