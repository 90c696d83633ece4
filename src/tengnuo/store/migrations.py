"""The workspace schema as an ordered list of migrations, keyed on `PRAGMA user_version`.

Each migration runs in one transaction together with the version bump, so a crash leaves the
file at the old version or the new one. A file from a newer tengnuo (a higher version than we
know) is refused and never rewritten. A backup is taken before migrating an existing file.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tengnuo.errors import StoreError
from tengnuo.store.backup import backup
from tengnuo.store.db import APPLICATION_ID, transaction


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


INITIAL = (
    """CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT""",
    """CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)
       STRICT""",
    "INSERT INTO revision VALUES (1, 0)",
    """CREATE TABLE tasks (
        id TEXT PRIMARY KEY, title TEXT NOT NULL,
        duration_min INTEGER NOT NULL CHECK (duration_min > 0),
        due TEXT, hard INTEGER NOT NULL DEFAULT 0 CHECK (hard IN (0, 1)),
        priority INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
        weight INTEGER CHECK (weight > 0), category TEXT,
        hours TEXT NOT NULL DEFAULT 'anytime', not_before TEXT,
        split_min INTEGER CHECK (split_min > 0), split_max INTEGER CHECK (split_max > 0),
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
        created TEXT NOT NULL, done_at TEXT,
        CHECK (hard = 0 OR due IS NOT NULL),
        CHECK ((split_min IS NULL) = (split_max IS NULL))) STRICT""",
    """CREATE TABLE task_after (
        task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE ON UPDATE CASCADE,
        pred_id TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (task_id, pred_id)) STRICT""",
    """CREATE TABLE work_log (
        id INTEGER PRIMARY KEY,
        task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE ON UPDATE CASCADE,
        minutes INTEGER NOT NULL CHECK (minutes > 0), logged_at TEXT NOT NULL) STRICT""",
    """CREATE TABLE routines (
        id TEXT PRIMARY KEY, title TEXT NOT NULL,
        duration_min INTEGER NOT NULL CHECK (duration_min > 0),
        weekdays TEXT NOT NULL, per_week INTEGER CHECK (per_week BETWEEN 1 AND 7),
        window_start INTEGER NOT NULL, window_end INTEGER NOT NULL,
        category TEXT, priority INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
        weight INTEGER CHECK (weight > 0)) STRICT""",
    """CREATE TABLE events (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, start TEXT NOT NULL, end TEXT NOT NULL,
        category TEXT, CHECK (end > start)) STRICT""",
    """CREATE TABLE calendars (path TEXT PRIMARY KEY, added TEXT NOT NULL) STRICT""",
    """CREATE TABLE hours (
        name TEXT NOT NULL, weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
        start_min INTEGER NOT NULL, end_min INTEGER NOT NULL,
        PRIMARY KEY (name, weekday, start_min)) STRICT""",
    """CREATE TABLE limits (name TEXT PRIMARY KEY CHECK (name IN ('day_max', 'buffer')),
        minutes INTEGER NOT NULL CHECK (minutes >= 0)) STRICT""",
    """CREATE TABLE category_limits (
        category TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('day_max', 'week_max', 'week_min')),
        minutes INTEGER NOT NULL CHECK (minutes >= 0), PRIMARY KEY (category, kind)) STRICT""",
    """CREATE TABLE plans (
        version INTEGER PRIMARY KEY, created TEXT NOT NULL, command TEXT NOT NULL,
        now TEXT NOT NULL, start TEXT NOT NULL, days INTEGER NOT NULL, timezone TEXT NOT NULL,
        status TEXT NOT NULL, cost_total INTEGER NOT NULL, cost_unscheduled INTEGER NOT NULL,
        cost_lateness INTEGER NOT NULL, cost_preferences INTEGER NOT NULL,
        bound INTEGER NOT NULL, solve_seconds REAL NOT NULL, revision INTEGER NOT NULL,
        details TEXT NOT NULL) STRICT""",
    """CREATE TABLE plan_blocks (
        version INTEGER NOT NULL REFERENCES plans (version) ON DELETE CASCADE,
        start TEXT NOT NULL, end TEXT NOT NULL, item_id TEXT NOT NULL, kind TEXT NOT NULL,
        title TEXT NOT NULL, category TEXT, chunk INTEGER, chunks INTEGER) STRICT""",
    "CREATE INDEX plan_blocks_by_version ON plan_blocks (version, start)",
    """CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
        applied TEXT NOT NULL) STRICT""",
)

CALENDARS = (
    """CREATE TABLE accounts (name TEXT PRIMARY KEY, url TEXT NOT NULL, username TEXT)
       STRICT""",
    """CREATE TABLE remote_calendars (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
        url TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('events', 'tasks', 'plan')),
        all_day_free INTEGER NOT NULL DEFAULT 0 CHECK (all_day_free IN (0, 1)),
        own_addresses TEXT NOT NULL DEFAULT '', synced TEXT) STRICT""",
    """CREATE TABLE remote_items (
        calendar TEXT NOT NULL REFERENCES remote_calendars (id) ON DELETE CASCADE,
        href TEXT NOT NULL, etag TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (calendar, href)) STRICT""",
    """CREATE TABLE sync_status (
        pair TEXT NOT NULL, uid TEXT NOT NULL, local_href TEXT NOT NULL,
        local_etag TEXT NOT NULL, remote_href TEXT NOT NULL, remote_etag TEXT NOT NULL,
        PRIMARY KEY (pair, uid)) STRICT""",
    "ALTER TABLE tasks ADD COLUMN source TEXT",  # the task list a task came from
    "ALTER TABLE tasks ADD COLUMN source_uid TEXT",  # its VTODO's UID there
    "ALTER TABLE tasks ADD COLUMN source_text TEXT",  # that VTODO as last synced, for merging
)

MIGRATIONS = (Migration(1, "initial schema", INITIAL),
              Migration(2, "calendar accounts, remote calendars and sync status", CALENDARS),
              Migration(3, "options of calendar files", (
                  "ALTER TABLE calendars ADD COLUMN all_day_free INTEGER NOT NULL DEFAULT 0 "
                  "CHECK (all_day_free IN (0, 1))",
                  "ALTER TABLE calendars ADD COLUMN own_addresses TEXT NOT NULL DEFAULT ''")))
LATEST = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def refuse_newer(conn: sqlite3.Connection, path: Path) -> None:
    """Stop before touching a workspace written by a newer tengnuo."""
    version = schema_version(conn)
    if version > LATEST:
        raise StoreError(str(path), f"this workspace has schema version {version}; this tengnuo "
                         f"knows up to {LATEST}",
                         "Upgrade tengnuo to use it. The file was not changed.")


def migrate(conn: sqlite3.Connection, path: Path,
            migrations: tuple[Migration, ...] = MIGRATIONS) -> list[Migration]:
    """Apply every migration above the file's version, each in its own transaction.

    Returns:
        The migrations applied (empty when the file is current).
    """
    refuse_newer(conn, path)
    current = schema_version(conn)
    pending = [m for m in migrations if m.version > current]
    if pending and current > 0:
        backup(conn, path, f"before-v{current}-to-v{pending[-1].version}")
    for migration in pending:
        with transaction(conn, path):
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute("INSERT INTO migrations VALUES (?, ?, ?)", (
                migration.version, migration.name, datetime.now(UTC).isoformat()))
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return pending
