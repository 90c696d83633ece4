"""Use cases: what the shells (CLI, web) ask tengnuo to do, one function each.

The only module the shells call besides `formats.plan_json` and `errors`. It orchestrates the
layers (formats, solver) and holds no rules of its own. The solver (with ortools) and the
format readers are imported inside the functions that need them, so that `tengnuo --help` and
`tengnuo check` do not pay for ortools or icalendar.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from tengnuo.model.plan import Plan
from tengnuo.model.problem import Problem
from tengnuo.solver.options import Progress, ProgressCallback, SolveOptions

__all__ = [
    "Progress",
    "ProgressCallback",
    "SolveOptions",
    "check_file",
    "plan_file",
    "with_input_warnings",
    "write_ics",
]

NEW_FILE_MODE = 0o644


def check_file(path: Path) -> Problem:
    """Load and validate the planning file at `path` (cross-references included).

    Raises:
        InvalidInputError: with every problem found, each naming file, line and field where known;
            also when the file is missing or unreadable.
    """
    from tengnuo.formats.planfile import load_planfile  # lazy, like the solver below

    return load_planfile(path)


def plan_file(
    path: Path, options: SolveOptions, progress: ProgressCallback | None = None
) -> tuple[Problem, Plan]:
    """Load, validate and solve the planning file at `path`.

    Args:
        path: the YAML planning file (FORMAT.md).
        options: time limit, workers and seed of the solve.
        progress: called from the solving thread with the best cost and bound so far.

    Returns:
        The problem read from the file and its plan; an infeasible plan is a result, not an error.

    Raises:
        InvalidInputError: when the file cannot be read or is not a valid planning file.
    """
    from tengnuo.solver import solve  # lazy: importing ortools takes about half a second

    problem = check_file(path)
    plan = solve(problem, options, progress)
    return problem, with_input_warnings(plan, problem)


def with_input_warnings(plan: Plan, problem: Problem) -> Plan:
    """`plan` with what the reader dropped from the input (e.g. calendar components) warned first.

    The solver only sees the problem it is given; the person should still learn that part of
    their input was not used.
    """
    if not problem.warnings:
        return plan
    read = tuple(str(issue) for issue in problem.warnings)
    return replace(plan, warnings=read + plan.warnings)


def write_ics(plan: Plan, problem: Problem, out: Path) -> None:
    """Write the plan's blocks to `out` as an iCalendar file, atomically.

    The file is written next to `out` under a temporary name and moved over it, so a crash leaves
    either the old file or the new one, never half of one.
    """
    from tengnuo.formats.ics import plan_to_ics  # lazy: only `plan --ics` needs icalendar

    _atomic_write(out, plan_to_ics(plan.blocks, problem.tz))


def _atomic_write(target: Path, data: bytes) -> None:
    mode = target.stat().st_mode & 0o777 if target.exists() else NEW_FILE_MODE
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
