"""Errors that carry data; the shells (CLI, web) turn them into sentences and exit codes.

Imports nothing from tengnuo: every layer may raise these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import ClassVar


class ExitStatus(IntEnum):
    """Process exit codes fixed by FORMAT.md."""

    OK = 0
    INFEASIBLE = 1
    INVALID = 2
    IO = 74  # sysexits EX_IOERR: a file or the workspace could not be read or written


@dataclass(frozen=True)
class Issue:
    """One problem in the user's input: what is wrong and where (FORMAT.md's errors[] entry)."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}" if where or field else self.message


class TengnuoError(Exception):
    """Base of every error tengnuo raises on purpose; never raised directly."""

    exit_status: ClassVar[ExitStatus] = ExitStatus.INVALID


class InvalidInputError(TengnuoError, ValueError):
    """The input cannot be read; carries every problem found, not just the first."""

    exit_status = ExitStatus.INVALID

    def __init__(self, issues: list[Issue]) -> None:
        if not issues:
            raise ValueError("InvalidInputError needs at least one issue")
        self.issues = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


class StoreError(TengnuoError):
    """The workspace cannot be used as it is; the message says which file and what to do.

    Nothing is changed on disk when this is raised: a workspace we cannot trust is never
    rewritten, repaired or deleted by tengnuo.
    """

    exit_status = ExitStatus.IO

    def __init__(self, path: str, problem: str, advice: str) -> None:
        self.path, self.problem, self.advice = path, problem, advice
        super().__init__(f"{path}: {problem}\n{advice}")


class SyncError(TengnuoError):
    """A calendar server or sync state problem; nothing half-done is left behind."""

    exit_status = ExitStatus.IO
