"""Planning files for the benchmarks, generated with a fixed seed so every run plans the same.

- `fortnight()`: about 150 tasks, 30 events, 4 routines, 15m grid, two weeks.
- `weeks8()`: 800 tasks over 8 weeks.
- `weighted_tardiness()`: FORMAT.md's single-machine special case from (p, w, d) lists, and
  OR-Library's recipe for random instances (p in 1..100, w in 1..10, due dates from TF and RDD).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

START = date(2026, 12, 7)  # a Monday
CATEGORIES = ("work", "jobsearch", "learning", "admin", "life")


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _duration(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return (f"{h}h" if h else "") + (f"{m}m" if m else "") or "0m"


def _at(day: int, minute: int) -> str:
    return f"{START + timedelta(days=day)} {_hm(minute)}"


def personal_weeks(n_tasks: int, days: int, n_events: int, seed: int) -> dict[str, Any]:
    """A busy person's weeks: work hours, evenings, events in work time, tasks of every kind."""
    rng = random.Random(seed)
    events = []
    for i in range(n_events):
        day = rng.choice([d for d in range(days) if (START + timedelta(days=d)).weekday() < 5])
        start = rng.randrange(9 * 60, 17 * 60, 30)
        events.append({"id": f"meeting-{i}", "title": f"Meeting {i}", "start": _at(day, start),
                       "end": _at(day, start + rng.choice([30, 60, 90, 120]))})
    tasks = [_task(rng, i, days, n_tasks) for i in range(n_tasks)]
    return {
        "timezone": "Europe/Berlin", "start": str(START), "days": days, "granularity": "15m",
        "hours": {
            "work": {"mon-fri": "09:00-12:00, 13:00-18:00"},
            "personal": {"mon-fri": "19:00-22:30", "sat-sun": "10:00-22:00"},
            "anytime": {"mon-sun": "07:00-23:00"},
        },
        "limits": {"day_max": "10h", "buffer": "10m",
                   "categories": {"work": {"week_max": "40h"}, "jobsearch": {"week_min": "10h"},
                                  "learning": {"day_max": "2h"}}},
        "events": events,
        "tasks": tasks,
        "routines": [
            {"id": "messages", "title": "Read messages", "duration": "30m", "every": "weekday",
             "window": "08:00-10:00", "category": "life"},
            {"id": "run", "title": "Run", "duration": "45m", "every": "3/week",
             "window": "07:00-09:00", "category": "life", "priority": 2},
            {"id": "lunch", "title": "Lunch", "duration": "45m", "every": "day",
             "window": "11:30-14:00", "category": "life", "priority": 1},
            {"id": "review", "title": "Weekly review", "duration": "1h", "every": "fri",
             "window": "15:00-18:00", "category": "admin"},
        ],
    }


def _task(rng: random.Random, i: int, days: int, n: int) -> dict[str, Any]:
    minutes = rng.choice([15, 15, 30, 30, 45, 45, 60, 90, 120, 180])
    category = rng.choice(CATEGORIES)
    task: dict[str, Any] = {"id": f"t{i}", "title": f"Task {i} ({category})",
                            "duration": _duration(minutes), "category": category,
                            "priority": rng.choice([1, 2, 2, 3, 3, 3, 4])}
    task["hours"] = {"work": "work", "jobsearch": "work", "learning": "personal"}.get(
        category, "anytime")
    if minutes >= 120:
        task["split"] = "45m-2h"
    first = 0
    if rng.random() < 0.1:
        first = rng.randrange(0, days // 2)
        task["not_before"] = _at(first, 9 * 60)
    if rng.random() < 0.7:
        task["due"] = _at(rng.randrange(first + 1, days + 1), rng.choice([12 * 60, 18 * 60]))
    if i > 5 and rng.random() < 0.1:
        task["after"] = [f"t{rng.randrange(max(0, i - 20), i)}"]
    return task


def fortnight(seed: int = 1) -> dict[str, Any]:
    return personal_weeks(150, 14, 30, seed)


def weeks8(seed: int = 2) -> dict[str, Any]:
    return personal_weeks(800, 56, 120, seed)


def weighted_tardiness(p: list[int], w: list[int], d: list[int]) -> dict[str, Any]:
    """FORMAT.md's special case: one machine, every task weight w, duration p, due start + d."""
    days = sum(p) // 1440 + 2
    return {
        "timezone": "UTC", "start": str(START), "days": days, "granularity": "1m",
        "hours": {"anytime": {"mon-sun": "00:00-24:00"}},
        "tasks": [{"id": f"j{i + 1}", "title": f"Job {i + 1}", "duration": f"{p[i]}m",
                   "weight": w[i], "due": _at(0, 0) if d[i] == 0 else _minutes_after(d[i])}
                  for i in range(len(p))],
    }


def _minutes_after(minutes: int) -> str:
    day, minute = divmod(minutes, 1440)
    return _at(day, minute)


Instance = tuple[list[int], list[int], list[int]]  # processing times, weights, due dates


def orlib_instance(n: int, tf: float, rdd: float, seed: int) -> Instance:
    """OR-Library's recipe: p ~ U[1,100], w ~ U[1,10], d ~ U[P(1-TF-RDD/2), P(1-TF+RDD/2)]."""
    rng = random.Random(seed)
    p = [rng.randint(1, 100) for _ in range(n)]
    w = [rng.randint(1, 10) for _ in range(n)]
    total = sum(p)
    lo, hi = total * (1 - tf - rdd / 2), total * (1 - tf + rdd / 2)
    d = [rng.randint(max(0, int(lo)), max(0, int(hi))) for _ in range(n)]
    return p, w, d


def read_orlib(path: Path, n: int = 40) -> list[Instance]:
    nums = [int(x) for x in path.read_text(encoding="utf-8").split()]
    size = 3 * n
    return [(nums[k:k + n], nums[k + n:k + 2 * n], nums[k + 2 * n:k + 3 * n])
            for k in range(0, len(nums), size)]


def dump(planfile: dict[str, Any]) -> str:
    return yaml.safe_dump(planfile, sort_keys=False, allow_unicode=True)
