"""Fixed blocks (`Problem.fixed`): blocks already decided that a new plan must keep.

Each test asserts what the person would notice when re-planning; every plan goes through
`planning.solve_checked`, so the independent checker validates it first.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from planning import blocks_of, solve_checked, span
from strategies import planned_problems

from tengnuo.model.cost import category_shortfalls
from tengnuo.model.horizon import DayRange
from tengnuo.model.items import CategoryLimit, Every, HoursProfile, Limits, Routine, Split, Task
from tengnuo.model.plan import Block, Plan, Status
from tengnuo.model.problem import Problem

BERLIN = "Europe/Berlin"
M = timedelta(minutes=1)
H = timedelta(hours=1)
WORK = HoursProfile("work", dict.fromkeys(range(7), (DayRange(9 * 60, 12 * 60),)))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(BERLIN)).astimezone(UTC)


def problem(start: str = "2026-12-07 00:00", days: int = 2, **fields: object) -> Problem:
    """Berlin, from Monday 7 Dec 2026, 15m grid."""
    return Problem(BERLIN, at(start), days, 15, **fields)  # type: ignore[arg-type]


def kept(item: Task | Routine | str, start: str, end: str, category: str | None = None) -> Block:
    """A fixed block of `item` (a task, a routine, or the id of a task no longer planned)."""
    if isinstance(item, str):
        return Block(at(start), at(end), item, "task", item.title(), category)
    kind = "task" if isinstance(item, Task) else "routine"
    return Block(at(start), at(end), item.id, kind, item.title, item.category)


def planned(plan: Plan, the_problem: Problem, item_id: str) -> list[Block]:
    """The item's blocks that the plan chose (its fixed blocks left out)."""
    return [b for b in blocks_of(plan, item_id) if b not in the_problem.fixed]


def apart(a: Block, b: Block) -> timedelta:
    """The free time between two blocks (negative when they overlap)."""
    return max(a.start, b.start) - min(a.end, b.end)


def test_started_block_stays_and_the_rest_of_the_task_is_planned_after_it() -> None:
    """At 09:30 the report's 09:00-10:00 sitting has started: it stays, and the 1h30m still
    to do goes right after it in work hours, a grid step apart (another sitting, not a
    secretly longer one)."""
    report = Task("report", "Write report", 90 * M, hours="work", split=Split(30 * M, 2 * H))
    started = kept(report, "2026-12-07 09:00", "2026-12-07 10:00")
    p = problem("2026-12-07 09:30", hours={"work": WORK}, tasks=(report,), fixed=(started,))
    plan = solve_checked(p)
    assert plan.blocks.count(started) == 1
    (rest,) = planned(plan, p, "report")
    assert span(p, rest) == ("2026-12-07 10:15", "2026-12-07 11:45")
    assert not plan.unscheduled
    assert plan.cost.preferences == 0  # no extra chunk, first day: the kept block is no chunk


def test_fixed_block_that_fills_the_day_pushes_work_to_the_next_day() -> None:
    """day_max 4h and a kept 4h block on Monday (its task done and gone): the new 2h task
    goes to Tuesday."""
    morning = kept("workshop", "2026-12-07 08:00", "2026-12-07 12:00")
    write = Task("write", "Write", 2 * H)
    p = problem(limits=Limits(day_max=4 * H), tasks=(write,), fixed=(morning,))
    plan = solve_checked(p)
    assert morning in plan.blocks
    (block,) = planned(plan, p, "write")
    assert span(p, block)[0].startswith("2026-12-08")


def test_category_week_max_partly_used_by_fixed_blocks() -> None:
    """work week_max 5h with 3h of work kept: the 2h task fits, the 3h one does not, and the
    reason says the fixed blocks take part of the limit."""
    small = Task("small", "Small", 2 * H, category="work", priority=2)
    big = Task("big", "Big", 3 * H, category="work", priority=4)
    meeting = kept("sprint", "2026-12-07 09:00", "2026-12-07 12:00", category="work")
    limits = Limits(categories={"work": CategoryLimit(week_max=5 * H)})
    p = problem(days=7, limits=limits, tasks=(small, big), fixed=(meeting,))
    plan = solve_checked(p)
    assert planned(plan, p, "small")
    (missing,) = plan.unscheduled
    assert missing.id == "big"
    assert "fixed blocks" in missing.reason, missing.reason


def test_week_min_partly_met_by_a_fixed_block_leaves_a_smaller_shortfall() -> None:
    """learning week_min 3h: a kept 1h lesson and the 1h course leave 1h short, not 2h."""
    course = Task("course", "Course", H, category="learning")
    lesson = kept("lesson", "2026-12-07 18:00", "2026-12-07 19:00", category="learning")
    limits = Limits(categories={"learning": CategoryLimit(week_min=3 * H)})
    p = problem(days=7, limits=limits, tasks=(course,), fixed=(lesson,))
    plan = solve_checked(p)
    assert planned(plan, p, "course")
    (short,) = category_shortfalls(p, plan.blocks)
    assert (short.planned_minutes, short.minimum_minutes) == (120, 180)
    assert plan.warnings[0].startswith("learning: 2h planned in week 1, below week_min 3h")
    without = solve_checked(replace(p, fixed=()))
    assert without.cost.preferences - plan.cost.preferences == 60 * 1000


def test_fixed_routine_block_is_that_days_run() -> None:
    """The daily 07:00-09:00 run started at 07:00 on Monday: no second run on Monday, none
    missed, and Tuesday's is planned."""
    run = Routine("run", "Run", 30 * M, Every(frozenset(range(7))), DayRange(7 * 60, 9 * 60))
    started = kept(run, "2026-12-07 07:00", "2026-12-07 07:30")
    p = problem("2026-12-07 07:15", routines=(run,), fixed=(started,))
    plan = solve_checked(p)
    days = [span(p, b)[0][:10] for b in planned(plan, p, "run")]
    assert days == ["2026-12-08"]
    assert not plan.unscheduled
    assert plan.cost.unscheduled == 0


def test_fixed_routine_block_counts_toward_its_weekly_quota() -> None:
    """Gym 2/week with Monday's session kept: exactly one more this week, nothing missed."""
    gym = Routine("gym", "Gym", H, Every(frozenset(range(7)), per_week=2),
                  DayRange(17 * 60, 20 * 60))
    monday = kept(gym, "2026-12-07 17:00", "2026-12-07 18:00")
    p = problem(days=7, routines=(gym,), fixed=(monday,))
    plan = solve_checked(p)
    more = planned(plan, p, "gym")
    assert len(more) == 1
    assert not span(p, more[0])[0].startswith("2026-12-07")
    assert not plan.unscheduled


def test_buffer_is_kept_around_fixed_blocks() -> None:
    """buffer 30m, work 09:00-12:00, a kept call 10:00-11:00: two 30m tasks fit (09:00 and
    11:30), the third does not, and none comes within 30m of the call."""
    call = kept("call", "2026-12-07 10:00", "2026-12-07 11:00")
    tasks = tuple(Task(f"t{i}", f"Task {i}", 30 * M, hours="work") for i in range(3))
    p = problem(days=1, hours={"work": WORK}, limits=Limits(buffer=30 * M), tasks=tasks,
                fixed=(call,))
    plan = solve_checked(p)
    chosen = [b for b in plan.blocks if b != call]
    assert sorted(span(p, b)[0] for b in chosen) == ["2026-12-07 09:00", "2026-12-07 11:30"]
    assert all(apart(b, call) >= 30 * M for b in chosen)
    assert len(plan.unscheduled) == 1


def test_lateness_counts_from_the_last_block_fixed_ones_included() -> None:
    """A task kept Tuesday 10:00-11:00, due Tuesday 09:00, 1h still to do: it is 2h late
    however early the rest goes."""
    essay = Task("essay", "Essay", H, due=at("2026-12-08 09:00"), split=Split(H, H))
    tuesday = kept(essay, "2026-12-08 10:00", "2026-12-08 11:00")
    p = problem(tasks=(essay,), fixed=(tuesday,))
    plan = solve_checked(p)
    (late,) = plan.late
    assert late.minutes_late == 120
    assert planned(plan, p, "essay")


def test_a_task_whose_rest_is_all_in_a_late_fixed_block_is_late_from_its_end() -> None:
    """At 09:30 the report's last sitting, 09:00-11:30, is under way and holds all that is
    left of it (duration 0); its due was 10:00. Nothing is placed for it, it is not
    unscheduled, it is 90 minutes late at its weight (3 × 90), and the review that comes
    after it starts when the sitting ends."""
    report = Task("report", "Report", timedelta(0), due=at("2026-12-07 10:00"), weight=3)
    review = Task("review", "Review", H, after=("report",))
    sitting = kept(report, "2026-12-07 09:00", "2026-12-07 11:30")
    p = problem("2026-12-07 09:30", tasks=(report, review), fixed=(sitting,))
    assert p.validate() == []
    plan = solve_checked(p)
    assert plan.blocks.count(sitting) == 1
    assert planned(plan, p, "report") == []
    assert not plan.unscheduled
    (late,) = plan.late
    assert (late.id, late.end, late.minutes_late, late.cost) == ("report", sitting.end, 90, 270)
    assert plan.cost.lateness == 270
    (after,) = planned(plan, p, "review")
    assert span(p, after) == ("2026-12-07 11:30", "2026-12-07 12:30")
    assert plan.status is Status.OPTIMAL
    assert plan.bound == plan.cost.total


def test_a_done_task_whose_fixed_block_ends_in_time_costs_nothing() -> None:
    """The same sitting with the due at 12:00: nothing late, nothing unscheduled, and the
    preference tier has nothing for a task the plan did not place."""
    report = Task("report", "Report", timedelta(0), due=at("2026-12-07 12:00"))
    sitting = kept(report, "2026-12-07 09:00", "2026-12-07 11:30")
    plan = solve_checked(problem("2026-12-07 09:30", tasks=(report,), fixed=(sitting,)))
    assert plan.blocks == (sitting,)
    assert (plan.cost.unscheduled, plan.cost.lateness, plan.cost.preferences) == (0, 0, 0)
    assert plan.late == ()
    assert plan.unscheduled == ()


def test_a_hard_due_missed_by_a_fixed_block_with_nothing_left_is_a_conflict() -> None:
    """A hard 10:00 due and the last sitting running until 11:30: no plan can meet it. The
    plan says so, names the task, and (as the fallback plan) counts it late."""
    report = Task("report", "Report", timedelta(0), due=at("2026-12-07 10:00"), hard=True)
    review = Task("review", "Review", H, after=("report",))
    sitting = kept(report, "2026-12-07 09:00", "2026-12-07 11:30")
    p = problem("2026-12-07 09:30", tasks=(report, review), fixed=(sitting,))
    plan = solve_checked(p)
    assert plan.status is Status.INFEASIBLE
    (conflict,) = plan.conflicts
    assert conflict.items == ("report",)
    assert "kept block ends" in conflict.message
    assert [x.id for x in plan.late] == ["report"]
    (after,) = planned(plan, p, "review")
    assert after.start >= sitting.end


def test_validate_accepts_a_zero_duration_only_with_fixed_blocks() -> None:
    """Duration 0 means "all of it is in fixed blocks": refused without any; a negative
    duration is refused always."""
    nothing = Task("nothing", "Nothing", timedelta(0))
    sitting = kept(nothing, "2026-12-07 09:00", "2026-12-07 10:00")
    assert [i.field for i in problem(tasks=(nothing,)).validate()] == ["tasks[0].duration"]
    other = kept("other", "2026-12-07 09:00", "2026-12-07 10:00")
    refused = problem(tasks=(nothing,), fixed=(other,)).validate()
    assert [i.field for i in refused] == ["tasks[0].duration"]
    assert problem(tasks=(nothing,), fixed=(sitting,)).validate() == []
    negative = replace(nothing, duration=-M)
    refused = problem(tasks=(negative,), fixed=(sitting,)).validate()
    assert [i.field for i in refused] == ["tasks[0].duration"]


def test_validate_rejects_overlapping_fixed_blocks() -> None:
    """Two kept blocks that overlap could never both stay; each field names the block."""
    a = kept("a", "2026-12-07 09:00", "2026-12-07 10:00")
    b = kept("b", "2026-12-07 09:30", "2026-12-07 10:30")
    backwards = kept("c", "2026-12-07 12:00", "2026-12-07 11:00")
    issues = problem(fixed=(a, b, backwards)).validate()
    assert [i.field for i in issues] == ["fixed[2].end", "fixed[1]"]
    assert problem(fixed=(a, replace(b, start=a.end))).validate() == []


def keep_first_chunks(p: Problem, blocks: tuple[Block, ...], chosen: set[str],
                      drop_done: bool = True) -> Problem:
    """`p` re-planned with the first block of each chosen task kept: a split task keeps the
    rest of its work to do; a one-block task has nothing left: it leaves the problem (and the
    `after` lists naming it) when `drop_done`, its block still taking its time, or else it
    stays with duration 0."""
    fixed = tuple(b for b in blocks if b.id in chosen and (b.chunk or 1) == 1)
    first = {b.id: b.end - b.start for b in fixed}
    done = {b.id for b in fixed if b.chunk is None} if drop_done else set()
    rest = {t.id: max(timedelta(0), t.duration - first.get(t.id, timedelta(0)))
            for t in p.tasks}  # a block rounded up to the grid may hold more than the task
    tasks = tuple(replace(t, duration=rest[t.id], split=t.split if rest[t.id] else None,
                          after=tuple(a for a in t.after if a not in done))
                  for t in p.tasks if t.id not in done)
    return replace(p, tasks=tasks, fixed=fixed)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(planned_problems(), st.data())
def test_keeping_first_blocks_of_a_known_plan_still_plans_everything(drawn, data):
    """Keep the first block of some tasks of a plan known to fit: the rest still fits on
    time, and the plan carries the kept blocks unchanged."""
    p, blocks = drawn
    chosen = data.draw(st.sets(st.sampled_from([t.id for t in p.tasks]), min_size=1))
    drop_done = data.draw(st.booleans())
    p = keep_first_chunks(p, blocks, chosen, drop_done)
    event(f"{len(p.fixed)} kept, done tasks {'dropped' if drop_done else 'kept'}")
    assert p.validate() == []
    plan = solve_checked(p)
    assert all(plan.blocks.count(b) == 1 for b in p.fixed)
    assert plan.cost.unscheduled == plan.cost.lateness == 0


def test_fixed_block_before_the_horizon_covers_no_horizon_day() -> None:
    """A kept run on Sunday evening (before a Monday start) leaves Monday's run to plan."""
    run = Routine("run", "Run", 30 * M, Every(frozenset(range(7))), DayRange(18 * 60, 20 * 60))
    sunday = kept(run, "2026-12-06 18:00", "2026-12-06 18:30")
    p = problem(days=1, routines=(run,), fixed=(sunday,))
    plan = solve_checked(p)
    assert [span(p, b)[0][:10] for b in planned(plan, p, "run")] == ["2026-12-07"]
    assert date(2026, 12, 6) not in {u.date for u in plan.unscheduled}
