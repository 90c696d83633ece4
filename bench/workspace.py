"""Benchmarks of the workspace: how fast everyday commands start, how little `replan` moves
compared with planning anew, and what a sync costs against a real Radicale server.

Every figure is printed next to a baseline measured in the same run (a bare Python start; a
fresh `plan` from the same state; the first sync). Never asserts anything.

    python bench/workspace.py
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TENGNUO = [sys.executable, "-m", "tengnuo"]
REPEATS = 5
LIMIT = "5"


def timed(args: list[str], env: dict[str, str], stdin: str = "") -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False,
                          input=stdin)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{args}: {done.stderr}")
    return time.perf_counter() - start, done.stdout


def median_seconds(args: list[str], env: dict[str, str]) -> float:
    return statistics.median(timed(args, env)[0] for _ in range(REPEATS))


def tengnuo(env: dict[str, str], *args: str, stdin: str = "") -> str:
    return timed([*TENGNUO, *args], env, stdin)[1]


def demo_workspace(folder: Path) -> dict[str, str]:
    env = {**os.environ, "TENGNUO_WORKSPACE": str(folder / "ws.db"), "COLUMNS": "120",
           "TENGNUO_NOW": "2026-12-07 08:00", "TENGNUO_NO_KEYRING": "1",
           "TENGNUO_CONFIG_DIR": str(folder / "config")}
    tengnuo(env, "init", "--timezone", "Asia/Shanghai")
    tengnuo(env, "import", str(ROOT / "examples" / "job-hunt.yaml"))
    tengnuo(env, "plan", "--time-limit", LIMIT)
    return env


def startup(folder: Path) -> None:
    env = demo_workspace(folder)
    base = median_seconds([sys.executable, "-c", "pass"], env)
    print(f"\n== command start-up (median of {REPEATS}; baseline: python -c pass "
          f"{base:.3f} s)")
    print(f"{'command':28} {'seconds':>8} {'÷ baseline':>11}")
    for args in (["--help"], ["today"], ["list"], ["add", "Call the bank 20m"], ["week"]):
        seconds = median_seconds([*TENGNUO, *args], env)
        print(f"{' '.join(args)[:28]:28} {seconds:8.3f} {seconds / base:11.1f}")


SLIPS = {
    "urgent task at 11:20": ["add", "Reply to Epsilon recruiter 1h by today 17:00 !1"],
    "estimate doubled": ["edit", "acme-prep", "--duration", "10h"],
    "event over Tuesday": ["event", "add", "Unplanned doctor visit", "--start",
                           "2026-12-08 09:00", "--end", "2026-12-08 13:00"],
}


def moved_minutes(json_text: str) -> tuple[int, int, int, int]:
    """(minutes moved or dropped, blocks kept, unscheduled, lateness) from `--json` output."""
    data = json.loads(json_text)
    diff, cost = data["diff"], data["plan"]["cost"]
    moved = sum(_minutes(b) for m in diff["moved"] for b in m["from"])
    moved += sum(_minutes(b) for b in diff["dropped"])
    return moved, diff["kept"], cost["unscheduled"], cost["lateness"]


def _minutes(block: dict[str, str]) -> int:
    from datetime import datetime

    start, end = (datetime.fromisoformat(block[k]) for k in ("start", "end"))
    return int((end - start).total_seconds() // 60)


def stability(folder: Path) -> None:
    print(f"\n== replan against a fresh plan after the day slipped ({LIMIT} s each; "
          "minutes of future blocks moved or dropped)")
    print(f"{'slip':24} {'replan':>8} {'fresh':>8} {'÷ fresh':>8} {'kept':>6} "
          f"{'U/L replan':>12} {'U/L fresh':>12}")
    for name, args in SLIPS.items():
        base = folder / name.replace(" ", "-")
        base.mkdir()
        env = {**demo_workspace(base), "TENGNUO_NOW": "2026-12-07 11:20"}
        tengnuo(env, *args)
        shutil.copy(base / "ws.db", base / "fresh.db")
        replan = moved_minutes(tengnuo(env, "replan", "--json", "--time-limit", LIMIT))
        fresh_env = {**env, "TENGNUO_WORKSPACE": str(base / "fresh.db")}
        fresh = moved_minutes(tengnuo(fresh_env, "plan", "--json", "--time-limit", LIMIT))
        ratio = replan[0] / fresh[0] if fresh[0] else float("nan")
        print(f"{name:24} {replan[0]:8} {fresh[0]:8} {ratio:8.2f} {replan[1]:6} "
              f"{f'{replan[2]}/{replan[3]}':>12} {f'{fresh[2]}/{fresh[3]}':>12}")


def sync(folder: Path) -> None:
    port = 15299
    server = subprocess.Popen([sys.executable, "-m", "radicale", "--config", "",
                               "--server-hosts", f"127.0.0.1:{port}", "--auth-type", "none",
                               "--rights-type", "owner_only", "--auth-delay", "0",
                               "--storage-filesystem-folder", str(folder / "radicale"),
                               "--logging-level", "warning"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/.web/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        env = demo_workspace(folder / "ws")
        tengnuo(env, "account", "add", "home", f"http://127.0.0.1:{port}/", "--user", "bench",
                "--password-stdin", stdin="any\n")
        tengnuo(env, "publish", "home", "tengnuo")
        first, out = timed([*TENGNUO, "sync", "--json"], env)
        writes = sum(len(r["changes"]) for r in json.loads(out))
        quiet, out = timed([*TENGNUO, "sync", "--json"], env)
        quiet_writes = sum(len(r["changes"]) for r in json.loads(out))
        tengnuo({**env, "TENGNUO_NOW": "2026-12-07 11:20"}, *SLIPS["urgent task at 11:20"])
        tengnuo({**env, "TENGNUO_NOW": "2026-12-07 11:20"}, "replan", "--time-limit", LIMIT)
        after, out = timed([*TENGNUO, "sync", "--json"], env)
        after_writes = sum(len(r["changes"]) for r in json.loads(out))
        print("\n== sync of the demo plan with Radicale on 127.0.0.1 (baseline: the first sync)")
        print(f"{'sync':28} {'seconds':>8} {'writes':>7} {'÷ first':>8}")
        for label, seconds, count in (("first (every block)", first, writes),
                                      ("again, nothing changed", quiet, quiet_writes),
                                      ("after a replan", after, after_writes)):
            print(f"{label:28} {seconds:8.3f} {count:7} {seconds / first:8.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tengnuo-bench-") as temp:
        folder = Path(temp)
        (folder / "start").mkdir()
        startup(folder / "start")
        stability(folder)
        sync(folder)


if __name__ == "__main__":
    main()
