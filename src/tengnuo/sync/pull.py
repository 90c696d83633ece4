"""Events of a subscribed calendar, fetched into the workspace's cache (read-only: tengnuo
never writes to a calendar it only reads). Only items whose ETag changed are downloaded."""

from __future__ import annotations

from dataclasses import dataclass

from tengnuo.store.remote import Remote
from tengnuo.sync.storage import CalendarStorage
from tengnuo.sync.sync import MassDeletionError, looks_emptied


@dataclass(frozen=True)
class Pulled:
    added: int
    changed: int
    removed: int


def pull(storage: CalendarStorage, remote: Remote, cal_id: str, *,
         force: bool = False) -> tuple[Pulled, dict[str, tuple[str, str]]]:
    """The calendar's items now (href -> (ETag, body)) and what changed against the cache.

    The caller stores the result with `Remote.replace_items` in one transaction.

    Raises:
        MassDeletionError: the calendar lost most of what the cache had (not stored).
    """
    cached = remote.items(cal_id)
    listed = storage.list()
    kept = sum(1 for href in cached if href in listed)
    if not force and looks_emptied(len(cached), kept):
        raise MassDeletionError(
            f"{cal_id} now lists {kept} of the {len(cached)} events it had at the last sync; "
            "the last copy is kept and plans still use it. If the events were really deleted, "
            "run the sync again with --force.")
    items: dict[str, tuple[str, str]] = {}
    added = changed = 0
    for href, etag in listed.items():
        if href in cached and cached[href][0] == etag:
            items[href] = cached[href]
            continue
        item, etag = storage.get(href)
        items[href] = (etag, item.text)
        added += href not in cached
        changed += href in cached
    return Pulled(added, changed, len(cached) - kept), items
