"""`routine`, `event`, `calendar`, `hours`, `limit`, `config`, `import`, `export`.

Each is one planner call and a rendering; errors go to the one handler in `cli.shell`. Values
are passed on as typed: the planner parses them and names the field of a bad one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.table import Table
from rich.text import Text

from tengnuo.cli import render
from tengnuo.cli.shell import DebugOption, JsonOption, catch_errors, echo_json, state, workspace
from tengnuo.model.horizon import DayRange
from tengnuo.model.items import WEEKDAY_NAMES, Event, Every, HoursProfile, Limits, Routine
from tengnuo.planner import items as use
from tengnuo.planner import quick
from tengnuo.planner.workspace import SETTING_PARSERS, set_setting, settings

Opt = typer.Option
Arg = typer.Argument
CategoryOption = Annotated[str | None, Opt("--category", "-c", help="e.g. health; 'none' "
                                                                      "removes it.")]
PriorityOption = Annotated[int | None, Opt("--priority", "-p", min=1, max=4,
                                           help="1 (highest) to 4; default 3.")]


# ------------------------------------------------------------------------- words for values


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def day_spec(days: Iterable[int]) -> str:
    """Weekdays (0 = Monday) as `mon-fri`, `mon,wed,fri` or `mon-wed,sat`."""
    runs: list[list[int]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(WEEKDAY_NAMES[r[0]] if len(r) == 1
                    else f"{WEEKDAY_NAMES[r[0]]}-{WEEKDAY_NAMES[r[-1]]}" for r in runs)


def every_text(every: Every) -> str:
    days = frozenset(every.weekdays)
    if every.per_week is not None:
        return f"{every.per_week}/week" + ("" if days == frozenset(range(7))
                                            else f" on {day_spec(days)}")
    named = {frozenset(range(7)): "day", frozenset(range(5)): "weekday",
             frozenset({5, 6}): "weekend"}
    return named.get(days) or day_spec(days)


def hours_text(profile: HoursProfile) -> str:
    """The profile in the words of `hours set`: `mon-fri 09:00-12:00, 13:00-18:00; sat ...`."""
    groups: dict[tuple[DayRange, ...], list[int]] = {}
    for day in sorted(profile.ranges):
        if profile.ranges[day]:
            groups.setdefault(tuple(profile.ranges[day]), []).append(day)
    return "; ".join(f"{day_spec(days)} {', '.join(str(r) for r in ranges)}"
                     for ranges, days in groups.items()) or "(never)"


def _table(*columns: str) -> Table:
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0))
    for column in columns:
        table.add_column(column, style="bold" if column in ("id", "name") else None,
                         overflow="fold")
    return table


def _show(rows: list[Any], empty: str, table: Callable[[], Table]) -> None:
    out = render.make_console()
    if not rows:
        out.print(empty, style="dim")
        return
    render.print_trimmed(out, table())


def _now(ctx: typer.Context, tz: ZoneInfo) -> datetime:
    return quick.moment(state(ctx).now_text, tz)


# --------------------------------------------------------------------------------- routines

routine_app = typer.Typer(help="Recurring blocks placed flexibly in a daily window.",
                          no_args_is_help=True)
RoutineId = Annotated[str, Arg(metavar="ID", help="The routine's id (see `routine list`).")]


def routine_json(item: Routine) -> dict[str, Any]:
    return {"id": item.id, "title": item.title, "duration_minutes": _minutes(item.duration),
            "every": every_text(item.every), "weekdays": sorted(item.every.weekdays),
            "per_week": item.every.per_week, "window": str(item.window),
            "category": item.category, "priority": item.priority}


def _routine_line(verb: str, item: Routine) -> None:
    typer.echo(f"{verb} {item.id}: {item.title}, {render.duration_text(_minutes(item.duration))} "
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
        t = _table("id", "title", "duration", "every", "window", "category", "p")
        for r in found:
            t.add_row(r.id, Text(r.title), render.duration_text(_minutes(r.duration)),
                      every_text(r.every), str(r.window), r.category or "", str(r.priority))
        return t

    _show(found, "No routines.", table)


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
                                   now=_now(ctx, tz))
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
        t = _table("id", "title", "when", "category")
        for e in found:
            t.add_row(e.id, Text(e.title), _span_text(e, tz), e.category or "")
        return t

    _show(found, "No events.", table)


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
    as_json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Subscribe to an .ics file: it is re-read at every plan, so keep it where it is."""
    with workspace(ctx) as ws:
        cfg = settings(ws)
        path, count, warnings = use.subscribe_calendar(ws, file, _now(ctx, cfg.tz))
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
        found = use.calendars(ws)
    if as_json:
        echo_json([{"path": p, "exists": Path(p).is_file()} for p in found])
        return
    if not found:
        render.make_console().print("No calendar files.", style="dim")
    for p in found:
        typer.echo(p if Path(p).is_file() else f"{p}  (missing)")


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


# ------------------------------------------------------------------------------------ hours

hours_app = typer.Typer(help="Named weekly hours that tasks may be placed in.",
                        no_args_is_help=True)


def hours_json(profile: HoursProfile) -> dict[str, Any]:
    return {"name": profile.name, "spec": hours_text(profile),
            "days": {WEEKDAY_NAMES[d]: [str(r) for r in profile.ranges[d]]
                     for d in sorted(profile.ranges) if profile.ranges[d]}}


@hours_app.command("set", epilog='Example: tengnuo hours set work "mon-fri 09:00-12:00, '
                                 '13:00-18:00; sat 10:00-12:00"')
@catch_errors
def hours_set(
    ctx: typer.Context,
    name: Annotated[str, Arg(metavar="NAME", help="The profile's name, e.g. work.")],
    spec: Annotated[str, Arg(metavar="SPEC", help="Days and ranges, e.g. 'mon-fri "
                                                  "09:00-12:00, 13:00-18:00; sat 10:00-12:00'.")],
    debug: DebugOption = False,
) -> None:
    """Define (or replace) an hours profile; tasks use it with --hours NAME."""
    with workspace(ctx) as ws:
        profile = use.set_hours(ws, name, spec)
    typer.echo(f"Hours {profile.name}: {hours_text(profile)}")


@hours_app.command("list", epilog="Example: tengnuo hours list --json")
@catch_errors
def hours_list(ctx: typer.Context, as_json: JsonOption = False,
               debug: DebugOption = False) -> None:
    """List the hours profiles (`anytime` is all day unless set)."""
    with workspace(ctx) as ws:
        found = list(use.hours(ws).values())
    if as_json:
        echo_json([hours_json(p) for p in found])
        return

    def table() -> Table:
        t = _table("name", "hours")
        for p in found:
            t.add_row(p.name, hours_text(p))
        return t

    _show(found, "No hours profiles (anytime: all day).", table)


@hours_app.command("rm", epilog="Example: tengnuo hours rm evenings")
@catch_errors
def hours_rm(
    ctx: typer.Context,
    name: Annotated[str, Arg(metavar="NAME", help="The profile's name.")],
    debug: DebugOption = False,
) -> None:
    """Delete an hours profile (refused while a task uses it)."""
    with workspace(ctx) as ws:
        use.remove_hours(ws, name)
    typer.echo(f"Deleted hours {name}")


# ----------------------------------------------------------------------------------- limits

limit_app = typer.Typer(help="Balance rules: a day's maximum, a buffer between blocks, and "
                             "per-category quotas.", no_args_is_help=True)


def limits_json(lim: Limits) -> dict[str, Any]:
    def m(span: timedelta | None) -> int | None:
        return None if span is None else _minutes(span)

    return {"day_max_minutes": m(lim.day_max), "buffer_minutes": _minutes(lim.buffer),
            "categories": {c: {f"{k}_minutes": m(getattr(cl, k))
                               for k in use.CATEGORY_LIMIT_NAMES}
                           for c, cl in lim.categories.items()}}


def limit_rows(lim: Limits) -> list[tuple[str, str, str]]:
    """(category or '', limit, value) of every limit set."""
    found = []
    if lim.day_max is not None:
        found.append(("", "day_max", render.duration_text(_minutes(lim.day_max))))
    if lim.buffer:
        found.append(("", "buffer", render.duration_text(_minutes(lim.buffer))))
    for category, cl in lim.categories.items():
        for name in use.CATEGORY_LIMIT_NAMES:
            value: timedelta | None = getattr(cl, name)
            if value is not None:
                found.append((category, name, render.duration_text(_minutes(value))))
    return found


@limit_app.command("set", epilog="Example: tengnuo limit set day_max 9h\n\n"
                                 "Example: tengnuo limit set buffer 15m\n\n"
                                 "Example: tengnuo limit set jobsearch week_min 12h\n\n"
                                 "Example: tengnuo limit set day_max none")
@catch_errors
def limit_set(
    ctx: typer.Context,
    words: Annotated[list[str], Arg(metavar="[CATEGORY] NAME VALUE",
                                    help="day_max or buffer and a duration; or a category, "
                                         "day_max/week_max/week_min and a duration; "
                                         "'none' clears.")],
    debug: DebugOption = False,
) -> None:
    """Set a limit, or clear it with 'none'."""
    if len(words) not in (2, 3):
        raise typer.BadParameter("give NAME VALUE or CATEGORY NAME VALUE, e.g. `day_max 9h`",
                                 param_hint="limit")
    category = words[0] if len(words) == 3 else None
    name, value = words[-2:]
    with workspace(ctx) as ws:
        use.set_limit_text(ws, name, value, category)
    where = f"{category} {name}" if category else name
    typer.echo(f"Cleared {where}" if value.strip().lower() == use.NONE else f"{where} = {value}")


@limit_app.command("list", epilog="Example: tengnuo limit list --json")
@catch_errors
def limit_list(ctx: typer.Context, as_json: JsonOption = False,
               debug: DebugOption = False) -> None:
    """List the limits set."""
    with workspace(ctx) as ws:
        lim = use.limits(ws)
    if as_json:
        echo_json(limits_json(lim))
        return
    found = limit_rows(lim)

    def table() -> Table:
        t = _table("category", "limit", "value")
        for row in found:
            t.add_row(*row)
        return t

    _show(found, "No limits.", table)


# ----------------------------------------------------------------------------------- config

config_app = typer.Typer(help="How the workspace plans: " + ", ".join(SETTING_PARSERS) + ".",
                         no_args_is_help=True)


@config_app.command("set", epilog="Example: tengnuo config set days 14\n\n"
                                  "Example: tengnuo config set timezone Europe/Berlin")
@catch_errors
def config_set(
    ctx: typer.Context,
    key: Annotated[str, Arg(metavar="KEY", help=", ".join(SETTING_PARSERS) + ".")],
    value: Annotated[str, Arg(metavar="VALUE")],
    debug: DebugOption = False,
) -> None:
    """Change a setting."""
    with workspace(ctx) as ws:
        set_setting(ws, key, value)
    typer.echo(f"{key} = {value}")


@config_app.command("list", epilog="Example: tengnuo config list --json")
@catch_errors
def config_list(ctx: typer.Context, as_json: JsonOption = False,
                debug: DebugOption = False) -> None:
    """Show every setting."""
    with workspace(ctx) as ws:
        cfg = settings(ws)
    values = asdict(cfg)
    if as_json:
        echo_json(values)
        return
    for key in SETTING_PARSERS:
        typer.echo(f"{key} = {values[key]}")


# -------------------------------------------------------------------------- import / export


@catch_errors
def import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, Arg(metavar="FILE", help="The YAML planning file (FORMAT.md).",
                              show_default=False)],
    replace_existing: Annotated[bool, Opt("--replace", help="Overwrite items whose ids are "
                                                            "already in the workspace.")]
    = False,
    as_json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Merge a planning file into the workspace, all of it or nothing; its zone, days and grid
    become the workspace's, its calendar files are subscribed to."""
    with workspace(ctx) as ws:
        done = use.import_file(ws, file, replace_existing=replace_existing)
    if as_json:
        echo_json({"tasks": done.tasks, "routines": done.routines, "events": done.events,
                   "calendars": list(done.calendars)})
        return
    typer.echo(f"Imported {file}: {done.tasks} task{'s' * (done.tasks != 1)}, "
               f"{done.routines} routine{'s' * (done.routines != 1)}, "
               f"{done.events} event{'s' * (done.events != 1)}")
    for path in done.calendars:
        typer.echo(f"Subscribed to {path}")


@catch_errors
def export(
    ctx: typer.Context,
    as_ics: Annotated[bool, Opt("--ics/--yaml", help="The newest plan as iCalendar, or the "
                                                     "workspace as a planning file (default).")]
    = False,
    out: Annotated[Path | None, Opt("--output", "-o", metavar="OUT", dir_okay=False,
                                    help="Write to this file (atomically) instead of stdout.")]
    = None,
    debug: DebugOption = False,
) -> None:
    """Write the workspace's input as a YAML planning file (open tasks with what is left of
    them), or the newest plan as an .ics file."""
    with workspace(ctx) as ws:
        if as_ics:
            data = use.export_ics(ws)
        else:
            data = use.export_yaml(ws, _now(ctx, settings(ws).tz)).encode()
    if out is None:
        typer.echo(data, nl=False)
        return
    use.write_file(out, data)
    typer.echo(f"Written to {out}", err=True)


GROUPS = (
    (routine_app, "routine", "Example: tengnuo routine add Run -d 45m --every day"),
    (event_app, "event", "Example: tengnuo event list"),
    (calendar_app, "calendar", "Example: tengnuo calendar list"),
    (hours_app, "hours", "Example: tengnuo hours list"),
    (limit_app, "limit", "Example: tengnuo limit list"),
    (config_app, "config", "Example: tengnuo config list"),
)
COMMANDS = (
    (import_cmd, "import", "Example: tengnuo import examples/job-hunt.yaml --replace"),
    (export, "export", "Example: tengnuo export --yaml -o week.yaml\n\n"
                       "Example: tengnuo export --ics -o plan.ics"),
)


def register(app: typer.Typer) -> None:
    """Attach the item commands to `app`."""
    for group, name, epilog in GROUPS:
        app.add_typer(group, name=name, epilog=epilog)
    for command, name, epilog in COMMANDS:
        app.command(name, epilog=epilog)(command)
