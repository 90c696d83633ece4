"""What the plan commands print besides the agenda: the diff between versions, the day and week
views, what is next, and the version history; with their JSON."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tengnuo.cli.render import agenda_table, duration_text, moment_text, print_trimmed
from tengnuo.cli.views import block_json, iso
from tengnuo.formats.plan_json import plan_to_json
from tengnuo.model.diff import PlanDiff
from tengnuo.model.plan import Block
from tengnuo.planner.planning import Planned, View
from tengnuo.planner.workspace import PlanVersion


def _span(block: Block, tz: ZoneInfo) -> str:
    return f"{moment_text(block.start, tz)}-{block.end.astimezone(tz):%H:%M}"


def diff_json(diff: PlanDiff, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "moved": [{"id": m.id, "from": [block_json(b, tz) for b in m.old],
                   "to": [block_json(b, tz) for b in m.new]} for m in diff.moved],
        "added": [block_json(b, tz) for b in diff.added],
        "dropped": [block_json(b, tz) for b in diff.dropped],
        "now_late": [{"id": x.id, "minutes_late": x.minutes_late} for x in diff.now_late],
        "kept": len(diff.kept),
    }


def planned_json(result: Planned) -> dict[str, Any]:
    """`{"version", "stability", "diff", "plan"}`; `plan` is FORMAT.md's plan object."""
    return {"version": result.version, "stability": result.stability,
            "diff": None if result.diff is None else diff_json(result.diff, result.problem.tz),
            "plan": plan_to_json(result.plan, result.problem)}


def render_diff(console: Console, diff: PlanDiff, tz: ZoneInfo, stability: int | None) -> None:
    """Moved, added, dropped and newly late, before the plan itself."""
    if diff.empty:
        console.print(Text(f"No changes: {len(diff.kept)} blocks stay where they were.",
                           style="bold green"))
        console.print()
        return
    console.print(Text("Changes", style="bold"))
    for m in diff.moved:
        before = ", ".join(_span(b, tz) for b in m.old) or "-"
        after = ", ".join(_span(b, tz) for b in m.new) or "-"
        title = (m.old + m.new)[0].title
        console.print(Text("  moved    ", style="yellow").append(title, style="bold")
                      .append(f": {before} -> {after}"), soft_wrap=True)
    changes = (("added  ", "green", diff.added), ("dropped", "red", diff.dropped))
    for label, style, blocks in changes:
        for b in blocks:
            console.print(Text(f"  {label}  ", style=style).append(b.title, style="bold")
                          .append(f": {_span(b, tz)}"), soft_wrap=True)
    for x in diff.now_late:
        console.print(Text("  now late ", style="red").append(x.id, style="bold")
                      .append(f": {duration_text(x.minutes_late)} late"), soft_wrap=True)
    count = len(diff.kept)
    where = "where they were" if count != 1 else "where it was"
    kept = Text(f"  kept     {count} block{'s' * (count != 1)} {where}", style="dim")
    if stability:
        kept.append(f" (moving cost {stability:,} in preferences)")
    console.print(kept)
    console.print()


def view_json(view: View) -> dict[str, Any]:
    tz = view.problem.tz
    return {"version": view.version.version if view.version else None, "stale": view.stale,
            "timezone": view.problem.timezone,
            "blocks": [block_json(b, tz) for b in view.blocks],
            "events": [{"id": e.id, "title": e.title, "start": e.start.astimezone(tz).isoformat(),
                        "end": e.end.astimezone(tz).isoformat()}
                       for e in view.problem.events
                       if e.start < view.problem.end and e.end > view.problem.start]}


def _no_plan(console: Console, view: View) -> bool:
    if view.version is None:
        console.print("No plan yet: run `tengnuo plan`.", style="yellow")
        return True
    if view.stale:
        console.print("Your tasks changed since this plan: `tengnuo replan` updates it.",
                      style="yellow")
    return False


def render_view(console: Console, view: View) -> None:
    if _no_plan(console, view) or view.version is None:
        return
    plan = replace(view.version.plan, blocks=view.blocks)
    print_trimmed(console, agenda_table(plan, view.problem))


def _now_and_next(view: View, now: datetime) -> tuple[Block | None, Block | None]:
    current = next((b for b in view.blocks if b.start <= now < b.end), None)
    coming = next((b for b in sorted(view.blocks, key=lambda b: b.sort_key) if b.start > now),
                  None)
    return current, coming


def next_json(view: View, now: datetime) -> dict[str, Any]:
    current, coming = _now_and_next(view, now)
    tz = view.problem.tz
    return {"version": view.version.version if view.version else None, "stale": view.stale,
            "now": None if current is None else block_json(current, tz),
            "next": None if coming is None else block_json(coming, tz)}


def render_next(console: Console, view: View, now: datetime) -> None:
    if _no_plan(console, view):
        return
    tz = view.problem.tz
    current, coming = _now_and_next(view, now)
    if current is not None:
        left = duration_text(int((current.end - now).total_seconds() // 60))
        console.print(Text("Now   ", style="bold").append(current.title, style="bold green")
                      .append(f"  until {current.end.astimezone(tz):%H:%M} ({left} left)"))
    if coming is not None:
        wait = duration_text(int((coming.start - now).total_seconds() // 60))
        console.print(Text("Next  ", style="bold").append(coming.title, style="bold")
                      .append(f"  {_span(coming, tz)} (in {wait})"))
    if current is None and coming is None:
        console.print("Nothing more is planned.", style="dim")


def version_json(v: PlanVersion, tz: ZoneInfo) -> dict[str, Any]:
    c = v.plan.cost
    return {"version": v.version, "created": iso(v.created, tz), "command": v.command,
            "now": iso(v.now, tz), "status": v.plan.status.value,
            "cost": {"total": c.total, "unscheduled": c.unscheduled, "lateness": c.lateness,
                     "preferences": c.preferences}, "solve_seconds": v.plan.solve_seconds}


def render_history(console: Console, versions: list[PlanVersion], tz: ZoneInfo) -> None:
    if not versions:
        console.print("No plan yet: run `tengnuo plan`.", style="yellow")
        return
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0))
    for column in ("version", "made", "planned from", "by", "status", "unscheduled", "lateness",
                   "preferences"):
        table.add_column(column)
    for v in versions:
        c = v.plan.cost
        table.add_row(str(v.version), moment_text(v.created, tz), moment_text(v.now, tz),
                      v.command, v.plan.status.value, f"{c.unscheduled:,}", f"{c.lateness:,}",
                      f"{c.preferences:,}")
    print_trimmed(console, table)
