"""Properties of `solve` on random small problems, every plan judged by `tengnuo.check`."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planning import QUICK, assert_valid, cost_key, solve_checked
from strategies import perfect_plan, planned_problems, problems

from tengnuo.check import check
from tengnuo.model.cost import evaluate, minutes_by_day
from tengnuo.model.horizon import DayRange, local_time
from tengnuo.model.hours import week_of
from tengnuo.model.items import CategoryLimit, Event, HoursProfile, Limits
from tengnuo.model.plan import Block, Plan, Status
from tengnuo.model.problem import Problem
from tengnuo.solver import SolveOptions, solve

HEURISTIC = SolveOptions(time_limit_seconds=3, workers=1, seed=0, use_cp_sat=False)
REPEATABLE = SolveOptions(time_limit_seconds=3, workers=1, seed=0, deterministic=True)

TICK = timedelta(microseconds=1)

SOLVER_SETTINGS = settings(
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def meets_hard_deadlines(problem: Problem, plan: Plan) -> bool:
    """Whether every hard task is planned and ends by its due in `plan`."""
    for task in problem.tasks:
        if not task.hard or task.due is None:
            continue
        ends = [b.end for b in plan.blocks if b.id == task.id]
        if not ends or max(ends) > task.due.astimezone(UTC):
            return False
    return True


@SOLVER_SETTINGS
@given(problems())
def test_random_problem_plan_passes_the_checker(problem):
    """Any small valid problem gets a plan the checker accepts, whatever its status."""
    plan = solve_checked(problem)
    assert plan.status in (Status.OPTIMAL, Status.FEASIBLE, Status.INFEASIBLE)
    if plan.status is Status.INFEASIBLE:
        assert any(t.hard for t in problem.tasks), "only hard deadlines can make a plan impossible"
        assert not meets_hard_deadlines(problem, plan), (
            "the fallback plan meets every hard deadline, so the problem was not infeasible")
        assert all(c.items for c in plan.conflicts)
        names = {t.id for t in problem.tasks if t.hard}
        for conflict in plan.conflicts:
            for item in conflict.items:
                # a hard task, `x after y` between tasks, or a limit in words (day_max on ...)
                words = item.split(" after ")
                assert item in names or (len(words) == 2 and words[0] in names) or (
                    "max" in item), item
    else:
        assert meets_hard_deadlines(problem, plan)


@SOLVER_SETTINGS
@given(planned_problems())
def test_problem_with_known_plan_is_fully_planned_on_time(drawn):
    """A problem built around a valid plan leaves nothing unscheduled and nothing late."""
    problem, _blocks = drawn
    plan = solve_checked(problem)
    assert plan.status is not Status.INFEASIBLE
    assert plan.cost.unscheduled == 0
    assert plan.cost.lateness == 0
    assert not plan.unscheduled
    assert not plan.late


@SOLVER_SETTINGS
@given(planned_problems())
def test_optimal_plan_is_no_worse_than_the_known_plan(drawn):
    """The bound never exceeds the known plan's total, and when the solver claims optimal its
    cost is at most the known plan's (lexicographically, preferences included)."""
    problem, blocks = drawn
    plan = solve_checked(problem)
    known = evaluate(problem, blocks).cost
    assert known.unscheduled == known.lateness == 0
    assert plan.bound <= known.total, "the bound must hold for every plan, the known one too"
    if plan.status is Status.OPTIMAL:
        assert cost_key(plan) <= (0, 0, known.preferences)


@SOLVER_SETTINGS
@given(planned_problems(), st.data())
def test_known_plan_with_hard_deadlines_is_not_infeasible(drawn, data):
    """Making some tasks hard (due = their end in the known plan) keeps the problem feasible:
    the solver must plan every hard task by its due and never answer infeasible."""
    problem, _blocks = drawn
    hard = data.draw(st.sets(st.sampled_from([t.id for t in problem.tasks])))
    tasks = tuple(replace(t, hard=True) if t.id in hard else t for t in problem.tasks)
    problem = replace(problem, tasks=tasks)
    plan = solve_checked(problem)
    assert plan.status is not Status.INFEASIBLE, plan.conflicts
    assert meets_hard_deadlines(problem, plan)
    assert plan.cost.unscheduled == plan.cost.lateness == 0


def crosses_midnight(problem: Problem, block: Block) -> bool:
    tz = problem.tz
    return block.start.astimezone(tz).date() != (block.end - TICK).astimezone(tz).date()


def grown(problem: Problem, event: Event) -> tuple[datetime, datetime]:
    """An event grown outward to the grid (FORMAT.md), as the buffer is measured from it."""
    tz, step = problem.tz, timedelta(minutes=problem.granularity_minutes)
    origin = local_time(problem.start.astimezone(tz).date(), 0, tz)
    start = origin + (event.start - origin) // step * step
    end = origin - (origin - event.end) // step * step
    return start, end


def is_dst_change(problem: Problem, day: date) -> bool:
    tz = problem.tz
    return local_time(day, 0, tz).astimezone(tz).utcoffset() != local_time(
        day + timedelta(days=1), 0, tz).astimezone(tz).utcoffset()


@st.composite
def fitted_hours(draw: st.DrawFn, problem: Problem, blocks: list[Block]) -> HoursProfile:
    """An hours profile that holds `blocks` with some slack around each (more on a DST change
    day, where a wall-clock range may name the other occurrence of a repeated hour)."""
    tz, g = problem.tz, problem.granularity_minutes
    ranges: dict[int, list[DayRange]] = defaultdict(list)
    for b in blocks:
        start, end = b.start.astimezone(tz), b.end.astimezone(tz)
        slack = draw(st.integers(0, 3)) * g + (60 if is_dst_change(problem, start.date()) else 0)
        lo = max(0, start.hour * 60 + start.minute - slack)
        hi = end.hour * 60 + end.minute + slack
        if end.date() == start.date() or end.hour * 60 + end.minute == 0:
            ranges[start.weekday()].append(DayRange(lo, min(hi, 1440)))
        else:  # across midnight: the range runs into the next day
            ranges[start.weekday()].append(DayRange(lo, min(hi, lo - 1)))
    return HoursProfile(f"fit-{blocks[0].id}", {d: tuple(r) for d, r in ranges.items()})


@st.composite
def limited_planned_problems(draw: st.DrawFn) -> tuple[Problem, tuple[Block, ...]]:
    """A planned problem plus a buffer, a day_max, category limits and hours profiles that its
    known plan keeps (limits only when no block crosses midnight), so everything still fits on
    time."""
    problem, blocks = draw(planned_problems())
    g = problem.granularity_minutes
    others = [(b.start, b.end) for b in blocks] + [grown(problem, e) for e in problem.events]
    gaps = [max(lo - b.end, b.start - hi) for b in blocks for lo, hi in others
            if (lo, hi) != (b.start, b.end)]
    room = min(gaps, default=timedelta(hours=2)) // timedelta(minutes=g) * g  # whole grid steps
    buffer = draw(st.integers(0, room // 5)) * 5  # rounded up to the grid, still within room
    day_max, categories = None, {}
    if not any(crosses_midnight(problem, b) for b in blocks) and draw(st.booleans()):
        extra = draw(st.integers(0, 4)) * g
        day_max = timedelta(minutes=max(minutes_by_day(blocks, problem).values()) + extra)
        first = problem.start.astimezone(problem.tz).date()
        for category in {b.category for b in blocks} - {None}:
            mine = [b for b in blocks if b.category == category]
            per_day = minutes_by_day(mine, problem)
            per_week: Counter[int] = Counter()
            for day, minutes in per_day.items():
                per_week[week_of((day - first).days, problem.days)] += minutes
            categories[category] = CategoryLimit(
                day_max=timedelta(minutes=max(per_day.values()) + draw(st.integers(0, 2)) * g),
                week_max=timedelta(minutes=max(per_week.values()) + draw(st.integers(0, 2)) * g))
    limits = Limits(day_max=day_max, buffer=timedelta(minutes=buffer), categories=categories)
    hours = dict(problem.hours)
    tasks = list(problem.tasks)
    for i, task in enumerate(tasks):
        if draw(st.booleans()):
            profile = draw(fitted_hours(problem, [b for b in blocks if b.id == task.id]))
            hours[profile.name] = profile
            tasks[i] = replace(task, hours=profile.name)
    problem = replace(problem, limits=limits, hours=hours, tasks=tuple(tasks))
    violations = check(problem, perfect_plan(blocks))
    assert violations == [], f"strategy broke its own plan: {violations}"
    return problem, blocks


@SOLVER_SETTINGS
@given(limited_planned_problems())
def test_known_plan_under_limits_it_keeps_is_fully_planned_on_time(drawn):
    """Buffer, day_max, category limits and hours that the known plan keeps never push work out."""
    problem, _blocks = drawn
    plan = solve_checked(problem)
    assert plan.cost.unscheduled == 0
    assert plan.cost.lateness == 0


@SOLVER_SETTINGS
@given(problems())
def test_full_engine_cost_is_never_worse_than_heuristic(problem):
    """CP-SAT after the heuristic never ends on a lexicographically worse cost than it."""
    heuristic = solve_checked(problem, HEURISTIC)
    full = solve_checked(problem, QUICK)
    if heuristic.status is not Status.INFEASIBLE:
        assert full.status is not Status.INFEASIBLE, "the heuristic met every hard rule"
    if (full.status is Status.INFEASIBLE) == (heuristic.status is Status.INFEASIBLE):
        assert cost_key(full) <= cost_key(heuristic)


@settings(SOLVER_SETTINGS, max_examples=30)
@given(problems())
def test_same_problem_and_options_give_the_same_blocks(problem):
    """With one worker, a fixed seed and deterministic limits, solving twice gives the same plan."""
    first = solve(problem, REPEATABLE)
    second = solve(problem, REPEATABLE)
    assert_valid(problem, first)
    assert first.blocks == second.blocks
    assert first.cost == second.cost
    assert first.status == second.status


@settings(SOLVER_SETTINGS, max_examples=30)
@given(problems())
def test_solve_that_ends_before_its_time_limit_repeats_itself(problem):
    """Without `deterministic`, one worker and a fixed seed still repeat the plan when the solve
    ends well before the time limit (SolveOptions' promise)."""
    first = solve(problem, QUICK)
    second = solve(problem, QUICK)
    assert_valid(problem, first)
    if max(first.solve_seconds, second.solve_seconds) < QUICK.time_limit_seconds / 2:
        assert first.blocks == second.blocks
        assert first.cost == second.cost
