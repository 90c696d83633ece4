"""Calendar accounts, the remote calendars a workspace uses, and their cached items.

Events of subscribed calendars are cached here at each sync, so a plan made offline still sees
them. Passwords are never stored here (see sync/credentials.py).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Account:
    name: str
    url: str
    username: str | None


@dataclass(frozen=True)
class RemoteCalendar:
    """A server calendar and what it is for: `events` (busy time), `tasks` (a VTODO list, both
    ways) or `plan` (where the plan is written)."""

    id: str
    account: str
    url: str
    role: str
    all_day_free: bool = False
    own_addresses: tuple[str, ...] = ()
    synced: datetime | None = None


class Remote:
    """Reads and writes of the calendar tables on an open connection (autocommit per call,
    or inside the caller's transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def accounts(self) -> list[Account]:
        return [Account(*r) for r in self.conn.execute(
            "SELECT name, url, username FROM accounts ORDER BY name")]

    def put_account(self, account: Account) -> None:
        self.conn.execute("INSERT OR REPLACE INTO accounts VALUES (?, ?, ?)",
                          (account.name, account.url, account.username))

    def remove_account(self, name: str) -> bool:
        return bool(self.conn.execute("DELETE FROM accounts WHERE name = ?", (name,)).rowcount)

    def calendars(self, role: str | None = None) -> list[RemoteCalendar]:
        where, args = ("WHERE role = ?", (role,)) if role else ("", ())
        return [RemoteCalendar(i, a, u, r, bool(f), tuple(x for x in o.split(",") if x),
                               datetime.fromisoformat(s) if s else None)
                for i, a, u, r, f, o, s in self.conn.execute(
                    "SELECT id, account, url, role, all_day_free, own_addresses, synced "
                    f"FROM remote_calendars {where} ORDER BY id", args)]

    def put_calendar(self, cal: RemoteCalendar) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO remote_calendars VALUES (?, ?, ?, ?, ?, ?, ?)",
            (cal.id, cal.account, cal.url, cal.role, int(cal.all_day_free),
             ",".join(cal.own_addresses), cal.synced.isoformat() if cal.synced else None))

    def remove_calendar(self, cal_id: str) -> bool:
        self.conn.execute("DELETE FROM sync_status WHERE pair = ?", (cal_id,))
        return bool(self.conn.execute("DELETE FROM remote_calendars WHERE id = ?",
                                      (cal_id,)).rowcount)

    def mark_synced(self, cal_id: str) -> None:
        self.conn.execute("UPDATE remote_calendars SET synced = ? WHERE id = ?",
                          (datetime.now(UTC).isoformat(), cal_id))

    def items(self, cal_id: str) -> dict[str, tuple[str, str]]:
        """Cached items of a calendar: href -> (ETag, body)."""
        return {h: (e, b) for h, e, b in self.conn.execute(
            "SELECT href, etag, body FROM remote_items WHERE calendar = ?", (cal_id,))}

    def replace_items(self, cal_id: str, items: dict[str, tuple[str, str]]) -> None:
        """The calendar's cache becomes exactly `items` (call inside one transaction)."""
        self.conn.execute("DELETE FROM remote_items WHERE calendar = ?", (cal_id,))
        self.conn.executemany("INSERT INTO remote_items VALUES (?, ?, ?, ?)",
                              [(cal_id, h, e, b) for h, (e, b) in items.items()])

    def task_sources(self, cal_id: str) -> dict[str, tuple[str, str]]:
        """Tasks that came from a task list: task id -> (VTODO UID, VTODO text last synced)."""
        return {i: (u, t or "") for i, u, t in self.conn.execute(
            "SELECT id, source_uid, source_text FROM tasks WHERE source = ?", (cal_id,))}

    def set_task_source(self, task_id: str, cal_id: str, uid: str, text: str) -> None:
        self.conn.execute("UPDATE tasks SET source = ?, source_uid = ?, source_text = ? "
                          "WHERE id = ?", (cal_id, uid, text, task_id))
