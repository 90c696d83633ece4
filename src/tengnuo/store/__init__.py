"""Storage: the workspace SQLite file. The only package (with `sync.status`) importing sqlite3.

Imports `tengnuo.model` and `tengnuo.errors` only; it keeps model objects in its own tables.
"""

from tengnuo.store.plans import PlanVersion
from tengnuo.store.session import CalendarFile, Session, TaskEntry
from tengnuo.store.workspace import Workspace, default_path

__all__ = ["CalendarFile", "PlanVersion", "Session", "TaskEntry", "Workspace", "default_path"]
