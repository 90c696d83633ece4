"""`init`, `add`, `list`, `show`, `edit`, `done`, `rm`, `log`: the everyday task commands.

Each is one planner call and a rendering; errors go to the one handler in `cli.shell`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tengnuo.cli import render, views
from tengnuo.cli.shell import DebugOption, JsonOption, catch_errors, echo_json, state, workspace
from tengnuo.planner import quick
from tengnuo.planner import workspace as use

IdArgument = Annotated[str, typer.Argument(metavar="ID", help="The task's id (see `list`).")]
Opt = typer.Option


def fields(duration: str | None, due: str | None, hard: bool | None, category: str | None,
           priority: int | None, hours: str | None, split: str | None,
           after: list[str] | None, not_before: str | None) -> quick.TaskFields:
    """The structured flags shared by `add` and `edit`, as typed."""
    return quick.TaskFields(duration=duration, due=due, hard=hard, category=category,
                            priority=priority, hours=hours, split=split,
                            after=tuple(after) if after is not None else None,
                            not_before=not_before)


@catch_errors
def init(
    ctx: typer.Context,
    timezone: Annotated[str | None, Opt("--timezone", help="IANA zone, e.g. Asia/Shanghai "
                                                           "(default: this machine's).")] = None,
    debug: DebugOption = False,
) -> None:
    """Create the workspace (one SQLite file you own), or show where it is."""
    path, created, cfg = use.init(state(ctx).workspace, timezone)
    verb = "Created" if created else "Already there:"
    typer.echo(f"{verb} {path} (timezone {cfg.timezone}, plans {cfg.days} days ahead)")


@catch_errors
def add(
    ctx: typer.Context,
    text: Annotated[list[str], typer.Argument(metavar="TEXT", help="The task in your words.")],
    duration: Annotated[str | None, Opt("--duration", "-d", help="e.g. 3h, 45m.")] = None,
    due: Annotated[str | None, Opt("--due", help="e.g. 'fri 17:00'.")] = None,
    hard: Annotated[bool | None, Opt("--hard/--soft", show_default=False)] = None,
    category: Annotated[str | None, Opt("--category", "-c")] = None,
    priority: Annotated[int | None, Opt("--priority", "-p", min=1, max=4)] = None,
    hours: Annotated[str | None, Opt("--hours")] = None,
    split: Annotated[str | None, Opt("--split")] = None,
    after: Annotated[list[str] | None, Opt("--after")] = None,
    not_before: Annotated[str | None, Opt("--from")] = None,
    task_id: Annotated[str | None, Opt("--id", help="Choose the id (default: from the title).")]
    = None,
    as_json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Add a task from one line; it echoes how it understood each field."""
    flags = fields(duration, due, hard, category, priority, hours, split, after, not_before)
    with workspace(ctx) as ws:
        task, understood = quick.add_task(ws, " ".join(text), flags, state(ctx).now_text,
                                          task_id)
        tz = use.settings(ws).tz
    if as_json:
        echo_json(views.task_json(task, tz, understood))
        return
    views.render_understood(render.make_console(), task, understood)


@catch_errors
def list_tasks(
    ctx: typer.Context,
    category: Annotated[str | None, Opt("--category", "-c")] = None,
    status: Annotated[str, Opt("--status", help="open, done or all.")] = "open",
    due_before: Annotated[str | None, Opt("--due-before", help="e.g. fri, 2026-12-09.")] = None,
    late: Annotated[bool, Opt("--late", help="Only tasks late in the current plan.")] = False,
    as_json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """List tasks, with what is left of each and its due."""
    with workspace(ctx) as ws:
        found, tz = quick.find_tasks(ws, category, status, due_before, late,
                                     state(ctx).now_text)
    if as_json:
        echo_json([views.entry_json(e, tz) for e in found])
        return
    views.render_tasks(render.make_console(), found, tz)


@catch_errors
def show(ctx: typer.Context, task_id: IdArgument, as_json: JsonOption = False,
         debug: DebugOption = False) -> None:
    """Show one task: every field, the time logged and where the current plan puts it."""
    with workspace(ctx) as ws:
        entry, log = use.task_entry(ws, task_id)
        blocks, tz = quick.planned_blocks(ws, task_id)
    if as_json:
        echo_json(views.entry_json(entry, tz, log, blocks))
        return
    views.render_entry(render.make_console(), entry, log, blocks, tz)


@catch_errors
def edit(
    ctx: typer.Context,
    task_id: IdArgument,
    title: Annotated[str | None, Opt("--title")] = None,
    duration: Annotated[str | None, Opt("--duration", "-d")] = None,
    due: Annotated[str | None, Opt("--due", help="A new due; 'none' removes it.")] = None,
    hard: Annotated[bool | None, Opt("--hard/--soft", show_default=False)] = None,
    category: Annotated[str | None, Opt("--category", "-c", help="'none' removes it.")] = None,
    priority: Annotated[int | None, Opt("--priority", "-p", min=1, max=4)] = None,
    hours: Annotated[str | None, Opt("--hours")] = None,
    split: Annotated[str | None, Opt("--split", help="'none' removes it.")] = None,
    after: Annotated[list[str] | None, Opt("--after", help="Replaces the list; 'none' clears.")]
    = None,
    not_before: Annotated[str | None, Opt("--from", help="'none' removes it.")] = None,
    new_id: Annotated[str | None, Opt("--id", help="Rename the task.")] = None,
    as_json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Change some fields of a task; the others stay as they are."""
    flags = fields(duration, due, hard, category, priority, hours, split, after, not_before)
    with workspace(ctx) as ws:
        task, understood = quick.edit_task(ws, task_id, flags, title, new_id,
                                           state(ctx).now_text)
        tz = use.settings(ws).tz
    if as_json:
        echo_json(views.task_json(task, tz, understood))
        return
    views.render_understood(render.make_console(), task, understood, verb="Changed")


@catch_errors
def done(
    ctx: typer.Context, task_id: IdArgument,
    undo: Annotated[bool, Opt("--undo", help="Open the task again.")] = False,
    debug: DebugOption = False,
) -> None:
    """Mark a task done: it leaves every later plan."""
    with workspace(ctx) as ws:
        entry = quick.set_done(ws, task_id, not undo, state(ctx).now_text)
    typer.echo(f"{'Reopened' if undo else 'Done'}: {entry.task.id} ({entry.task.title})")


@catch_errors
def rm(
    ctx: typer.Context, task_id: IdArgument,
    yes: Annotated[bool, Opt("--yes", "-y", help="Do not ask.")] = False,
    debug: DebugOption = False,
) -> None:
    """Delete a task (and the `after` references to it). Asks first unless --yes."""
    with workspace(ctx) as ws:
        entry, _log = use.task_entry(ws, task_id)
        if not yes and not typer.confirm(f"Delete {task_id} ({entry.task.title})?"):
            raise typer.Exit(1)
        freed = use.remove_task(ws, task_id)
    typer.echo(f"Deleted {task_id}" + (f"; no longer waiting for it: {', '.join(freed)}"
                                       if freed else ""))


@catch_errors
def log(
    ctx: typer.Context, task_id: IdArgument,
    spent: Annotated[str, typer.Argument(metavar="DURATION", help="Time spent, e.g. 45m.")],
    debug: DebugOption = False,
) -> None:
    """Record time actually spent on a task; what is left of it shrinks."""
    with workspace(ctx) as ws:
        entry = quick.log_work(ws, task_id, spent, state(ctx).now_text)
    typer.echo(f"Logged {spent} on {task_id}: {render.duration_text(views.minutes(entry.logged))}"
               f" spent, {render.duration_text(views.minutes(entry.remaining))} left")


COMMANDS = (
    (init, "init", "Example: tengnuo init --timezone Asia/Shanghai"),
    (add, "add", 'Example: tengnuo add "Prepare Acme interview 3h by wed 13:00 hard #jobsearch '
                 '!1 split 45m-2h after cv-update"\n\n'
                 'Example: tengnuo add "准备 Acme 系统设计面试 3小时 周三13:00前 #jobsearch !1"'),
    (list_tasks, "list", "Example: tengnuo list --category jobsearch --due-before fri --json"),
    (show, "show", "Example: tengnuo show acme-prep"),
    (edit, "edit", "Example: tengnuo edit acme-prep --due 'thu 12:00' --priority 1"),
    (done, "done", "Example: tengnuo done cv-update"),
    (rm, "rm", "Example: tengnuo rm old-idea --yes"),
    (log, "log", "Example: tengnuo log acme-prep 45m"),
)


def register(app: typer.Typer) -> None:
    for command, name, epilog in COMMANDS:
        app.command(name, epilog=epilog)(command)
