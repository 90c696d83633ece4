"""Weekly hours profiles and routine windows turned into concrete windows of the horizon.

Wall-clock rules (DST, ranges across midnight, touching ranges merging) live here once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tengnuo.model.horizon import MINUTES_PER_DAY, DayRange, Window, elapsed_minutes, local_time
from tengnuo.model.items import HoursProfile, Routine
from tengnuo.model.plan import Block


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
        if w.end <= w.start:  # a range inside a spring-forward gap is empty
            continue
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
    routine: Routine, start: datetime, end: datetime, tz: ZoneInfo, granularity: int
) -> list[Occurrence]:
    """The candidate occurrences of `routine` in the horizon, one per allowed planned day.

    An occurrence belongs to the day its window starts (never a day before the horizon); its
    window is clipped to the horizon and dropped when, shrunk to the grid, it cannot hold the
    routine: such a day was never a chance to do it, so missing it costs nothing.
    """
    first_day = start.astimezone(tz).date()
    last_day = (end - timedelta(microseconds=1)).astimezone(tz).date()
    days = (last_day - first_day).days + 1  # planned dates
    horizon_days = days if _is_midnight(start, tz) else days - 1
    out = []
    for i in range(days):
        day = first_day + timedelta(days=i)
        if day.weekday() not in routine.every.weekdays:
            continue
        window = clip([range_on(day, routine.window, tz)], start, end)
        if window and _holds(window[0], routine.duration, first_day, tz, granularity):
            out.append(Occurrence(routine, day, window[0], week_of(i, horizon_days)))
    return out


def _is_midnight(moment: datetime, tz: ZoneInfo) -> bool:
    local = moment.astimezone(tz)
    return local.hour == 0 and local.minute == 0


def _holds(window: Window, duration: timedelta, first_day: date, tz: ZoneInfo,
           granularity: int) -> bool:
    """Whether the window, shrunk inward to the grid, still holds the duration rounded up."""
    origin = local_time(first_day, 0, tz)
    lo = math.ceil(elapsed_minutes(origin, window.start) / granularity - 1e-9)
    hi = math.floor(elapsed_minutes(origin, window.end) / granularity + 1e-9)
    need = math.ceil(duration.total_seconds() / 60 / granularity - 1e-9)
    return hi - lo >= need


def weeks_in(days: int) -> list[tuple[int, int]]:
    """(week index, number of days in it) for the 7-day weeks of a `days`-day horizon."""
    return [(w, min(7, days - 7 * w)) for w in range((days + 6) // 7)]


def week_of(day_index: int, days: int) -> int:
    """The week of a planned day (0 = the first day). When the horizon starts at a time of day,
    its last date is a day more than `days`; it joins the last week."""
    return min(day_index // 7, (days + 6) // 7 - 1)


def per_week_quota(per_week: int, days_in_week: int) -> int:
    """N/week asks round-up(N × d / 7) in a last partial week of d days (FORMAT.md)."""
    return -(-per_week * days_in_week // 7)


def fixed_days(routine: Routine, fixed: Iterable[Block], tz: ZoneInfo) -> set[date]:
    """Dates whose occurrence of `routine` a fixed block already does (Problem.fixed).

    A block belongs to the day whose window holds it (a window across midnight belongs to the
    day it starts, as in FORMAT.md), else to the local date of its start: a kept block of a
    routine whose window has changed since still counts as that day's run.
    """
    out = set()
    for b in fixed:
        if b.kind != "routine" or b.id != routine.id:
            continue
        own = b.start.astimezone(tz).date()
        holding = [d for d in (own - timedelta(days=1), own)
                   if (w := range_on(d, routine.window, tz)).start <= b.start and b.end <= w.end]
        out.add(holding[0] if holding else own)
    return out


def quota_left(per_week: int, days_in_week: int, candidates: int, covered: int) -> int:
    """Occurrences still wanted in a week: its quota less the days fixed blocks already
    cover, and no more than the candidate days left."""
    return min(max(0, per_week_quota(per_week, days_in_week) - covered), candidates)
