"""The solver: turns a Problem into a Plan. The only package that imports ortools.

Imports `tengnuo.model` and `tengnuo.errors` only. The engine: dispatch heuristic → local search
→ CP-SAT tier by tier (see README "How the engine works"). `solve` imports the engine (and with
it ortools, half a second) only when called, so commands that do not plan start fast.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from tengnuo.solver.options import Progress, ProgressCallback, SolveOptions

if TYPE_CHECKING:
    from tengnuo.model.plan import Plan
    from tengnuo.model.problem import Problem

__all__ = ["Progress", "ProgressCallback", "SolveOptions", "solve"]


def solve(problem: Problem, options: SolveOptions | None = None,
          progress: ProgressCallback | None = None) -> Plan:
    """The best plan for `problem` within `options.time_limit_seconds` (see engine.solve).

    The clock starts before the engine (and ortools) is imported: the limit is the user's.
    """
    started = time.perf_counter()
    from tengnuo.solver.engine import solve as engine_solve

    return engine_solve(problem, options, progress, started=started)
