"""Model objects ↔ table rows. Datetimes are stored as UTC ISO text, which sorts as time does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tengnuo.model.horizon import DayRange
from tengnuo.model.items import Event, Every, Routine, Split, Task

Row = tuple[Any, ...]


def to_text(moment: datetime | None) -> str | None:
    """UTC ISO text, e.g. `2026-12-02T12:00:00+00:00` (the model holds aware UTC datetimes)."""
    return None if moment is None else moment.astimezone(UTC).isoformat()


def from_text(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC)


def need_text(text: str) -> datetime:
    moment = from_text(text)
    assert moment is not None  # only called on NOT NULL columns
    return moment


def minutes_of(span: timedelta | None) -> int | None:
    return None if span is None else -int(-span.total_seconds() // 60)


def span_of(minutes: int | None) -> timedelta | None:
    return None if minutes is None else timedelta(minutes=minutes)


TASK_COLUMNS = ("id, title, duration_min, due, hard, priority, weight, category, hours, "
                "not_before, split_min, split_max")


def task_row(task: Task) -> Row:
    split = task.split
    return (task.id, task.title, minutes_of(task.duration), to_text(task.due), int(task.hard),
            task.priority, task.weight, task.category, task.hours, to_text(task.not_before),
            minutes_of(split.min) if split else None, minutes_of(split.max) if split else None)


def task_from_row(row: Row, after: tuple[str, ...]) -> Task:
    (task_id, title, duration, due, hard, priority, weight, category, hours, not_before,
     split_min, split_max) = row
    split = Split(timedelta(minutes=split_min), timedelta(minutes=split_max)) \
        if split_min is not None else None
    return Task(task_id, title, timedelta(minutes=duration), from_text(due), bool(hard),
                priority, weight, category, hours, from_text(not_before), split, after)


ROUTINE_COLUMNS = ("id, title, duration_min, weekdays, per_week, window_start, window_end, "
                   "category, priority, weight")


def routine_row(routine: Routine) -> Row:
    weekdays = ",".join(str(d) for d in sorted(routine.every.weekdays))
    return (routine.id, routine.title, minutes_of(routine.duration), weekdays,
            routine.every.per_week, routine.window.start_minute, routine.window.end_minute,
            routine.category, routine.priority, routine.weight)


def routine_from_row(row: Row) -> Routine:
    (routine_id, title, duration, weekdays, per_week, start, end, category, priority,
     weight) = row
    days = frozenset(int(d) for d in weekdays.split(",") if d)
    return Routine(routine_id, title, timedelta(minutes=duration), Every(days, per_week),
                   DayRange(start, end), category, priority, weight)


EVENT_COLUMNS = "id, title, start, end, category"


def event_row(event: Event) -> Row:
    return (event.id, event.title, to_text(event.start), to_text(event.end), event.category)


def event_from_row(row: Row) -> Event:
    event_id, title, start, end, category = row
    return Event(event_id, title, need_text(start), need_text(end), category)
