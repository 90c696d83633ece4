"""Kill -9 at any moment loses nothing that was acknowledged and leaves nothing half done.

A child process applies a long seeded script of changes through the use cases and prints
`ACK n` after each one returns; the parent kills it at a random moment, checks the file, and
starts a fresh child on the same file where the file says the last one stopped. The parent
keeps a model of the script: after a kill the file must hold exactly the state after the last
acknowledged change, or after the one following it (committed, killed before it could say so).
Any half-applied command (a task without its edges or log, a rename that moved the task but
not the edges naming it, a plan without its blocks) differs from both and fails the test.
"""

from __future__ import annotations

import copy
import json
import random
import sqlite3
import subprocess
import sys
import time
from collections import deque
from contextlib import closing
from pathlib import Path
from typing import Any

from store_helpers import HERE, integrity, raw

from tengnuo.planner import workspace as pw
from tengnuo.planner.items import parse_hours
from tengnuo.store import Workspace

SEED = 20260302
KILLS = 100
OPS = 8000  # more than 100 children get through, so every child is killed mid-script
CHILD = HERE / "crash_child.py"
AHEAD = 3  # children started ahead of their turn: start-up (0.1 s CPU) overlaps earlier rounds
SPECS = ("mon-fri 09:00-12:00, 13:00-17:00", "mon-sun 07:00-09:00", "sat 10:00-16:00",
         "tue,thu 18:00-22:00")
PROFILES = ("focus", "evening")

Op = dict[str, Any]
State = dict[str, Any]


class Model:
    """What the workspace must hold after each op of the script (timestamps aside)."""

    def __init__(self) -> None:
        self.tasks: dict[str, dict[str, Any]] = {}
        self.limits: dict[str, int] = {}
        self.hours: dict[str, str] = {}
        self.plans: list[list[str]] = []

    def apply(self, op: Op) -> None:
        kind, tasks = op["op"], self.tasks
        if kind in ("add", "addlog"):
            tasks[op["id"]] = {"seq": op["seq"], "title": op["title"], "min": op["min"],
                               "hours": op["hours"], "after": list(op["after"]),
                               "status": "open", "logs": [op["log"]] if kind == "addlog" else []}
        elif kind == "edit":
            tasks[op["id"]].update(title=op["title"], min=op["min"], hours=op["hours"],
                                   after=list(op["after"]))
        elif kind == "rename":
            tasks[op["new"]] = tasks.pop(op["id"])
            for task in tasks.values():
                task["after"] = [op["new"] if p == op["id"] else p for p in task["after"]]
        elif kind == "log":
            tasks[op["id"]]["logs"].append(op["min"])
        elif kind == "done":
            tasks[op["id"]]["status"] = "done" if op["done"] else "open"
        elif kind == "rm":
            del tasks[op["id"]]
            for task in tasks.values():
                task["after"] = [p for p in task["after"] if p != op["id"]]
        elif kind == "limit":
            if op["min"] is None:
                self.limits.pop(op["name"], None)
            else:
                self.limits[op["name"]] = op["min"]
        elif kind == "hours":
            self.hours[op["name"]] = op["spec"]
        elif kind == "rmhours":
            del self.hours[op["name"]]
        elif kind == "plan":
            self.plans.append(sorted(i for i, t in tasks.items() if t["status"] == "open"))
        # "bad": refused, changes nothing

    def state(self) -> State:
        rows = []
        for name, spec in self.hours.items():
            for day, ranges in parse_hours(name, spec).ranges.items():
                rows += [(name, day, r.start_minute, r.end_minute) for r in ranges]
        return {
            "tasks": {i: (t["title"], t["min"], t["hours"], t["status"], tuple(t["after"]),
                          sum(t["logs"]), len(t["logs"])) for i, t in self.tasks.items()},
            "limits": dict(self.limits), "hours": sorted(rows), "plans": self.plans,
        }


def file_state(path: Path) -> State:
    """The same view, read from the file with plain sqlite3."""
    with closing(raw(path)) as conn:
        after: dict[str, list[str]] = {}
        for task_id, pred in conn.execute(
                "SELECT task_id, pred_id FROM task_after ORDER BY task_id, position"):
            after.setdefault(task_id, []).append(pred)
        logs = {i: (total, count) for i, total, count in conn.execute(
            "SELECT task_id, sum(minutes), count(*) FROM work_log GROUP BY task_id")}
        tasks = {i: (title, minutes, hours, status, tuple(after.get(i, ())),
                     *logs.get(i, (0, 0)))
                 for i, title, minutes, hours, status in conn.execute(
                     "SELECT id, title, duration_min, hours, status FROM tasks")}
        blocks: dict[int, list[str]] = {v: [] for (v,) in conn.execute("SELECT version FROM plans")}
        for version, item in conn.execute("SELECT version, item_id FROM plan_blocks"):
            blocks[version].append(item)
        return {
            "tasks": tasks,
            "limits": dict(conn.execute("SELECT name, minutes FROM limits").fetchall()),
            "hours": sorted(conn.execute("SELECT * FROM hours").fetchall()),
            "plans": [sorted(blocks[v]) for v in sorted(blocks)],
        }


def structure_problems(path: Path) -> list[Any]:
    """What must never be, whatever the script: edges or logs naming no task."""
    with closing(raw(path)) as conn:
        dangling = conn.execute("SELECT task_id, pred_id FROM task_after WHERE pred_id NOT IN "
                                "(SELECT id FROM tasks)").fetchall()
        return dangling + conn.execute("PRAGMA foreign_key_check").fetchall()


def generate(seed: int, count: int) -> list[Op]:
    """A script of changes, each valid where it stands (or a bad one the use cases refuse)."""
    rng, model, ops = random.Random(seed), Model(), []
    seq = renames = 0
    while len(ops) < count:
        tasks = model.tasks
        ids = sorted(tasks)
        open_ids = [i for i in ids if tasks[i]["status"] == "open"]
        choices = {"add": 30 if len(ids) < 40 else 8, "addlog": 10, "edit": 12, "rename": 6,
                   "log": 12, "done": 8, "rm": 4 if len(ids) < 40 else 20, "limit": 4,
                   "hours": 3, "rmhours": 2, "plan": 3, "bad": 8}
        if len(ids) < 3:
            choices = {"add": 1}
        kind = rng.choices(list(choices), weights=list(choices.values()))[0]
        op: Op = {"op": kind}
        if kind in ("add", "addlog"):
            seq += 1
            op.update(id=f"t{seq}", seq=seq, title=f"Task {seq}", min=rng.randint(5, 240),
                      hours=pick_hours(rng, model),
                      after=rng.sample(ids, k=min(len(ids), rng.randint(0, 3))))
            if kind == "addlog":
                op["log"] = rng.randint(1, 60)
        elif kind == "edit":
            op.update(edit(rng, model, rng.choice(ids), len(ops)))
        elif kind == "rename":
            renames += 1
            task_id = rng.choice(ids)
            op.update(id=task_id, new=f"t{tasks[task_id]['seq']}-{renames}")
        elif kind == "log":
            op.update(id=rng.choice(ids), min=rng.randint(1, 90))
        elif kind == "done":
            task_id = rng.choice(ids)
            op.update(id=task_id, done=tasks[task_id]["status"] == "open")
        elif kind == "rm":
            op.update(id=rng.choice(ids))
        elif kind == "limit":
            op.update(name=rng.choice(["day_max", "buffer"]),
                      min=rng.choice([None, rng.randint(0, 600)]))
        elif kind == "hours":
            op.update(name=rng.choice(PROFILES), spec=rng.choice(SPECS))
        elif kind == "rmhours":
            unused = [n for n in model.hours if all(t["hours"] != n for t in tasks.values())]
            if unused:
                op.update(name=rng.choice(unused))
            else:  # free the least used profile first: move one of its tasks to `anytime`
                least = min(model.hours, default=None, key=lambda n: sum(
                    t["hours"] == n for t in tasks.values()))
                users = [i for i in ids if tasks[i]["hours"] == least]
                if not users:
                    continue
                op = {"op": "edit", **edit(rng, model, rng.choice(users), len(ops)),
                      "hours": "anytime"}
        elif kind == "bad":
            op["inner"] = bad_op(rng, model, ids, open_ids)
        model.apply(op)
        ops.append(op)
    return ops


def pick_hours(rng: random.Random, model: Model) -> str:
    return rng.choice(list(model.hours)) if model.hours and rng.random() < 0.25 else "anytime"


def edit(rng: random.Random, model: Model, task_id: str, n: int) -> Op:
    """New title, estimate, maybe hours, and `after` among earlier tasks (never a cycle)."""
    task, ids = model.tasks[task_id], sorted(model.tasks)
    earlier = [i for i in ids if model.tasks[i]["seq"] < task["seq"]]
    hours = pick_hours(rng, model) if rng.random() < 0.3 else task["hours"]
    return {"id": task_id, "title": f"{task['title'].split(' (')[0]} ({n})",
            "min": rng.randint(5, 240), "hours": hours,
            "after": rng.sample(earlier, k=min(len(earlier), rng.randint(0, 3)))}


def bad_op(rng: random.Random, model: Model, ids: list[str], open_ids: list[str]) -> Op:
    """A change the use cases must refuse as a whole: the file must not move."""
    one = rng.choice(ids)
    task = model.tasks[one]
    new = {"op": "add", "id": "ghost-child", "title": "Ghost", "min": 30, "hours": "anytime",
           "after": [one]}
    candidates = [
        {"op": "edit", "id": "no-such-task", "title": "x", "min": 30, "hours": "anytime",
         "after": []},
        {"op": "log", "id": "no-such-task", "min": 30},
        {**new, "after": [one, "no-such-task"]},
        {**new, "op": "addlog", "log": 20, "after": [one, "no-such-task"]},  # after the log
        {**new, "min": 0},
        {**new, "hours": "no-such-profile"},
        {"op": "edit", "id": one, "title": task["title"], "min": 0, "hours": task["hours"],
         "after": task["after"]},
        {"op": "rename", "id": one, "new": rng.choice(ids)} if len(ids) > 1 else
        {"op": "rm", "id": "no-such-task"},
    ]
    used = [n for n in model.hours if any(t["hours"] == n and t["status"] == "open"
                                          for t in model.tasks.values())]
    if used:
        candidates.append({"op": "rmhours", "name": rng.choice(used)})
    cycles = [(i, p) for i in open_ids for p in model.tasks[i]["after"] if p in open_ids]
    if cycles:  # p must come after i, while i already comes after p
        i, p = rng.choice(cycles)
        pred = model.tasks[p]
        candidates.append({"op": "edit", "id": p, "title": pred["title"], "min": pred["min"],
                           "hours": pred["hours"], "after": [*pred["after"], i]})
    inner = rng.choice(candidates)
    if inner["op"] == "rename" and inner["new"] == one:
        inner = {"op": "done", "id": "no-such-task", "done": True}
    return inner


class Child:
    """A child started ahead of its turn (its imports overlap the previous round)."""

    def __init__(self, path: Path, script: Path, stderr: Path) -> None:
        self.stderr = stderr
        with stderr.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, str(CHILD), str(path), str(script)], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=err, text=True, cwd=HERE)

    def run_and_kill(self, done: int, rng: random.Random) -> tuple[list[int], int]:
        """Start at op `done + 1`, kill at a random moment; the ACKs and the exit code."""
        child = self.process
        assert child.stdin is not None
        assert child.stdout is not None
        child.stdin.write(f"{done}\n")
        child.stdin.flush()
        if rng.random() < 0.15:  # sometimes while it opens the workspace
            time.sleep(rng.uniform(0.0, 0.03))
            lines: list[str] = []
        else:
            lines = [child.stdout.readline()]
            time.sleep(rng.uniform(0.0, 0.15))
        child.kill()
        lines += child.stdout.read().splitlines()
        child.stdout.close()
        child.stdin.close()
        child.wait()
        acks = [int(line.split()[1]) for line in lines if line.startswith("ACK ")]
        return acks, child.returncode

    def discard(self) -> None:
        self.process.kill()
        self.process.communicate()


def test_killed_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    script = tmp_path / "ops.jsonl"
    ops = generate(SEED, OPS)
    script.write_text("".join(json.dumps(op) + "\n" for op in ops))
    path = tmp_path / "ws.db"
    pw.init(path, "UTC")
    model, done = Model(), 0  # the model is at op `done`, and so is the file
    kills = unacknowledged = 0
    started = time.monotonic()
    upcoming = deque(Child(path, script, tmp_path / f"child-{n}.err") for n in range(AHEAD))
    try:
        for round_ in range(KILLS):
            child = upcoming.popleft()
            upcoming.append(Child(path, script, tmp_path / f"child-{round_ + AHEAD}.err"))
            acks, code = child.run_and_kill(done, rng)
            assert code == -9, f"child exited {code} before the kill:\n{child.stderr.read_text()}"
            kills += 1
            assert acks == list(range(done + 1, done + 1 + len(acks))), "ACKs out of order"
            for n in acks:
                model.apply(ops[n - 1])
            last = acks[-1] if acks else done

            assert integrity(path) == ["ok"], f"after kill {kills}"
            assert structure_problems(path) == [], f"after kill {kills}"
            found = file_state(path)
            if found != model.state():  # then the op after the last ACK must be whole
                ahead = copy.deepcopy(model)
                ahead.apply(ops[last])
                assert found == ahead.state(), (
                    f"kill {kills}: the file is neither at ACK {last} nor at {last + 1} "
                    f"({ops[last]})")
                model, last = ahead, last + 1
                unacknowledged += 1
            done = last
    finally:
        for waiting in upcoming:
            waiting.discard()

    elapsed = time.monotonic() - started
    print(f"\n{kills} kills, {done} changes applied, {unacknowledged} committed but not yet "
          f"acknowledged at the kill, {elapsed:.1f} s")
    assert kills >= 100
    assert done > 2 * KILLS  # the children got into the script, not just started
    with Workspace.open(path) as ws, ws.read() as s:  # and the survivor is a usable workspace
        assert {e.task.id for e in s.tasks()} == set(model.tasks)


def test_the_script_is_checkable() -> None:
    """The model sees every kind of change, renames of tasks named in `after` included."""
    ops = generate(SEED, 2000)
    kinds = {op["op"] for op in ops}
    assert kinds == {"add", "addlog", "edit", "rename", "log", "done", "rm", "limit", "hours",
                     "rmhours", "plan", "bad"}
    bad = {(op["inner"]["op"], op["inner"].get("min")) for op in ops if op["op"] == "bad"}
    assert len(bad) >= 6
    named = set()
    model = Model()
    for op in ops:
        if op["op"] == "rename":
            named |= {op["id"]} & {p for t in model.tasks.values() for p in t["after"]}
        model.apply(op)
    assert named  # some renamed tasks were named by others


def test_file_state_matches_the_model_without_kills(tmp_path: Path) -> None:
    """The checker itself: a whole script run in one child gives exactly the model's state."""
    ops = generate(SEED + 1, 150)
    script = tmp_path / "ops.jsonl"
    script.write_text("".join(json.dumps(op) + "\n" for op in ops))
    path = tmp_path / "ws.db"
    pw.init(path, "UTC")
    result = subprocess.run([sys.executable, str(CHILD), str(path), str(script)], input="0\n",
                            capture_output=True, text=True, cwd=HERE, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith(f"ACK {len(ops)} ")
    model = Model()
    for op in ops:
        model.apply(op)
    assert file_state(path) == model.state()
    assert model.tasks
    assert model.plans
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
