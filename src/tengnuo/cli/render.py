"""What a person reads in the terminal: the agenda, what did not fit, the summary.

Rich does the colours and alignment; on a pipe the same text comes out plain (rich drops styles
when its file is not a terminal). User text always goes in `Text` objects, never as markup, so a
field such as `[tasks[0].due]` prints as written. Imports rich, `tengnuo.model`, `tengnuo.errors`
and `tengnuo.planner` only.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from tengnuo.errors import Issue
from tengnuo.model.cost import tier_bounds, total_of
from tengnuo.model.horizon import days_between
from tengnuo.model.items import Event
from tengnuo.model.plan import Block, Plan, Status
from tengnuo.model.problem import Problem

PIPE_WIDTH = 120  # a pipe has no width; wide enough that titles are not wrapped for grep
CATEGORY_COLOURS = ("cyan", "green", "magenta", "yellow", "blue", "bright_red", "bright_cyan")
TIER_NAMES = ("unscheduled", "lateness", "preferences")
STATUS_STYLES = {
    Status.OPTIMAL: "bold green",
    Status.FEASIBLE: "bold yellow",
    Status.INFEASIBLE: "bold red",
    Status.INVALID: "bold red",
}


def make_console(*, stderr: bool = False) -> Console:
    """A console on stdout or stderr, created per call so that it sees the current streams."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() or "COLUMNS" in os.environ else PIPE_WIDTH
    return Console(stderr=stderr, highlight=False, width=width)


def print_trimmed(console: Console, renderable: RenderableType) -> None:
    """Print `renderable`; on a pipe without the spaces rich pads table cells with."""
    if console.is_terminal:
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    console.out("\n".join(line.rstrip() for line in captured.get().splitlines()))


def duration_text(minutes: int) -> str:
    """`90` → `1h30m`, the way FORMAT.md writes durations.

    >>> duration_text(90), duration_text(45), duration_text(120)
    ('1h30m', '45m', '2h')
    """
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h{rest}m" if rest else f"{hours}h"


def day_text(day: date) -> str:
    """`Mon 2026-12-07`."""
    return f"{day:%a} {day.isoformat()}"


def moment_text(moment: datetime, tz: ZoneInfo) -> str:
    """`Tue 2026-12-08 18:00` on the wall clock of `tz`."""
    local = moment.astimezone(tz)
    return f"{day_text(local.date())} {local:%H:%M}"


# ---------------------------------------------------------------------------------- the agenda


def render_plan(console: Console, plan: Plan, problem: Problem) -> None:
    """The whole report: agenda day by day, what did not fit, lateness, warnings, summary."""
    print_trimmed(console, agenda_table(plan, problem))
    _render_unscheduled(console, plan, problem)
    _render_late(console, plan, problem)
    _render_list(console, "Warnings", [Text(w) for w in plan.warnings], "yellow")
    console.print()
    for line in summary_lines(plan, problem):
        console.print(line, soft_wrap=True)


def agenda_table(plan: Plan, problem: Problem) -> Table:
    """One table for the whole horizon so that columns line up across days."""
    tz = problem.tz
    colours = _category_colours(plan, problem)
    late_ends = {(x.id, x.end): x.minutes_late for x in plan.late}
    rows: dict[date, list[tuple[datetime, Text, Text, Text, Text]]] = defaultdict(list)
    first_day = problem.start.astimezone(tz).date()
    for block in plan.blocks:
        note = _block_note(block, late_ends.get((block.id, block.end)))
        row = _row(block.start, block.end, tz, Text(block.title), block.category, colours, note)
        rows[block.start.astimezone(tz).date()].append(row)
    for event in _events(problem):
        note = Text("event", style="dim")
        row = _row(event.start, event.end, tz, Text(event.title, style="dim"), event.category,
                   colours, note, dim=True)
        rows[max(first_day, event.start.astimezone(tz).date())].append(row)
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
    for _ in range(4):
        table.add_column(overflow="fold")
    for day in days_between(problem.start, problem.end, tz):
        _add_day(table, day, sorted(rows.get(day, []), key=lambda r: r[0]))
    return table


def _add_day(
    table: Table, day: date, rows: list[tuple[datetime, Text, Text, Text, Text]]
) -> None:
    if table.row_count:
        table.add_row()
    table.add_row(Text(day_text(day), style="bold"))
    if not rows:
        table.add_row(Text("  -", style="dim"), Text("nothing planned", style="dim"))
    for _, *cells in rows:
        table.add_row(*cells)


def _row(
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    title: Text,
    category: str | None,
    colours: dict[str, str],
    note: Text,
    *,
    dim: bool = False,
) -> tuple[datetime, Text, Text, Text, Text]:
    style = "dim" if dim else colours.get(category or "", "")
    time = Text("  " + _time_range(start, end, tz), style="dim" if dim else "")
    return start, time, title, Text(category or "", style=style), note


def _time_range(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """`09:00-10:30`; `all day` for a whole-day event; `+1` when it ends on a later day."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    days = (local_end.date() - local_start.date()).days
    if local_start.time() == local_end.time() == datetime.min.time() and days >= 1:
        return "all day" if days == 1 else f"all day +{days - 1}"
    if local_end.time() == datetime.min.time():
        days -= 1  # ending at midnight is the end of the day, written 24:00
        return f"{local_start:%H:%M}-24:00" + (f"+{days}" if days else "")
    return f"{local_start:%H:%M}-{local_end:%H:%M}" + (f"+{days}" if days else "")


def _block_note(block: Block, minutes_late: int | None) -> Text:
    note = Text(style="dim")
    if block.chunks is not None and block.chunks > 1:
        note.append(f"chunk {block.chunk}/{block.chunks}")
    if minutes_late:
        note.append(("  " if note else "") + f"{duration_text(minutes_late)} late", style="red")
    return note


def _category_colours(plan: Plan, problem: Problem) -> dict[str, str]:
    names = {b.category for b in plan.blocks} | {e.category for e in problem.events}
    ordered = sorted(n for n in names if n)
    return {n: CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i, n in enumerate(ordered)}


def _events(problem: Problem) -> Iterator[Event]:
    return (e for e in problem.events if e.start < problem.end and e.end > problem.start)


# ------------------------------------------------------------------------- the other sections


def _render_list(console: Console, heading: str, lines: list[Text], style: str) -> None:
    if not lines:
        return
    console.print()
    console.print(Text(heading, style=f"bold {style}"))
    for line in lines:
        console.print(Text("  ").append_text(line), soft_wrap=True)


def _titles(problem: Problem) -> dict[str, str]:
    titles = {event.id: event.title for event in problem.events}
    titles.update((task.id, task.title) for task in problem.tasks)
    titles.update((routine.id, routine.title) for routine in problem.routines)
    return titles


def _render_unscheduled(console: Console, plan: Plan, problem: Problem) -> None:
    titles = _titles(problem)
    lines = []
    for item in plan.unscheduled:
        line = Text(titles.get(item.id, item.id), style="bold")
        if item.date is not None:
            line.append(f" on {day_text(item.date)}")
        line.append(f" ({item.kind}, {duration_text(item.minutes)})", style="dim")
        lines.append(line.append(f": {item.reason}"))
    _render_list(console, "Did not fit", lines, "red")


def _render_late(console: Console, plan: Plan, problem: Problem) -> None:
    titles, tz = _titles(problem), problem.tz
    lines = [
        Text(titles.get(x.id, x.id), style="bold")
        .append(f": {duration_text(x.minutes_late)} late", style="red")
        .append(f", due {moment_text(x.due, tz)}, ends {moment_text(x.end, tz)}")
        .append(f" (cost {x.cost:,})", style="dim")
        for x in plan.late
    ]
    _render_list(console, "Late", lines, "yellow")


def summary_lines(plan: Plan, problem: Problem) -> list[Text]:
    """The cost tiers and solve time, then the proven bound and what it proves.

    `optimal  unscheduled 0, lateness 0, preferences 1,234 (total 5,678)  solved in 0.41 s`
    `bound 5,678, gap 0: proved optimal`
    """
    cost = plan.cost
    first = Text(plan.status.value, style=STATUS_STYLES[plan.status])
    first.append(f"  unscheduled {cost.unscheduled:,}, lateness {cost.lateness:,}, "
                 f"preferences {cost.preferences:,}")
    first.append(f" (total {cost.total:,})", style="dim")
    first.append(f"  solved in {plan.solve_seconds:.2f} s", style="dim")
    gap = max(0, cost.total - plan.bound)
    second = Text(f"bound {plan.bound:,}, gap {gap:,}: ", style="dim")
    second.append(proof_text(plan, problem), style="")
    if plan.status is Status.INFEASIBLE:
        second.append(" (of the fallback plan)", style="dim")
    return [first, second]


def proof_text(plan: Plan, problem: Problem) -> str:
    """What the bound proves, tier by tier, in words.

    The total combines the tiers lexicographically (`tengnuo.model.cost.total_of`), so the bound
    splits into a lower bound per tier: every tier that meets its bound is proved best, and the
    first one that does not is at most that far above the best plan's.
    """
    cost = plan.cost
    if plan.bound >= cost.total:
        return "proved optimal"
    if plan.bound <= 0:
        return "nothing proved yet; a longer --time-limit may prove more"
    generic = f"the cost is at most {cost.total - plan.bound:,} above the best possible"
    values = (cost.unscheduled, cost.lateness, cost.preferences)
    if total_of(problem, *values) != cost.total:
        return generic
    late_max, pref_max = tier_bounds(problem)
    unscheduled, rest = divmod(plan.bound, (late_max + 1) * (pref_max + 1))
    lows = (unscheduled, *divmod(rest, pref_max + 1))
    proved: list[str] = []
    for name, value, low in zip(TIER_NAMES, values, lows, strict=True):
        if value < low:
            return generic
        if value > low:
            head = f"{' and '.join(proved)} proved best; " if proved else ""
            share = 100.0 * (value - low) / value
            return f"{head}{name} at most {value - low:,} ({share:.1f}%) above the best possible"
        proved.append(name)
    return generic


def render_conflicts(console: Console, plan: Plan) -> None:
    """Why the plan is infeasible, before the fallback plan."""
    console.print(Text("Infeasible: the hard constraints cannot all hold.", style="bold red"))
    for conflict in plan.conflicts:
        line = Text("  ").append(", ".join(conflict.items), style="bold")
        console.print(line.append(f": {conflict.message}"))
    console.print(Text("Fallback plan, with those hard deadlines treated as soft:", style="dim"))
    console.print()


def render_issues(console: Console, issues: Iterable[Issue]) -> None:
    """Every problem of an invalid input, one a line: `file:line [field]: message`."""
    for issue in issues:
        console.print(Text(str(issue)), soft_wrap=True)


def render_check_summary(console: Console, problem: Problem) -> None:
    """`valid: 14 days from Mon 2026-12-07 (Asia/Shanghai), 13 tasks, 12 events, 3 routines`."""
    first = problem.start.astimezone(problem.tz).date()
    events = sum(1 for _ in _events(problem))
    text = Text("valid", style="bold green")
    text.append(f": {problem.days} days from {day_text(first)} ({problem.timezone}), ")
    text.append(f"{len(problem.tasks)} tasks, {events} events, {len(problem.routines)} routines")
    console.print(text)
    warnings = [Text(str(issue)) for issue in problem.warnings]
    _render_list(console, "Warnings", warnings, "yellow")
