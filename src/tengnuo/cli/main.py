"""The `tengnuo` command: parse arguments, call `tengnuo.planner`, render, exit with a status.

Each command is a thin shell around one planner call. Every error goes through one handler,
`handle_error` (todoman's `handle_error` / vdirsyncer's `handle_cli_error`): the library raises
data, this module writes the sentences. Imports typer, `tengnuo.planner`,
`tengnuo.formats.plan_json`, `tengnuo.errors`, `tengnuo.model` and `cli.render`; never the solver.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated

import typer

from tengnuo import planner
from tengnuo.cli import item_cmds, plan_cmds, render, rules_cmds, sync_cmds, task_cmds
from tengnuo.cli.progress import solve_progress
from tengnuo.cli.shell import (
    DEFAULTS,
    STATUS_EXIT,
    AppState,
    DebugOption,
    DeterministicOption,
    FileArgument,
    JsonOption,
    SeedOption,
    TimeLimitOption,
    WorkersOption,
    catch_errors,
    echo_json,
    solve_options,
)
from tengnuo.formats.plan_json import plan_to_json, valid_to_json
from tengnuo.model.plan import Status

app = typer.Typer(
    name="tengnuo",
    help=(
        "Fit your tasks, routines and limits into your week, with a plan that is provably good.\n\n"
        "Exit codes: 0 planned (optimal or feasible), 1 infeasible (a fallback plan is still "
        "printed), 2 invalid input, 74 a file could not be read or written, 70 internal error."
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,  # handle_error decides; --debug shows Python's own traceback
)


def _version_callback(value: bool) -> None:
    if value:
        try:
            typer.echo(f"tengnuo {version('tengnuo')}")
        except PackageNotFoundError:
            typer.echo("tengnuo (not installed)")
        raise typer.Exit()


@app.callback()
def _main_options(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    workspace: Annotated[
        Path | None,
        typer.Option("--workspace", envvar="TENGNUO_WORKSPACE", metavar="PATH", dir_okay=False,
                     help="The workspace file (default: workspace.db in your user data folder)."),
    ] = None,
    now: Annotated[
        str | None,
        typer.Option("--now", envvar="TENGNUO_NOW", metavar="WHEN",
                     help="Act as if it were this moment, e.g. '2026-12-07 08:00' (local time "
                          "of the workspace): to try a plan ahead of time."),
    ] = None,
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True,
                     help="Print the version and exit."),
    ] = False,
) -> None:
    """Fit your tasks, routines and limits into your week, with a plan that is provably good."""
    ctx.obj = AppState(debug=debug, workspace=workspace, now_text=now)


# ------------------------------------------------------------------------------- the commands

@app.command(epilog=(
    "Example: tengnuo plan   (the workspace, from now on)\n\n"
    "Example: tengnuo plan examples/job-hunt.yaml --time-limit 30 --ics week.ics"))
@catch_errors
def plan(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(metavar="[FILE]", show_default=False,
                       help="A YAML planning file (FORMAT.md) to plan instead of the workspace."),
    ] = None,
    as_json: JsonOption = False,
    time_limit: TimeLimitOption = None,
    workers: WorkersOption = DEFAULTS.workers,
    seed: SeedOption = DEFAULTS.seed,
    ics: Annotated[
        Path | None,
        typer.Option("--ics", metavar="OUT.ics", dir_okay=False,
                     help="Also write the planned blocks to this iCalendar file."),
    ] = None,
    deterministic: DeterministicOption = False,
    debug: DebugOption = False,
) -> None:
    """Plan the workspace from now on, or plan FILE; print the agenda, what did not fit and why.

    From now on: the past stays as it was, done tasks are left out, logged time shrinks a task,
    and a block under way stays where it is. Each plan is stored as a new version (`history`).
    """
    if file is None:
        plan_cmds.plan_workspace(ctx, as_json, time_limit, workers, seed, deterministic, ics,
                                 stable=False)
        return
    options = solve_options(DEFAULTS.time_limit_seconds if time_limit is None else time_limit,
                            workers, seed, deterministic)
    with solve_progress() as progress:
        problem, result = planner.plan_file(file, options, progress)
    if ics is not None:
        planner.write_ics(result, problem, ics)
    if as_json:
        echo_json(plan_to_json(result, problem))
    else:
        out = render.make_console()
        if result.status is Status.INFEASIBLE:
            render.render_conflicts(out, result)
        render.render_plan(out, result, problem)
        if ics is not None:
            count = len(result.blocks)
            out.print(f"Calendar written to {ics} ({count} block{'s' * (count != 1)}).",
                      markup=False, soft_wrap=True)
    raise typer.Exit(int(STATUS_EXIT[result.status]))


@app.command(epilog="Example: tengnuo check examples/job-hunt.yaml --json")
@catch_errors
def check(
    ctx: typer.Context, file: FileArgument, as_json: JsonOption = False, debug: DebugOption = False
) -> None:
    """Check FILE: list every problem with its file, line and field, or summarise a valid file."""
    problem = planner.check_file(file)
    if as_json:
        echo_json(valid_to_json(problem))
    else:
        render.render_check_summary(render.make_console(), problem)


task_cmds.register(app)
plan_cmds.register(app)
item_cmds.register(app)
rules_cmds.register(app)
sync_cmds.register(app)


def main() -> None:
    """Console-script entry point (`tengnuo = "tengnuo.cli.main:main"`)."""
    app(prog_name="tengnuo")
