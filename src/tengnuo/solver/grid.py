"""The planning grid: datetimes to integer slots and back. The only code that knows the scale.

Slot 0 starts at local midnight of the first planned day. Every allowed granularity divides any
DST shift, so counting elapsed minutes from that midnight puts slot boundaries exactly on the
wall-clock grid on every day, before and after a change (FORMAT.md).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tengnuo.model.horizon import local_time
from tengnuo.model.problem import Problem


@dataclass(frozen=True)
class Grid:
    origin: datetime  # UTC instant of slot 0
    slot_minutes: int
    day_starts: tuple[int, ...]  # slot of each local midnight, first day to the day after the last

    @classmethod
    def of(cls, problem: Problem) -> Grid:
        tz = problem.tz
        first_day = problem.start.astimezone(tz).date()
        origin = local_time(first_day, 0, tz)
        last_day = problem.end.astimezone(tz).date()
        g = problem.granularity_minutes
        days = (last_day - first_day).days + 2
        starts = tuple(
            round(_minutes(origin, local_time(first_day + timedelta(days=i), 0, tz)) / g)
            for i in range(days)
        )
        return cls(origin, g, starts)

    def minutes(self, moment: datetime) -> float:
        """Elapsed minutes from slot 0 to `moment`."""
        return _minutes(self.origin, moment)

    def floor(self, moment: datetime) -> int:
        return math.floor(self.minutes(moment) / self.slot_minutes + 1e-9)

    def ceil(self, moment: datetime) -> int:
        return math.ceil(self.minutes(moment) / self.slot_minutes - 1e-9)

    def slots(self, span: timedelta) -> int:
        """A duration rounded up to whole slots."""
        return math.ceil(span.total_seconds() / 60 / self.slot_minutes - 1e-9)

    def slots_down(self, span: timedelta) -> int:
        return math.floor(span.total_seconds() / 60 / self.slot_minutes + 1e-9)

    def at(self, slot: int) -> datetime:
        return self.origin + timedelta(minutes=slot * self.slot_minutes)

    def day_of(self, slot: int) -> int:
        """Index of the local day that holds `slot` (0 = the first planned day)."""
        return bisect.bisect_right(self.day_starts, slot) - 1


def _minutes(origin: datetime, moment: datetime) -> float:
    return (moment.astimezone(UTC) - origin).total_seconds() / 60
