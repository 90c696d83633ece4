"""Edits on both sides interleaved with syncs (hypothesis state machine, as vdirsyncer's
SyncMachine): no item is lost unless deleted, none is duplicated, and after a sync both sides
hold the same items, so a second sync writes nothing."""

from __future__ import annotations

import hypothesis.strategies as st
import pytest
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

from tengnuo.sync.status import MemoryStatus
from tengnuo.sync.storage import CalendarStorage, Item, MemoryStorage
from tengnuo.sync.sync import MassDeletionError, sync

# Printable text: servers drop control characters, which is not what this machine tests.
SUMMARIES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                    max_size=8).filter(lambda s: s.strip() == s and s)


def todo(uid: str, summary: str) -> Item:
    """A to-do as iCalendar text, escaped as the format wants (a bare `\\` or `,` is not)."""
    escaped = summary.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return Item("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VTODO\r\n"
                f"UID:{uid}\r\nSUMMARY:{escaped}\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")


def uids(storage: CalendarStorage) -> list[str]:
    return [storage.get(href)[0].uid for href in storage.list()]


def contents(storage: CalendarStorage) -> dict[str, str]:
    """UID -> meaning hash of every item."""
    return {item.uid: item.hash for item, _ in (storage.get(h) for h in storage.list())}


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.sides: dict[str, CalendarStorage] = {"local": MemoryStorage(),
                                                  "remote": self.remote()}
        self.status = MemoryStatus()
        self.alive: set[str] = set()  # created and not deleted anywhere since the last sync
        self.counter = 0

    def remote(self) -> CalendarStorage:
        """The remote side: in memory here, a real server in the subclass below."""
        return MemoryStorage()

    @rule(side=st.sampled_from(["local", "remote"]), summary=SUMMARIES)
    def create(self, side: str, summary: str) -> None:
        self.counter += 1
        uid = f"item-{self.counter}@test"
        self.sides[side].upload(todo(uid, summary))
        self.alive.add(uid)

    @rule(side=st.sampled_from(["local", "remote"]), pick=st.integers(0, 1000),
          summary=SUMMARIES)
    def update(self, side: str, pick: int, summary: str) -> None:
        storage = self.sides[side]
        hrefs = sorted(storage.list())
        if not hrefs:
            return
        href = hrefs[pick % len(hrefs)]
        item, etag = storage.get(href)
        storage.update(href, todo(item.uid, summary), etag)

    @rule(side=st.sampled_from(["local", "remote"]), pick=st.integers(0, 1000))
    def delete(self, side: str, pick: int) -> None:
        storage = self.sides[side]
        hrefs = sorted(storage.list())
        if not hrefs:
            return
        href = hrefs[pick % len(hrefs)]
        item, etag = storage.get(href)
        storage.delete(href, etag)
        self.alive.discard(item.uid)

    @rule()
    def sync_both(self) -> None:
        local, remote = self.sides["local"], self.sides["remote"]
        try:
            sync(local, remote, self.status)
        except MassDeletionError:
            known = self.status.entries()
            assert len([u for u in known if u in uids(remote)]) * 2 <= len(known)
            sync(local, remote, self.status, force=True)
        self.check_converged()
        quiet = sync(local, remote, self.status)
        assert quiet.changes == [], "a second sync with no change wrote something"
        self.alive = set(uids(local))

    def check_converged(self) -> None:
        local, remote = self.sides["local"], self.sides["remote"]
        for storage in (local, remote):
            assert len(uids(storage)) == len(set(uids(storage))), "duplicate UID"
        assert self.alive <= set(uids(local)), "an item that was never deleted was lost"
        assert contents(local) == contents(remote), "both sides hold the same items"



SyncMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=30,
                                         deadline=None)
test_sync_machine = SyncMachine.TestCase


@pytest.mark.caldav
def test_sync_machine_against_radicale(radicale):
    """The same machine with a real CalDAV server as the remote side (fewer, shorter runs)."""
    from conftest import new_calendar

    class AgainstRadicale(SyncMachine):
        def remote(self) -> CalendarStorage:
            return new_calendar(radicale)

    run_state_machine_as_test(AgainstRadicale, settings=settings(
        max_examples=40, stateful_step_count=12, deadline=None))
