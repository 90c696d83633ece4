"""`hours`, `limit`, `config`, `import`, `export`: the rules of the week and the workspace
as a file.

Each is one planner call and a rendering; errors go to the one handler in `cli.shell`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from tengnuo.cli import render
from tengnuo.cli.item_words import (
    hours_text,
    minutes_of,
    new_table,
    now_of,
    show,
)
from tengnuo.cli.shell import DebugOption, JsonOption, catch_errors, echo_json, workspace
from tengnuo.model.items import WEEKDAY_NAMES, HoursProfile, Limits
from tengnuo.planner import items as use
from tengnuo.planner.workspace import SETTING_PARSERS, set_setting, settings

Opt = typer.Option
Arg = typer.Argument


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
        t = new_table("name", "hours")
        for p in found:
            t.add_row(p.name, hours_text(p))
        return t

    show(found, "No hours profiles (anytime: all day).", table)


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
        return None if span is None else minutes_of(span)

    return {"day_max_minutes": m(lim.day_max), "buffer_minutes": minutes_of(lim.buffer),
            "categories": {c: {f"{k}_minutes": m(getattr(cl, k))
                               for k in use.CATEGORY_LIMIT_NAMES}
                           for c, cl in lim.categories.items()}}


def limit_rows(lim: Limits) -> list[tuple[str, str, str]]:
    """(category or '', limit, value) of every limit set."""
    found = []
    if lim.day_max is not None:
        found.append(("", "day_max", render.duration_text(minutes_of(lim.day_max))))
    if lim.buffer:
        found.append(("", "buffer", render.duration_text(minutes_of(lim.buffer))))
    for category, cl in lim.categories.items():
        for name in use.CATEGORY_LIMIT_NAMES:
            value: timedelta | None = getattr(cl, name)
            if value is not None:
                found.append((category, name, render.duration_text(minutes_of(value))))
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
        t = new_table("category", "limit", "value")
        for row in found:
            t.add_row(*row)
        return t

    show(found, "No limits.", table)


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
            data = use.export_yaml(ws, now_of(ctx, settings(ws).tz)).encode()
    if out is None:
        typer.echo(data, nl=False)
        return
    use.write_file(out, data)
    typer.echo(f"Written to {out}", err=True)


GROUPS = (
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
    """Attach the rule and file commands to `app`."""
    for group, name, epilog in GROUPS:
        app.add_typer(group, name=name, epilog=epilog)
    for command, name, epilog in COMMANDS:
        app.command(name, epilog=epilog)(command)
