"""What every CalendarStorage must do (vdirsyncer's StorageTests): one contract, run for the
memory backend and for CalDavStorage on a real Radicale and a real Xandikos, each test on a
calendar of its own. Servers rewrite what they store (property order, folding, added fields),
so items are compared by meaning: parsed with icalendar, and recurring series by their expanded
instants over two years across DST changes."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import icalendar
import pytest
import recurring_ical_events
from conftest import new_calendar

from tengnuo.errors import SyncError
from tengnuo.sync.storage import (
    CalendarStorage,
    Item,
    ItemNotFoundError,
    MemoryStorage,
    PreconditionFailedError,
)
from tengnuo.sync.storage_caldav import CalDavStorage, calendars, ensure_calendar

HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tengnuo//tests//EN\r\n"
TAIL = "END:VCALENDAR\r\n"
STAMP = "DTSTAMP:20260101T000000Z\r\n"

BERLIN = (
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n")


def event(uid: str, summary: str = "Meeting", start: str = "20260310T090000Z") -> Item:
    return Item(f"{HEAD}BEGIN:VEVENT\r\nUID:{uid}\r\n{STAMP}DTSTART:{start}\r\n"
                f"DURATION:PT1H\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n{TAIL}")


def todo(uid: str, summary: str = "Write report") -> Item:
    return Item(f"{HEAD}BEGIN:VTODO\r\nUID:{uid}\r\n{STAMP}DUE;VALUE=DATE:20260320\r\n"
                f"PRIORITY:1\r\nSTATUS:NEEDS-ACTION\r\nSUMMARY:{summary}\r\nEND:VTODO\r\n{TAIL}")


def series(uid: str) -> Item:
    """Weekly on Monday 08:30 Berlin time for two years, one instance moved across the March
    DST change, one cancelled by EXDATE, one overridden with another title and length."""
    return Item(
        f"{HEAD}{BERLIN}"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\n{STAMP}DTSTART;TZID=Europe/Berlin:20260105T083000\r\n"
        "DTEND;TZID=Europe/Berlin:20260105T093000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=104\r\n"
        "EXDATE;TZID=Europe/Berlin:20260406T083000\r\n"
        "SUMMARY:Weekly planning with a long title that servers may fold over more than one "
        "line of seventy-five octets\r\nEND:VEVENT\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\n{STAMP}RECURRENCE-ID;TZID=Europe/Berlin:20260330T083000\r\n"
        "DTSTART;TZID=Europe/Berlin:20260328T230000\r\nDTEND;TZID=Europe/Berlin:20260329T040000\r\n"
        "SUMMARY:Moved into the DST night\r\nEND:VEVENT\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\n{STAMP}RECURRENCE-ID;TZID=Europe/Berlin:20261026T083000\r\n"
        "DTSTART;TZID=Europe/Berlin:20261026T100000\r\nDTEND;TZID=Europe/Berlin:20261026T120000\r\n"
        "SUMMARY:Longer after the October change\r\nEND:VEVENT\r\n"
        f"{TAIL}")


def meaning(item: Item) -> list[tuple[str, str, str, str]]:
    """Every property of every component (name, params, value), in a canonical order."""
    out = []
    for component in icalendar.Calendar.from_ical(item.text).walk():
        if component.name == "VCALENDAR":
            continue
        for name, value in component.property_items(recursive=False, sorted=False):
            if name in ("BEGIN", "END"):
                continue
            params = sorted(getattr(value, "params", {}).items())
            raw = value.to_ical() if hasattr(value, "to_ical") else value
            text = raw.decode() if isinstance(raw, bytes) else str(raw)
            out.append((component.name, name, str(params), text))
    return sorted(out)


def instants(item: Item) -> list[tuple[datetime, datetime, str]]:
    """The expanded instances of a series in UTC, over 2026 and 2027."""
    calendar = icalendar.Calendar.from_ical(item.text)
    found = recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2028, 1, 1))
    return sorted((e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC),
                   str(e["SUMMARY"])) for e in found)


class StorageContract:
    """The cases; a subclass provides the `storage` fixture (an empty calendar)."""

    @pytest.fixture
    def storage(self) -> CalendarStorage:
        raise NotImplementedError

    def test_new_calendar_is_empty(self, storage):
        """A fresh collection lists no item."""
        assert storage.list() == {}

    def test_upload_then_list_and_get_round_trip(self, storage):
        """An uploaded item is listed under its href and ETag and reads back the same."""
        item = event("round-trip@test")
        href, etag = storage.upload(item)
        assert storage.list() == {href: etag}
        got, got_etag = storage.get(href)
        assert got_etag == etag
        assert got.uid == item.uid
        assert meaning(got) == meaning(item)

    def test_upload_of_existing_uid_is_refused(self, storage):
        """`upload` only creates: the same UID again is refused and the first copy kept."""
        href, etag = storage.upload(event("twice@test", "first"))
        with pytest.raises(PreconditionFailedError):
            storage.upload(event("twice@test", "second"))
        assert storage.list() == {href: etag}
        assert "first" in storage.get(href)[0].text

    def test_update_with_current_etag_changes_content_and_etag(self, storage):
        """A conditional update with the current ETag goes through and gets a new ETag."""
        href, etag = storage.upload(event("upd@test", "before"))
        new = storage.update(href, event("upd@test", "after"), etag)
        assert new != etag
        got, got_etag = storage.get(href)
        assert got_etag == new
        assert meaning(got) == meaning(event("upd@test", "after"))
        assert storage.list() == {href: new}

    def test_update_with_stale_etag_is_refused(self, storage):
        """Somebody else's change in between wins: the stale write is refused, nothing lost."""
        href, old = storage.upload(event("stale@test", "v1"))
        current = storage.update(href, event("stale@test", "v2"), old)
        with pytest.raises(PreconditionFailedError):
            storage.update(href, event("stale@test", "v3"), old)
        got, etag = storage.get(href)
        assert etag == current
        assert meaning(got) == meaning(event("stale@test", "v2"))

    def test_delete_with_stale_etag_is_refused(self, storage):
        """A delete naming an older version is refused and the item stays."""
        href, old = storage.upload(todo("del-stale@test", "v1"))
        current = storage.update(href, todo("del-stale@test", "v2"), old)
        with pytest.raises(PreconditionFailedError):
            storage.delete(href, old)
        assert storage.list() == {href: current}

    def test_delete_removes_the_item(self, storage):
        """After a delete with the current ETag the item is neither listed nor readable."""
        href, etag = storage.upload(event("gone@test"))
        storage.delete(href, etag)
        assert storage.list() == {}
        with pytest.raises(ItemNotFoundError):
            storage.get(href)

    def test_write_to_a_deleted_item_is_refused(self, storage):
        """Update and delete of an item deleted meanwhile fail (412 or 404), never recreate."""
        href, etag = storage.upload(event("vanished@test"))
        storage.delete(href, etag)
        with pytest.raises((PreconditionFailedError, ItemNotFoundError)):
            storage.update(href, event("vanished@test", "again"), etag)
        with pytest.raises((PreconditionFailedError, ItemNotFoundError)):
            storage.delete(href, etag)
        assert storage.list() == {}

    def test_get_of_missing_href_is_not_found(self, storage):
        """Reading an href that was never there raises ItemNotFoundError."""
        href, _ = storage.upload(event("present@test"))
        with pytest.raises(ItemNotFoundError):
            storage.get(href.replace("present", "absent"))

    def test_recurring_series_with_overrides_and_timezone_keeps_its_instants(self, storage):
        """RRULE + EXDATE + RECURRENCE-ID overrides + VTIMEZONE: the same instants come back
        (two years, both DST changes, an override moved into the spring-forward night)."""
        item = series("series@test")
        href, _ = storage.upload(item)
        got, _ = storage.get(href)
        assert len(instants(item)) == 103
        assert instants(got) == instants(item)
        assert meaning(got) == meaning(item)

    def test_todo_round_trip(self, storage):
        """A VTODO with due date, priority and status survives."""
        href, _ = storage.upload(todo("todo@test"))
        got, _ = storage.get(href)
        assert meaning(got) == meaning(todo("todo@test"))

    def test_uid_with_odd_characters(self, storage):
        """A UID with slash, space and at sign gets a safe href and reads back unchanged."""
        item = event("a/b c@x")
        href, etag = storage.upload(item)
        assert storage.list() == {href: etag}
        got, _ = storage.get(href)
        assert got.uid == "a/b c@x"
        new = storage.update(href, event("a/b c@x", "renamed"), etag)
        storage.delete(href, new)
        assert storage.list() == {}

    def test_many_items_are_listed_with_distinct_etags(self, storage):
        """50 items: all listed, each with its own href and ETag."""
        made = dict(storage.upload(event(f"many-{i}@test", f"item {i}")) for i in range(50))
        listed = storage.list()
        assert listed == made
        assert len(set(listed.values())) == 50


class TestMemoryStorage(StorageContract):
    @pytest.fixture
    def storage(self) -> CalendarStorage:
        return MemoryStorage()


@pytest.mark.caldav
class CalDavContract(StorageContract):
    """The contract plus what only a server does: hrefs written by other clients, discovery."""

    server_fixture = ""

    @pytest.fixture
    def server(self, request):
        return request.getfixturevalue(self.server_fixture)

    @pytest.fixture
    def storage(self, server) -> CalendarStorage:
        return new_calendar(server)

    def test_item_at_href_with_space_and_percent_from_another_client(self, server, storage):
        """An href another client chose (space, %, non-ASCII) lists, reads, updates, deletes."""
        other = _raw_put(server, storage, "ein Termin 100%-ü.ics", event("foreign@test"))
        listed = storage.list()
        assert list(listed) == [other]
        got, etag = storage.get(other)
        assert got.uid == "foreign@test"
        new = storage.update(other, event("foreign@test", "edited"), etag)
        storage.delete(other, new)
        assert storage.list() == {}

    def test_etag_read_back_when_put_answer_has_none(self, storage, monkeypatch):
        """A server that sends no ETag on PUT: the storage asks for it with a PROPFIND."""
        client = storage.server.client
        real_request = client.request

        def without_etag(url, method="GET", body="", headers=None):
            response = real_request(url, method, body, headers)
            if method == "PUT":
                response.headers = {k: v for k, v in response.headers.items()
                                     if k.lower() != "etag"}
            return response

        monkeypatch.setattr(client, "request", without_etag)
        href, etag = storage.upload(event("no-etag@test"))
        assert storage.list() == {href: etag}
        new = storage.update(href, event("no-etag@test", "v2"), etag)
        assert storage.list() == {href: new}

    def test_missing_calendar_is_a_sync_error_not_an_empty_list(self, server):
        """A calendar URL that does not exist must not look like an emptied calendar."""
        missing = CalDavStorage(f"{server.url}nobody-{uuid.uuid4().hex}/nothing/",
                                server.username, server.password)
        with pytest.raises(SyncError, match="no calendar at"):
            missing.list()

    def test_calendars_and_ensure_calendar(self, server):
        """ensure_calendar makes a missing calendar once and finds it again by name."""
        name = f"plan {uuid.uuid4().hex[:6]}"
        url = ensure_calendar(server.url, name, server.username, server.password,
                              components=("VEVENT",))
        assert ensure_calendar(server.url, name, server.username, server.password) == url
        found = {u: (n, kinds) for n, u, kinds in
                 calendars(server.url, server.username, server.password)}
        assert found[url][0] == name
        assert "VEVENT" in found[url][1]
        assert CalDavStorage(url, server.username, server.password).list() == {}


def _raw_put(server, storage: CalDavStorage, name: str, item: Item) -> str:
    """PUT `item` at an href of another client's choosing; returns the href in path form."""
    from urllib.parse import quote

    path = f"{storage.path}{name}"
    response = storage.server.client.request(
        storage.server.origin + quote(path), "PUT", item.text,
        {"Content-Type": "text/calendar", "If-None-Match": "*"})
    assert response.status in (201, 204), response.status
    return path


class TestRadicale(CalDavContract):
    server_fixture = "radicale"


class TestXandikos(CalDavContract):
    server_fixture = "xandikos"
