"""The result of a search: the chunks of each job, their score, and what is proved."""

from __future__ import annotations

from dataclasses import dataclass, field

from tengnuo.solver.decode import Score
from tengnuo.solver.spans import Span


@dataclass
class Outcome:
    chunks: list[list[Span]]
    score: Score
    proved: list[bool] = field(default_factory=lambda: [False, False, False])
    bounds: list[int] = field(default_factory=lambda: [0, 0, 0])
    infeasible: bool = False
