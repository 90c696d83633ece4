"""Session-wide CalDAV servers (see servers.py) and a fresh calendar on one of them per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from servers import Running, Server, from_environment

from tengnuo.sync.storage_caldav import CalDavStorage, ensure_calendar


def _server(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    given = from_environment(kind)
    if given is not None:
        yield given
        return
    running = Running(kind, tmp_path_factory.mktemp(kind))
    try:
        yield running.server
    finally:
        running.stop()


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from _server("radicale", tmp_path_factory)


@pytest.fixture(scope="session")
def xandikos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from _server("xandikos", tmp_path_factory)


def new_calendar(server: Server, *, timeout: float = 10) -> CalDavStorage:
    """A CalDavStorage on a calendar made for this test alone (MKCALENDAR)."""
    url = ensure_calendar(server.url, f"test-{uuid.uuid4().hex[:12]}", server.username,
                          server.password)
    return CalDavStorage(url, server.username, server.password, timeout=timeout)
