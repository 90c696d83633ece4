"""Schema versions: a new workspace is current, an upgrade is all-or-nothing per migration and
backed up first, and a file from a newer tengnuo is refused without being touched."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from store_helpers import dump_file, files_in, populate, raw, sha

from tengnuo.errors import StoreError
from tengnuo.planner import workspace as pw
from tengnuo.store import Workspace
from tengnuo.store.backup import backup_folder
from tengnuo.store.db import APPLICATION_ID, connect
from tengnuo.store.migrations import LATEST, MIGRATIONS, Migration, migrate, schema_version

ADD_NOTES = Migration(LATEST + 1, "task notes", (
    "CREATE TABLE notes (task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE, "
    "body TEXT NOT NULL) STRICT",
    "INSERT INTO notes SELECT id, 'migrated: ' || title FROM tasks",
))
ADD_TAGS = Migration(LATEST + 2, "tags on notes", (
    "ALTER TABLE notes ADD COLUMN tag TEXT",  # needs the table made by ADD_NOTES: order matters
    "UPDATE notes SET tag = 'old'",
))
BROKEN = Migration(LATEST + 1, "broken halfway", (
    "CREATE TABLE half_made (x INTEGER) STRICT",
    "ALTER TABLE tasks ADD COLUMN colour TEXT",
    "UPDATE tasks SET title = 'MANGLED'",
    "THIS IS NOT SQL",
    "CREATE TABLE never_made (y INTEGER) STRICT",
))


def tables(path: Path) -> set[str]:
    with closing(raw(path)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type='table'")}


def recorded(path: Path) -> list[tuple[int, str]]:
    with closing(raw(path)) as conn:
        return conn.execute("SELECT version, name FROM migrations ORDER BY version").fetchall()


def test_the_migrations_are_numbered_in_order_from_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert MIGRATIONS[-1].version == LATEST
    assert all(m.statements and m.name for m in MIGRATIONS)


def test_a_fresh_workspace_is_current_and_records_each_migration(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    pw.init(path, "Europe/Paris")
    with closing(raw(path)) as conn:
        assert schema_version(conn) == LATEST
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert recorded(path) == [(m.version, m.name) for m in MIGRATIONS]
    assert not backup_folder(path).exists()  # nothing to back up in a new file
    with Workspace.open(path) as ws:  # reopening applies nothing more
        assert migrate(ws.conn, path) == []
    assert recorded(path) == [(m.version, m.name) for m in MIGRATIONS]


def test_pending_migrations_apply_in_order_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    populate(path, tasks=5)
    old_content = dump_file(path)
    with closing(connect(path)) as conn:
        applied = migrate(conn, path, (*MIGRATIONS, ADD_NOTES, ADD_TAGS))
        assert [m.version for m in applied] == [LATEST + 1, LATEST + 2]
        assert schema_version(conn) == LATEST + 2
        notes = conn.execute("SELECT task_id, body, tag FROM notes ORDER BY task_id").fetchall()
    assert len(notes) == 5
    assert all(body.startswith("migrated: ") and tag == "old" for _, body, tag in notes)
    assert recorded(path)[-2:] == [(LATEST + 1, "task notes"), (LATEST + 2, "tags on notes")]

    copy = backup_folder(path) / f"before-v{LATEST}-to-v{LATEST + 2}.db"
    assert copy.is_file()
    with Workspace.open(copy) as old:  # the backup is a working workspace at the old version
        assert schema_version(old.conn) == LATEST
    assert dump_file(copy) == old_content


def test_a_failing_migration_leaves_the_file_at_the_previous_version(tmp_path: Path) -> None:
    """Migration 1 lands, migration 2 fails halfway: no half-made table, no mangled row."""
    path = tmp_path / "ws.db"
    with closing(connect(path, create=True)) as conn, pytest.raises(sqlite3.Error):
        migrate(conn, path, (*MIGRATIONS, BROKEN))
    with closing(raw(path)) as conn:
        assert schema_version(conn) == LATEST
    assert "half_made" not in tables(path)
    assert "never_made" not in tables(path)
    assert recorded(path) == [(m.version, m.name) for m in MIGRATIONS]
    with Workspace.open(path) as ws:  # still a usable workspace
        assert schema_version(ws.conn) == LATEST


def test_a_failing_upgrade_of_an_existing_workspace_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    populate(path, tasks=5)
    before = dump_file(path)
    with closing(connect(path)) as conn, pytest.raises(sqlite3.Error):
        migrate(conn, path, (*MIGRATIONS, BROKEN))
    assert dump_file(path) == before  # no MANGLED title, no colour column, same version
    with closing(raw(path)) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(tasks)")]
    assert "colour" not in columns
    copy = backup_folder(path) / f"before-v{LATEST}-to-v{LATEST + 1}.db"
    assert dump_file(copy) == before  # and the backup was taken before trying


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_workspace_from_a_newer_tengnuo_is_refused_untouched(tmp_path: Path,
                                                              journal: str) -> None:
    path = tmp_path / "ws.db"
    populate(path, tasks=3)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA journal_mode = {journal}")
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    before, digest = files_in(tmp_path), sha(path)
    openers = [lambda: Workspace.open(path), lambda: Workspace.open(path, today=date(2026, 3, 2)),
               lambda: Workspace.init(path), lambda: pw.open_workspace(path),
               lambda: pw.init(path, None), lambda: connect(path)]
    for opener in openers:
        with pytest.raises(StoreError) as error:
            opener()
        message = str(error.value)
        assert str(path) in message
        assert f"schema version {LATEST + 1}" in message
        assert "Upgrade tengnuo" in message
        assert sha(path) == digest
    assert files_in(tmp_path) == before  # no backup taken, no -wal or -shm left beside it
