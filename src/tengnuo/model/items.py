"""What a person plans with: events, tasks, routines, hours profiles and limits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tengnuo.model.horizon import DayRange

PRIORITY_WEIGHTS = {1: 8, 2: 4, 3: 2, 4: 1}
"""Cost per minute of an unplanned or late item, by priority (FORMAT.md)."""

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def day_spec(days: Iterable[int]) -> str:
    """Weekdays (0 = Monday) as written in a planning file: `mon-fri`, `mon,wed,fri`,
    `mon-wed,sat`.

    >>> day_spec([0, 1, 2, 3, 4]), day_spec([0, 2, 4])
    ('mon-fri', 'mon,wed,fri')
    """
    runs: list[list[int]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(WEEKDAY_NAMES[r[0]] if len(r) == 1
                    else f"{WEEKDAY_NAMES[r[0]]}-{WEEKDAY_NAMES[r[-1]]}" for r in runs)


def weight_of(priority: int, weight: int | None) -> int:
    """An explicit weight wins over the priority's default weight."""
    return weight if weight is not None else PRIORITY_WEIGHTS[priority]


@dataclass(frozen=True)
class Event:
    """A fixed appointment; it blocks time and is never moved."""

    id: str
    title: str
    start: datetime
    end: datetime
    category: str | None = None
    calendar: str | None = None  # the .ics file it came from; None for an inline event

    @property
    def inline(self) -> bool:
        """Only inline events may be named in a task's `after` (FORMAT.md)."""
        return self.calendar is None


@dataclass(frozen=True)
class Split:
    """A task may be cut into chunks of `min` to `max` each."""

    min: timedelta
    max: timedelta


@dataclass(frozen=True)
class Task:
    """Work with a duration that tengnuo places in free time."""

    id: str
    title: str
    duration: timedelta
    due: datetime | None = None
    hard: bool = False
    priority: int = 3
    weight: int | None = None
    category: str | None = None
    hours: str = "anytime"
    not_before: datetime | None = None
    split: Split | None = None
    after: tuple[str, ...] = ()

    @property
    def cost_weight(self) -> int:
        return weight_of(self.priority, self.weight)


@dataclass(frozen=True)
class Every:
    """How often a routine recurs: on some weekdays, optionally at most `per_week` times a week."""

    weekdays: frozenset[int]  # 0 = Monday
    per_week: int | None = None


@dataclass(frozen=True)
class Routine:
    """A flexible recurring block, such as a daily run somewhere between 07:00 and 09:00."""

    id: str
    title: str
    duration: timedelta
    every: Every
    window: DayRange
    category: str | None = None
    priority: int = 3
    weight: int | None = None

    @property
    def cost_weight(self) -> int:
        return weight_of(self.priority, self.weight)


@dataclass(frozen=True)
class HoursProfile:
    """Weekly availability: for each weekday (0 = Monday) the ranges in which work may happen."""

    name: str
    ranges: Mapping[int, tuple[DayRange, ...]]


@dataclass(frozen=True)
class CategoryLimit:
    """Per-category quotas; `week_min` is soft (reported and penalised), the maximums are hard."""

    day_max: timedelta | None = None
    week_max: timedelta | None = None
    week_min: timedelta | None = None


@dataclass(frozen=True)
class Limits:
    """Balance rules over all planned blocks (tasks and routines, never events)."""

    day_max: timedelta | None = None
    buffer: timedelta = timedelta(0)
    categories: Mapping[str, CategoryLimit] = field(default_factory=dict)
