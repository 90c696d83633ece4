"""The independent plan checker: the oracle every test uses to validate a plan.

`check(problem, plan)` lists every rule of FORMAT.md that `plan` breaks, and recomputes the
`unscheduled` and `lateness` cost tiers from the blocks alone. It must never import
`tengnuo.solver` (it is the oracle, not a second opinion from the same code), nor
`tengnuo.model.hours` or `tengnuo.model.cost`, which the solver builds on: windows, occurrences and
costs are re-derived here by wall-clock reasoning. Only the model's dataclasses and
`horizon.local_time` / `DayRange` are shared.

The placement rules live in `check_rules`, the shared context and time arithmetic in
`check_context`; this module holds the entry point and the cost rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date

from tengnuo.check_context import (
    Context,
    Violation,
    build_context,
    round_up,
    week_quota,
    whole_minutes,
)
from tengnuo.check_fixed import (
    covered_days,
    covered_in_week,
    nothing_to_plan,
    rule_fixed,
    task_end,
)
from tengnuo.check_routines import occurrence_days, routine_span, rule_routines
from tengnuo.check_rules import (
    rule_chunk_numbers,
    rule_grid,
    rule_horizon,
    rule_hours,
    rule_identity,
    rule_limits,
    rule_order,
    rule_spacing,
    rule_task_size,
)
from tengnuo.model.items import Routine
from tengnuo.model.plan import Late, Plan, Status
from tengnuo.model.problem import Problem

__all__ = ["RULE_NAMES", "Violation", "check"]

RULE_NAMES = (
    "not_utc", "unknown_item", "item_mismatch", "grid", "horizon", "hours", "overlap", "buffer",
    "chunk_gap", "duration", "split", "chunk_numbering", "after", "not_before", "due", "day_max",
    "category_day_max", "category_week_max", "routine_window", "routine_day", "routine_week",
    "cost_unscheduled", "unscheduled_entries", "cost_lateness", "late_entries", "bound", "fixed",
)
"""Every `Violation.rule` the checker can report."""


def check(problem: Problem, plan: Plan, *, hard_as_soft: bool = False) -> list[Violation]:
    """Every way in which `plan` breaks FORMAT.md for `problem`; empty when it is a good plan.

    Args:
        problem: the (valid) problem the plan claims to solve.
        plan: the plan to judge; its own cost and `late` entries are verified, not trusted.
        hard_as_soft: judge the fallback plan of an infeasible problem: hard deadlines are
            treated as soft (lateness is counted instead of a `due` violation).

    Returns:
        The violations, in rule order; each names its rule, the item and a message in user words.
    """
    ctx, found = build_context(problem, plan, hard_as_soft)
    for rule in RULES:
        found.extend(rule(ctx))
    return found


# --- cost: unscheduled -----------------------------------------------------------------------


@dataclass(frozen=True)
class Missed:
    """An unplanned task or a missed routine occurrence, with its cost."""

    id: str
    kind: str
    minutes: int
    weight: int
    day: date | None = None

    @property
    def cost(self) -> int:
        return self.weight * self.minutes

    def __str__(self) -> str:
        on = f" on {self.day}" if self.day else ""
        return f"{self.id}{on}: {self.weight} x {self.minutes}m"


def candidate_days(ctx: Context, routine: Routine) -> list[date]:
    """Horizon days of an allowed weekday whose window, cut to the horizon and shrunk to the grid,
    holds the routine's rounded duration."""
    need = round_up(routine.duration, ctx.step)
    out = []
    for day in ctx.days:
        if day.weekday() in routine.every.weekdays:
            lo, hi = routine_span(ctx, routine, day)
            lo, hi = ctx.grid_ceil(max(lo, ctx.start)), ctx.grid_floor(min(hi, ctx.end))
            if hi - lo >= need:
                out.append(day)
    return out


def missed_days(ctx: Context, routine: Routine) -> list[date]:
    """Candidate days without an occurrence; for N/week, only as many as the week's quota asks.
    A day a fixed block covers is done already, and counts toward its week's quota."""
    done = set(occurrence_days(ctx, routine))
    covered = covered_days(ctx, routine)
    candidates = [d for d in candidate_days(ctx, routine) if d not in covered]
    per_week = routine.every.per_week
    if per_week is None:
        return [d for d in candidates if d not in done]
    missed: list[date] = []
    for week in range(ctx.weeks):
        in_week = [d for d in candidates if ctx.week_of(d) == week]
        wanted = week_quota(per_week, ctx.days_in_week(week))
        quota = min(max(0, wanted - covered_in_week(ctx, routine, week)), len(in_week))
        free = [d for d in in_week if d not in done]
        missed += free[: max(0, quota - (len(in_week) - len(free)))]
    return missed


def expected_missed(ctx: Context) -> list[Missed]:
    out = [Missed(t.id, "task", whole_minutes(t.duration), t.cost_weight)
           for t in ctx.problem.tasks if t.id not in ctx.task_blocks and not nothing_to_plan(t)]
    for routine in ctx.problem.routines:
        minutes = whole_minutes(routine.duration)
        out += [Missed(routine.id, "routine", minutes, routine.cost_weight, day)
                for day in missed_days(ctx, routine)]
    return out


def rule_unscheduled(ctx: Context) -> Iterator[Violation]:
    """`cost.unscheduled` and the `unscheduled` list agree with the recomputed misses."""
    missed = expected_missed(ctx)
    expected = sum(m.cost for m in missed)
    if ctx.plan.cost.unscheduled != expected:
        detail = "; ".join(str(m) for m in missed[:8]) + ("; ..." if len(missed) > 8 else "")
        yield Violation("cost_unscheduled", None, f"cost.unscheduled is "
                        f"{ctx.plan.cost.unscheduled}, recomputed {expected} ({detail or 'none'})")
    want = Counter((m.kind, m.id) for m in missed)
    got = Counter((u.kind, u.id) for u in ctx.plan.unscheduled)
    for kind, item in sorted(set(want) | set(got)):
        if want[kind, item] != got[kind, item]:
            yield Violation("unscheduled_entries", item, f"{item}: `unscheduled` lists the {kind} "
                            f"{got[kind, item]} times, recomputed {want[kind, item]}")


# --- cost: lateness --------------------------------------------------------------------------


def expected_late(ctx: Context) -> dict[str, Late]:
    """Planned soft-deadline tasks (hard ones too under `hard_as_soft`) ending after `due`; a
    task with nothing to plan ends with its fixed blocks."""
    out = {}
    for task in ctx.problem.tasks:
        blocks = ctx.task_blocks.get(task.id, ())
        if task.due is None or (task.hard and not ctx.hard_as_soft):
            continue
        if not blocks and not nothing_to_plan(task):
            continue
        end = task_end(ctx, task.id, blocks)
        if end is not None and end > task.due:
            minutes = whole_minutes(end - task.due.astimezone(UTC))
            out[task.id] = Late(task.id, task.due, end, minutes, task.cost_weight * minutes)
    return out


def rule_lateness(ctx: Context) -> Iterator[Violation]:
    """`cost.lateness` and the `late` list agree with the recomputed lateness."""
    late = expected_late(ctx)
    expected = sum(x.cost for x in late.values())
    if ctx.plan.cost.lateness != expected:
        detail = "; ".join(f"{x.id}: {x.minutes_late}m late" for x in late.values())
        yield Violation("cost_lateness", None, f"cost.lateness is {ctx.plan.cost.lateness}, "
                        f"recomputed {expected} ({detail or 'nothing late'})")
    given = {x.id: x for x in ctx.plan.late}
    for item in sorted(set(late) | set(given)):
        yield from _late_entry(ctx, item, late.get(item), given.get(item))


def _late_entry(
    ctx: Context, item: str, want: Late | None, got: Late | None
) -> Iterator[Violation]:
    if want is None:
        yield Violation("late_entries", item, f"{item}: listed in `late`, but it is not late")
    elif got is None:
        yield Violation("late_entries", item, f"{item}: ends {want.minutes_late}m after its "
                        f"due {ctx.show(want.due)} but is not listed in `late`")
    elif (got.minutes_late, got.cost, got.end, got.due) != (
        want.minutes_late, want.cost, want.end, want.due
    ):
        yield Violation("late_entries", item, f"{item}: `late` says {got.minutes_late}m late "
                        f"(cost {got.cost}, end {got.end.isoformat()}), recomputed "
                        f"{want.minutes_late}m (cost {want.cost}, end {ctx.show(want.end)})")


# --- bound -----------------------------------------------------------------------------------


def rule_bound(ctx: Context) -> Iterator[Violation]:
    """`bound` is a lower bound of `cost.total`, and meets it when the status is optimal."""
    total, bound = ctx.plan.cost.total, ctx.plan.bound
    if bound > total:
        yield Violation("bound", None, f"bound {bound} exceeds cost.total {total}")
    elif ctx.plan.status is Status.OPTIMAL and bound != total:
        yield Violation("bound", None, f"status optimal, but bound {bound} < cost.total {total}")


RULES: tuple[Callable[[Context], Iterable[Violation]], ...] = (
    rule_identity, rule_grid, rule_horizon, rule_hours, rule_spacing, rule_task_size,
    rule_chunk_numbers, rule_order, rule_limits, rule_routines,
    rule_unscheduled, rule_lateness, rule_bound, rule_fixed,
)
