"""Every connection to a workspace has the durability settings the promises rest on, read back
from SQLite itself; a SQLite file that is not a workspace is refused and left as it was."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from store_helpers import files_in, populate, sha

from tengnuo.errors import StoreError
from tengnuo.planner import workspace as pw
from tengnuo.store import Workspace
from tengnuo.store.db import APPLICATION_ID, connect


def read_pragmas(conn: sqlite3.Connection) -> dict[str, object]:
    return {name: conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout",
                         "application_id")}


def assert_durable(conn: sqlite3.Connection) -> None:
    values = read_pragmas(conn)
    assert values["journal_mode"] == "wal"
    assert values["synchronous"] == 2  # FULL: an acknowledged change survives power loss
    assert values["foreign_keys"] == 1
    assert int(str(values["busy_timeout"])) > 0
    assert values["application_id"] == APPLICATION_ID


def test_every_way_of_opening_has_the_durable_settings(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    ws, created = Workspace.init(path)
    assert created
    with ws:
        assert_durable(ws.conn)
    with Workspace.init(path)[0] as again:  # init on an existing workspace opens it
        assert_durable(again.conn)
    with Workspace.open(path) as ws, Workspace.open(path, today=date(2026, 3, 2)) as other:
        assert_durable(ws.conn)
        assert_durable(other.conn)  # per-connection settings hold on every connection
    with closing(connect(path)) as conn:
        assert_durable(conn)
    with pw.open_workspace(path) as ws:
        assert_durable(ws.conn)


def test_the_mode_is_stored_in_the_file_for_any_reader(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    populate(path, tasks=3)
    with closing(sqlite3.connect(path)) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert plain.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def other_apps_file(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('my notes, not a planner')")
        conn.commit()


@pytest.mark.parametrize("how", ["connect", "open", "open today", "init", "open_workspace"])
def test_a_non_tengnuo_sqlite_file_is_refused_and_left_alone(tmp_path: Path, how: str) -> None:
    path = tmp_path / "notes.db"
    other_apps_file(path)
    before = files_in(tmp_path)
    openers = {
        "connect": lambda: connect(path),
        "open": lambda: Workspace.open(path),
        "open today": lambda: Workspace.open(path, today=date(2026, 3, 2)),
        "init": lambda: Workspace.init(path),
        "open_workspace": lambda: pw.open_workspace(path),
    }
    with pytest.raises(StoreError) as error:
        openers[how]()
    assert str(path) in str(error.value)
    assert "not a tengnuo workspace" in str(error.value)
    assert files_in(tmp_path) == before  # same bytes; no backup folder, no -wal left behind
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_init_on_an_empty_file_makes_it_a_workspace(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    path.touch()
    ws, created = Workspace.init(path)
    with ws:
        assert created
        assert_durable(ws.conn)


def test_a_text_file_is_refused_by_init_too(tmp_path: Path) -> None:
    path = tmp_path / "todo.txt"
    path.write_text("buy milk\n")
    before = sha(path)
    with pytest.raises(StoreError, match="not a SQLite database"):
        Workspace.init(path)
    assert sha(path) == before
