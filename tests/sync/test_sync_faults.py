"""Sync against a real Radicale while things go wrong: the server down, a server that never
answers, a failure at each step of a sync, and another client editing an item just before each
write. After every fault both sides hold only versions from before or after the sync (or the
other client's), no UID twice, nothing lost; the status names no write that did not happen; and
a later sync without faults converges, after which a sync writes nothing."""

from __future__ import annotations

import base64
import http.server
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from conftest import new_calendar

from tengnuo.errors import SyncError
from tengnuo.sync.status import Entry, MemoryStatus
from tengnuo.sync.storage import CalendarStorage, Item, MemoryStorage
from tengnuo.sync.storage_caldav import CalDavStorage
from tengnuo.sync.sync import sync

pytestmark = pytest.mark.caldav

SECRET = "pw-Zq81-never-shown"


def todo(uid: str, summary: str) -> Item:
    return Item("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tengnuo//tests//EN\r\n"
                f"BEGIN:VTODO\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n"
                f"SUMMARY:{summary}\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")


def summary(item: Item) -> str:
    for line in item.text.replace("\r\n", "\n").replace("\n ", "").split("\n"):
        if line.startswith("SUMMARY:"):
            return line.removeprefix("SUMMARY:")
    raise AssertionError("no SUMMARY")


def contents(storage: CalendarStorage) -> dict[str, str]:
    """UID -> summary; fails on a UID held twice."""
    out: dict[str, str] = {}
    for href in storage.list():
        item = storage.get(href)[0]
        assert item.uid not in out, f"{item.uid} twice"
        out[item.uid] = summary(item)
    return out


class Faults:
    """Wraps storages; counts calls across all of them, raises at call number `fail_at`, runs
    `before_write(storage, kind, href_or_item)` once before the `edit_at`-th write."""

    def __init__(self, fail_at: int = 0, edit_at: int = 0,
                 before_write: Callable[[Wrapped, str, object], None] | None = None) -> None:
        self.calls = 0
        self.writes = 0
        self.fail_at, self.edit_at, self.before_write = fail_at, edit_at, before_write

    def wrap(self, storage: CalendarStorage, name: str) -> Wrapped:
        return Wrapped(storage, name, self)


class Wrapped:
    def __init__(self, inner: CalendarStorage, name: str, faults: Faults) -> None:
        self.inner, self.name, self.faults = inner, name, faults
        self.written: list[tuple[str, str]] = []

    def _call(self, kind: str, target: object = None) -> None:
        faults = self.faults
        faults.calls += 1
        if faults.calls == faults.fail_at:
            raise SyncError(f"injected failure at call {faults.calls} ({self.name} {kind})")
        if kind in ("upload", "update", "delete"):
            faults.writes += 1
            if faults.writes == faults.edit_at and faults.before_write is not None:
                faults.before_write(self, kind, target)

    def list(self) -> dict[str, str]:
        self._call("list")
        return self.inner.list()

    def get(self, href: str) -> tuple[Item, str]:
        self._call("get")
        return self.inner.get(href)

    def upload(self, item: Item) -> tuple[str, str]:
        self._call("upload", item)
        result = self.inner.upload(item)
        self.written.append(("upload", item.uid))
        return result

    def update(self, href: str, item: Item, etag: str) -> str:
        self._call("update", href)
        result = self.inner.update(href, item, etag)
        self.written.append(("update", item.uid))
        return result

    def delete(self, href: str, etag: str) -> None:
        self._call("delete", href)
        self.inner.delete(href, etag)
        self.written.append(("delete", href))


# --- one scenario: every kind of change on both sides since the last sync --------------------

BEFORE = {"same": "same", "loc-edit": "v1", "rem-edit": "v1", "loc-del": "v1", "rem-del": "v1"}
AFTER = {"same": "same", "loc-edit": "v2 local", "rem-edit": "v2 remote",
         "loc-new": "new local", "rem-new": "new remote"}


def scenario(remote: CalendarStorage) -> tuple[MemoryStorage, MemoryStatus]:
    """Both sides synced with BEFORE, then changed on each side (AFTER is the goal)."""
    local, status = MemoryStorage(), MemoryStatus()
    for uid, text in BEFORE.items():
        local.upload(todo(uid, text))
    sync(local, remote, status)
    lh = {local.get(h)[0].uid: (h, e) for h, e in local.list().items()}
    rh = {remote.get(h)[0].uid: (h, e) for h, e in remote.list().items()}
    local.update(lh["loc-edit"][0], todo("loc-edit", "v2 local"), lh["loc-edit"][1])
    remote.update(rh["rem-edit"][0], todo("rem-edit", "v2 remote"), rh["rem-edit"][1])
    local.delete(*lh["loc-del"])
    remote.delete(*rh["rem-del"])
    local.upload(todo("loc-new", "new local"))
    remote.upload(todo("rem-new", "new remote"))
    return local, status


def check_consistent(local: CalendarStorage, remote: CalendarStorage, status: MemoryStatus,
                     before: dict[str, Entry], extra: dict[str, set[str]] | None = None) -> None:
    """Only before/after versions, nothing lost; status entries match a real state."""
    extra = extra or {}
    sides = {"local": contents(local), "remote": contents(remote)}
    for held in sides.values():
        for uid, text in held.items():
            allowed = {BEFORE.get(uid), AFTER.get(uid), *extra.get(uid, set())}
            assert text in allowed, f"{uid} holds {text!r}"
    for uid in AFTER:
        assert any(uid in held for held in sides.values()), f"{uid} lost"
    lists = {"local": local.list(), "remote": remote.list()}
    for uid, entry in status.entries().items():
        if before.get(uid) == entry:
            continue  # not reached by the failed sync
        assert lists["local"].get(entry.local_href) == entry.local_etag, uid
        assert lists["remote"].get(entry.remote_href) == entry.remote_etag, uid


def check_converges(local: CalendarStorage, remote: CalendarStorage,
                    status: MemoryStatus) -> dict[str, str]:
    sync(local, remote, status)
    assert contents(local) == contents(remote)
    counter = Faults()
    quiet_local, quiet_remote = counter.wrap(local, "local"), counter.wrap(remote, "remote")
    report = sync(quiet_local, quiet_remote, status)
    assert report.changes == []
    assert quiet_local.written == quiet_remote.written == []
    return contents(local)


@pytest.fixture
def remote(radicale) -> CalDavStorage:
    return new_calendar(radicale)


def test_sync_without_faults_reaches_the_goal_and_a_second_sync_writes_nothing(remote):
    """The scenario's sync gives AFTER on both sides; then no PUT or DELETE is sent."""
    local, status = scenario(remote)
    sync(local, remote, status)
    assert contents(local) == contents(remote) == AFTER
    counter = Faults()
    wrapped = counter.wrap(remote, "remote")
    assert sync(local, wrapped, status).changes == []
    assert wrapped.written == []
    assert counter.calls == 1  # one PROPFIND; bodies known by ETag are not fetched again


def _calls_of_one_sync(radicale) -> int:
    remote = new_calendar(radicale)
    local, status = scenario(remote)
    faults = Faults()
    sync(faults.wrap(local, "local"), faults.wrap(remote, "remote"), status)
    return faults.calls


def test_failure_at_each_call_of_a_sync_leaves_both_sides_consistent(radicale):
    """A server error at call k (k over every storage call of the sync, either side): the
    sync stops with SyncError, nothing is lost or doubled, and the next sync converges."""
    total = _calls_of_one_sync(radicale)
    assert total >= 10
    for k in range(1, total + 1):
        remote = new_calendar(radicale)
        local, status = scenario(remote)
        before = status.entries()
        faults = Faults(fail_at=k)
        with pytest.raises(SyncError, match="injected"):
            sync(faults.wrap(local, "local"), faults.wrap(remote, "remote"), status)
        check_consistent(local, remote, status, before)
        assert check_converges(local, remote, status) == AFTER, f"fault at call {k}"


class OtherClient:
    """A `before_write` that changes (or creates) the item as another client would."""

    def __init__(self, remote: CalendarStorage) -> None:
        self.remote = remote
        self.edited: list[tuple[str, str]] = []

    def __call__(self, wrapped: Wrapped, kind: str, target: object) -> None:
        store = self.remote if wrapped.name == "remote" else wrapped.inner
        if isinstance(target, Item):
            uid = target.uid
            store.upload(todo(uid, f"theirs {uid}"))
        else:
            item, etag = store.get(str(target))
            uid = item.uid
            store.update(str(target), todo(uid, f"theirs {uid}"), etag)
        self.edited.append((wrapped.name, uid))


def test_concurrent_edit_before_each_write_is_never_overwritten(radicale):
    """Another client changes the item just before each write (the write gets 412): the sync
    re-reads and decides again; a remote edit made meanwhile is kept (also over a delete), no
    item is lost or doubled, and the next sync is quiet."""
    remote = new_calendar(radicale)
    local, status = scenario(remote)
    faults = Faults()
    sync(faults.wrap(local, "local"), faults.wrap(remote, "remote"), status)
    writes = faults.writes
    assert writes >= 6
    for j in range(1, writes + 1):
        remote = new_calendar(radicale)
        other = CalDavStorage(remote.url, radicale.username, radicale.password)
        local, status = scenario(remote)
        before = status.entries()
        edit = OtherClient(other)
        faults = Faults(edit_at=j, before_write=edit)
        sync(faults.wrap(local, "local"), faults.wrap(remote, "remote"), status)
        (side, uid), = edit.edited
        theirs = {uid: {f"theirs {uid}"}}
        check_consistent(local, remote, status, before, theirs)
        final = check_converges(local, remote, status)
        if side == "remote":
            assert final[uid] == f"theirs {uid}", f"write {j}: the other client's edit was lost"
        # an edit made meanwhile outlives a delete: the item comes back on both sides
        assert set(final) == set(AFTER) | {uid}, f"write {j}"


# --- a server that is down, silent, or failing -------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sync_fails_cleanly(url: str, timeout: float = 10) -> SyncError:
    local, status = MemoryStorage(), MemoryStatus()
    local.upload(todo("kept", "mine"))
    remote = CalDavStorage(url, "someone", SECRET, timeout=timeout)
    with pytest.raises(SyncError) as info:
        sync(local, remote, status)
    assert contents(local) == {"kept": "mine"}
    assert status.entries() == {}
    message = str(info.value)
    assert url.split("//")[1].split("/")[0] in message
    assert SECRET not in message
    return info.value


def test_server_down_is_a_sync_error_naming_the_server():
    """Connection refused: SyncError naming the server and what to do; nothing changed."""
    error = _sync_fails_cleanly(f"http://127.0.0.1:{_closed_port()}/someone/plan/")
    assert "cannot reach" in str(error)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A socket that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/someone/plan/"
    finally:
        sock.close()


def test_silent_server_times_out_as_a_sync_error(silent_server):
    """A server that never answers: SyncError after the timeout, not a hang."""
    start = time.monotonic()
    error = _sync_fails_cleanly(silent_server, timeout=0.5)
    assert time.monotonic() - start < 5
    assert "did not answer" in str(error)


class _Fixed(http.server.BaseHTTPRequestHandler):
    status = 500

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(self.status)
        if self.status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="test"')
        if self.status == 503:
            self.send_header("Retry-After", "3600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PROPFIND = do_GET = do_PUT = do_DELETE = _answer  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def fixed_status_server() -> Iterator[Callable[[int], str]]:
    servers: list[http.server.HTTPServer] = []

    def start(status: int) -> str:
        handler = type("Handler", (_Fixed,), {"status": status})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/someone/plan/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("status", "words"), [
    (500, "server problem"), (503, "busy"), (401, "refused user 'someone'"),
    (403, "refused user 'someone'")])
def test_server_errors_become_sync_errors(fixed_status_server, status, words):
    """5xx and a refused login: SyncError naming the server and what to do, no password."""
    error = _sync_fails_cleanly(fixed_status_server(status))
    assert words in str(error)


def test_no_password_in_logs(radicale, caplog):
    """A whole sync logged at DEBUG (caldav, niquests, urllib3) shows no password."""
    storage = new_calendar(radicale)
    remote = CalDavStorage(storage.url, radicale.username, SECRET)
    local, status = MemoryStorage(), MemoryStatus()
    local.upload(todo("logged", "x"))
    with caplog.at_level(logging.DEBUG):
        sync(local, remote, status)
    encoded = base64.b64encode(f"{radicale.username}:{SECRET}".encode()).decode()
    assert caplog.text
    assert SECRET not in caplog.text
    assert encoded not in caplog.text


# --- the plan pushed into its calendar ---------------------------------------------------------


def block(uid: str, start: str) -> Item:
    return Item("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tengnuo//tests//EN\r\nBEGIN:VEVENT"
                f"\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start}\r\n"
                f"DURATION:PT1H\r\nSUMMARY:{uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


OLD_PLAN = [block("a@tengnuo", "20261207T010000Z"), block("b@tengnuo", "20261207T030000Z"),
            block("c@tengnuo", "20261207T050000Z")]
NEW_PLAN = [block("a@tengnuo", "20261207T010000Z"), block("b@tengnuo", "20261207T070000Z"),
            block("d@tengnuo", "20261207T090000Z")]


def starts(storage: CalendarStorage) -> dict[str, str]:
    out: dict[str, str] = {}
    for href in storage.list():
        item = storage.get(href)[0]
        assert item.uid not in out, f"{item.uid} twice"
        out[item.uid] = next((line for line in item.text.splitlines()
                              if line.startswith("DTSTART")), "")
    return out


def test_failure_at_each_call_of_a_plan_push_leaves_the_calendar_consistent(radicale):
    """A server error at each call of a replan's push: the calendar holds only old or new
    blocks, none twice; the person's own event is untouched; the next push converges and a
    push after it writes nothing."""
    from tengnuo.sync.push import push

    def pushed_old() -> tuple[CalendarStorage, MemoryStatus]:
        remote, status = new_calendar(radicale), MemoryStatus()
        remote.upload(todo("dentist", "mine"))
        push(OLD_PLAN, remote, status)
        return remote, status

    counting = Faults()
    probe, probe_status = pushed_old()
    push(NEW_PLAN, counting.wrap(probe, "remote"), probe_status)
    assert counting.calls >= 5  # list, then a delete, updates and a create
    old = {i.uid: i for i in OLD_PLAN}
    new = {i.uid: i for i in NEW_PLAN}
    for k in range(1, counting.calls + 1):
        remote, status = pushed_old()
        with pytest.raises(SyncError, match="injected"):
            push(NEW_PLAN, Faults(fail_at=k).wrap(remote, "remote"), status)
        for uid, start in starts(remote).items():
            allowed = {starts_of(old.get(uid)), starts_of(new.get(uid))} - {None}
            assert uid == "dentist" or start in allowed, f"call {k}: {uid} at {start}"
        assert "dentist" in starts(remote)
        push(NEW_PLAN, remote, status)
        assert set(starts(remote)) == {"a@tengnuo", "b@tengnuo", "d@tengnuo", "dentist"}
        quiet = Faults()
        assert push(NEW_PLAN, quiet.wrap(remote, "remote"), status).changes == []


def starts_of(item: Item | None) -> str | None:
    if item is None:
        return None
    return next(line for line in item.text.splitlines() if line.startswith("DTSTART"))


def test_a_plan_calendar_that_lost_most_blocks_stops_the_push(radicale):
    """Four of five blocks gone since the last push: nothing is written until --force."""
    from tengnuo.sync.push import push
    from tengnuo.sync.sync import MassDeletionError

    remote, status = new_calendar(radicale), MemoryStatus()
    plan = [block(f"x{i}@tengnuo", f"2026120{i + 1}T010000Z") for i in range(5)]
    push(plan, remote, status)
    for href, etag in list(remote.list().items())[:4]:
        remote.delete(href, etag)
    with pytest.raises(MassDeletionError, match="--force"):
        push(plan, remote, status)
    assert len(remote.list()) == 1
    push(plan, remote, status, force=True)
    assert len(remote.list()) == 5
