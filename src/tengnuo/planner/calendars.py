"""Use cases for calendar servers: accounts, subscribing to calendars and task lists,
publishing the plan, and `sync` in both directions.

Each calendar syncs on its own: a server error on one is reported and the others go on. The
connection to a server is made by `connect` (CalDAV by default; tests pass memory storages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from tengnuo.errors import InvalidInputError, Issue, SyncError
from tengnuo.planner.workspace import settings
from tengnuo.store import Workspace
from tengnuo.store.remote import Account, Remote, RemoteCalendar
from tengnuo.sync.storage import CalendarStorage, Item
from tengnuo.sync.sync import SyncReport

__all__ = ["Account", "CalendarSync", "RemoteCalendar"]  # the shells name these here

Connect = Callable[[str, str | None, str | None], CalendarStorage]
ROLES = ("events", "tasks", "plan")


def caldav(url: str, username: str | None, password: str | None) -> CalendarStorage:
    from tengnuo.sync.storage_caldav import CalDavStorage  # lazy: caldav only when syncing

    return CalDavStorage(url, username, password)


def _password(account: Account) -> str | None:
    from tengnuo.sync.credentials import load_password

    return load_password(account.name)


def need_account(ws: Workspace, name: str) -> Account:
    with ws.read() as s:
        found = next((a for a in Remote(s.conn).accounts() if a.name == name), None)
    if found is None:
        raise InvalidInputError([Issue(f"no account {name!r}: add it with `tengnuo account "
                                       "add`", field="account")])
    return found


def add_account(ws: Workspace, name: str, url: str, username: str | None,
                password: str | None) -> tuple[Account, str | None]:
    """Store the account (its password in the keyring or the 0600 file, never here)."""
    from tengnuo.sync.credentials import save_password

    if not url.startswith(("http://", "https://")):
        raise InvalidInputError([Issue("the server URL must start with http:// or https://",
                                       field="url")])
    account = Account(name, url.rstrip("/") + "/", username)
    where = save_password(name, password) if password else None
    with ws.change() as s:
        Remote(s.conn).put_account(account)
    return account, where


def accounts(ws: Workspace) -> list[Account]:
    with ws.read() as s:
        return Remote(s.conn).accounts()


def remove_account(ws: Workspace, name: str) -> None:
    from tengnuo.sync.credentials import forget_password

    need_account(ws, name)
    with ws.change() as s:
        Remote(s.conn).remove_account(name)
    forget_password(name)


def server_calendars(ws: Workspace, name: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """The calendars on the account's server: (name, URL, components such as VEVENT)."""
    from tengnuo.sync.storage_caldav import calendars

    account = need_account(ws, name)
    return calendars(account.url, account.username, _password(account))


def subscribe(ws: Workspace, account_name: str, calendar: str, role: str, *,
              all_day_free: bool = False, me: tuple[str, ...] = ()) -> RemoteCalendar:
    """Use a server calendar for busy time (`events`) or as a task list (`tasks`)."""
    if role not in ("events", "tasks"):
        raise InvalidInputError([Issue("subscribe to events or tasks", field="role")])
    account = need_account(ws, account_name)
    url = _calendar_url(ws, account, calendar)
    cal = RemoteCalendar(f"{account.name}/{calendar.rstrip('/').split('/')[-1]}",
                         account.name, url, role, all_day_free, me)
    with ws.change() as s:
        Remote(s.conn).put_calendar(cal)
    return cal


def publish(ws: Workspace, account_name: str, name: str) -> RemoteCalendar:
    """Write the plan into the calendar `name` (created when missing) at every sync."""
    from tengnuo.sync.storage_caldav import ensure_calendar

    account = need_account(ws, account_name)
    url = ensure_calendar(account.url, name, account.username, _password(account))
    cal = RemoteCalendar(f"{account.name}/{name}", account.name, url, "plan")
    with ws.change() as s:
        remote = Remote(s.conn)
        for old in remote.calendars("plan"):
            remote.remove_calendar(old.id)  # one plan calendar
        remote.put_calendar(cal)
    return cal


def _calendar_url(ws: Workspace, account: Account, calendar: str) -> str:
    if calendar.startswith(("http://", "https://")):
        return calendar
    found = [u for n, u, _ in server_calendars(ws, account.name)
             if calendar in (n, u.rstrip("/").split("/")[-1])]
    if not found:
        raise InvalidInputError([Issue(f"no calendar {calendar!r} on {account.url}; see "
                                       f"`tengnuo account calendars {account.name}`",
                                       field="calendar")])
    return found[0]


def remote_calendars(ws: Workspace) -> list[RemoteCalendar]:
    with ws.read() as s:
        return Remote(s.conn).calendars()


def unsubscribe(ws: Workspace, cal_id: str) -> None:
    with ws.change() as s:
        if not Remote(s.conn).remove_calendar(cal_id):
            raise InvalidInputError([Issue(f"no calendar {cal_id!r}", field="calendar")])


# --- sync ----------------------------------------------------------------------------------


@dataclass
class CalendarSync:
    """What one calendar's sync did, or why it did not."""

    calendar: RemoteCalendar
    report: SyncReport = field(default_factory=SyncReport)
    pulled: tuple[int, int, int] | None = None  # events added, changed, removed
    error: str | None = None


def sync_all(ws: Workspace, now: datetime, *, force: bool = False,
             connect: Connect = caldav) -> list[CalendarSync]:
    """Pull events, sync task lists both ways, push the plan; one calendar's failure is
    reported and does not stop the others."""
    done = []
    for cal in remote_calendars(ws):
        result = CalendarSync(cal)
        try:
            account = need_account(ws, cal.account)
            storage = connect(cal.url, account.username, _password(account))
            _sync_one(ws, cal, storage, result, force)
        except (SyncError, OSError, ValueError) as error:
            result.error = str(error)
        done.append(result)
    return done


def _sync_one(ws: Workspace, cal: RemoteCalendar, storage: CalendarStorage,
              result: CalendarSync, force: bool) -> None:
    from tengnuo.sync.status import SqliteStatus

    if cal.role == "events":
        from tengnuo.sync.pull import pull

        with ws.read() as s:
            counts, items = pull(storage, Remote(s.conn), cal.id, force=force)
        with ws.change() as s:
            Remote(s.conn).replace_items(cal.id, items)
            Remote(s.conn).mark_synced(cal.id)
        result.pulled = (counts.added, counts.changed, counts.removed)
    elif cal.role == "tasks":
        from tengnuo.sync.sync import sync
        from tengnuo.sync.tasks import TaskListStorage, merge_todos

        local = TaskListStorage(ws, cal.id, settings(ws).tz)
        result.report = sync(local, storage, SqliteStatus(ws.conn, cal.id), merge_todos,
                             force=force)
    else:
        from tengnuo.sync.push import push

        result.report = push(plan_items(ws), storage, SqliteStatus(ws.conn, cal.id),
                             force=force)


def plan_items(ws: Workspace) -> list[Item]:
    """The current plan's blocks, one calendar object each, with their stable UIDs."""
    from tengnuo.formats.ics import blocks_to_ics

    current = ws.plan()
    if current is None:
        return []
    tz = settings(ws).tz
    with ws.read() as s:
        remote = Remote(s.conn)
        related = {task_id: uid for cal in remote.calendars("tasks")
                   for task_id, (uid, _) in remote.task_sources(cal.id).items()}
    return [Item(text) for text in blocks_to_ics(current.plan.blocks, tz, stamp=current.created,
                                                 related=related)]


def summary(result: CalendarSync) -> str:
    """`3 new, 1 changed, 0 removed events` / `here: 1 updated; server: 2 created` / ..."""
    if result.pulled is not None:
        added, changed, removed = result.pulled
        return f"{added} new, {changed} changed, {removed} removed events"
    parts = []
    for side, label in (("local", "here"), ("remote", "server")):
        writes = result.report.writes(side)
        if writes:
            counts = {a: sum(1 for c in writes if c.action == a)
                      for a in ("create", "update", "delete")}
            parts.append(f"{label}: " + ", ".join(f"{n} {a}d" for a, n in counts.items()
                                                  if n))
    if result.report.conflicts:
        parts.append(f"{len(result.report.conflicts)} left as edited in the calendar")
    if result.report.skipped:
        parts.append(f"{len(result.report.skipped)} changed meanwhile, next sync")
    return "; ".join(parts) or "no changes"
