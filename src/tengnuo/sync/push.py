"""One-way sync of the plan into its calendar: tengnuo's blocks are the truth, but a change the
person made in their calendar app is never overwritten and an event tengnuo did not write is
never touched.

For each block (by its stable UID): missing remotely → created (If-None-Match); changed in the
plan and untouched remotely since the last sync → updated in place (If-Match); changed on both
sides → left as the person has it (reported). A block no longer in the plan is deleted only if
it is still as tengnuo wrote it. A refused write (412) re-reads the item and decides again.
"""

from __future__ import annotations

from tengnuo.sync.status import Entry, Status
from tengnuo.sync.storage import CalendarStorage, Item, ItemNotFoundError, PreconditionFailedError
from tengnuo.sync.sync import (
    RETRIES,
    Change,
    MassDeletionError,
    Side,
    SyncReport,
    looks_emptied,
    scan,
)


def push(items: list[Item], remote: CalendarStorage, status: Status, *,
         force: bool = False) -> SyncReport:
    """Make the remote calendar show `items` (see the module docstring); returns the writes."""
    wanted = {item.uid: item for item in items}
    entries = status.entries()
    rem = scan(remote, "remote", {e.remote_href: (u, e.remote_etag) for u, e in entries.items()})
    if not force:
        _guard(entries, rem)
    report = SyncReport()
    for uid in sorted(set(wanted) | set(entries)):
        for _ in range(RETRIES):
            try:
                _place(uid, wanted.get(uid), rem, status, report)
                break
            except (PreconditionFailedError, ItemNotFoundError):
                rem.refresh(uid)
        else:
            report.skipped.append(uid)
    return report


def _guard(entries: dict[str, Entry], rem: Side) -> None:
    still = sum(1 for uid in entries if uid in rem.by_uid)
    if looks_emptied(len(entries), still):
        raise MassDeletionError(
            f"the plan calendar now holds {still} of the {len(entries)} blocks tengnuo wrote "
            "at the last sync; that looks like a server or account problem, so nothing was "
            "written. If you emptied it on purpose, run the sync again with --force.")


def _place(uid: str, item: Item | None, rem: Side, status: Status, report: SyncReport) -> None:
    entry = status.entries().get(uid)
    there = rem.by_uid.get(uid)
    touched = entry is not None and there is not None and \
        there != (entry.remote_href, entry.remote_etag)
    if item is None:  # no longer planned
        if there is not None and entry is not None and not touched:
            rem.storage.delete(*there)
            del rem.by_uid[uid]
            report.changes.append(Change("remote", "delete", uid))
        elif there is not None:
            report.conflicts.append(uid)  # edited in the calendar: left there
        status.remove(uid)
        return
    if there is None:
        href, etag = rem.storage.upload(item)
        _written(uid, item, (href, etag), rem, status, report, "create")
    elif entry is None:
        if rem.item(uid).hash == item.hash:
            status.put(uid, Entry(uid, item.hash, *there))
        else:
            report.conflicts.append(uid)  # a same-UID event we did not write: not ours
    elif touched:
        report.conflicts.append(uid)
    elif entry.local_etag != item.hash:
        etag = rem.storage.update(there[0], item, there[1])
        _written(uid, item, (there[0], etag), rem, status, report, "update")


def _written(uid: str, item: Item, at: tuple[str, str], rem: Side, status: Status,
             report: SyncReport, action: str) -> None:
    rem.by_uid[uid], rem.items[uid] = at, item
    status.put(uid, Entry(uid, item.hash, *at))
    report.changes.append(Change("remote", action, uid))
