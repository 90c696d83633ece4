"""Opening the workspace file safely: pragmas, trust checks and transactions.

The only module (with the rest of `store/`) that talks to sqlite3. Every connection gets the
same durability settings, and they are read back and asserted, because a setting that silently
did not apply (e.g. WAL on a read-only folder) would weaken every later write. A file we cannot
trust is refused before anything is written to it.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from tengnuo.errors import StoreError

APPLICATION_ID = 0x54454E47  # "TENG": marks a SQLite file as a tengnuo workspace
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000  # SQLite's own wait for a lock, per attempt
LOCK_PATIENCE_SECONDS = 60.0  # our retries on top of it before telling the user
PRAGMAS: dict[str, str | int] = {
    "journal_mode": "wal",  # readers never block the writer; a killed writer loses nothing
    "synchronous": 2,  # FULL: a commit is on disk before it is acknowledged
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}


def connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """A connection to the workspace at `path`, with PRAGMAS applied and verified.

    Args:
        path: the workspace file.
        create: allow a missing or empty file (`tengnuo init`); otherwise it must exist.

    Raises:
        StoreError: missing, not a SQLite file, not a tengnuo workspace, or damaged.
    """
    _check_header(path, create)
    mode = "rwc" if create else "rw"
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode={mode}", uri=True,
                               isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as error:
        raise StoreError(str(path), f"cannot open the workspace: {error}",
                         "Check that the folder exists and is writable.") from error
    try:
        _check_identity(conn, path, create)
        _check_version(conn, path)
        _check_pages(conn, path)
        apply_pragmas(conn, path)  # may write (journal_mode), so only once the file is trusted
    except sqlite3.DatabaseError as error:
        conn.close()
        raise damaged(path, str(error)) from error
    except BaseException:
        conn.close()
        raise
    return conn


def apply_pragmas(conn: sqlite3.Connection, path: Path) -> None:
    """Set PRAGMAS and read each back; a setting that did not take is an error, not a shrug."""
    for name, value in PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")
    for name, value in PRAGMAS.items():
        actual = conn.execute(f"PRAGMA {name}").fetchone()[0]
        if str(actual).lower() != str(value):
            raise StoreError(str(path), f"SQLite refused the setting {name}={value} (got {actual})",
                             "Put the workspace on a local disk that supports WAL files.")


def pragma_values(conn: sqlite3.Connection) -> dict[str, str]:
    """The durability settings as SQLite reports them now (for tests and `tengnuo doctor`)."""
    return {name: str(conn.execute(f"PRAGMA {name}").fetchone()[0]).lower() for name in PRAGMAS}


def _check_header(path: Path, create: bool) -> None:
    if not path.exists():
        if create:
            return
        raise StoreError(str(path), "no workspace here",
                         "Create one with `tengnuo init`, or point --workspace / "
                         "TENGNUO_WORKSPACE at an existing one.")
    if path.is_dir():
        raise StoreError(str(path), "this is a folder, not a workspace file",
                         "Give the path of the workspace file itself.")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    if not head and create:
        return
    if head != SQLITE_HEADER:
        raise damaged(path, "the file is not a SQLite database (empty, truncated or overwritten)")


def _check_identity(conn: sqlite3.Connection, path: Path, create: bool) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
    if app_id == APPLICATION_ID or (create and app_id == 0 and tables == 0):
        return
    raise StoreError(str(path), "this SQLite file is not a tengnuo workspace",
                     "tengnuo leaves it untouched; choose another path for the workspace.")


def _check_version(conn: sqlite3.Connection, path: Path) -> None:
    from tengnuo.store.migrations import refuse_newer  # migrations imports this module

    refuse_newer(conn, path)


def _check_pages(conn: sqlite3.Connection, path: Path) -> None:
    """Every page well-formed: a damaged file opens without error until the bad page is read,
    and today's backup would copy it (then rotate the good copies out)."""
    found = [str(row[0]) for row in conn.execute("PRAGMA quick_check(3)")]
    if found != ["ok"]:
        raise damaged(path, "; ".join(found))


def damaged(path: Path, detail: str) -> StoreError:
    """The error for a workspace that cannot be trusted, pointing at the newest backup."""
    from tengnuo.store.backup import newest_backup  # backup imports this module

    backup = newest_backup(path)
    advice = ("tengnuo has not changed or deleted it. Keep it for inspection and restore the "
              "newest automatic backup:\n  cp " + f"'{backup}' '{path}'" if backup else
              "tengnuo has not changed or deleted it. No automatic backup exists yet; "
              "try `sqlite3 FILE .recover` on a copy, or start a new workspace elsewhere.")
    return StoreError(str(path), f"the workspace is damaged ({detail})", advice)


@contextmanager
def transaction(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """One atomic change: BEGIN IMMEDIATE ... COMMIT, rolled back on any error.

    IMMEDIATE takes the write lock up front, so a read-modify-write (e.g. `edit`) cannot lose a
    concurrent update. A lock held by another process is waited for (SQLite's busy timeout,
    then our retries with jitter) instead of reaching the user as "database is locked".
    """
    _begin(conn, path, "BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@contextmanager
def snapshot(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """A consistent read of several tables (WAL gives readers a snapshot; writers go on)."""
    _begin(conn, path, "BEGIN DEFERRED")
    try:
        conn.execute("SELECT 1 FROM sqlite_schema LIMIT 1").fetchall()  # start the snapshot now
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def _begin(conn: sqlite3.Connection, path: Path, statement: str) -> None:
    deadline = time.monotonic() + LOCK_PATIENCE_SECONDS
    while True:
        try:
            conn.execute(statement)
            return
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or time.monotonic() > deadline:
                if _is_busy(error):
                    raise _busy(path) from error
                raise
            time.sleep(random.uniform(0.01, 0.1))


def _busy(path: Path) -> StoreError:
    return StoreError(str(path), "another tengnuo process has held the workspace for over "
                      f"{LOCK_PATIENCE_SECONDS:.0f} s",
                      "Wait for it to finish, then run the command again.")


def _is_busy(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text
