"""`plan` (of the workspace), `replan`, `today`, `week`, `next`, `history`, `diff`, `demo`.

Each is one planner call and a rendering; errors go to the one handler in `cli.shell`.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from tengnuo.cli import render, timeline
from tengnuo.cli.progress import solve_progress
from tengnuo.cli.shell import (
    DEFAULTS,
    STATUS_EXIT,
    DebugOption,
    DeterministicOption,
    JsonOption,
    SeedOption,
    TimeLimitOption,
    WorkersOption,
    catch_errors,
    echo_json,
    solve_options,
    state,
    workspace,
)
from tengnuo.model.plan import Status
from tengnuo.planner import planning, quick
from tengnuo.planner import workspace as use
from tengnuo.planner.workspace import Workspace


def plan_workspace(ctx: typer.Context, as_json: bool, time_limit: float | None, workers: int,
                   seed: int, deterministic: bool, ics: Path | None, *, stable: bool,
                   dry_run: bool = False) -> None:
    """Plan (or re-plan) the workspace from now, store the version, print diff and agenda."""
    with workspace(ctx) as ws:
        cfg = use.settings(ws)
        now = quick.moment(state(ctx).now_text, cfg.tz)
        options = solve_options(cfg.time_limit_seconds if time_limit is None else time_limit,
                                workers, seed,
                                deterministic)
        with solve_progress() as progress:
            result = planning.plan_workspace(ws, now, options, progress, stable=stable,
                                             dry_run=dry_run)
        if ics is not None:
            from tengnuo import planner

            planner.write_ics(result.plan, result.problem, ics)
    show_planned(result, as_json)
    raise typer.Exit(int(STATUS_EXIT[result.plan.status]))


def show_planned(result: planning.Planned, as_json: bool) -> None:
    if as_json:
        echo_json(timeline.planned_json(result))
        return
    out = render.make_console()
    if result.diff is not None:
        timeline.render_diff(out, result.diff, result.problem.tz, result.stability)
    if result.plan.status is Status.INFEASIBLE:
        render.render_conflicts(out, result.plan)
    render.render_plan(out, result.plan, result.problem)
    saved = "not stored (--dry-run)" if result.version is None else f"version {result.version}"
    out.print(f"Plan {saved}.", style="dim")


@catch_errors
def replan(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the changes, store nothing.")]
    = False,
    as_json: JsonOption = False,
    time_limit: TimeLimitOption = None,
    workers: WorkersOption = DEFAULTS.workers,
    seed: SeedOption = DEFAULTS.seed,
    deterministic: DeterministicOption = False,
    debug: DebugOption = False,
) -> None:
    """Re-plan after the day slipped, moving as little as possible; shows the changes first.

    Every block that still works stays where it is; the sooner a block, the dearer it is to
    move. Prints moved, added, dropped and newly late blocks, then the plan.
    """
    plan_workspace(ctx, as_json, time_limit, workers, seed, deterministic, None, stable=True,
                   dry_run=dry_run)


def _view(ctx: typer.Context, days: int, as_json: bool) -> None:
    with workspace(ctx) as ws:
        cfg = use.settings(ws)
        now = quick.moment(state(ctx).now_text, cfg.tz)
        start = planning.day_start(now, cfg)
        shown = planning.view(ws, start, start + timedelta(days=days))
    if as_json:
        echo_json(timeline.view_json(shown))
        return
    timeline.render_view(render.make_console(), shown)


@catch_errors
def today(ctx: typer.Context, as_json: JsonOption = False, debug: DebugOption = False) -> None:
    """Today's blocks and events from the current plan."""
    _view(ctx, 1, as_json)


@catch_errors
def week(ctx: typer.Context, as_json: JsonOption = False, debug: DebugOption = False) -> None:
    """The next seven days of the current plan, day by day."""
    _view(ctx, 7, as_json)


@catch_errors
def next_block(ctx: typer.Context, as_json: JsonOption = False,
               debug: DebugOption = False) -> None:
    """What you are on now and what comes next."""
    with workspace(ctx) as ws:
        cfg = use.settings(ws)
        now = quick.moment(state(ctx).now_text, cfg.tz)
        shown = planning.view(ws, now, now + timedelta(days=cfg.days))
    if as_json:
        echo_json(timeline.next_json(shown, now))
        return
    timeline.render_next(render.make_console(), shown, now)


@catch_errors
def history(ctx: typer.Context, as_json: JsonOption = False, debug: DebugOption = False) -> None:
    """Every stored plan version, oldest first."""
    with workspace(ctx) as ws:
        versions = ws.history()
        tz = use.settings(ws).tz
    if as_json:
        echo_json([timeline.version_json(v, tz) for v in versions])
        return
    timeline.render_history(render.make_console(), versions, tz)


@catch_errors
def diff(
    ctx: typer.Context,
    old: Annotated[int, typer.Argument(metavar="V1", help="The older version (see history).")],
    new: Annotated[int, typer.Argument(metavar="V2", help="The newer version.")],
    as_json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """What changed between two plan versions: moved, added, dropped, now late."""
    with workspace(ctx) as ws:
        changes = planning.diff_versions(ws, old, new)
        tz = use.settings(ws).tz
    if as_json:
        echo_json(timeline.diff_json(changes, tz))
        return
    timeline.render_diff(render.make_console(), changes, tz, None)


@catch_errors
def demo(
    ctx: typer.Context,
    time_limit: TimeLimitOption = None,
    keep: Annotated[Path | None, typer.Option("--keep", metavar="DIR", file_okay=False,
                                              help="Keep the demo workspace in DIR.")] = None,
    debug: DebugOption = False,
) -> None:
    """Plan the job-hunt fortnight (13 tasks, interviews, routines) in a throw-away workspace
    and show it, as of 08:00 on its first Monday."""
    from tengnuo.planner.demo import demo_workspace

    with tempfile.TemporaryDirectory(prefix="tengnuo-demo-") as temp:
        folder = keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        ws, now = demo_workspace(folder)
        with ws:
            limit = DEFAULTS.time_limit_seconds if time_limit is None else time_limit
            options = solve_options(limit, DEFAULTS.workers, DEFAULTS.seed, False)
            with solve_progress() as progress:
                result = planning.plan_workspace(ws, now, options, progress)
        show_planned(result, False)
        _demo_hint(ws if keep else None)


def _demo_hint(kept: Workspace | None) -> None:
    out = render.make_console()
    if kept is None:
        out.print("The demo workspace was temporary; keep one with --keep DIR.", style="dim")
        return
    out.print(f"Try: tengnuo --workspace {kept.path} --now '2026-12-07 11:00' today",
              style="dim", markup=False)


COMMANDS = (
    (replan, "replan", "Example: tengnuo replan --dry-run"),
    (today, "today", "Example: tengnuo today --json"),
    (week, "week", "Example: tengnuo week"),
    (next_block, "next", "Example: tengnuo next"),
    (history, "history", "Example: tengnuo history --json"),
    (diff, "diff", "Example: tengnuo diff 3 4"),
    (demo, "demo", "Example: tengnuo demo --time-limit 5 --keep /tmp/tengnuo-demo"),
)


def register(app: typer.Typer) -> None:
    for command, name, epilog in COMMANDS:
        app.command(name, epilog=epilog)(command)
