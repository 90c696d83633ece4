"""`routine`, `event`, `calendar`: what fills the week besides tasks.

Each is one planner call and a rendering; errors go to the one handler in `cli.shell`. Values
are passed on as typed: the planner parses them and names the field of a bad one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.table import Table
from rich.text import Text

from tengnuo.cli import render
from tengnuo.cli.item_words import (
    every_text,
    minutes_of,
    new_table,
    now_of,
    show,
)
from tengnuo.cli.shell import DebugOption, JsonOption, catch_errors, echo_json, workspace
from tengnuo.model.items import Event, Routine
from tengnuo.planner import items as use
from tengnuo.planner.workspace import settings

Opt = typer.Option
Arg = typer.Argument
CategoryOption = Annotated[str | None, Opt("--category", "-c", help="e.g. health; 'none' "
                                                                      "removes it.")]
PriorityOption = Annotated[int | None, Opt("--priority", "-p", min=1, max=4,
                                           help="1 (highest) to 4; default 3.")]


# --------------------------------------------------------------------------------- routines

routine_app = typer.Typer(help="Recurring blocks placed flexibly in a daily window.",
                          no_args_is_help=True)
RoutineId = Annotated[str, Arg(metavar="ID", help="The routine's id (see `routine list`).")]


def routine_json(item: Routine) -> dict[str, Any]:
    return {"id": item.id, "title": item.title, "duration_minutes": minutes_of(item.duration),
            "every": every_text(item.every), "weekdays": sorted(item.every.weekdays),
            "per_week": item.every.per_week, "window": str(item.window),
            "category": item.category, "priority": item.priority}


def _routine_line(verb: str, item: Routine) -> None:
    typer.echo(f"{verb} {item.id}: {item.title}, {render.duration_text(minutes_of(item.duration))} "
               f"every {every_text(item.every)} in {item.window}"
               + (f", #{item.category}" if item.category else "")
               + (f", !{item.priority}" if item.priority != 3 else ""))


@routine_app.command("add", epilog='Example: tengnuo routine add "Run by the river" '
                                   '--duration 45m --every "mon,wed,fri" --window 07:00-09:00')
@catch_errors
def routine_add(
    ctx: typer.Context,
    title: Annotated[str, Arg(metavar="TITLE", help="What the routine is.")],
    duration: Annotated[str, Opt("--duration", "-d", help="e.g. 45m, 1h30m.")],
    every: Annotated[str, Opt("--every", help="day, weekday, weekend, mon,wed,fri or 3/week.")],
    window: Annotated[str | None, Opt("--window", help="e.g. 07:00-09:00 (default: all day).")]
    = None,
    category: CategoryOption = None,
    priority: PriorityOption = None,
    routine_id: Annotated[str | None, Opt("--id", help="Choose the id (default: from the "
                                                       "title).")] = None,
    as_json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Add a routine: DURATION on the days of EVERY, somewhere in WINDOW."""
    fields = use.RoutineFields(title, duration, every, window, category, priority)
    with workspace(ctx) as ws:
        item = use.add_routine(ws, fields, routine_id)
    if as_json:
        echo_json(routine_json(item))
        return
    _routine_line("Added", item)


@routine_app.command("list", epilog="Example: tengnuo routine list --json")
@catch_errors
def routine_list(ctx: typer.Context, as_json: JsonOption = False,
                 debug: DebugOption = False) -> None:
    """List the routines."""
    with workspace(ctx) as ws:
        found = use.routines(ws)
    if as_json:
        echo_json([routine_json(r) for r in found])
        return

    def table() -> Table:
        t = new_table("id", "title", "duration", "every", "window", "category", "p")
        for r in found:
            t.add_row(r.id, Text(r.title), render.duration_text(minutes_of(r.duration)),
                      every_text(r.every), str(r.window), r.category or "", str(r.priority))
        return t

    show(found, "No routines.", table)


@routine_app.command("edit", epilog="Example: tengnuo routine edit run --window 06:30-08:30 "
                                    "--every weekday")
@catch_errors
def routine_edit(
    ctx: typer.Context,
    routine_id: RoutineId,
    title: Annotated[str | None, Opt("--title")] = None,
    duration: Annotated[str | None, Opt("--duration", "-d")] = None,
    every: Annotated[str | None, Opt("--every")] = None,
    window: Annotated[str | None, Opt("--window")] = None,
    category: CategoryOption = None,
    priority: PriorityOption = None,
    as_json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Change some fields of a routine; the others stay as they are."""
    fields = use.RoutineFields(title, duration, every, window, category, priority)
    with workspace(ctx) as ws:
        item = use.edit_routine(ws, routine_id, fields)
    if as_json:
        echo_json(routine_json(item))
        return
    _routine_line("Changed", item)


@routine_app.command("rm", epilog="Example: tengnuo routine rm run --yes")
@catch_errors
def routine_rm(
    ctx: typer.Context, routine_id: RoutineId,
    yes: Annotated[bool, Opt("--yes", "-y", help="Do not ask.")] = False,
    debug: DebugOption = False,
) -> None:
    """Delete a routine. Asks first unless --yes."""
    with workspace(ctx) as ws:
        item = use.routine(ws, routine_id)
        if not yes and not typer.confirm(f"Delete routine {item.id} ({item.title})?"):
            raise typer.Exit(1)
        use.remove_item(ws, "routine", routine_id)
    typer.echo(f"Deleted routine {routine_id}")


# ----------------------------------------------------------------------------------- events

event_app = typer.Typer(help="Fixed appointments typed in (calendar files: `calendar`).",
                        no_args_is_help=True)


def event_json(event: Event, tz: ZoneInfo) -> dict[str, Any]:
    return {"id": event.id, "title": event.title,
            "start": event.start.astimezone(tz).isoformat(),
            "end": event.end.astimezone(tz).isoformat(), "category": event.category}


def _span_text(event: Event, tz: ZoneInfo) -> str:
    start, end = event.start.astimezone(tz), event.end.astimezone(tz)
    tail = f"{end:%H:%M}" if end.date() == start.date() else render.moment_text(event.end, tz)
    return f"{render.moment_text(event.start, tz)}-{tail}"


@event_app.command("add", epilog='Example: tengnuo event add "Acme interview" '
                                 '--start "2026-12-09 14:00" --end "2026-12-09 15:30"\n\n'
                                 'Example: tengnuo event add "Dentist" --start "wed 14:00" '
                                 '--end 15:00')
@catch_errors
def event_add(
    ctx: typer.Context,
    title: Annotated[str, Arg(metavar="TITLE", help="What the appointment is.")],
    start: Annotated[str, Opt("--start", help="e.g. '2026-12-09 14:00' or 'wed 14:00' "
                                              "(the workspace's zone).")],
    end: Annotated[str, Opt("--end", help="e.g. '2026-12-09 15:30', or 15:30 on the start's "
                                          "day.")],
    category: Annotated[str | None, Opt("--category", "-c")] = None,
    event_id: Annotated[str | None, Opt("--id", help="Choose the id (default: from the "
                                                     "title).")] = None,
    as_json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Add a fixed appointment: it blocks its time in every plan."""
    with workspace(ctx) as ws:
        tz = settings(ws).tz
        event = use.add_event_from(ws, title, start, end, category=category, event_id=event_id,
                                   now=now_of(ctx, tz))
    if as_json:
        echo_json(event_json(event, tz))
        return
    typer.echo(f"Added {event.id}: {event.title}, {_span_text(event, tz)}"
               + (f", #{event.category}" if event.category else ""))


@event_app.command("list", epilog="Example: tengnuo event list --json")
@catch_errors
def event_list(ctx: typer.Context, as_json: JsonOption = False,
               debug: DebugOption = False) -> None:
    """List the events typed in (not those of calendar files)."""
    with workspace(ctx) as ws:
        tz = settings(ws).tz
        found = use.events(ws)
    if as_json:
        echo_json([event_json(e, tz) for e in found])
        return

    def table() -> Table:
        t = new_table("id", "title", "when", "category")
        for e in found:
            t.add_row(e.id, Text(e.title), _span_text(e, tz), e.category or "")
        return t

    show(found, "No events.", table)


@event_app.command("rm", epilog="Example: tengnuo event rm acme-interview")
@catch_errors
def event_rm(
    ctx: typer.Context,
    event_id: Annotated[str, Arg(metavar="ID", help="The event's id (see `event list`).")],
    debug: DebugOption = False,
) -> None:
    """Delete an event."""
    with workspace(ctx) as ws:
        use.remove_item(ws, "event", event_id)
    typer.echo(f"Deleted event {event_id}")


# -------------------------------------------------------------------------------- calendars

calendar_app = typer.Typer(help="Calendar files (.ics) whose events block time; re-read at "
                                "every plan.", no_args_is_help=True)


@calendar_app.command("add", epilog="Example: tengnuo calendar add ~/calendars/personal.ics")
@catch_errors
def calendar_add(
    ctx: typer.Context,
    file: Annotated[Path, Arg(metavar="FILE.ics", help="An iCalendar file.",
                              show_default=False)],
    all_day_free: Annotated[bool, Opt("--all-day-free",
                                      help="All-day events here do not block time.")] = False,
    me: Annotated[list[str] | None, Opt("--me", help="Your address in invitations; ones you "
                                                     "declined do not block time.")] = None,
    as_json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Subscribe to an .ics file: it is re-read at every plan, so keep it where it is.

    All-day events block time unless marked free in the file or --all-day-free is given.
    Adding a file again changes its options.
    """
    with workspace(ctx) as ws:
        cfg = settings(ws)
        path, count, warnings = use.subscribe_calendar(ws, file, now_of(ctx, cfg.tz),
                                                       all_day_free=all_day_free,
                                                       me=tuple(me or ()))
    if as_json:
        echo_json({"path": str(path), "events": count, "days": cfg.days,
                   "warnings": [str(w) for w in warnings]})
        return
    typer.echo(f"Subscribed to {path}: {count} event{'s' * (count != 1)} in the coming "
               f"{cfg.days} days")
    if warnings:
        err = render.make_console(stderr=True)
        err.print(f"{len(warnings)} part{'s' * (len(warnings) != 1)} of it not used:",
                  style="yellow", markup=False)
        render.render_issues(err, warnings)


@calendar_app.command("list", epilog="Example: tengnuo calendar list --json")
@catch_errors
def calendar_list(ctx: typer.Context, as_json: JsonOption = False,
                  debug: DebugOption = False) -> None:
    """List the calendar files subscribed to (a missing one is marked)."""
    with workspace(ctx) as ws:
        found = use.calendar_files(ws)
    if as_json:
        echo_json([{"path": f.path, "exists": Path(f.path).is_file(),
                    "all_day_free": f.all_day_free, "me": list(f.own_addresses)}
                   for f in found])
        return
    if not found:
        render.make_console().print("No calendar files.", style="dim")
    for f in found:
        notes = [n for n, on in (("missing", not Path(f.path).is_file()),
                                 ("all-day events free", f.all_day_free),
                                 (f"me: {', '.join(f.own_addresses)}", bool(f.own_addresses)))
                 if on]
        typer.echo(f.path + (f"  ({'; '.join(notes)})" if notes else ""))


@calendar_app.command("rm", epilog="Example: tengnuo calendar rm ~/calendars/personal.ics")
@catch_errors
def calendar_rm(
    ctx: typer.Context,
    file: Annotated[str, Arg(metavar="FILE", help="The file as `calendar list` shows it.")],
    debug: DebugOption = False,
) -> None:
    """Stop using a calendar file (the file itself is left alone)."""
    with workspace(ctx) as ws:
        use.remove_calendar(ws, file)
    typer.echo(f"No longer using {file}")


GROUPS = (
    (routine_app, "routine", "Example: tengnuo routine add Run -d 45m --every day"),
    (event_app, "event", "Example: tengnuo event list"),
    (calendar_app, "calendar", "Example: tengnuo calendar list"),
)


def register(app: typer.Typer) -> None:
    """Attach the item commands to `app`."""
    for group, name, epilog in GROUPS:
        app.add_typer(group, name=name, epilog=epilog)
