"""One calendar collection on a CalDAV server as a `CalendarStorage`; the only caldav importer.

Every write is conditional, sent by hand through caldav's `DAVClient` request methods (its
high-level `save()` sends no If-Match/If-None-Match): `upload` PUTs with `If-None-Match: *`,
`update` with `If-Match: <etag>`, `delete` DELETEs with `If-Match: <etag>`. `list` is one
PROPFIND (Depth 1) for `getetag`, so a sync learns what changed without downloading bodies.

Hrefs are kept in path form, percent-decoded (`/alice/calendars/plan/a b.ics`), which is what
both Radicale and Xandikos list; they are quoted again on the way out.

Errors: 412 (or a `no-uid-conflict` precondition) -> `PreconditionFailedError`; 404 on a read
or delete -> `ItemNotFoundError`; anything else the server or the network does (refused
connection, timeout, 5xx, refused login, a collection that is not there) -> `SyncError` with a
sentence naming the server and what to do. No message or log line carries a password.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from caldav.collection import Calendar
from caldav.davclient import DAVClient
from caldav.lib import error as dav_error
from caldav.lib.http_sync import requests as http
from caldav.response import DAVResponse, PropfindResult

from tengnuo.errors import SyncError
from tengnuo.sync.storage import Item, ItemNotFoundError, PreconditionFailedError, _safe

_PROPFIND_ETAG = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>'
)
_ETAG = "{DAV:}getetag"
_TYPE = "{DAV:}resourcetype"
_COLLECTION = "{DAV:}collection"
_UID_CONFLICT = "{urn:ietf:params:xml:ns:caldav}no-uid-conflict"
_ICS = "text/calendar; charset=utf-8"
# path characters sent as they are; everything else (space, %, non-ASCII...) is percent-encoded
_PATH_SAFE = "/@:!$&'()*+,;=-._~"
T = TypeVar("T")


def _public(url: str) -> str:
    """`url` without any user:password@ part, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _client(url: str, username: str | None, password: str | None,
            timeout: float) -> DAVClient:
    # rfc6764 discovery would look up DNS for a bare domain; we are always given a URL
    client = DAVClient(url=url, username=username, password=password,
                              enable_rfc6764=False)
    client.timeout = timeout  # type: ignore[assignment]  # niquests takes float seconds
    return client


class _Server:
    """The requests of one server, with every failure turned into a `SyncError` sentence."""

    def __init__(self, url: str, username: str | None, password: str | None,
                 timeout: float) -> None:
        self.public = _public(url)
        parts = urlsplit(self.public)
        self.origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        self.username, self.timeout = username, timeout
        self.client = _client(url, username, password, timeout)

    def request(self, method: str, path: str, body: str = "",
                headers: dict[str, str] | None = None) -> DAVResponse:
        url = self.origin + quote(path, safe=_PATH_SAFE)
        if method == "PROPFIND":
            depth = int((headers or {}).get("Depth", "0"))
            response = self.guard(lambda: self.client.propfind(url, body, depth))
        else:
            response = self.guard(lambda: self.client.request(url, method, body, headers or {}))
        if response.status >= 500:
            raise SyncError(
                f"the calendar server {self.public} failed on {method} {path} "
                f"(HTTP {response.status}); that is a server problem: run the sync again "
                "later, or ask its administrator.")
        return response

    def guard(self, call: Callable[[], T]) -> T:
        """Run one caldav call; network, login and protocol failures become `SyncError`."""
        try:
            return call()
        except dav_error.AuthorizationError as exc:
            who = f"user {self.username!r}" if self.username else "an anonymous user"
            raise SyncError(
                f"the calendar server {self.public} refused {who} (HTTP {exc.status or 401}); "
                "check the user name and password for this account and that it may use "
                "this calendar.") from None
        except dav_error.RateLimitError:
            raise SyncError(
                f"the calendar server {self.public} is busy or down for maintenance (it "
                "asked us to wait); nothing was lost: run the sync again later.") from None
        except http.exceptions.Timeout:
            raise SyncError(
                f"the calendar server {self.public} did not answer within {self.timeout:g} s; "
                "check that it is up and reachable, then run the sync again.") from None
        except (http.exceptions.RequestException, OSError) as exc:
            raise SyncError(
                f"cannot reach the calendar server {self.public} ({type(exc).__name__}); "
                "check the URL, the network and that the server is running, then run the "
                "sync again.") from None
        except dav_error.DAVError as exc:
            raise SyncError(
                f"the calendar server {self.public} gave an answer tengnuo cannot use "
                f"({type(exc).__name__}); check that the URL points at a CalDAV account, "
                "and run the sync again.") from None

    def refused(self, method: str, path: str, response: DAVResponse) -> SyncError:
        """The error for a 4xx answer that is neither 404 nor a failed precondition."""
        conditions = dav_error.parse_preconditions(response.raw) if response.raw else []
        why = f" ({', '.join(c.split('}')[-1] for c in conditions)})" if conditions else ""
        return SyncError(
            f"the calendar server {self.public} refused {method} {path} "
            f"(HTTP {response.status}{why}); the item may be one this server does not accept, "
            "or the account may not write to this calendar.")


def _etag_header(response: DAVResponse) -> str | None:
    etag = response.headers.get("ETag") if response.headers is not None else None
    return str(etag) if etag else None


class CalDavStorage:
    """One calendar collection on a CalDAV server (`url` is the collection's URL).

    Nothing is sent when constructed; the first `list()` tells whether the calendar is there.
    """

    def __init__(self, url: str, username: str | None, password: str | None, *,
                 timeout: float = 10) -> None:
        self.url = url if url.endswith("/") else f"{url}/"
        self.server = _Server(self.url, username, password, timeout)
        self.path = unquote(urlsplit(self.url).path)

    def __repr__(self) -> str:
        return f"CalDavStorage({self.server.public!r})"

    def list(self) -> dict[str, str]:
        response = self.server.request("PROPFIND", self.path, _PROPFIND_ETAG, {"Depth": "1"})
        results = _results(response) if response.status == 207 else []
        own = [r for r in results if _path(r.href) == self.path and r.status < 400]
        if response.status != 207 or not own:
            raise SyncError(
                f"there is no calendar at {self.server.public} (HTTP {response.status}); "
                "check the calendar URL (`tengnuo sync calendars` lists the account's "
                "calendars).")
        hrefs: dict[str, str] = {}
        for result in results:
            href = _path(result.href)
            kind = result.properties.get(_TYPE) or []
            if href == self.path or _COLLECTION in kind or result.status >= 400:
                continue
            etag = result.properties.get(_ETAG)
            hrefs[href] = str(etag) if etag else self.get(href)[1]
        return hrefs

    def get(self, href: str) -> tuple[Item, str]:
        href = _path(href)
        response = self.server.request("GET", href, headers={"Accept": "text/calendar"})
        if response.status in (404, 410):
            raise ItemNotFoundError(f"no item at {href} on {self.server.public}")
        if response.status != 200:
            raise self.server.refused("GET", href, response)
        text = response.raw.replace("\r\n", "\n").replace("\n", "\r\n")
        return Item(text), _etag_header(response) or self._etag(href)

    def upload(self, item: Item) -> tuple[str, str]:
        href = f"{self.path}{_safe(item.uid)}.ics"
        return href, self._put(href, item, {"If-None-Match": "*"})

    def update(self, href: str, item: Item, etag: str) -> str:
        return self._put(_path(href), item, {"If-Match": etag})

    def delete(self, href: str, etag: str) -> None:
        href = _path(href)
        response = self.server.request("DELETE", href, headers={"If-Match": etag})
        if response.status in (404, 410):
            raise ItemNotFoundError(f"no item at {href} on {self.server.public}")
        self._raise_unless_done("DELETE", href, response)

    def _put(self, href: str, item: Item, condition: dict[str, str]) -> str:
        headers = {"Content-Type": _ICS, **condition}
        response = self.server.request("PUT", href, item.text, headers)
        self._raise_unless_done("PUT", href, response)
        # a server that changed the item on the way in may send no ETag (RFC 4791 5.3.4)
        return _etag_header(response) or self._etag(href)

    def _raise_unless_done(self, method: str, href: str, response: DAVResponse) -> None:
        if response.status in (200, 201, 204):
            return
        conditions = dav_error.parse_preconditions(response.raw) if response.raw else []
        # Xandikos answers 412 for invalid data too, naming the CalDAV precondition it broke
        if (response.status == 412 and not conditions) or _UID_CONFLICT in conditions:
            raise PreconditionFailedError(
                f"{href} changed, appeared or went on {self.server.public} meanwhile")
        raise self.server.refused(method, href, response)

    def _etag(self, href: str) -> str:
        """The ETag of one item, asked for separately (PROPFIND Depth 0)."""
        response = self.server.request("PROPFIND", href, _PROPFIND_ETAG, {"Depth": "0"})
        results = [r for r in _results(response) if r.status < 400]
        if response.status != 207 or not results:
            raise ItemNotFoundError(f"no item at {href} on {self.server.public}")
        etag = results[0].properties.get(_ETAG)
        if not etag:
            raise SyncError(
                f"the calendar server {self.server.public} gives no ETag for {href}; tengnuo "
                "needs ETags to sync safely, so this server cannot be synced with.")
        return str(etag)


def _results(response: DAVResponse) -> list[PropfindResult]:
    return [r for r in response.results or [] if isinstance(r, PropfindResult)]


def _path(href: str) -> str:
    """`http://host/a%20b/x.ics` or `/a b/x.ics` -> `/a b/x.ics`."""
    return unquote(urlsplit(href).path)


def calendars(url: str, username: str | None, password: str | None, *,
              timeout: float = 10) -> list[tuple[str, str, tuple[str, ...]]]:
    """The calendars of the account at `url` (the server's or the principal's URL).

    Returns:
        (display name, collection URL, component types such as "VEVENT") for each calendar.
    """
    return _calendars(_Server(url, username, password, timeout))


def ensure_calendar(url: str, name: str, username: str | None, password: str | None, *,
                    components: tuple[str, ...] = ("VEVENT", "VTODO"),
                    timeout: float = 10) -> str:
    """The URL of the calendar called `name` in the account at `url`, made (MKCALENDAR) if
    missing; a calendar whose last path segment is `name` made safe counts as that calendar."""
    server = _Server(url, username, password, timeout)
    for shown, calendar_url, _ in _calendars(server):
        if shown == name or _path(calendar_url).rstrip("/").endswith(f"/{_safe(name)}"):
            return calendar_url
    principal = server.guard(server.client.get_principal)
    made = server.guard(lambda: principal.make_calendar(
        name=name, cal_id=_safe(name), supported_calendar_component_set=list(components)))
    return str(cast(Calendar, made).url)


def _calendars(server: _Server) -> list[tuple[str, str, tuple[str, ...]]]:
    principal = server.guard(server.client.get_principal)
    found = []
    for calendar in cast("list[Calendar]", server.guard(principal.get_calendars)):
        name = server.guard(calendar.get_display_name) or ""
        kinds = cast("list[str]", server.guard(calendar.get_supported_components))
        found.append((str(name), str(calendar.url), tuple(str(k) for k in kinds)))
    return found
