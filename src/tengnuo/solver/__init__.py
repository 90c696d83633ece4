"""The solver: turns a Problem into a Plan. The only package that imports ortools.

Imports `tengnuo.model` and `tengnuo.errors` only. The engine: dispatch heuristic → local search
→ CP-SAT tier by tier (see README "How the engine works").
"""

from tengnuo.solver.engine import solve
from tengnuo.solver.options import Progress, ProgressCallback, SolveOptions

__all__ = ["Progress", "ProgressCallback", "SolveOptions", "solve"]
