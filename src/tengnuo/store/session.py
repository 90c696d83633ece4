"""Reads and writes of a person's inputs, inside one open transaction (see Workspace).

A Session never commits: the Workspace that opened it does, so a use case can make several
changes, validate the result and have all of them or none land.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tengnuo.errors import InvalidInputError, Issue
from tengnuo.model.horizon import DayRange
from tengnuo.model.items import CategoryLimit, Event, HoursProfile, Limits, Routine, Task
from tengnuo.store import rows

# The tables' CHECK rules, as the person would be told (a use case validates the whole input
# only after its writes, so a value these refuse never reaches that validation).
CHECK_MESSAGES = {
    "duration_min > 0": "the duration must be at least 1 minute",
    "hard = 0 OR due IS NOT NULL": "hard: true needs a due date",
    "priority BETWEEN 1 AND 4": "priority must be between 1 and 4",
    "weight > 0": "weight must be positive",
    "split_min > 0": "split sizes must be positive",
    "split_max > 0": "split sizes must be positive",
    "minutes >= 0": "a limit cannot be negative",
    "minutes > 0": "log at least 1 minute",
    "end > start": "end is not after start",
    "per_week BETWEEN 1 AND 7": "per_week must be between 1 and 7",
}


def refused(error: sqlite3.IntegrityError) -> InvalidInputError:
    """A write the schema refused, as invalid input rather than a database failure."""
    rule = str(error).removeprefix("CHECK constraint failed: ")
    return InvalidInputError([Issue(CHECK_MESSAGES.get(rule, f"not stored: {error}"))])


@dataclass(frozen=True)
class TaskEntry:
    """A task as the workspace keeps it: the estimate, the time logged, and whether it is done."""

    task: Task  # `duration` is the whole estimate
    status: str  # "open" | "done"
    logged: timedelta
    created: datetime
    done_at: datetime | None = None

    @property
    def remaining(self) -> timedelta:
        return max(timedelta(0), self.task.duration - self.logged)


@dataclass(frozen=True)
class CalendarFile:
    """A subscribed .ics file and how to read it."""

    path: str
    all_day_free: bool = False  # all-day events do not block time
    own_addresses: tuple[str, ...] = ()  # invitations these addresses declined do not block


class Session:
    """One transaction's view of the workspace tables."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # --- tasks ---------------------------------------------------------------------------

    def tasks(self, status: str | None = None) -> list[TaskEntry]:
        where, args = ("WHERE status = ?", (status,)) if status else ("", ())
        found = self.conn.execute(
            f"SELECT {rows.TASK_COLUMNS}, status, created, done_at, "
            "(SELECT coalesce(sum(minutes), 0) FROM work_log w WHERE w.task_id = t.id) "
            f"FROM tasks t {where} ORDER BY created, id", args).fetchall()
        after = self._after()
        return [TaskEntry(rows.task_from_row(r[:12], after.get(r[0], ())), r[12],
                          timedelta(minutes=r[15]), rows.need_text(r[13]), rows.from_text(r[14]))
                for r in found]

    def task(self, task_id: str) -> TaskEntry | None:
        return next((e for e in self.tasks() if e.task.id == task_id), None)

    def _after(self) -> dict[str, tuple[str, ...]]:
        edges: dict[str, list[str]] = {}
        for task_id, pred in self.conn.execute(
                "SELECT task_id, pred_id FROM task_after ORDER BY task_id, position"):
            edges.setdefault(task_id, []).append(pred)
        return {k: tuple(v) for k, v in edges.items()}

    def put_task(self, task: Task, created: datetime | None = None) -> None:
        """Insert the task, or replace its fields (status, log and creation time are kept)."""
        values = rows.task_row(task)
        self.conn.execute(
            f"INSERT INTO tasks ({rows.TASK_COLUMNS}, created) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "title = excluded.title, duration_min = excluded.duration_min, due = excluded.due, "
            "hard = excluded.hard, priority = excluded.priority, weight = excluded.weight, "
            "category = excluded.category, hours = excluded.hours, "
            "not_before = excluded.not_before, split_min = excluded.split_min, "
            "split_max = excluded.split_max",
            (*values, rows.to_text(created or datetime.now(UTC))))
        self.conn.execute("DELETE FROM task_after WHERE task_id = ?", (task.id,))
        self.conn.executemany("INSERT INTO task_after VALUES (?, ?, ?)",
                              [(task.id, p, i) for i, p in enumerate(task.after)])
        self.touch()

    def rename_task(self, old: str, new: str) -> None:
        """Change a task's id; `after` references and the log follow it."""
        self.conn.execute("UPDATE tasks SET id = ? WHERE id = ?", (new, old))
        self.conn.execute("UPDATE task_after SET pred_id = ? WHERE pred_id = ?", (new, old))
        self.touch()

    def set_status(self, task_id: str, status: str, when: datetime | None) -> None:
        self.conn.execute("UPDATE tasks SET status = ?, done_at = ? WHERE id = ?",
                          (status, rows.to_text(when), task_id))
        self.touch()

    def remove_task(self, task_id: str) -> list[str]:
        """Delete the task and the `after` edges naming it; returns the tasks that named it."""
        dependants = [r[0] for r in self.conn.execute(
            "SELECT task_id FROM task_after WHERE pred_id = ? ORDER BY task_id", (task_id,))]
        self.conn.execute("DELETE FROM task_after WHERE pred_id = ?", (task_id,))
        self.conn.execute("DELETE FROM tasks WHERE id = ?", (task_id,))
        self.touch()
        return dependants

    def log_work(self, task_id: str, minutes: int, when: datetime) -> None:
        self.conn.execute("INSERT INTO work_log (task_id, minutes, logged_at) VALUES (?, ?, ?)",
                          (task_id, minutes, rows.to_text(when)))
        self.touch()

    def work_log(self, task_id: str) -> list[tuple[datetime, int]]:
        return [(rows.need_text(at), minutes) for at, minutes in self.conn.execute(
            "SELECT logged_at, minutes FROM work_log WHERE task_id = ? ORDER BY id", (task_id,))]

    # --- routines, events, calendars -----------------------------------------------------

    def routines(self) -> list[Routine]:
        return [rows.routine_from_row(r) for r in self.conn.execute(
            f"SELECT {rows.ROUTINE_COLUMNS} FROM routines ORDER BY id")]

    def put_routine(self, routine: Routine) -> None:
        self.conn.execute(f"INSERT OR REPLACE INTO routines ({rows.ROUTINE_COLUMNS}) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows.routine_row(routine))
        self.touch()

    def events(self) -> list[Event]:
        return [rows.event_from_row(r) for r in self.conn.execute(
            f"SELECT {rows.EVENT_COLUMNS} FROM events ORDER BY start, id")]

    def put_event(self, event: Event) -> None:
        self.conn.execute(f"INSERT OR REPLACE INTO events ({rows.EVENT_COLUMNS}) "
                          "VALUES (?, ?, ?, ?, ?)", rows.event_row(event))
        self.touch()

    def remove(self, table: str, item_id: str) -> bool:
        """Delete a routine or an event by id; False when there was none."""
        if table not in ("routines", "events"):
            raise ValueError(f"not a table of items: {table}")
        gone = self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (item_id,)).rowcount
        self.touch()
        return bool(gone)

    def calendars(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT path FROM calendars ORDER BY added")]

    def calendar_files(self) -> list[CalendarFile]:
        return [CalendarFile(p, bool(f), tuple(a for a in o.split(",") if a))
                for p, f, o in self.conn.execute(
                    "SELECT path, all_day_free, own_addresses FROM calendars ORDER BY added")]

    def add_calendar(self, path: str, all_day_free: bool = False,
                     own_addresses: tuple[str, ...] = ()) -> None:
        """Subscribe to a file, or change the options of one subscribed already."""
        self.conn.execute(
            "INSERT INTO calendars (path, added, all_day_free, own_addresses) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
            "all_day_free = excluded.all_day_free, own_addresses = excluded.own_addresses",
            (path, rows.to_text(datetime.now(UTC)), int(all_day_free), ",".join(own_addresses)))
        self.touch()

    def remove_calendar(self, path: str) -> bool:
        gone = self.conn.execute("DELETE FROM calendars WHERE path = ?", (path,)).rowcount
        self.touch()
        return bool(gone)

    # --- hours, limits, settings -----------------------------------------------------------

    def hours(self) -> dict[str, HoursProfile]:
        ranges: dict[str, dict[int, list[DayRange]]] = {}
        for name, day, start, end in self.conn.execute(
                "SELECT name, weekday, start_min, end_min FROM hours ORDER BY name, weekday, "
                "start_min"):
            ranges.setdefault(name, {}).setdefault(day, []).append(DayRange(start, end))
        return {name: HoursProfile(name, {d: tuple(r) for d, r in days.items()})
                for name, days in ranges.items()}

    def put_hours(self, profile: HoursProfile) -> None:
        self.conn.execute("DELETE FROM hours WHERE name = ?", (profile.name,))
        self.conn.executemany("INSERT INTO hours VALUES (?, ?, ?, ?)", [
            (profile.name, day, r.start_minute, r.end_minute)
            for day, ranges in profile.ranges.items() for r in ranges])
        self.touch()

    def remove_hours(self, name: str) -> bool:
        gone = self.conn.execute("DELETE FROM hours WHERE name = ?", (name,)).rowcount
        self.touch()
        return bool(gone)

    def limits(self) -> Limits:
        plain = dict(self.conn.execute("SELECT name, minutes FROM limits").fetchall())
        per: dict[str, dict[str, timedelta]] = {}
        for category, kind, minutes in self.conn.execute(
                "SELECT category, kind, minutes FROM category_limits ORDER BY category"):
            per.setdefault(category, {})[kind] = timedelta(minutes=minutes)
        return Limits(rows.span_of(plain.get("day_max")),
                      rows.span_of(plain.get("buffer")) or timedelta(0),
                      {c: CategoryLimit(**kinds) for c, kinds in per.items()})

    def set_limit(self, name: str, minutes: int | None, category: str | None = None) -> None:
        """Set (None: clear) `day_max`/`buffer`, or a category's day_max/week_max/week_min."""
        if category is None:
            self.conn.execute("DELETE FROM limits WHERE name = ?", (name,))
            if minutes is not None:
                self.conn.execute("INSERT INTO limits VALUES (?, ?)", (name, minutes))
        else:
            self.conn.execute("DELETE FROM category_limits WHERE category = ? AND kind = ?",
                              (category, name))
            if minutes is not None:
                self.conn.execute("INSERT INTO category_limits VALUES (?, ?, ?)",
                                  (category, name, minutes))
        self.touch()

    def settings(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM settings").fetchall())

    def set_setting(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, value))
        self.touch()

    # --- the revision: a counter of input changes, so a plan knows when it is stale ---------

    def revision(self) -> int:
        return int(self.conn.execute("SELECT value FROM revision").fetchone()[0])

    def touch(self) -> None:
        self.conn.execute("UPDATE revision SET value = value + 1")
