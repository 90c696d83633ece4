"""Wall-clock time in a zone: day ranges, concrete windows and the DST rules of FORMAT.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 1440
GRANULARITIES_MINUTES = (1, 5, 10, 15, 30)


@dataclass(frozen=True)
class DayRange:
    """A time-of-day range such as 09:00-12:00; `end_minute <= start_minute` runs into the next day.

    Minutes count from local midnight; `end_minute` may be 1440 (24:00).
    """

    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        if not 0 <= self.start_minute < MINUTES_PER_DAY:
            raise ValueError(f"start minute {self.start_minute} is outside 00:00-23:59")
        if not 0 <= self.end_minute <= MINUTES_PER_DAY:
            raise ValueError(f"end minute {self.end_minute} is outside 00:00-24:00")
        if self.start_minute == self.end_minute:
            raise ValueError("a range must not be empty")

    @property
    def crosses_midnight(self) -> bool:
        return self.end_minute <= self.start_minute

    @property
    def length_minutes(self) -> int:
        end = self.end_minute + (MINUTES_PER_DAY if self.crosses_midnight else 0)
        return end - self.start_minute

    def __str__(self) -> str:
        return f"{_hhmm(self.start_minute)}-{_hhmm(self.end_minute)}"


@dataclass(frozen=True, order=True)
class Window:
    """A concrete stretch of time between two aware datetimes, end exclusive."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is not UTC or self.end.tzinfo is not UTC:
            raise ValueError("window times must be UTC datetimes (see tengnuo.model)")

    @property
    def minutes(self) -> float:
        return elapsed_minutes(self.start, self.end)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def local_time(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """The instant at `minute` past local midnight of `day`, read as a wall clock.

    A time in a spring-forward gap moves forward by the gap and a repeated time means its first
    occurrence (FORMAT.md, as RFC 5545): that is what zoneinfo's fold=0 gives once normalised
    through UTC.
    """
    naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
    return naive.replace(tzinfo=tz).astimezone(UTC)


def elapsed_minutes(start: datetime, end: datetime) -> float:
    """Real minutes from `start` to `end`, whatever zones they carry.

    Python subtracts two datetimes of the same zone on the wall clock, which is wrong across a DST
    change; going through UTC is not.
    """
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 60


def days_between(start: datetime, end: datetime, tz: ZoneInfo) -> list[date]:
    """Every local calendar date that [start, end) touches, in order."""
    first = start.astimezone(tz).date()
    last = (end.astimezone(UTC) - timedelta(microseconds=1)).astimezone(tz).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
