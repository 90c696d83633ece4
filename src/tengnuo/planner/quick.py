"""Tasks from words: the quick-add line and the structured flags of `add` and `edit`.

Flags use the same date and duration grammar as the line (formats/quickadd.py): `--due 'fri
17:00'` means what `by fri 17:00` means in a line. Flags win over the line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tengnuo.errors import InvalidInputError, Issue
from tengnuo.formats.planfile_values import parse_when
from tengnuo.formats.quickadd import QuickTask, parse_quick_add
from tengnuo.model.items import Split, Task
from tengnuo.model.plan import Block
from tengnuo.planner import workspace as use
from tengnuo.planner.workspace import Settings, need_task, settings
from tengnuo.store import TaskEntry, Workspace

NONE = "none"  # a flag value that clears an optional field (`--due none`)
Understood = list[tuple[str, str]]


@dataclass(frozen=True)
class TaskFields:
    """Structured flags as typed; None = not given."""

    duration: str | None = None
    due: str | None = None
    hard: bool | None = None
    category: str | None = None
    priority: int | None = None
    hours: str | None = None
    split: str | None = None
    after: tuple[str, ...] | None = None
    not_before: str | None = None


def moment(text: str | None, tz: ZoneInfo) -> datetime:
    """`--now`: an ISO date/time or a phrase (`tomorrow 9:00`) in `tz`; the clock when None."""
    now = datetime.now(UTC)
    if text is None:
        return now
    try:
        return parse_when(text, tz)[0]
    except ValueError:
        pass
    read = parse_quick_add(f'"_" from {text}', now - timedelta(days=3650), tz)
    if read.not_before is None or read.title != "_":
        raise InvalidInputError([Issue(f"`{text}` is not a moment; write e.g. 2026-12-07 08:00",
                                       field="now")])
    return read.not_before


def _part(words: str, field: str, now: datetime, cfg: Settings) -> QuickTask:
    """Read one flag's value with the line grammar (the quoted `_` stands for the title)."""
    read = parse_quick_add(f'"_" {words}', now, cfg.tz, cfg.date_order)
    if read.title != "_":
        extra = read.title.replace("_", "", 1).strip()
        raise InvalidInputError([Issue(f"`{extra}` is not understood here", field=field)])
    return read


def _flag_values(f: TaskFields, now: datetime, cfg: Settings) -> dict[str, object]:
    """The Task fields the flags set (None where they clear one)."""
    out: dict[str, object] = {}
    if f.duration is not None:
        out["duration"] = _part(f.duration, "duration", now, cfg).duration
        if out["duration"] is None:
            raise InvalidInputError([Issue(f"`{f.duration}` is not a duration; write e.g. 1h30m",
                                           field="duration")])
    if f.due is not None:
        out["due"] = None if f.due == NONE else _part(f"by {f.due}", "due", now, cfg).due
        if f.due == NONE:
            out["hard"] = False  # a hard due cleared leaves no due to be hard about
    if f.not_before is not None:
        out["not_before"] = None if f.not_before == NONE else \
            _part(f"from {f.not_before}", "from", now, cfg).not_before
    if f.split is not None:
        pair = None if f.split == NONE else _part(f"split {f.split}", "split", now, cfg).split
        out["split"] = Split(*pair) if pair else None
    for name in ("hard", "priority", "hours"):
        if getattr(f, name) is not None:
            out[name] = getattr(f, name)
    if f.category is not None:
        out["category"] = None if f.category == NONE else f.category.lstrip("#")
    if f.after is not None:
        out["after"] = () if list(f.after) == [NONE] else tuple(
            i.strip() for a in f.after for i in a.split(",") if i.strip())
    return out


def add_task(ws: Workspace, text: str, flags: TaskFields, now_text: str | None,
             task_id: str | None = None) -> tuple[Task, Understood]:
    """Read the line and the flags into a new task and store it."""
    cfg = settings(ws)
    now = moment(now_text, cfg.tz)
    read = parse_quick_add(text, now, cfg.tz, cfg.date_order)
    task = Task(task_id or "", read.title, read.duration or timedelta(0), read.due, read.hard,
                read.priority or 3, None, read.category, read.hours or "anytime",
                read.not_before, Split(*read.split) if read.split else None, read.after)
    task = replace(task, **_flag_values(flags, now, cfg))  # type: ignore[arg-type]
    if task.duration <= timedelta(0):
        raise InvalidInputError([Issue("how long will it take? add a duration such as 2h or 45m "
                                       "(or --duration 2h)", field="duration")])
    stored = use.add_task(ws, task)
    return stored, understood(stored, cfg.tz)


def edit_task(ws: Workspace, task_id: str, flags: TaskFields, title: str | None,
              new_id: str | None, now_text: str | None) -> tuple[Task, Understood]:
    cfg = settings(ws)
    now = moment(now_text, cfg.tz)
    values = _flag_values(flags, now, cfg)
    if title is not None:
        values["title"] = title
    if new_id is not None:
        values["id"] = new_id
    if not values:
        raise InvalidInputError([Issue("nothing to change: give at least one flag, e.g. "
                                       "--due 'fri 17:00'", field=task_id)])
    task = use.edit_task(ws, task_id, lambda old: replace(old, **values))  # type: ignore[arg-type]
    return task, understood(task, cfg.tz)


def understood(task: Task, tz: ZoneInfo) -> Understood:
    """Field by field, in the words of the quick-add echo, with the id first."""
    read = QuickTask(task.title, task.duration, task.due, task.hard, task.category,
                     task.priority, None if task.hours == "anytime" else task.hours,
                     (task.split.min, task.split.max) if task.split else None, task.after,
                     task.not_before)
    return [("id", task.id), *read.understood(tz)]


def find_tasks(ws: Workspace, category: str | None, status: str, due_before: str | None,
               late: bool, now_text: str | None) -> tuple[list[TaskEntry], ZoneInfo]:
    """Tasks by category, status (open/done/all), due before a moment, late in the plan."""
    if status not in ("open", "done", "all"):
        raise InvalidInputError([Issue("status is open, done or all", field="status")])
    cfg = settings(ws)
    found = use.tasks(ws, None if status == "all" else status)
    if category:
        found = [e for e in found if e.task.category == category.lstrip("#")]
    if due_before:
        limit = _part(f"by {due_before}", "due-before", moment(now_text, cfg.tz), cfg).due
        found = [e for e in found if e.task.due is not None and limit and e.task.due <= limit]
    if late:
        current = ws.plan()
        late_ids = {x.id for x in current.plan.late} if current else set()
        late_ids |= {u.id for u in current.plan.unscheduled} if current else set()
        found = [e for e in found if e.task.id in late_ids]
    return found, cfg.tz


def planned_blocks(ws: Workspace, task_id: str) -> tuple[list[Block], ZoneInfo]:
    current = ws.plan()
    blocks = [b for b in current.plan.blocks if b.kind == "task" and b.id == task_id] \
        if current else []
    return blocks, settings(ws).tz


def log_work(ws: Workspace, task_id: str, spent: str, now_text: str | None = None) -> TaskEntry:
    """Log time spent, stamped at `--now` (or the clock)."""
    cfg = settings(ws)
    with ws.read() as s:
        need_task(s, task_id)
    duration = _part(spent, "duration", datetime.now(UTC), cfg).duration
    if duration is None:
        raise InvalidInputError([Issue(f"`{spent}` is not a duration; write e.g. 45m",
                                       field="duration")])
    return use.log_work(ws, task_id, duration, moment(now_text, cfg.tz))


def set_done(ws: Workspace, task_id: str, done: bool, now_text: str | None) -> TaskEntry:
    """Mark done (stamped at `--now` or the clock) or open again."""
    return use.set_done(ws, task_id, done, moment(now_text, settings(ws).tz))
