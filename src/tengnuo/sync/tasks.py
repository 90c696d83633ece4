"""A task list of the workspace seen as a calendar storage, so the two-way sync can keep it
equal to a CalDAV task list (VTODOs).

Each task that came from the list is an item at href = its task id; its ETag is the hash of
the VTODO tengnuo would write for it now, merged into the text last read from the server, so
properties tengnuo does not model survive. Completing the task here changes that text (STATUS
COMPLETED), which the sync then writes to the server; a VTODO completed elsewhere arrives as an
update and marks the task done. When both sides changed, `merge_todos` keeps the server's
fields and a completion from either side.
"""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from tengnuo.formats.ics_todo import TodoRecord, todo_to_text, todos_from_text
from tengnuo.store import Session, TaskEntry, Workspace
from tengnuo.store.remote import Remote
from tengnuo.sync.storage import Item, ItemNotFoundError, PreconditionFailedError


class TaskListStorage:
    """The workspace tasks of one task list, as VTODO items."""

    def __init__(self, ws: Workspace, cal_id: str, tz: ZoneInfo) -> None:
        self.ws, self.cal_id, self.tz = ws, cal_id, tz

    def _items(self) -> dict[str, Item]:
        with self.ws.read() as s:
            return self._items_in(s)

    def _items_in(self, s: Session) -> dict[str, Item]:
        sources = Remote(s.conn).task_sources(self.cal_id)
        entries = {e.task.id: e for e in s.tasks() if e.task.id in sources}
        uids = {task_id: uid for task_id, (uid, _) in sources.items()}
        return {task_id: Item(self._text(e, *sources[task_id], uids))
                for task_id, e in entries.items()}

    def _text(self, entry: TaskEntry, uid: str, base: str, uids: dict[str, str]) -> str:
        """The VTODO for the task now; stamped with a time of the task's own (when it was done
        or created), so the same task always gives the same text and the same ETag."""
        stamp = entry.done_at or entry.created
        return todo_to_text(entry.task, uid, entry.status == "done", self.tz, base or None,
                            uids=uids, stamp=stamp)

    def list(self) -> dict[str, str]:
        return {href: item.hash for href, item in self._items().items()}

    def get(self, href: str) -> tuple[Item, str]:
        items = self._items()
        if href not in items:
            raise ItemNotFoundError(f"no task {href} from {self.cal_id}")
        return items[href], items[href].hash

    def upload(self, item: Item) -> tuple[str, str]:
        record = self._read(item)
        with self.ws.change() as s:
            if s.task(record.task.id) is not None:
                raise PreconditionFailedError(f"task {record.task.id} exists already")
            self._store(s, record, item)
            return record.task.id, self._items_in(s)[record.task.id].hash

    def update(self, href: str, item: Item, etag: str) -> str:
        record = self._read(item)
        with self.ws.change() as s:
            self._check(s, href, etag)
            self._store(s, replace(record, task=replace(record.task, id=href)), item)
            return self._items_in(s)[href].hash

    def delete(self, href: str, etag: str) -> None:
        with self.ws.change() as s:
            self._check(s, href, etag)
            s.remove_task(href)

    def _check(self, s: Session, href: str, etag: str) -> None:
        items = self._items_in(s)
        if href not in items or items[href].hash != etag:
            raise PreconditionFailedError(f"task {href} changed meanwhile")

    def _read(self, item: Item) -> TodoRecord:
        records, _issues = todos_from_text(item.text, self.cal_id, self.tz)
        if len(records) != 1:
            raise ValueError(f"expected one to-do in {item.uid}, found {len(records)}")
        return records[0]

    def _store(self, s: Session, record: TodoRecord, item: Item) -> None:
        old = s.task(record.task.id)
        s.put_task(record.task)
        if old is None or (old.status == "done") != record.completed:
            s.set_status(record.task.id, "done" if record.completed else "open", None)
        Remote(s.conn).set_task_source(record.task.id, self.cal_id, record.uid, item.text)


def merge_todos(local: Item, remote: Item) -> Item:
    """Both sides changed: the server's version, done if either side completed it."""
    if "STATUS:COMPLETED" in local.text and "STATUS:COMPLETED" not in remote.text:
        records, _ = todos_from_text(remote.text, "merge", ZoneInfo("UTC"))
        if len(records) == 1:
            r = records[0]
            return Item(todo_to_text(r.task, r.uid, True, ZoneInfo("UTC"), remote.text))
    return remote
