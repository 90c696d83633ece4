"""The plan pushed into its calendar: created, updated in place, stale ones deleted, and the
person's own edits and events never overwritten or touched."""

from __future__ import annotations

import pytest

from tengnuo.sync.push import push
from tengnuo.sync.status import MemoryStatus
from tengnuo.sync.storage import Item, MemoryStorage
from tengnuo.sync.sync import MassDeletionError


def event(uid: str, start: str) -> Item:
    return Item("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
                f"UID:{uid}\r\nDTSTART:{start}\r\nDURATION:PT1H\r\nSUMMARY:{uid}\r\n"
                "END:VEVENT\r\nEND:VCALENDAR\r\n")


def texts(storage: MemoryStorage) -> dict[str, str]:
    return {item.uid: item.text for item, _ in storage.items.values()}


def test_blocks_are_created_then_a_second_push_writes_nothing():
    remote, status = MemoryStorage(), MemoryStatus()
    plan = [event("a.1@tengnuo", "20261207T010000Z"), event("b@tengnuo", "20261207T030000Z")]
    first = push(plan, remote, status)
    assert [c.action for c in first.changes] == ["create", "create"]
    assert set(texts(remote)) == {"a.1@tengnuo", "b@tengnuo"}
    assert push(plan, remote, status).changes == []


def test_a_moved_block_is_updated_in_place_and_a_dropped_one_deleted():
    remote, status = MemoryStorage(), MemoryStatus()
    push([event("a@tengnuo", "20261207T010000Z"), event("b@tengnuo", "20261207T030000Z")],
         remote, status)
    hrefs = dict(remote.list())
    report = push([event("a@tengnuo", "20261207T050000Z")], remote, status)
    assert sorted((c.action, c.uid) for c in report.changes) == [
        ("delete", "b@tengnuo"), ("update", "a@tengnuo")]
    assert "20261207T050000Z" in texts(remote)["a@tengnuo"]
    assert set(remote.list()) <= set(hrefs), "updated in place, not deleted and recreated"


def test_an_edit_made_in_the_calendar_is_never_overwritten_nor_deleted():
    remote, status = MemoryStorage(), MemoryStatus()
    push([event("a@tengnuo", "20261207T010000Z")], remote, status)
    href, etag = next(iter(remote.list().items()))
    remote.update(href, event("a@tengnuo", "20261207T090000Z"), etag)  # moved by the person
    report = push([event("a@tengnuo", "20261207T050000Z")], remote, status)
    assert report.changes == []
    assert report.conflicts == ["a@tengnuo"]
    assert "20261207T090000Z" in texts(remote)["a@tengnuo"]
    report = push([], remote, status)  # no longer planned: still left as the person has it
    assert report.changes == []
    assert "a@tengnuo" in texts(remote)


def test_events_tengnuo_did_not_write_are_never_touched():
    remote, status = MemoryStorage(), MemoryStatus()
    remote.upload(event("dentist@example.com", "20261207T010000Z"))
    push([event("a@tengnuo", "20261207T050000Z")], remote, status)
    push([], remote, status)
    assert set(texts(remote)) == {"dentist@example.com"}


def test_a_calendar_that_lost_every_block_aborts_unless_forced():
    remote, status = MemoryStorage(), MemoryStatus()
    plan = [event("a@tengnuo", "20261207T010000Z"), event("b@tengnuo", "20261207T030000Z")]
    push(plan, remote, status)
    remote.items.clear()  # the server suddenly answers with an empty collection
    with pytest.raises(MassDeletionError, match="--force"):
        push(plan, remote, status)
    assert remote.items == {}
    assert len(push(plan, remote, status, force=True).changes) == 2
