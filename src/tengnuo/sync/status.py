"""What the last sync saw of each item on both sides: (href, ETag) locally and remotely.

Kept per pair (e.g. `plan:home/tengnuo` or `tasks:home/todo`) in the workspace file, so a sync
after a crash or on the next day knows what changed since. The only sync module using sqlite3.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Entry:
    """One item as both sides had it after the last sync that touched it."""

    local_href: str
    local_etag: str
    remote_href: str
    remote_etag: str


class Status(Protocol):
    def entries(self) -> dict[str, Entry]:
        """Every known item by UID."""
        ...

    def put(self, uid: str, entry: Entry) -> None: ...

    def remove(self, uid: str) -> None: ...


class MemoryStatus:
    """A status in a dict, for tests and dry runs."""

    def __init__(self) -> None:
        self.known: dict[str, Entry] = {}

    def entries(self) -> dict[str, Entry]:
        return dict(self.known)

    def put(self, uid: str, entry: Entry) -> None:
        self.known[uid] = entry

    def remove(self, uid: str) -> None:
        self.known.pop(uid, None)


class SqliteStatus:
    """A status in the workspace's `sync_status` table; each change commits at once, so a sync
    killed halfway remembers exactly the writes that happened."""

    def __init__(self, conn: sqlite3.Connection, pair: str) -> None:
        self.conn, self.pair = conn, pair

    def entries(self) -> dict[str, Entry]:
        rows = self.conn.execute(
            "SELECT uid, local_href, local_etag, remote_href, remote_etag FROM sync_status "
            "WHERE pair = ?", (self.pair,))
        return {uid: Entry(*rest) for uid, *rest in rows}

    def put(self, uid: str, entry: Entry) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO sync_status VALUES (?, ?, ?, ?, ?, ?)",
                (self.pair, uid, entry.local_href, entry.local_etag, entry.remote_href,
                 entry.remote_etag))

    def remove(self, uid: str) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM sync_status WHERE pair = ? AND uid = ?",
                              (self.pair, uid))
