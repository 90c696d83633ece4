"""The workspace: one SQLite file that holds a person's tasks, routines, events and plans.

`Workspace.open` refuses what it cannot trust (missing, damaged, newer schema) before writing
anything; it migrates an older file after backing it up, and keeps a daily backup.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from tengnuo.errors import StoreError
from tengnuo.store import plans
from tengnuo.store.backup import daily_backup
from tengnuo.store.db import connect, snapshot, transaction
from tengnuo.store.migrations import migrate, refuse_newer, schema_version
from tengnuo.store.plans import PlanVersion
from tengnuo.store.session import Session, refused

ENVIRONMENT_VARIABLE = "TENGNUO_WORKSPACE"
FILE_NAME = "workspace.db"


def default_path() -> Path:
    """TENGNUO_WORKSPACE, else `workspace.db` in the platform's user data folder."""
    if os.environ.get(ENVIRONMENT_VARIABLE):
        return Path(os.environ[ENVIRONMENT_VARIABLE]).expanduser()
    from platformdirs import user_data_path

    return user_data_path("tengnuo", appauthor=False) / FILE_NAME


class Workspace:
    """An open workspace file. Use `change()` for writes and `read()` for consistent reads."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn

    @classmethod
    def open(cls, path: Path, today: date | None = None) -> Workspace:
        """Open an existing workspace (see the module docstring for what is refused)."""
        conn = connect(path)
        try:
            refuse_newer(conn, path)
            if schema_version(conn) == 0:
                raise StoreError(str(path), "the workspace was never initialised",
                                 "Run `tengnuo init` on it.")
            migrate(conn, path)
            if today is not None:
                daily_backup(conn, path, today)
        except BaseException:
            conn.close()
            raise
        return cls(path, conn)

    @classmethod
    def init(cls, path: Path) -> tuple[Workspace, bool]:
        """Create the workspace (and its folder), or open it when it exists.

        Returns:
            The workspace and whether it was created now.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect(path, create=True)
        try:
            created = schema_version(conn) == 0
            migrate(conn, path)
        except BaseException:
            conn.close()
            raise
        return cls(path, conn), created

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def change(self) -> Iterator[Session]:
        """A write transaction: everything done in the block lands together, or nothing does."""
        with transaction(self.conn, self.path):
            try:
                yield Session(self.conn)
            except sqlite3.IntegrityError as error:  # e.g. a zero duration: rolled back
                raise refused(error) from None

    @contextmanager
    def read(self) -> Iterator[Session]:
        with snapshot(self.conn, self.path):
            yield Session(self.conn)

    def save_plan(self, record: PlanVersion) -> int:
        with transaction(self.conn, self.path):
            return plans.save(self.conn, record)

    def plan(self, version: int | None = None) -> PlanVersion | None:
        """A stored plan version, or the newest one."""
        with snapshot(self.conn, self.path):
            return plans.load(self.conn, version)

    def history(self) -> list[PlanVersion]:
        with snapshot(self.conn, self.path):
            return plans.history(self.conn)
