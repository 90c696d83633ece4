"""The output: a plan of blocks, its cost and bound, and what did not fit and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    INVALID = "invalid"


@dataclass(frozen=True)
class Block:
    """A stretch of time given to one task chunk or one routine occurrence."""

    start: datetime
    end: datetime
    id: str
    kind: str  # "task" | "routine"
    title: str
    category: str | None = None
    chunk: int | None = None  # 1-based index when a task is split into several chunks
    chunks: int | None = None

    @property
    def minutes(self) -> int:
        """Whole minutes, rounded up like every duration in tengnuo.model.cost."""
        return -int(-(self.end - self.start).total_seconds() // 60)

    @property
    def sort_key(self) -> tuple[datetime, datetime, str, int]:
        return (self.start, self.end, self.id, self.chunk or 0)


@dataclass(frozen=True)
class Cost:
    """The three tiers of FORMAT.md and one total that orders plans the same way."""

    total: int
    unscheduled: int
    lateness: int
    preferences: int


@dataclass(frozen=True)
class Late:
    id: str
    due: datetime
    end: datetime
    minutes_late: int
    cost: int


@dataclass(frozen=True)
class Unscheduled:
    id: str
    kind: str  # "task" | "routine"
    minutes: int
    reason: str
    date: date | None = None  # the day of a missed routine occurrence


@dataclass(frozen=True)
class Conflict:
    """A smallest set of user-level hard constraints that cannot all hold together."""

    items: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Plan:
    """A solved problem. `bound` is a proven lower bound of `cost.total` (0 when nothing better is
    proved); `status` is optimal only when the bound meets the cost."""

    status: Status
    cost: Cost
    bound: int
    solve_seconds: float
    blocks: tuple[Block, ...] = ()
    late: tuple[Late, ...] = ()
    unscheduled: tuple[Unscheduled, ...] = ()
    warnings: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = field(default=())
