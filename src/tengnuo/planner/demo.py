"""`tengnuo demo`: the job-hunt fortnight in a throw-away workspace, planned as of its first
morning, so anyone can see tengnuo work without typing a task."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from importlib.resources import as_file, files
from pathlib import Path

from tengnuo.planner.items import import_file, stored_start
from tengnuo.planner.workspace import init, open_workspace
from tengnuo.store import Workspace

DEMO_FILE = "job-hunt.yaml"
FIRST_MORNING = timedelta(hours=8)  # the demo plans from 08:00 on the fortnight's first day


def demo_workspace(folder: Path) -> tuple[Workspace, datetime]:
    """A workspace in `folder` filled with the demo fortnight, and the moment to plan from."""
    source = files("tengnuo") / "demo_data"
    with as_file(source) as data:
        shutil.copytree(data, folder / "demo", dirs_exist_ok=True)
    path = folder / "workspace.db"
    init(path, None)
    ws = open_workspace(path)
    try:
        import_file(ws, folder / "demo" / DEMO_FILE)
        start = stored_start(ws)
        if start is None:
            raise RuntimeError("the demo file has no start")
    except BaseException:
        ws.close()
        raise
    return ws, start + FIRST_MORNING
