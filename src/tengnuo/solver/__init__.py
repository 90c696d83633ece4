"""The solver: turns a Problem into a Plan. The only package that imports ortools.

Imports `tengnuo.model` and `tengnuo.errors` only.
"""

from tengnuo.solver.options import Progress, ProgressCallback, SolveOptions

__all__ = ["Progress", "ProgressCallback", "SolveOptions"]
