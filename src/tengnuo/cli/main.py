"""The `tengnuo` command: parse arguments, call `tengnuo.planner`, render, exit with a status.

Each command is a thin shell around one planner call. Every error goes through one handler,
`handle_error` (todoman's `handle_error` / vdirsyncer's `handle_cli_error`): the library raises
data, this module writes the sentences. Imports typer, `tengnuo.planner`,
`tengnuo.formats.plan_json`, `tengnuo.errors`, `tengnuo.model` and `cli.render`; never the solver.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any, NoReturn, ParamSpec

import typer

from tengnuo import planner
from tengnuo.cli import render
from tengnuo.cli.progress import solve_progress
from tengnuo.errors import ExitStatus, InvalidInputError, TengnuoError
from tengnuo.formats.plan_json import invalid_to_json, plan_to_json, valid_to_json
from tengnuo.model.plan import Status

EXIT_INTERNAL = 70  # sysexits EX_SOFTWARE: a bug in tengnuo
EXIT_IO = 74  # sysexits EX_IOERR: a file could not be read or written
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
STATUS_EXIT = {
    Status.OPTIMAL: ExitStatus.OK,
    Status.FEASIBLE: ExitStatus.OK,
    Status.INFEASIBLE: ExitStatus.INFEASIBLE,
    Status.INVALID: ExitStatus.INVALID,
}
DEFAULTS = planner.SolveOptions()

P = ParamSpec("P")

app = typer.Typer(
    name="tengnuo",
    help=(
        "Fit your tasks, routines and limits into your week, with a plan that is provably good.\n\n"
        "Exit codes: 0 planned (optimal or feasible), 1 infeasible (a fallback plan is still "
        "printed), 2 invalid input, 74 a file could not be read or written, 70 internal error."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # handle_error decides; --debug shows Python's own traceback
)


@dataclass
class AppState:
    """Options given before the command name (`tengnuo --debug plan ...`)."""

    debug: bool = False


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
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True,
                     help="Print the version and exit."),
    ] = False,
) -> None:
    """Fit your tasks, routines and limits into your week, with a plan that is provably good."""
    ctx.obj = AppState(debug=debug)


# ------------------------------------------------------------------------- the error handler


def handle_error(error: BaseException, *, as_json: bool = False) -> NoReturn:
    """Say what went wrong, where and what to do, and exit with the error's status.

    Args:
        error: anything a command raised (typer's own control-flow exceptions excepted).
        as_json: the command was asked for JSON; invalid input is then answered on stdout.
    """
    err = render.make_console(stderr=True)
    if isinstance(error, InvalidInputError):
        if as_json:
            typer.echo(json.dumps(invalid_to_json(error.issues), indent=2, ensure_ascii=False))
        else:
            err.print(f"invalid input ({len(error.issues)} problems):" if len(error.issues) > 1
                      else "invalid input:", style="bold red", markup=False)
            render.render_issues(err, error.issues)
        raise typer.Exit(int(error.exit_status))
    code, message = _describe(error)
    err.print(message, style="bold red", markup=False, soft_wrap=True)
    raise typer.Exit(code)


def _describe(error: BaseException) -> tuple[int, str]:
    """Exit code and sentence for an error other than invalid input."""
    if isinstance(error, TengnuoError):
        return int(error.exit_status), f"error: {error}"
    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "interrupted"
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        return EXIT_IO, f"error: cannot use{where}: {error.strerror or error}"
    name = type(error).__name__
    return EXIT_INTERNAL, (
        f"internal error: {name}: {error}\n"
        "This is a bug in tengnuo. Run the command again with --debug for the traceback."
    )


def _debug_requested(kwargs: dict[str, Any]) -> bool:
    """--debug given to the command, or to `tengnuo` before the command's name."""
    state = getattr(kwargs.get("ctx"), "obj", None)  # typer passes its own click Context
    return bool(kwargs.get("debug")) or (isinstance(state, AppState) and state.debug)


def catch_errors(command: Callable[P, None]) -> Callable[P, None]:
    """Route every error a command raises to `handle_error` (re-raised as is with --debug)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # typer's own control flow: exit codes and usage errors
        except (Exception, KeyboardInterrupt) as error:
            if _debug_requested(kwargs):
                raise
            handle_error(error, as_json=bool(kwargs.get("as_json")))

    return wrapper


# ------------------------------------------------------------------------------- the commands

FileArgument = Annotated[
    Path,
    typer.Argument(metavar="FILE", help="The YAML planning file (FORMAT.md).", show_default=False),
]
JsonOption = Annotated[
    bool,
    typer.Option("--json", help="Print JSON on stdout (FORMAT.md's contract) and nothing else."),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")]


@app.command(epilog="Example: tengnuo plan examples/job-hunt.yaml --time-limit 30 --ics week.ics")
@catch_errors
def plan(
    ctx: typer.Context,
    file: FileArgument,
    as_json: JsonOption = False,
    time_limit: Annotated[
        float, typer.Option("--time-limit", metavar="SECONDS", help="Stop solving after this long.")
    ] = DEFAULTS.time_limit_seconds,
    workers: Annotated[
        int, typer.Option("--workers", metavar="N", help="Solver threads.")
    ] = DEFAULTS.workers,
    seed: Annotated[
        int,
        typer.Option("--seed", metavar="N", help="Random seed (same seed, 1 worker: same plan)."),
    ] = DEFAULTS.seed,
    ics: Annotated[
        Path | None,
        typer.Option("--ics", metavar="OUT.ics", dir_okay=False,
                     help="Also write the planned blocks to this iCalendar file."),
    ] = None,
    deterministic: Annotated[
        bool,
        typer.Option("--deterministic",
                     help="Repeatable run: 1 worker, searches stop on work done, not on time."),
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Plan FILE: print the agenda day by day, what did not fit and why, and the cost."""
    options = _solve_options(time_limit, 1 if deterministic else workers, seed, deterministic)
    with solve_progress() as progress:
        problem, result = planner.plan_file(file, options, progress)
    if ics is not None:
        planner.write_ics(result, problem, ics)
    if as_json:
        typer.echo(json.dumps(plan_to_json(result, problem), indent=2, ensure_ascii=False))
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


def _solve_options(
    time_limit: float, workers: int, seed: int, deterministic: bool
) -> planner.SolveOptions:
    try:
        return planner.SolveOptions(time_limit_seconds=time_limit, workers=workers, seed=seed,
                                    deterministic=deterministic)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error


@app.command(epilog="Example: tengnuo check examples/job-hunt.yaml --json")
@catch_errors
def check(
    ctx: typer.Context, file: FileArgument, as_json: JsonOption = False, debug: DebugOption = False
) -> None:
    """Check FILE: list every problem with its file, line and field, or summarise a valid file."""
    problem = planner.check_file(file)
    if as_json:
        typer.echo(json.dumps(valid_to_json(problem), indent=2, ensure_ascii=False))
    else:
        render.render_check_summary(render.make_console(), problem)


def main() -> None:
    """Console-script entry point (`tengnuo = "tengnuo.cli.main:main"`)."""
    app(prog_name="tengnuo")
