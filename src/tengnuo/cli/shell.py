"""What every command shares: the global options, the one error handler, common options,
and opening the workspace.

The library raises data; `handle_error` writes the sentences (todoman's `handle_error`,
vdirsyncer's `handle_cli_error`). Imports typer, `tengnuo.planner`, `tengnuo.errors`,
`tengnuo.formats.plan_json` and `cli.render`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn, ParamSpec

import typer

from tengnuo import planner
from tengnuo.cli import render
from tengnuo.errors import ExitStatus, InvalidInputError, TengnuoError
from tengnuo.formats.plan_json import invalid_to_json
from tengnuo.model.plan import Status

P = ParamSpec("P")
DEFAULTS = planner.SolveOptions()

EXIT_INTERNAL = 70  # sysexits EX_SOFTWARE: a bug in tengnuo
EXIT_IO = int(ExitStatus.IO)  # sysexits EX_IOERR: a file could not be read or written
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
STATUS_EXIT = {
    Status.OPTIMAL: ExitStatus.OK,
    Status.FEASIBLE: ExitStatus.OK,
    Status.INFEASIBLE: ExitStatus.INFEASIBLE,
    Status.INVALID: ExitStatus.INVALID,
}


@dataclass
class AppState:
    """Options given before the command name (`tengnuo --workspace W --debug plan ...`)."""

    debug: bool = False
    workspace: Path | None = None
    now_text: str | None = None  # --now / TENGNUO_NOW, read in the workspace's zone


def state(ctx: typer.Context) -> AppState:
    obj = ctx.obj  # click hands the root's object down to every subcommand
    return obj if isinstance(obj, AppState) else AppState()


@contextmanager
def workspace(ctx: typer.Context) -> Iterator[Any]:
    """The open workspace of `--workspace` / TENGNUO_WORKSPACE / the user data folder."""
    from tengnuo.planner.workspace import open_workspace

    ws = open_workspace(state(ctx).workspace)
    try:
        yield ws
    finally:
        ws.close()


def echo_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


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
    root = getattr(kwargs.get("ctx"), "obj", None)  # typer passes its own click Context
    return bool(kwargs.get("debug")) or (isinstance(root, AppState) and root.debug)


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


FileArgument = Annotated[
    Path,
    typer.Argument(metavar="FILE", help="The YAML planning file (FORMAT.md).", show_default=False),
]
JsonOption = Annotated[
    bool,
    typer.Option("--json", help="Print JSON on stdout (FORMAT.md's contract) and nothing else."),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")]


TimeLimitOption = Annotated[
    float | None,
    typer.Option("--time-limit", metavar="SECONDS", show_default=False,
                 help="Stop solving after this long (default: 10, or the workspace's "
                      "time_limit_seconds setting)."),
]
WorkersOption = Annotated[int, typer.Option("--workers", metavar="N", help="Solver threads.")]
SeedOption = Annotated[
    int, typer.Option("--seed", metavar="N", help="Random seed (same seed, 1 worker: same plan).")
]
DeterministicOption = Annotated[
    bool,
    typer.Option("--deterministic",
                 help="Repeatable run: 1 worker, searches stop on work done, not on time."),
]


def solve_options(time_limit: float, workers: int, seed: int,
                  deterministic: bool) -> planner.SolveOptions:
    try:
        return planner.SolveOptions(time_limit_seconds=time_limit,
                                    workers=1 if deterministic else workers, seed=seed,
                                    deterministic=deterministic)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
