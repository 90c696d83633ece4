"""Two people's terminals and a planner at once, through the real `tengnuo` command: every
change lands, none is lost, and nobody sees "database is locked"."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TENGNUO = [sys.executable, "-m", "tengnuo"]
ROUNDS = 6


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TENGNUO, *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def editor(env: dict[str, str], task: str) -> list[subprocess.CompletedProcess[str]]:
    """A person logging time and editing the same tasks as the other."""
    done = []
    for i in range(ROUNDS):
        done.append(run(env, "log", task, "5m"))
        done.append(run(env, "edit", "shared", "--title", f"Shared task {task} {i}"))
    return done


def planner(env: dict[str, str]) -> list[subprocess.CompletedProcess[str]]:
    return [run(env, "plan", "--time-limit", "1") for _ in range(3)]


def test_two_terminals_and_a_planner_lose_nothing(tmp_path: Path):
    env = {**os.environ, "TENGNUO_WORKSPACE": str(tmp_path / "ws.db"),
           "TENGNUO_NOW": "2026-12-07 08:00", "COLUMNS": "100"}
    assert run(env, "init", "--timezone", "Asia/Shanghai").returncode == 0
    for line in ("Write report 4h #work --id a", "Read papers 4h #work --id b",
                 "Shared thing 2h --id shared"):
        *words, _, task_id = line.split()
        assert run(env, "add", *words, "--id", task_id).returncode == 0
    with ThreadPoolExecutor(3) as pool:
        jobs = [pool.submit(editor, env, "a"), pool.submit(editor, env, "b"),
                pool.submit(planner, env)]
        results = [r for job in jobs for r in job.result()]
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "locked" not in result.stderr.lower()
    shown = {task: run(env, "show", task, "--json").stdout for task in ("a", "b")}
    for task, text in shown.items():
        assert f'"logged_minutes": {5 * ROUNDS}' in text, f"a log on {task} was lost"
    history = run(env, "history", "--json").stdout
    assert history.count('"version"') == 3, "every planner run stored its version"
    title = run(env, "show", "shared", "--json").stdout
    assert f"Shared task a {ROUNDS - 1}" in title or f"Shared task b {ROUNDS - 1}" in title
