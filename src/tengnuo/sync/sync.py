"""Two-way sync of calendar items between a local and a remote storage, decide-then-act.

For every UID the last sync saw or either side has now, `decide` compares both sides with the
status (what the last sync saw) and picks one action; `sync` runs them in order and records each
success in the status at once. Nothing is ever written blindly: remote writes are conditional,
and a write refused because the item changed meanwhile (412) re-reads it and decides again,
so a concurrent change is merged, never overwritten, and an item is never deleted and recreated.
A remote side that suddenly looks empty, or lost most items it had, aborts the sync before any
write (a server answering with an empty collection must not empty the person's workspace).

Modelled on vdirsyncer's `sync/__init__.py`. Imports only `sync.storage` and `sync.status`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tengnuo.errors import SyncError
from tengnuo.sync.status import Entry, Status
from tengnuo.sync.storage import CalendarStorage, Item, ItemNotFoundError, PreconditionFailedError

Resolver = Callable[[Item, Item], Item]
"""Merges a local and a remote version of one item that both changed (returns the result)."""

MASS_LOSS_SHARE = 0.5  # a remote that lost more than this share of known items: abort
MASS_LOSS_MIN = 4  # ... when it knew at least this many
RETRIES = 3  # re-decisions of one item after 412s before giving up on it this time


class MassDeletionError(SyncError):
    """The remote side lost (nearly) everything since the last sync: likely a server problem."""


@dataclass(frozen=True)
class Change:
    side: str  # "local" | "remote": where the write happened
    action: str  # "create" | "update" | "delete"
    uid: str


@dataclass
class SyncReport:
    changes: list[Change] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # UIDs merged after both sides changed
    skipped: list[str] = field(default_factory=list)  # UIDs left for the next sync (kept 412s)

    def writes(self, side: str) -> list[Change]:
        return [c for c in self.changes if c.side == side]


@dataclass
class Side:
    """One storage as seen at the start of the sync: UID -> (href, ETag), items fetched once."""

    storage: CalendarStorage
    name: str
    by_uid: dict[str, tuple[str, str]] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)

    def item(self, uid: str) -> Item:
        if uid not in self.items:
            self.items[uid] = self.storage.get(self.by_uid[uid][0])[0]
        return self.items[uid]

    def refresh(self, uid: str) -> None:
        """Read the item again after a refused write (it may have changed or gone)."""
        self.items.pop(uid, None)
        hrefs = self.storage.list()
        href = self.by_uid.get(uid, ("", ""))[0]
        if href in hrefs:
            item, etag = self.storage.get(href)
            self.by_uid[uid] = (href, etag)
            self.items[uid] = item
        else:
            self.by_uid.pop(uid, None)


def scan(storage: CalendarStorage, name: str, known: dict[str, tuple[str, str]]) -> Side:
    """List a storage; items whose (href, ETag) the status knows are not fetched again."""
    side = Side(storage, name)
    for href, etag in storage.list().items():
        uid = known.get(href, ("", ""))[0] if known.get(href, ("", ""))[1] == etag else ""
        if not uid:
            item, etag = storage.get(href)
            uid = item.uid
            side.items[uid] = item
        side.by_uid[uid] = (href, etag)
    return side


def sync(local: CalendarStorage, remote: CalendarStorage, status: Status,
         resolve: Resolver | None = None, *, force: bool = False) -> SyncReport:
    """Make both storages hold the same items; returns what was written where.

    Args:
        resolve: merges an item changed on both sides; by default the remote version wins,
            so a change made in the person's calendar app is never overwritten.
        force: sync even when the remote side lost most of its items.

    Raises:
        MassDeletionError: the remote looks emptied (see the module docstring).
    """
    entries = status.entries()
    loc = scan(local, "local", {e.local_href: (u, e.local_etag) for u, e in entries.items()})
    rem = scan(remote, "remote", {e.remote_href: (u, e.remote_etag) for u, e in entries.items()})
    if not force:
        _guard(entries, rem)
    report = SyncReport()
    for uid in sorted(set(entries) | set(loc.by_uid) | set(rem.by_uid)):
        _settle(uid, loc, rem, status, resolve or _remote_wins, report)
    return report


def _remote_wins(_local: Item, remote: Item) -> Item:
    return remote


def looks_emptied(known: int, still: int) -> bool:
    """A calendar that had `known` items at the last sync and has `still` of them now looks
    emptied by a server or account problem: all gone (of two or more), or most of several."""
    lost = known - still
    return (still == 0 and known >= 2) or (known >= MASS_LOSS_MIN and
                                           lost > MASS_LOSS_SHARE * known)


def _guard(entries: dict[str, Entry], rem: Side) -> None:
    known = len(entries)
    still = sum(1 for uid in entries if uid in rem.by_uid)
    lost = known - still
    if looks_emptied(known, still):
        raise MassDeletionError(
            f"the remote calendar now has {still} of the {known} items it had at the last "
            f"sync; that looks like a server or account problem, not {lost} deletions, so "
            "nothing was changed on either side. If you did delete them, run the sync again "
            "with --force.")


def _settle(uid: str, loc: Side, rem: Side, status: Status, resolve: Resolver,
            report: SyncReport) -> None:
    for _ in range(RETRIES):
        try:
            _act(uid, loc, rem, status, resolve, report)
            return
        except (PreconditionFailedError, ItemNotFoundError):
            loc.refresh(uid)
            rem.refresh(uid)
    report.skipped.append(uid)


def _act(uid: str, loc: Side, rem: Side, status: Status, resolve: Resolver,
         report: SyncReport) -> None:
    entry = status.entries().get(uid)
    here, there = loc.by_uid.get(uid), rem.by_uid.get(uid)
    if here is None and there is None:
        status.remove(uid)
        return
    if entry is None:
        _first_meeting(uid, loc, rem, status, resolve, report)
        return
    local_changed = here is not None and here != (entry.local_href, entry.local_etag)
    remote_changed = there is not None and there != (entry.remote_href, entry.remote_etag)
    if here is None:
        if remote_changed:  # changed there while deleted here: keep the change
            _copy(uid, rem, loc, status, report)
        else:
            _delete(uid, rem, status, report)
    elif there is None:
        if local_changed:
            _copy(uid, loc, rem, status, report)
        else:
            _delete(uid, loc, status, report)
    elif local_changed and remote_changed:
        _merge(uid, loc, rem, status, resolve, report)
    elif local_changed:
        _copy(uid, loc, rem, status, report)
    elif remote_changed:
        _copy(uid, rem, loc, status, report)


def _first_meeting(uid: str, loc: Side, rem: Side, status: Status, resolve: Resolver,
                   report: SyncReport) -> None:
    if uid not in rem.by_uid:
        _copy(uid, loc, rem, status, report)
    elif uid not in loc.by_uid:
        _copy(uid, rem, loc, status, report)
    else:
        _merge(uid, loc, rem, status, resolve, report)


def _copy(uid: str, source: Side, target: Side, status: Status, report: SyncReport) -> None:
    """Write source's version of `uid` to target (create or conditional update)."""
    item = source.item(uid)
    if uid in target.by_uid:
        href, etag = target.by_uid[uid]
        etag = target.storage.update(href, item, etag)
        action = "update"
    else:
        href, etag = target.storage.upload(item)
        action = "create"
    target.by_uid[uid], target.items[uid] = (href, etag), item
    _remember(uid, source, target, status)
    report.changes.append(Change(target.name, action, uid))


def _delete(uid: str, target: Side, status: Status, report: SyncReport) -> None:
    """`uid` was deleted on the other side and is unchanged on `target`: delete it there too."""
    href, etag = target.by_uid[uid]
    target.storage.delete(href, etag)
    del target.by_uid[uid]
    status.remove(uid)
    report.changes.append(Change(target.name, "delete", uid))


def _merge(uid: str, loc: Side, rem: Side, status: Status, resolve: Resolver,
           report: SyncReport) -> None:
    mine, theirs = loc.item(uid), rem.item(uid)
    if mine.hash != theirs.hash:
        merged = resolve(mine, theirs)
        report.conflicts.append(uid)
        for side, current in ((rem, theirs), (loc, mine)):
            if merged.hash != current.hash:
                href, etag = side.by_uid[uid]
                side.by_uid[uid] = (href, side.storage.update(href, merged, etag))
                side.items[uid] = merged
                report.changes.append(Change(side.name, "update", uid))
    _remember(uid, loc, rem, status)


def _remember(uid: str, a: Side, b: Side, status: Status) -> None:
    loc, rem = (a, b) if a.name == "local" else (b, a)
    (lh, le), (rh, re_) = loc.by_uid[uid], rem.by_uid[uid]
    status.put(uid, Entry(lh, le, rh, re_))
