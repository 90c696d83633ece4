"""Calendar storage: the interface sync works against, and the in-memory backend.

A storage holds items (one iCalendar object each: a VEVENT or a VTODO with its overrides) at
hrefs, each with an ETag that changes whenever the item does. Writes are conditional, as in
CalDAV: `upload` only creates (If-None-Match: *), `update` and `delete` only act on the version
they name (If-Match), so a change made meanwhile by someone else is never overwritten blindly.
The CalDAV backend lives in `storage_caldav.py` (the only module that imports caldav).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass
from typing import Protocol

from tengnuo.errors import SyncError

_UID = re.compile(r"^UID:(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Item:
    """One calendar object as text; `uid` is its UID (the first one, for a series)."""

    text: str

    @property
    def uid(self) -> str:
        match = _UID.search(self.text.replace("\r\n", "\n").replace("\n ", ""))
        if match is None:
            raise ValueError("calendar object without a UID")
        return match.group(1).strip()

    @property
    def hash(self) -> str:
        """A hash of what the item means: servers reorder properties, refold lines and add a
        DTSTAMP, none of which is a change (vdirsyncer's normalised hash)."""
        return hashlib.sha256(_normalised(self.text).encode()).hexdigest()


class PreconditionFailedError(SyncError):
    """The item changed (or appeared, or went) since its ETag was read: HTTP 412."""


class ItemNotFoundError(SyncError):
    """No item at that href (any more)."""


class CalendarStorage(Protocol):
    """What sync needs of a calendar collection."""

    def list(self) -> dict[str, str]:
        """Every item's href and ETag."""
        ...

    def get(self, href: str) -> tuple[Item, str]:
        """The item at `href` and its ETag."""
        ...

    def upload(self, item: Item) -> tuple[str, str]:
        """Create `item` (never overwriting); returns its href and ETag."""
        ...

    def update(self, href: str, item: Item, etag: str) -> str:
        """Replace the item at `href` if it still has `etag`; returns the new ETag."""
        ...

    def delete(self, href: str, etag: str) -> None:
        """Delete the item at `href` if it still has `etag`."""
        ...


class MemoryStorage:
    """A storage in a dict: the reference backend of the contract tests."""

    def __init__(self) -> None:
        self.items: dict[str, tuple[Item, str]] = {}
        self._etags = itertools.count(1)

    def _etag(self) -> str:
        return f'"{next(self._etags)}"'

    def list(self) -> dict[str, str]:
        return {href: etag for href, (_, etag) in self.items.items()}

    def get(self, href: str) -> tuple[Item, str]:
        if href not in self.items:
            raise ItemNotFoundError(f"no item at {href}")
        return self.items[href]

    def upload(self, item: Item) -> tuple[str, str]:
        href = f"{_safe(item.uid)}.ics"
        if href in self.items:
            raise PreconditionFailedError(f"{href} exists already")
        etag = self._etag()
        self.items[href] = (item, etag)
        return href, etag

    def update(self, href: str, item: Item, etag: str) -> str:
        self._check(href, etag)
        new = self._etag()
        self.items[href] = (item, new)
        return new

    def delete(self, href: str, etag: str) -> None:
        self._check(href, etag)
        del self.items[href]

    def _check(self, href: str, etag: str) -> None:
        if href not in self.items:
            raise PreconditionFailedError(f"{href} is gone")
        if self.items[href][1] != etag:
            raise PreconditionFailedError(f"{href} changed meanwhile")


IGNORED = frozenset({"DTSTAMP", "LAST-MODIFIED", "CREATED", "PRODID", "SEQUENCE"})


def _normalised(text: str) -> str:
    """Each component's properties, sorted, without those that servers set on their own."""
    import icalendar

    try:
        components = icalendar.Calendar.from_ical(text, multiple=True)
    except ValueError:
        return text.replace("\r\n", "\n").replace("\n ", "")
    lines: list[str] = []
    for calendar in components:
        for component in calendar.walk():
            props = sorted(f"{name}:{_text(value)}"
                           for name, value in component.property_items(recursive=False)
                           if name not in IGNORED)
            lines.append("\n".join(props))
    return "\n--\n".join(sorted(lines))


def _text(value: object) -> str:
    """A property value as iCalendar text (`to_ical` gives bytes or str by type)."""
    raw = value.to_ical() if hasattr(value, "to_ical") else value
    return raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)


def _safe(uid: str) -> str:
    """An href segment from a UID (CalDAV servers accept these characters everywhere)."""
    cleaned = re.sub(r"[^A-Za-z0-9._@-]", "_", uid)
    return cleaned if cleaned == uid else f"{cleaned}-{hashlib.sha1(uid.encode()).hexdigest()[:8]}"
