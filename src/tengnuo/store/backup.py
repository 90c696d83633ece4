"""Automatic backups of the workspace: before each migration and once a day.

A backup is a consistent copy made with SQLite's online backup API (never a file copy of a
database that may be mid-write), written under a temporary name and renamed, so a crash never
leaves a half backup that looks whole. Backups live beside the workspace in `<name>.backups/`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import date
from pathlib import Path

DAILY_KEPT = 7  # the newest daily copies kept; migration copies are never pruned


def backup_folder(path: Path) -> Path:
    return path.with_name(path.name + ".backups")


def newest_backup(path: Path) -> Path | None:
    """The most recent backup of the workspace at `path`, if any."""
    folder = backup_folder(path)
    if not folder.is_dir():
        return None
    copies = [p for p in folder.glob("*.db") if p.is_file()]
    return max(copies, key=lambda p: p.stat().st_mtime_ns, default=None)


def backup(conn: sqlite3.Connection, path: Path, name: str) -> Path:
    """Copy the open workspace to `<name>.db` in its backup folder, atomically."""
    folder = backup_folder(path)
    folder.mkdir(exist_ok=True)
    target = folder / f"{name}.db"
    temp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        copy = sqlite3.connect(temp)
        try:
            conn.backup(copy)
        finally:
            copy.close()
        with temp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return target


def daily_backup(conn: sqlite3.Connection, path: Path, today: date) -> Path | None:
    """Today's backup, made on the first use of the day; older daily copies beyond DAILY_KEPT
    are removed. Returns the new copy, or None when today's already exists."""
    folder = backup_folder(path)
    if (folder / f"daily-{today.isoformat()}.db").exists():
        return None
    made = backup(conn, path, f"daily-{today.isoformat()}")
    dailies = sorted(folder.glob("daily-*.db"))
    for old in dailies[:-DAILY_KEPT]:
        with contextlib.suppress(OSError):
            old.unlink()
    return made
