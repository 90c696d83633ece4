"""What the workspace commands print: the add/edit echo, task lists, one task, and their JSON.

JSON datetimes are ISO 8601 with the workspace's offset, like FORMAT.md's plan.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tengnuo.cli.render import day_text, duration_text, moment_text, print_trimmed
from tengnuo.model.items import Task
from tengnuo.model.plan import Block
from tengnuo.planner.workspace import TaskEntry


def minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def iso(moment: datetime | None, tz: ZoneInfo) -> str | None:
    """ISO 8601 on the wall clock of `tz`, with its offset (the store and the model hold UTC)."""
    return None if moment is None else moment.astimezone(tz).isoformat()


def task_json(task: Task, tz: ZoneInfo,
              understood: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": task.id, "title": task.title, "duration_minutes": minutes(task.duration),
        "due": iso(task.due, tz), "hard": task.hard, "priority": task.priority,
        "category": task.category, "hours": task.hours, "not_before": iso(task.not_before, tz),
        "split": None if task.split is None else {"min_minutes": minutes(task.split.min),
                                                  "max_minutes": minutes(task.split.max)},
        "after": list(task.after),
    }
    if understood is not None:
        data["understood"] = dict(understood)
    return data


def block_json(block: Block, tz: ZoneInfo) -> dict[str, Any]:
    return {"id": block.id, "kind": block.kind, "title": block.title, "category": block.category,
            "start": iso(block.start, tz), "end": iso(block.end, tz), "chunk": block.chunk,
            "chunks": block.chunks}


def entry_json(entry: TaskEntry, tz: ZoneInfo, log: list[tuple[datetime, int]] | None = None,
               blocks: list[Block] | None = None) -> dict[str, Any]:
    data = task_json(entry.task, tz)
    data |= {"status": entry.status, "logged_minutes": minutes(entry.logged),
             "remaining_minutes": minutes(entry.remaining), "created": iso(entry.created, tz),
             "done_at": iso(entry.done_at, tz)}
    if log is not None:
        data["log"] = [{"at": iso(at, tz), "minutes": m} for at, m in log]
    if blocks is not None:
        data["blocks"] = [block_json(b, tz) for b in blocks]
    return data


def due_text(due: datetime, tz: ZoneInfo) -> str:
    """A due at local midnight is the end of the day before, as the quick-add echo says:
    `Fri 2026-12-11 24:00`, not `Sat 00:00`."""
    local = due.astimezone(tz)
    if (local.hour, local.minute) == (0, 0):
        return f"{day_text(local.date() - timedelta(days=1))} 24:00"
    return moment_text(due, tz)


def render_understood(console: Console, task: Task, understood: list[tuple[str, str]],
                      verb: str = "Added") -> None:
    """The echo: each field as it was understood, so a misreading shows at once."""
    console.print(Text(f"{verb} {task.id}", style="bold green"))
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column(style="dim")
    table.add_column()
    for name, value in understood:
        if name != "id":
            table.add_row("  " + name, Text(value))
    print_trimmed(console, table)


def render_tasks(console: Console, entries: list[TaskEntry], tz: ZoneInfo) -> None:
    if not entries:
        console.print("No tasks.", style="dim")
        return
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0))
    for column in ("id", "title", "left", "due", "category", "p"):
        table.add_column(column, style="bold" if column == "id" else None, overflow="fold")
    for e in entries:
        t = e.task
        due = "" if t.due is None else due_text(t.due, tz) + (" hard" if t.hard else "")
        left = "done" if e.status == "done" else duration_text(minutes(e.remaining))
        table.add_row(t.id, Text(t.title), left, due, t.category or "", str(t.priority))
    print_trimmed(console, table)


def render_entry(console: Console, entry: TaskEntry, log: list[tuple[datetime, int]],
                 blocks: list[Block], tz: ZoneInfo) -> None:
    t = entry.task
    console.print(Text(f"{t.id}: {t.title}", style="bold"))
    rows = [("status", entry.status), ("estimate", duration_text(minutes(t.duration))),
            ("logged", duration_text(minutes(entry.logged))),
            ("left", duration_text(minutes(entry.remaining))),
            ("due", "" if t.due is None else
             due_text(t.due, tz) + (" (hard)" if t.hard else "")),
            ("category", t.category or ""), ("priority", str(t.priority)), ("hours", t.hours),
            ("split", "" if t.split is None else
             f"{duration_text(minutes(t.split.min))}-{duration_text(minutes(t.split.max))}"),
            ("after", ", ".join(t.after)),
            ("from", "" if t.not_before is None else moment_text(t.not_before, tz))]
    for name, value in rows:
        if value:
            console.print(Text(f"  {name:<9}", style="dim") + Text(value))
    for at, spent in log:
        console.print(Text(f"  log      {moment_text(at, tz)}  {duration_text(spent)}"))
    for b in blocks:
        console.print(Text(f"  planned  {moment_text(b.start, tz)}-{b.end.astimezone(tz):%H:%M}"))
