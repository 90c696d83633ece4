"""Weekly hours profiles and routine windows turned into concrete windows of the horizon.

Wall-clock rules (DST, ranges across midnight, touching ranges merging) live here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tengnuo.model.horizon import MINUTES_PER_DAY, DayRange, Window, local_time
from tengnuo.model.items import HoursProfile, Routine


def range_on(day: date, day_range: DayRange, tz: ZoneInfo) -> Window:
    """The concrete window of `day_range` starting on local `day` (crossing into the next day)."""
    end_day = day + timedelta(days=1) if day_range.crosses_midnight else day
    end_minute = day_range.end_minute
    if end_minute == MINUTES_PER_DAY:
        end_day, end_minute = end_day + timedelta(days=1), 0
    return Window(local_time(day, day_range.start_minute, tz), local_time(end_day, end_minute, tz))


def profile_windows(
    profile: HoursProfile, start: datetime, end: datetime, tz: ZoneInfo
) -> list[Window]:
    """The free windows of `profile` within [start, end), merged where they touch or overlap."""
    # a range of the day before may reach into the first day
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date()
    raw: list[Window] = []
    day = first
    while day <= last:
        raw += [range_on(day, r, tz) for r in profile.ranges.get(day.weekday(), ())]
        day += timedelta(days=1)
    return clip(merge(raw), start, end)


def merge(windows: list[Window]) -> list[Window]:
    """Union of windows; windows that touch become one."""
    merged: list[Window] = []
    for w in sorted(windows):
        if merged and w.start <= merged[-1].end:
            if w.end > merged[-1].end:
                merged[-1] = Window(merged[-1].start, w.end)
        else:
            merged.append(w)
    return merged


def clip(windows: list[Window], start: datetime, end: datetime) -> list[Window]:
    """Windows cut to [start, end); empty pieces are dropped."""
    out = []
    for w in windows:
        lo, hi = max(w.start, start), min(w.end, end)
        if lo < hi:
            out.append(Window(lo, hi))
    return out


@dataclass(frozen=True)
class Occurrence:
    """One day's chance to do a routine: the day it belongs to, its window and its week index."""

    routine: Routine
    day: date
    window: Window
    week: int

    @property
    def key(self) -> str:
        return f"{self.routine.id}@{self.day.isoformat()}"


def routine_occurrences(
    routine: Routine, start: datetime, end: datetime, tz: ZoneInfo
) -> list[Occurrence]:
    """The candidate occurrences of `routine` in the horizon, one per allowed day.

    An occurrence belongs to the day its window starts; its window is clipped to the horizon and
    dropped when nothing of it lies inside.
    """
    first_day = start.astimezone(tz).date()
    out = []
    day = first_day - timedelta(days=1)
    while day <= end.astimezone(tz).date():
        if day.weekday() in routine.every.weekdays:
            window = clip([range_on(day, routine.window, tz)], start, end)
            if window:
                week = max(0, (day - first_day).days // 7)
                out.append(Occurrence(routine, day, window[0], week))
        day += timedelta(days=1)
    return out


def weeks_in(start: datetime, end: datetime, tz: ZoneInfo) -> list[tuple[int, int]]:
    """(week index, number of days in it) for the 7-day weeks counted from `start`."""
    days = (end.astimezone(tz).date() - start.astimezone(tz).date()).days
    if end.astimezone(tz).time() > start.astimezone(tz).time():
        days += 1
    return [(w, min(7, days - 7 * w)) for w in range((days + 6) // 7)]


def per_week_quota(per_week: int, days_in_week: int) -> int:
    """N/week asks round-up(N × d / 7) in a last partial week of d days (FORMAT.md)."""
    return -(-per_week * days_in_week // 7)
