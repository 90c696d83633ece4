"""Edits on both sides interleaved with syncs (hypothesis state machine, as vdirsyncer's
SyncMachine): no item is lost unless deleted, none is duplicated, and after a sync both sides
hold the same items, so a second sync writes nothing."""

from __future__ import annotations

import hypothesis.strategies as st
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tengnuo.sync.status import MemoryStatus
from tengnuo.sync.storage import Item, MemoryStorage
from tengnuo.sync.sync import MassDeletionError, sync


def todo(uid: str, summary: str) -> Item:
    return Item("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VTODO\r\n"
                f"UID:{uid}\r\nSUMMARY:{summary}\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")


def uids(storage: MemoryStorage) -> list[str]:
    return [item.uid for item, _ in storage.items.values()]


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.sides = {"local": MemoryStorage(), "remote": MemoryStorage()}
        self.status = MemoryStatus()
        self.alive: set[str] = set()  # created and not deleted anywhere since the last sync
        self.counter = 0

    @rule(side=st.sampled_from(["local", "remote"]), summary=st.text(min_size=1, max_size=8)
          .filter(lambda s: "\r" not in s and "\n" not in s))
    def create(self, side: str, summary: str) -> None:
        self.counter += 1
        uid = f"item-{self.counter}@test"
        self.sides[side].upload(todo(uid, summary))
        self.alive.add(uid)

    @precondition(lambda self: any(s.items for s in self.sides.values()))
    @rule(side=st.sampled_from(["local", "remote"]), pick=st.integers(0, 1000),
          summary=st.text(min_size=1, max_size=8).filter(lambda s: "\r" not in s and "\n" not in s))
    def update(self, side: str, pick: int, summary: str) -> None:
        storage = self.sides[side]
        if not storage.items:
            return
        href = sorted(storage.items)[pick % len(storage.items)]
        item, etag = storage.items[href]
        storage.update(href, todo(item.uid, summary), etag)

    @precondition(lambda self: any(s.items for s in self.sides.values()))
    @rule(side=st.sampled_from(["local", "remote"]), pick=st.integers(0, 1000))
    def delete(self, side: str, pick: int) -> None:
        storage = self.sides[side]
        if not storage.items:
            return
        href = sorted(storage.items)[pick % len(storage.items)]
        item, etag = storage.items[href]
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
            assert local.items == self.sides["local"].items  # nothing written before aborting
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
        assert sorted(uids(local)) == sorted(uids(remote))
        by_uid = {i.uid: i.hash for i, _ in remote.items.values()}
        assert all(by_uid[i.uid] == i.hash for i, _ in local.items.values())

    @invariant()
    def no_duplicates(self) -> None:
        for storage in self.sides.values():
            assert len(uids(storage)) == len(set(uids(storage)))


SyncMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=30,
                                         deadline=None)
test_sync_machine = SyncMachine.TestCase
