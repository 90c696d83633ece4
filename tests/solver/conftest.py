"""Solver tests import `strategies` and `planning` from tests/, also when run on their own
(`pytest tests/solver`), when pytest has put only this folder on the import path."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = str(Path(__file__).resolve().parents[1])
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)
