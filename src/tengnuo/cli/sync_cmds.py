"""`account`, `subscribe`, `unsubscribe`, `publish`, `sync`: calendars on CalDAV servers.

Passwords are asked for without echo (or read from stdin with --password-stdin), stored in the
OS keyring or a 0600 file by the planner, and never printed.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from tengnuo.cli import render
from tengnuo.cli.shell import (
    EXIT_IO,
    DebugOption,
    JsonOption,
    catch_errors,
    echo_json,
    state,
    workspace,
)
from tengnuo.planner import calendars as use
from tengnuo.planner import quick
from tengnuo.planner.workspace import settings

Opt = typer.Option
Arg = typer.Argument
AccountArg = Annotated[str, Arg(metavar="ACCOUNT", help="The account's name (see `account "
                                                        "list`).")]

account_app = typer.Typer(help="CalDAV accounts (Radicale, Nextcloud, Fastmail, iCloud, ...).",
                          no_args_is_help=True)


@account_app.command("add", epilog="Example: tengnuo account add home "
                                   "https://dav.example.com/ --user alice")
@catch_errors
def account_add(
    ctx: typer.Context,
    name: Annotated[str, Arg(metavar="NAME", help="A short name for the account.")],
    url: Annotated[str, Arg(metavar="URL", help="The server's CalDAV address.")],
    user: Annotated[str | None, Opt("--user", "-u", help="The login name.")] = None,
    password_stdin: Annotated[bool, Opt("--password-stdin",
                                        help="Read the password from stdin (for scripts).")]
    = False,
    debug: DebugOption = False,
) -> None:
    """Add a calendar server; the password goes to the OS keyring or a 0600 file."""
    password = None
    if user:
        password = sys.stdin.readline().rstrip("\n") if password_stdin else \
            typer.prompt("Password", hide_input=True, default="", show_default=False)
    with workspace(ctx) as ws:
        account, where = use.add_account(ws, name, url, user, password or None)
    typer.echo(f"Added account {account.name} ({account.url})"
               + (f"; password kept in {where}" if where else ""))


@account_app.command("list", epilog="Example: tengnuo account list --json")
@catch_errors
def account_list(ctx: typer.Context, as_json: JsonOption = False,
                 debug: DebugOption = False) -> None:
    """Accounts and the calendars this workspace uses on them."""
    with workspace(ctx) as ws:
        accounts, cals = use.accounts(ws), use.remote_calendars(ws)
    if as_json:
        echo_json([{"name": a.name, "url": a.url, "user": a.username,
                    "calendars": [_calendar_json(c) for c in cals if c.account == a.name]}
                   for a in accounts])
        return
    out = render.make_console()
    if not accounts:
        out.print("No accounts: add one with `tengnuo account add`.", style="dim")
    for a in accounts:
        out.print(Text(a.name, style="bold").append(f"  {a.url}", style="")
                  .append(f"  {a.username or ''}", style="dim"))
        for c in (c for c in cals if c.account == a.name):
            synced = c.synced.astimezone().strftime("%Y-%m-%d %H:%M") if c.synced else "never"
            out.print(f"  {c.id}  ({c.role}; synced {synced})", markup=False)


def _calendar_json(cal: use.RemoteCalendar) -> dict[str, Any]:
    return {"id": cal.id, "url": cal.url, "role": cal.role, "all_day_free": cal.all_day_free,
            "me": list(cal.own_addresses),
            "synced": cal.synced.isoformat() if cal.synced else None}


@account_app.command("rm", epilog="Example: tengnuo account rm home --yes")
@catch_errors
def account_rm(ctx: typer.Context, name: AccountArg,
               yes: Annotated[bool, Opt("--yes", "-y", help="Do not ask.")] = False,
               debug: DebugOption = False) -> None:
    """Forget an account, its calendars here and its password (nothing on the server)."""
    if not yes and not typer.confirm(f"Forget account {name}?"):
        raise typer.Exit(1)
    with workspace(ctx) as ws:
        use.remove_account(ws, name)
    typer.echo(f"Forgot account {name}")


@account_app.command("calendars", epilog="Example: tengnuo account calendars home")
@catch_errors
def account_calendars(ctx: typer.Context, name: AccountArg, as_json: JsonOption = False,
                      debug: DebugOption = False) -> None:
    """The calendars and task lists on the account's server."""
    with workspace(ctx) as ws:
        found = use.server_calendars(ws, name)
    if as_json:
        echo_json([{"name": n, "url": u, "components": list(c)} for n, u, c in found])
        return
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0))
    for column in ("name", "holds", "url"):
        table.add_column(column)
    for n, u, c in found:
        table.add_row(Text(n), ", ".join(c), Text(u))
    render.print_trimmed(render.make_console(), table)


@catch_errors
def subscribe(
    ctx: typer.Context,
    account: AccountArg,
    calendar: Annotated[str, Arg(metavar="CALENDAR", help="Its name or URL (see `account "
                                                          "calendars`).")],
    tasks: Annotated[bool, Opt("--tasks", help="A task list: its to-dos become tasks, "
                                               "kept in step both ways.")] = False,
    all_day_free: Annotated[bool, Opt("--all-day-free",
                                      help="All-day events here do not block time.")] = False,
    me: Annotated[list[str] | None, Opt("--me", help="Your address in invitations; ones you "
                                                     "declined do not block time.")] = None,
    debug: DebugOption = False,
) -> None:
    """Use a server calendar: its events block time (or, with --tasks, its to-dos are tasks)."""
    with workspace(ctx) as ws:
        cal = use.subscribe(ws, account, calendar, "tasks" if tasks else "events",
                            all_day_free=all_day_free, me=tuple(me or ()))
    typer.echo(f"Subscribed to {cal.id} ({cal.role}); `tengnuo sync` fetches it")


@catch_errors
def unsubscribe(ctx: typer.Context,
                calendar: Annotated[str, Arg(metavar="ID", help="See `account list`.")],
                debug: DebugOption = False) -> None:
    """Stop using a server calendar (nothing on the server changes)."""
    with workspace(ctx) as ws:
        use.unsubscribe(ws, calendar)
    typer.echo(f"Unsubscribed from {calendar}")


@catch_errors
def publish(ctx: typer.Context, account: AccountArg,
            name: Annotated[str, Arg(metavar="NAME", help="The calendar for the plan.")],
            debug: DebugOption = False) -> None:
    """Write the plan into the calendar NAME (created when missing) at every sync."""
    with workspace(ctx) as ws:
        cal = use.publish(ws, account, name)
    typer.echo(f"The plan goes to {cal.id} ({cal.url}) at every `tengnuo sync`")


@catch_errors
def sync(
    ctx: typer.Context,
    force: Annotated[bool, Opt("--force", help="Sync even when a server calendar lost most of "
                                               "its items since the last sync.")] = False,
    as_json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Fetch subscribed calendars, sync task lists both ways, write the plan; show the changes."""
    with workspace(ctx) as ws:
        now = quick.moment(state(ctx).now_text, settings(ws).tz)
        results = use.sync_all(ws, now, force=force)
    if as_json:
        echo_json([_result_json(r) for r in results])
    else:
        _render_results(results)
    if any(r.error for r in results):
        raise typer.Exit(EXIT_IO)


def _result_json(r: use.CalendarSync) -> dict[str, Any]:
    return {"calendar": r.calendar.id, "role": r.calendar.role, "error": r.error,
            "pulled": None if r.pulled is None else dict(zip(("added", "changed", "removed"),
                                                             r.pulled, strict=True)),
            "changes": [{"side": c.side, "action": c.action, "uid": c.uid}
                        for c in r.report.changes],
            "left_as_edited": r.report.conflicts, "retry_later": r.report.skipped}


def _render_results(results: list[use.CalendarSync]) -> None:
    out = render.make_console()
    if not results:
        out.print("Nothing to sync: `tengnuo subscribe` or `tengnuo publish` first.", style="dim")
    for r in results:
        line = Text(f"{r.calendar.id} ({r.calendar.role}): ", style="bold")
        if r.error:
            out.print(line.append(r.error, style="red"), soft_wrap=True)
            continue
        out.print(line.append(use.summary(r)), soft_wrap=True)


COMMANDS = (
    (subscribe, "subscribe", "Example: tengnuo subscribe home Work --me alice@example.com"),
    (unsubscribe, "unsubscribe", "Example: tengnuo unsubscribe home/Work"),
    (publish, "publish", "Example: tengnuo publish home tengnuo"),
    (sync, "sync", "Example: tengnuo sync"),
)


def register(app: typer.Typer) -> None:
    app.add_typer(account_app, name="account", epilog="Example: tengnuo account add home "
                                                      "https://dav.example.com/ --user alice")
    for command, name, epilog in COMMANDS:
        app.command(name, epilog=epilog)(command)
