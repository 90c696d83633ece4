"""Use cases on the workspace: open it, read its settings, add, edit and finish tasks.

Every change runs in one transaction together with a validation of the whole input as it would
be planned (ids, `after` cycles, hours profiles): a change that would make the workspace invalid
is rolled back and reported, so bad input changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tengnuo.errors import InvalidInputError, Issue
from tengnuo.formats.planfile_values import slugify
from tengnuo.model.horizon import GRANULARITIES_MINUTES
from tengnuo.model.items import Task
from tengnuo.model.problem import Problem
from tengnuo.store import PlanVersion, Session, TaskEntry, Workspace, default_path

# The shells name these store types through the planner (cli and web never import store).
__all__ = ["PlanVersion", "Settings", "TaskEntry", "Workspace"]


@dataclass(frozen=True)
class Settings:
    """How the workspace plans: its zone, horizon, grid, slash-date order and time limit."""

    timezone: str
    days: int = 7
    granularity_minutes: int = 15
    date_order: str = "auto"  # "mdy" | "dmy" | "auto" (ask when a slash date is ambiguous)
    time_limit_seconds: float = 10.0

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


SETTING_PARSERS: dict[str, Callable[[str], object]] = {
    "timezone": lambda v: ZoneInfo(v) and v,
    "days": lambda v: _in_range(int(v), 1, 60, "days"),
    "granularity_minutes": lambda v: _one_of(int(v), GRANULARITIES_MINUTES, "granularity"),
    "date_order": lambda v: _one_of(v, ("mdy", "dmy", "auto"), "date_order"),
    "time_limit_seconds": lambda v: _in_range(float(v), 0.5, 600, "time_limit_seconds"),
}


def _in_range(value: float, low: float, high: float, name: str) -> float:
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}")
    return value


def _one_of(value: object, allowed: tuple[object, ...], name: str) -> object:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(str, allowed))}")
    return value


def local_zone() -> str:
    """The machine's zone name (TZ, /etc/timezone or the /etc/localtime link), else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    if Path("/etc/timezone").is_file():
        candidates.append(Path("/etc/timezone").read_text().strip())
    link = Path("/etc/localtime")
    if link.is_symlink():
        candidates.append(str(link.resolve()).split("zoneinfo/")[-1])
    for name in candidates:
        try:
            if name and ZoneInfo(name):
                return name
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return "UTC"


def resolve(path: Path | None) -> Path:
    return path.expanduser() if path is not None else default_path()


def init(path: Path | None, timezone: str | None) -> tuple[Path, bool, Settings]:
    """Create the workspace (or confirm an existing one) and record its zone."""
    target = resolve(path)
    ws, created = Workspace.init(target)
    with ws:
        if created or timezone:
            set_setting(ws, "timezone", timezone or local_zone())
        return target, created, settings(ws)


def open_workspace(path: Path | None) -> Workspace:
    """Open the workspace; the first open of a day also takes the daily backup."""
    return Workspace.open(resolve(path), today=datetime.now(UTC).date())


def settings(ws: Workspace) -> Settings:
    with ws.read() as s:
        return settings_from(s)


def set_setting(ws: Workspace, key: str, value: str) -> None:
    if key not in SETTING_PARSERS:
        raise InvalidInputError([Issue(f"unknown setting; known: {', '.join(SETTING_PARSERS)}",
                                       field=key)])
    try:
        SETTING_PARSERS[key](value)
    except (ValueError, ZoneInfoNotFoundError) as error:
        raise InvalidInputError([Issue(f"`{value}`: {error}", field=key)]) from None
    with ws.change() as s:
        s.set_setting(key, value)


# --- validated changes ---------------------------------------------------------------------


@contextmanager
def validated_change(ws: Workspace) -> Iterator[Session]:
    """A change that lands only if the whole workspace input is still valid afterwards."""
    with ws.change() as s:
        yield s
        issues = inputs_problem(s, settings_from(s)).validate()
        if issues:
            raise InvalidInputError([_user_issue(i, s) for i in issues])


def settings_from(s: Session) -> Settings:
    raw = s.settings()
    values = {k: SETTING_PARSERS[k](v) for k, v in raw.items() if k in SETTING_PARSERS}
    return Settings(**{"timezone": "UTC", **values})  # type: ignore[arg-type]


def inputs_problem(s: Session, cfg: Settings) -> Problem:
    """The stored input as one Problem (open tasks at their estimates, no calendar files), for
    validation only."""
    tasks = tuple(e.task for e in s.tasks("open"))
    done = {e.task.id for e in s.tasks("done")}
    tasks = tuple(replace(t, after=tuple(p for p in t.after if p not in done)) for t in tasks)
    return Problem(cfg.timezone, datetime.now(UTC), cfg.days, cfg.granularity_minutes,
                   {**s.hours()}, s.limits(), tuple(s.events()), tasks, tuple(s.routines()))


def _user_issue(issue: Issue, s: Session) -> Issue:
    """`tasks[3].after` -> `acme-prep.after`: the person knows ids, not list positions."""
    field = issue.field or ""
    for section, items in (("tasks", [e.task.id for e in s.tasks("open")]),
                           ("routines", [r.id for r in s.routines()]),
                           ("events", [e.id for e in s.events()])):
        if field.startswith(section + "["):
            index = int(field[len(section) + 1:field.index("]")])
            if index < len(items):
                field = items[index] + field[field.index("]") + 1:]
    return Issue(issue.message, field=field or None)


# --- tasks ---------------------------------------------------------------------------------


def free_id(s: Session, title: str) -> str:
    """A readable id from the title, made unique with -2, -3 ..."""
    used = all_ids(s)
    base = slugify(title)
    base = "task" if base == "item" else base
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def all_ids(s: Session) -> set[str]:
    return ({e.task.id for e in s.tasks()} | {r.id for r in s.routines()}
            | {e.id for e in s.events()})


def new_id(s: Session, wanted: str, title: str) -> str:
    """The id of a new task, routine or event: `wanted` if free, one made from the title when
    empty; ids are shared by all three (FORMAT.md), so a used one is refused."""
    if not wanted:
        return free_id(s, title)
    if wanted in all_ids(s):
        raise InvalidInputError([Issue(f"id {wanted!r} is already used", field="id")])
    return wanted


def add_task(ws: Workspace, task: Task) -> Task:
    """Store a new task; an empty id is generated from the title."""
    with validated_change(ws) as s:
        task = replace(task, id=new_id(s, task.id, task.title))
        s.put_task(task)
    return task


def need_task(s: Session, task_id: str) -> TaskEntry:
    entry = s.task(task_id)
    if entry is None:
        known = ", ".join(e.task.id for e in s.tasks("open")[:8]) or "none yet"
        raise InvalidInputError([Issue(f"no task {task_id!r} (open tasks: {known})",
                                       field="id")])
    return entry


def edit_task(ws: Workspace, task_id: str, change: Callable[[Task], Task]) -> Task:
    """Apply `change` to the stored task in one read-modify-write transaction."""
    with validated_change(ws) as s:
        old = need_task(s, task_id).task
        new = change(old)
        if new.id != old.id:
            if new.id in all_ids(s):
                raise InvalidInputError([Issue(f"id {new.id!r} is already used", field="id")])
            s.rename_task(old.id, new.id)
        s.put_task(new)
    return new


def set_done(ws: Workspace, task_id: str, done: bool = True,
             when: datetime | None = None) -> TaskEntry:
    with validated_change(ws) as s:
        need_task(s, task_id)
        s.set_status(task_id, "done" if done else "open",
                     (when or datetime.now(UTC)) if done else None)
        return need_task(s, task_id)


def remove_task(ws: Workspace, task_id: str) -> list[str]:
    """Delete the task; returns the tasks whose `after` named it (the edges go with it)."""
    with validated_change(ws) as s:
        need_task(s, task_id)
        return s.remove_task(task_id)


def log_work(ws: Workspace, task_id: str, spent: timedelta,
             when: datetime | None = None) -> TaskEntry:
    """Record time actually spent: the remaining duration shrinks; the log is kept."""
    minutes = int(spent.total_seconds() // 60)
    if minutes <= 0:
        raise InvalidInputError([Issue("log at least 1 minute", field="duration")])
    with validated_change(ws) as s:
        need_task(s, task_id)
        s.log_work(task_id, minutes, when or datetime.now(UTC))
        return need_task(s, task_id)


def tasks(ws: Workspace, status: str | None = "open") -> list[TaskEntry]:
    with ws.read() as s:
        return s.tasks(status)


def task_entry(ws: Workspace, task_id: str) -> tuple[TaskEntry, list[tuple[datetime, int]]]:
    """The task and its work log."""
    with ws.read() as s:
        return need_task(s, task_id), s.work_log(task_id)
