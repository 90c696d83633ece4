"""Values in the words of the item commands (`mon-fri`, `3/week`, hours specs) and the small
table helpers they share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from tengnuo.cli import render
from tengnuo.cli.shell import state
from tengnuo.model.horizon import DayRange
from tengnuo.model.items import Every, HoursProfile, day_spec
from tengnuo.planner import quick


def minutes_of(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def every_text(every: Every) -> str:
    days = frozenset(every.weekdays)
    if every.per_week is not None:
        return f"{every.per_week}/week" + ("" if days == frozenset(range(7))
                                            else f" on {day_spec(days)}")
    named = {frozenset(range(7)): "day", frozenset(range(5)): "weekday",
             frozenset({5, 6}): "weekend"}
    return named.get(days) or day_spec(days)


def hours_text(profile: HoursProfile) -> str:
    """The profile in the words of `hours set`: `mon-fri 09:00-12:00, 13:00-18:00; sat ...`."""
    groups: dict[tuple[DayRange, ...], list[int]] = {}
    for day in sorted(profile.ranges):
        if profile.ranges[day]:
            groups.setdefault(tuple(profile.ranges[day]), []).append(day)
    return "; ".join(f"{day_spec(days)} {', '.join(str(r) for r in ranges)}"
                     for ranges, days in groups.items()) or "(never)"


def new_table(*columns: str) -> Table:
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0))
    for column in columns:
        table.add_column(column, style="bold" if column in ("id", "name") else None,
                         overflow="fold")
    return table


def show(rows: list[Any], empty: str, table: Callable[[], Table]) -> None:
    out = render.make_console()
    if not rows:
        out.print(empty, style="dim")
        return
    render.print_trimmed(out, table())


def now_of(ctx: typer.Context, tz: ZoneInfo) -> datetime:
    return quick.moment(state(ctx).now_text, tz)
