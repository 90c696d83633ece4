"""The independent checker: for each rule, a plan that keeps it passes and a minimally broken one
is reported under exactly that rule. Plans are built by hand with the model's dataclasses."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from strategies import perfect_plan, planned_problems, problems

from tengnuo.check import RULE_NAMES, check
from tengnuo.model.horizon import DayRange
from tengnuo.model.items import (
    CategoryLimit,
    Event,
    Every,
    HoursProfile,
    Limits,
    Routine,
    Split,
    Task,
)
from tengnuo.model.plan import Block, Cost, Late, Plan, Status, Unscheduled
from tengnuo.model.problem import Problem

BERLIN = "Europe/Berlin"
H = timedelta(hours=1)
M = timedelta(minutes=1)


def at(text: str, zone: str = BERLIN) -> datetime:
    """A wall-clock time in `zone` as a UTC instant (first occurrence when repeated)."""
    naive = datetime.fromisoformat(text)
    return naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def make_problem(**fields: object) -> Problem:
    base: dict[str, object] = {
        "timezone": BERLIN, "start": at("2026-12-07 00:00"), "days": 2, "granularity_minutes": 15,
    }
    return Problem(**{**base, **fields})  # type: ignore[arg-type]


def task(task_id: str, minutes: int, **fields: object) -> Task:
    return Task(task_id, f"Task {task_id}", timedelta(minutes=minutes), **fields)  # type: ignore[arg-type]


def block(
    item: Task | Routine, start: str, end: str, zone: str = BERLIN, **fields: object
) -> Block:
    kind = "task" if isinstance(item, Task) else "routine"
    return Block(at(start, zone), at(end, zone), item.id, kind, item.title, item.category,
                 **fields)  # type: ignore[arg-type]


def plan(*blocks: Block, unscheduled: int = 0, lateness: int = 0, bound: int = 0,
         late: tuple[Late, ...] = (), missing: tuple[Unscheduled, ...] = (),
         status: Status = Status.FEASIBLE) -> Plan:
    total = unscheduled * 1000 + lateness
    return Plan(status, Cost(total, unscheduled, lateness, 0), bound, 0.0, blocks, late, missing)


def rules(problem: Problem, the_plan: Plan, **kw: bool) -> list[str]:
    return [v.rule for v in check(problem, the_plan, **kw)]


def missing_task(t: Task) -> Unscheduled:
    return Unscheduled(t.id, "task", t.duration // M, "test")


# --- baseline, overlap, buffer ------------------------------------------------------------------

A, B = task("a", 60), task("b", 60)


def test_good_plan_has_no_violation() -> None:
    """Two separate blocks on the grid inside the horizon pass."""
    p = make_problem(tasks=(A, B))
    assert rules(p, plan(block(A, "2026-12-07 09:00", "2026-12-07 10:00"),
                         block(B, "2026-12-07 10:00", "2026-12-07 11:00"))) == []


def test_overlapping_blocks_are_reported() -> None:
    """Two blocks sharing 15 minutes are an overlap."""
    p = make_problem(tasks=(A, B))
    assert rules(p, plan(block(A, "2026-12-07 09:00", "2026-12-07 10:00"),
                         block(B, "2026-12-07 09:45", "2026-12-07 10:45"))) == ["overlap"]


def test_buffer_between_blocks_is_rounded_up_to_the_grid() -> None:
    """A 10m buffer on a 15m grid needs 15m between blocks."""
    p = make_problem(tasks=(A, B), limits=Limits(buffer=10 * M))
    first = block(A, "2026-12-07 09:00", "2026-12-07 10:00")
    assert rules(p, plan(first, block(B, "2026-12-07 10:15", "2026-12-07 11:15"))) == []
    assert rules(p, plan(first, block(B, "2026-12-07 10:00", "2026-12-07 11:00"))) == ["buffer"]


INTERVIEW = Event("acme-interview", "Interview", at("2026-12-09 14:00"), at("2026-12-09 15:30"))
PREP = task("acme-prep", 90)


def test_block_overlapping_an_event_is_reported_in_user_words() -> None:
    """The message names the item, the local block time, the event and the buffer."""
    p = make_problem(days=3, tasks=(PREP,), events=(INTERVIEW,), limits=Limits(buffer=15 * M))
    found = check(p, plan(block(PREP, "2026-12-09 12:45", "2026-12-09 14:15")))
    assert [(v.rule, v.item) for v in found] == [("overlap", "acme-prep")]
    assert found[0].message == (
        "acme-prep: block 2026-12-09 12:45-14:15 overlaps event acme-interview (buffer 15m)")


def test_buffer_to_an_off_grid_event_grows_the_event_outward() -> None:
    """An event at 14:05 blocks from 14:00; a 10m buffer is 15m: ending 13:45 is fine, 14:00 not."""
    event = Event("call", "Call", at("2026-12-09 14:05"), at("2026-12-09 14:20"))
    p = make_problem(days=3, tasks=(A,), events=(event,), limits=Limits(buffer=10 * M))
    assert rules(p, plan(block(A, "2026-12-09 12:45", "2026-12-09 13:45"))) == []
    assert rules(p, plan(block(A, "2026-12-09 13:00", "2026-12-09 14:00"))) == ["buffer"]
    assert rules(p, plan(block(A, "2026-12-09 14:30", "2026-12-09 15:30"))) == ["buffer"]
    assert rules(p, plan(block(A, "2026-12-09 14:45", "2026-12-09 15:45"))) == []


def test_overlapping_events_are_allowed() -> None:
    """Events may overlap each other; only blocks must keep clear."""
    e1 = Event("e1", "One", at("2026-12-07 09:00"), at("2026-12-07 11:00"))
    e2 = Event("e2", "Two", at("2026-12-07 10:00"), at("2026-12-07 12:00"))
    p = make_problem(tasks=(A,), events=(e1, e2))
    assert rules(p, plan(block(A, "2026-12-07 12:00", "2026-12-07 13:00"))) == []


# --- grid, horizon, hours ------------------------------------------------------------------------


def test_block_off_the_grid_is_reported() -> None:
    """09:05-10:05 is an hour long but not on the 15m grid."""
    p = make_problem(tasks=(A,))
    assert rules(p, plan(block(A, "2026-12-07 09:05", "2026-12-07 10:05"))) == ["grid"]


def test_block_outside_the_horizon_is_reported() -> None:
    """A two-day horizon from Monday ends Wednesday 00:00."""
    p = make_problem(tasks=(A,))
    assert rules(p, plan(block(A, "2026-12-08 23:00", "2026-12-09 00:00"))) == []
    assert rules(p, plan(block(A, "2026-12-08 23:30", "2026-12-09 00:30"))) == ["horizon"]


def test_horizon_starting_at_a_time_begins_there() -> None:
    """With `start: 2026-12-07 12:00` a block at 11:00 lies before the horizon."""
    p = make_problem(start=at("2026-12-07 12:00"), tasks=(A,))
    assert rules(p, plan(block(A, "2026-12-07 11:00", "2026-12-07 12:00"))) == ["horizon"]
    assert rules(p, plan(block(A, "2026-12-09 11:00", "2026-12-09 12:00"))) == []


WORK = HoursProfile("work", {d: (DayRange(9 * 60, 12 * 60), DayRange(13 * 60, 18 * 60))
                             for d in range(5)})
W = task("w", 60, hours="work")


def test_task_block_outside_its_hours_is_reported() -> None:
    """11:00-12:00 fits `work`; 11:30-12:30 reaches into the lunch break."""
    p = make_problem(hours={"work": WORK}, tasks=(W,))
    assert rules(p, plan(block(W, "2026-12-07 11:00", "2026-12-07 12:00"))) == []
    assert rules(p, plan(block(W, "2026-12-07 11:30", "2026-12-07 12:30"))) == ["hours"]


def test_hours_across_midnight_and_touching_ranges_merge() -> None:
    """22:00-02:00 runs into the next day; 20:00-24:00 and 00:00-01:00 touch and merge."""
    night = HoursProfile("night", {0: (DayRange(22 * 60, 2 * 60),)})
    evening = HoursProfile("evening", {0: (DayRange(20 * 60, 1440),), 1: (DayRange(0, 60),)})
    n, e = task("n", 180, hours="night"), task("e", 120, hours="evening")
    p = make_problem(hours={"night": night, "evening": evening}, tasks=(n, e))
    good = plan(block(n, "2026-12-07 22:45", "2026-12-08 01:45"),
                block(e, "2026-12-07 20:00", "2026-12-07 22:00"))
    assert rules(p, good) == []
    late = plan(block(n, "2026-12-07 23:15", "2026-12-08 02:15"),
                block(e, "2026-12-07 20:00", "2026-12-07 22:00"))
    assert rules(p, late) == ["hours"]
    across = plan(block(n, "2026-12-07 22:45", "2026-12-08 01:45"),
                  block(e, "2026-12-07 23:00", "2026-12-08 01:00"))
    assert rules(p, across) == ["overlap"]  # inside `evening`, but on top of `n`


# --- task size and chunks ------------------------------------------------------------------------

S = task("s", 120, split=Split(30 * M, 60 * M))


def test_split_chunks_within_bounds_pass() -> None:
    """2h as 60m + 60m with a grid step between them."""
    p = make_problem(tasks=(S,))
    assert rules(p, plan(block(S, "2026-12-07 09:00", "2026-12-07 10:00", chunk=1, chunks=2),
                         block(S, "2026-12-07 10:15", "2026-12-07 11:15", chunk=2, chunks=2))) == []


def test_chunk_longer_than_the_split_maximum_is_reported() -> None:
    """90m + 30m adds up, but 90m exceeds the 60m maximum."""
    p = make_problem(tasks=(S,))
    assert rules(p, plan(block(S, "2026-12-07 09:00", "2026-12-07 10:30"),
                         block(S, "2026-12-07 11:00", "2026-12-07 11:30"))) == ["split"]


def test_chunks_that_touch_are_reported() -> None:
    """Two chunks of one task must be at least one grid step apart, even without a buffer."""
    p = make_problem(tasks=(S,))
    assert rules(p, plan(block(S, "2026-12-07 09:00", "2026-12-07 10:00"),
                         block(S, "2026-12-07 10:00", "2026-12-07 11:00"))) == ["chunk_gap"]


def test_chunks_keep_the_buffer_when_it_is_larger() -> None:
    """With a 30m buffer, chunks 15m apart are too close."""
    p = make_problem(tasks=(S,), limits=Limits(buffer=30 * M))
    assert rules(p, plan(block(S, "2026-12-07 09:00", "2026-12-07 10:00"),
                         block(S, "2026-12-07 10:15", "2026-12-07 11:15"))) == ["chunk_gap"]


def test_unsplit_task_in_two_blocks_is_reported() -> None:
    """Without `split` a task is one block."""
    p = make_problem(tasks=(B,))
    assert rules(p, plan(block(B, "2026-12-07 09:00", "2026-12-07 09:30"),
                         block(B, "2026-12-07 10:00", "2026-12-07 10:30"))) == ["split"]


def test_task_shorter_than_its_split_minimum_is_one_block() -> None:
    """A 20m task with split 30m-60m is one 30m block (20m rounded up to the 15m grid)."""
    short = task("short", 20, split=Split(30 * M, 60 * M))
    p = make_problem(tasks=(short,))
    assert rules(p, plan(block(short, "2026-12-07 09:00", "2026-12-07 09:30"))) == []


def test_blocks_not_adding_up_to_the_duration_are_reported() -> None:
    """2h planned as 60m + 45m is not fully planned."""
    p = make_problem(tasks=(S,))
    assert rules(p, plan(block(S, "2026-12-07 09:00", "2026-12-07 10:00"),
                         block(S, "2026-12-07 10:15", "2026-12-07 11:00"))) == ["duration"]


def test_duration_rounds_up_to_the_grid() -> None:
    """A 50m task takes a 60m block on a 15m grid; a 45m block is too short."""
    t = task("t", 50)
    p = make_problem(tasks=(t,))
    assert rules(p, plan(block(t, "2026-12-07 09:00", "2026-12-07 10:00"))) == []
    assert rules(p, plan(block(t, "2026-12-07 09:00", "2026-12-07 09:45"))) == ["duration"]


def test_inconsistent_chunk_numbers_are_reported() -> None:
    """Chunk numbers count 1..n in time order."""
    p = make_problem(tasks=(S,))
    assert rules(p, plan(block(S, "2026-12-07 09:00", "2026-12-07 10:00", chunk=2, chunks=2),
                         block(S, "2026-12-07 10:15", "2026-12-07 11:15", chunk=1, chunks=2))
                 ) == ["chunk_numbering"]


def test_block_naming_no_item_or_the_wrong_title_is_reported() -> None:
    """Blocks must name a real task with its own title and category."""
    p = make_problem(tasks=(A,))
    ghost = Block(at("2026-12-07 09:00"), at("2026-12-07 10:00"), "ghost", "task", "Ghost")
    assert rules(p, plan(ghost, unscheduled=2 * 60, missing=(missing_task(A),))) == [
        "unknown_item"]
    wrong = Block(at("2026-12-07 09:00"), at("2026-12-07 10:00"), "a", "task", "Other")
    assert rules(p, plan(wrong)) == ["item_mismatch"]


# --- after, not_before, due ----------------------------------------------------------------------


def test_task_starting_before_its_predecessor_ends_is_reported() -> None:
    """b comes after a: it may start when a ends, not before."""
    b = task("b", 60, after=("a",))
    p = make_problem(tasks=(A, b))
    first = block(A, "2026-12-07 09:00", "2026-12-07 10:00")
    assert rules(p, plan(first, block(b, "2026-12-07 10:00", "2026-12-07 11:00"))) == []
    assert rules(p, plan(first, block(b, "2026-12-07 08:00", "2026-12-07 09:00"))) == ["after"]


def test_task_planned_without_its_predecessor_is_reported() -> None:
    """A planned task needs its predecessor planned too."""
    b = task("b", 60, after=("a",))
    p = make_problem(tasks=(A, b))
    the_plan = plan(block(b, "2026-12-07 10:00", "2026-12-07 11:00"),
                    unscheduled=2 * 60, missing=(missing_task(A),))
    assert rules(p, the_plan) == ["after"]


def test_task_after_an_event_starts_when_the_event_ends() -> None:
    """`after` may name an inline event."""
    thanks = task("thanks", 15, after=("acme-interview",))
    p = make_problem(days=3, tasks=(thanks,), events=(INTERVIEW,))
    assert rules(p, plan(block(thanks, "2026-12-09 15:30", "2026-12-09 15:45"))) == []
    assert rules(p, plan(block(thanks, "2026-12-09 13:00", "2026-12-09 13:15"))) == ["after"]


def test_task_before_not_before_is_reported() -> None:
    """not_before 10:07 rounds up to 10:15."""
    t = task("t", 60, not_before=at("2026-12-07 10:07"))
    p = make_problem(tasks=(t,))
    assert rules(p, plan(block(t, "2026-12-07 10:15", "2026-12-07 11:15"))) == []
    assert rules(p, plan(block(t, "2026-12-07 10:00", "2026-12-07 11:00"))) == ["not_before"]


HARD = task("h", 60, due=at("2026-12-07 12:00"), hard=True)


def test_hard_deadline_missed_is_reported() -> None:
    """A hard task must end by its due."""
    p = make_problem(tasks=(HARD,))
    assert rules(p, plan(block(HARD, "2026-12-07 11:00", "2026-12-07 12:00"))) == []
    assert rules(p, plan(block(HARD, "2026-12-07 11:15", "2026-12-07 12:15"))) == ["due"]


def test_hard_deadline_task_must_be_planned() -> None:
    """Leaving a hard task out breaks its deadline (its cost is still counted)."""
    p = make_problem(tasks=(HARD,))
    assert rules(p, plan(unscheduled=2 * 60, missing=(missing_task(HARD),))) == ["due"]


def test_hard_as_soft_counts_lateness_instead() -> None:
    """In an infeasible problem's fallback plan, a late hard task costs lateness."""
    p = make_problem(tasks=(HARD,))
    late_block = block(HARD, "2026-12-07 11:15", "2026-12-07 12:15")
    entry = Late("h", HARD.due, late_block.end, 15, 30)  # type: ignore[arg-type]
    the_plan = plan(late_block, lateness=30, late=(entry,), status=Status.INFEASIBLE)
    assert rules(p, the_plan, hard_as_soft=True) == []
    assert rules(p, plan(late_block, status=Status.INFEASIBLE), hard_as_soft=True) == [
        "cost_lateness", "late_entries"]


# --- limits --------------------------------------------------------------------------------------


def test_day_max_counts_a_block_across_midnight_in_each_day() -> None:
    """23:00-02:00 is 1h on Monday and 2h on Tuesday; one more hour on Tuesday exceeds 2h."""
    long, extra = task("long", 180), task("extra", 60)
    p = make_problem(tasks=(long, extra), limits=Limits(day_max=2 * H))
    night = block(long, "2026-12-07 23:00", "2026-12-08 02:00")
    assert rules(p, plan(night, block(extra, "2026-12-07 09:00", "2026-12-07 10:00"))) == []
    assert rules(p, plan(night, block(extra, "2026-12-08 09:00", "2026-12-08 10:00"))) == [
        "day_max"]


def test_day_max_ignores_events() -> None:
    """Events never count toward limits."""
    event = Event("e", "Meeting", at("2026-12-07 12:00"), at("2026-12-07 18:00"))
    p = make_problem(tasks=(A,), events=(event,), limits=Limits(day_max=1 * H))
    assert rules(p, plan(block(A, "2026-12-07 09:00", "2026-12-07 10:00"))) == []


def test_category_week_max_is_reported() -> None:
    """Two 2h work tasks in a week with week_max 3h break the category maximum."""
    w1, w2 = task("w1", 120, category="work"), task("w2", 120, category="work")
    limits = Limits(categories={"work": CategoryLimit(week_max=3 * H)})
    p = make_problem(tasks=(w1, w2), limits=limits)
    both = plan(block(w1, "2026-12-07 09:00", "2026-12-07 11:00"),
                block(w2, "2026-12-08 09:00", "2026-12-08 11:00"))
    assert rules(p, both) == ["category_week_max"]
    only = plan(block(w1, "2026-12-07 09:00", "2026-12-07 11:00"),
                unscheduled=2 * 120, missing=(missing_task(w2),))
    assert rules(p, only) == []


def test_category_week_max_counts_weeks_from_the_start_day() -> None:
    """Weeks are 7 days from Monday 2026-12-07: a block on day 8 is in week 2."""
    w1, w2 = task("w1", 120, category="work"), task("w2", 120, category="work")
    limits = Limits(categories={"work": CategoryLimit(week_max=3 * H)})
    p = make_problem(days=9, tasks=(w1, w2), limits=limits)
    assert rules(p, plan(block(w1, "2026-12-13 09:00", "2026-12-13 11:00"),
                         block(w2, "2026-12-14 09:00", "2026-12-14 11:00"))) == []


def test_category_day_max_is_reported() -> None:
    """learning day_max 1h: 2h of learning on one day is too much."""
    t = task("t", 120, category="learning")
    p = make_problem(tasks=(t,),
                     limits=Limits(categories={"learning": CategoryLimit(day_max=1 * H)}))
    assert rules(p, plan(block(t, "2026-12-07 09:00", "2026-12-07 11:00"))) == [
        "category_day_max"]


# --- routines ------------------------------------------------------------------------------------

DAILY = Every(frozenset(range(7)))
MESSAGES = Routine("messages", "Read messages", 30 * M, DAILY, DayRange(9 * 60, 11 * 60))


def test_routine_once_a_day_inside_its_window_passes() -> None:
    """One 30m block a day between 09:00 and 11:00."""
    p = make_problem(days=1, routines=(MESSAGES,))
    assert rules(p, plan(block(MESSAGES, "2026-12-07 10:30", "2026-12-07 11:00"))) == []


def test_routine_twice_a_day_is_reported() -> None:
    """At most one occurrence a day."""
    p = make_problem(days=1, routines=(MESSAGES,))
    assert rules(p, plan(block(MESSAGES, "2026-12-07 09:00", "2026-12-07 09:30"),
                         block(MESSAGES, "2026-12-07 10:00", "2026-12-07 10:30"))) == [
        "routine_day"]


def test_routine_outside_its_window_is_reported() -> None:
    """10:45-11:15 leaves the 09:00-11:00 window; the day's occurrence is then missed."""
    p = make_problem(days=1, routines=(MESSAGES,))
    missed = Unscheduled("messages", "routine", 30, "test", date(2026, 12, 7))
    the_plan = plan(block(MESSAGES, "2026-12-07 10:45", "2026-12-07 11:15"),
                    unscheduled=2 * 30, missing=(missed,))
    assert rules(p, the_plan) == ["routine_window"]


def test_routine_window_across_midnight_belongs_to_its_start_day() -> None:
    """22:00-02:00 on Monday holds 01:00-01:30 on Tuesday; one a day still holds."""
    night = Routine("night", "Night walk", 30 * M, DAILY, DayRange(22 * 60, 2 * 60))
    p = make_problem(days=1, routines=(night,))
    assert rules(p, plan(block(night, "2026-12-08 01:00", "2026-12-08 01:30"))) == ["horizon"]
    p2 = make_problem(days=2, routines=(night,))
    twice = plan(block(night, "2026-12-07 22:00", "2026-12-07 22:30"),
                 block(night, "2026-12-08 01:00", "2026-12-08 01:30"),
                 unscheduled=2 * 30,
                 missing=(Unscheduled("night", "routine", 30, "x", date(2026, 12, 8)),))
    assert rules(p2, twice) == ["routine_day"]


def test_routine_per_week_quota_is_a_maximum() -> None:
    """2/week over a 7-day horizon: a third occurrence is too many."""
    gym = Routine("gym", "Gym", 60 * M, Every(frozenset(range(7)), per_week=2),
                  DayRange(18 * 60, 20 * 60))
    p = make_problem(days=7, routines=(gym,))
    two = [block(gym, f"2026-12-{d:02d} 18:00", f"2026-12-{d:02d} 19:00") for d in (7, 9)]
    assert rules(p, plan(*two)) == []
    third = block(gym, "2026-12-11 18:00", "2026-12-11 19:00")
    assert rules(p, plan(*two, third)) == ["routine_week"]


def test_routine_per_week_partial_week_asks_for_a_rounded_up_share() -> None:
    """3/week over 3 days asks round-up(3 x 3 / 7) = 2; one planned leaves one missed."""
    gym = Routine("gym", "Gym", 60 * M, Every(frozenset(range(7)), per_week=3),
                  DayRange(18 * 60, 20 * 60), priority=1)
    p = make_problem(days=3, routines=(gym,))
    one = block(gym, "2026-12-07 18:00", "2026-12-07 19:00")
    missed = Unscheduled("gym", "routine", 60, "x", date(2026, 12, 8))
    assert rules(p, plan(one, unscheduled=8 * 60, missing=(missed,))) == []
    assert rules(p, plan(one, missing=(missed,))) == ["cost_unscheduled"]


def test_routine_window_that_cannot_hold_it_is_no_missed_occurrence() -> None:
    """09:10-09:40 shrinks to 09:15-09:30 on the grid: a 30m routine never fits, costs nothing."""
    tight = Routine("tight", "Tight", 30 * M, DAILY, DayRange(9 * 60 + 10, 9 * 60 + 40))
    p = make_problem(days=1, routines=(tight,))
    assert rules(p, plan()) == []


def test_routine_occurrence_of_the_day_before_the_horizon_is_not_planned() -> None:
    """A 22:00-02:00 window of the Sunday before a Monday start belongs to that Sunday, outside the
    horizon: a block at Monday 00:30 is outside every window of the horizon's days."""
    night = Routine("night", "Night", 30 * M, DAILY, DayRange(22 * 60, 2 * 60))
    p = make_problem(days=1, routines=(night,))
    early = block(night, "2026-12-07 00:30", "2026-12-07 01:00")
    missed = Unscheduled("night", "routine", 30, "x", date(2026, 12, 7))
    assert rules(p, plan(early, unscheduled=2 * 30, missing=(missed,))) == ["routine_window"]


def test_week_of_a_horizon_starting_at_noon_ends_at_noon() -> None:
    """start Monday 12:00, 7 days: next Monday's morning is still week 1, so 1/week allows one."""
    gym = Routine("gym", "Gym", 60 * M, Every(frozenset(range(7)), per_week=1),
                  DayRange(8 * 60, 10 * 60))
    p = make_problem(start=at("2026-12-07 12:00"), days=7, routines=(gym,))
    one = block(gym, "2026-12-14 08:00", "2026-12-14 09:00")
    assert rules(p, plan(one)) == []
    two = block(gym, "2026-12-10 08:00", "2026-12-10 09:00")
    assert rules(p, plan(one, two)) == ["routine_week"]


# --- cost, late, bound ---------------------------------------------------------------------------


def test_unscheduled_cost_uses_weight_and_priority() -> None:
    """Unplanned: 50m at priority 1 (8/min) + 30m at weight 5 = 400 + 150."""
    t1, t2 = task("t1", 50, priority=1), task("t2", 30, weight=5)
    p = make_problem(tasks=(t1, t2))
    missing = (missing_task(t1), missing_task(t2))
    assert rules(p, plan(unscheduled=550, missing=missing)) == []
    assert rules(p, plan(unscheduled=500, missing=missing)) == ["cost_unscheduled"]
    assert rules(p, plan(unscheduled=550, missing=missing[:1])) == ["unscheduled_entries"]


def test_lateness_cost_counts_whole_minutes_after_the_written_due() -> None:
    """due 10:50, end 11:00, weight 2 (priority 3): 10 minutes late, cost 20."""
    t = task("t", 60, due=at("2026-12-07 10:50"))
    p = make_problem(tasks=(t,))
    b = block(t, "2026-12-07 10:00", "2026-12-07 11:00")
    entry = Late("t", at("2026-12-07 10:50"), b.end, 10, 20)
    assert rules(p, plan(b, lateness=20, late=(entry,))) == []
    assert rules(p, plan(b, lateness=30, late=(entry,))) == ["cost_lateness"]
    wrong = Late("t", at("2026-12-07 10:50"), b.end, 15, 20)
    assert rules(p, plan(b, lateness=20, late=(wrong,))) == ["late_entries"]


def test_bound_above_total_or_optimal_below_is_reported() -> None:
    """bound <= total always; bound == total when optimal."""
    p = make_problem(tasks=(A,))
    b = block(A, "2026-12-07 09:00", "2026-12-07 10:00")
    good = Plan(Status.OPTIMAL, Cost(5, 0, 0, 5), 5, 0.1, (b,))
    assert rules(p, good) == []
    assert rules(p, Plan(Status.FEASIBLE, Cost(5, 0, 0, 5), 6, 0.1, (b,))) == ["bound"]
    assert rules(p, Plan(Status.OPTIMAL, Cost(5, 0, 0, 5), 4, 0.1, (b,))) == ["bound"]


# --- time zones ----------------------------------------------------------------------------------


def test_dst_day_counts_elapsed_minutes_not_wall_clock() -> None:
    """Berlin 2026-03-29: 01:45-03:15 on the wall clock is 30 real minutes; the day has 23h."""
    day = {"timezone": BERLIN, "start": at("2026-03-29 00:00"), "days": 1}
    half, whole = task("half", 30), task("whole", 23 * 60)
    p = Problem(**day, tasks=(half,))  # type: ignore[arg-type]
    assert rules(p, plan(block(half, "2026-03-29 01:45", "2026-03-29 03:15"))) == []
    assert rules(p, plan(block(half, "2026-03-29 01:45", "2026-03-29 03:45"))) == ["duration"]
    p = Problem(**day, tasks=(whole,), limits=Limits(day_max=23 * H))  # type: ignore[arg-type]
    assert rules(p, plan(block(whole, "2026-03-29 00:00", "2026-03-30 00:00"))) == []


def test_dst_day_hours_are_read_on_the_wall_clock() -> None:
    """Profile 01:00-04:00 on the short day is 2 real hours: a 2h block fills it, 3h do not."""
    early = HoursProfile("early", {6: (DayRange(60, 240),)})  # Sunday
    two, three = task("two", 120, hours="early"), task("three", 180, hours="early")
    p = Problem(BERLIN, at("2026-03-29 00:00"), 1, hours={"early": early}, tasks=(two, three))
    the_plan = plan(block(two, "2026-03-29 01:00", "2026-03-29 04:00"),
                    unscheduled=2 * 180, missing=(missing_task(three),))
    assert rules(p, the_plan) == []
    longer = Block(at("2026-03-29 00:00"), at("2026-03-29 04:00"), "three", "task", "Task three")
    assert rules(p, plan(longer, unscheduled=2 * 120, missing=(missing_task(two),))) == ["hours"]


def test_dst_fall_back_day_has_25_hours() -> None:
    """New York 2026-11-01: 00:00-24:00 is 25 real hours, all of them anytime."""
    t = task("t", 25 * 60)
    zone = "America/New_York"
    p = Problem(zone, at("2026-11-01 00:00", zone), 1, tasks=(t,), limits=Limits(day_max=25 * H))
    assert rules(p, plan(block(t, "2026-11-01 00:00", "2026-11-02 00:00", zone))) == []


def test_block_times_outside_utc_are_reported() -> None:
    """The model keeps UTC datetimes; a block in local time is flagged (and still checked)."""
    p = make_problem(tasks=(A,))
    tz = ZoneInfo(BERLIN)
    b = Block(datetime(2026, 12, 7, 9, tzinfo=tz), datetime(2026, 12, 7, 10, tzinfo=tz), "a",
              "task", "Task a")
    assert rules(p, plan(b)) == ["not_utc"]


def test_checker_shares_no_code_with_the_solver() -> None:
    """The oracle imports neither the solver nor the model code the solver builds on."""
    import ast
    from pathlib import Path

    import tengnuo

    banned = ("tengnuo.solver", "tengnuo.model.hours", "tengnuo.model.cost")
    for name in ("check.py", "check_rules.py", "check_context.py"):
        tree = ast.parse((Path(tengnuo.__file__).parent / name).read_text())
        imported = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        imported += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [m for m in imported if m.startswith(banned)], name


# --- fixed blocks -------------------------------------------------------------------------------

KEPT = Block(at("2026-12-07 09:00"), at("2026-12-07 10:00"), "old", "task", "Old task")
"""A block kept from an earlier plan whose task is done and gone from the problem."""


def test_fixed_block_kept_unchanged_passes_though_its_task_is_gone() -> None:
    """A kept block may name an item the problem no longer has."""
    assert rules(make_problem(fixed=(KEPT,)), plan(KEPT)) == []


def test_fixed_block_dropped_moved_or_doubled_is_reported() -> None:
    """The plan must carry each fixed block exactly once, unchanged."""
    p = make_problem(fixed=(KEPT,))
    assert rules(p, plan()) == ["fixed"]
    moved = replace(KEPT, start=KEPT.start + H, end=KEPT.end + H)
    assert rules(p, plan(moved)) == ["unknown_item", "fixed"]
    assert rules(p, plan(KEPT, KEPT)) == ["fixed"]


def test_block_overlapping_a_fixed_block_or_its_buffer_is_reported() -> None:
    """A fixed block holds its time like an event, buffer included."""
    p = make_problem(tasks=(A,), fixed=(KEPT,))
    assert rules(p, plan(KEPT, block(A, "2026-12-07 09:30", "2026-12-07 10:30"))) == ["overlap"]
    buffered = make_problem(tasks=(A,), fixed=(KEPT,), limits=Limits(buffer=15 * M))
    touching = block(A, "2026-12-07 10:00", "2026-12-07 11:00")
    assert rules(buffered, plan(KEPT, touching)) == ["buffer"]


def test_fixed_block_is_not_judged_as_a_placement() -> None:
    """A block started before the horizon, off the grid, outside the task's hours: kept as is;
    the rest of the task is judged as usual, and must be a grid step apart from it."""
    work = HoursProfile("work", dict.fromkeys(range(7), (DayRange(9 * 60, 12 * 60),)))
    essay = task("essay", 60, hours="work", split=Split(30 * M, 60 * M))
    started = block(essay, "2026-12-06 23:50", "2026-12-07 00:20")
    p = make_problem(hours={"work": work}, tasks=(essay,), fixed=(started,))
    assert rules(p, plan(started, block(essay, "2026-12-07 09:00", "2026-12-07 10:00"))) == []


def test_task_with_fixed_blocks_ends_with_them_and_must_plan_the_rest() -> None:
    """Kept Tuesday 10:00-11:00, due Tuesday 09:00: 2h late with the rest on Monday; without
    the rest the task is unscheduled (its remaining 1h), not late."""
    essay = task("essay", 60, due=at("2026-12-08 09:00"))
    kept = block(essay, "2026-12-08 10:00", "2026-12-08 11:00")
    p = make_problem(tasks=(essay,), fixed=(kept,))
    rest = block(essay, "2026-12-07 09:00", "2026-12-07 10:00")
    late = Late("essay", at("2026-12-08 09:00"), kept.end, 120, 240)
    assert rules(p, plan(kept, rest, lateness=240, late=(late,))) == []
    assert rules(p, plan(kept, unscheduled=120, missing=(missing_task(essay),))) == []
    short = block(essay, "2026-12-07 09:00", "2026-12-07 09:30")
    assert rules(p, plan(kept, short, lateness=240, late=(late,))) == ["duration"]


def test_task_with_nothing_left_is_late_from_its_fixed_block_and_never_unscheduled() -> None:
    """The report's last sitting (duration 0 left) runs 09:00-11:30, due 10:00, weight 3: it is
    90 minutes late at cost 270 with no block of the plan; listing it as unscheduled, leaving
    out its lateness, or placing more of it are each wrong."""
    report = task("report", 0, due=at("2026-12-07 10:00"), weight=3)
    sitting = block(report, "2026-12-07 09:00", "2026-12-07 11:30")
    p = make_problem(tasks=(report,), fixed=(sitting,))
    late = Late("report", at("2026-12-07 10:00"), sitting.end, 90, 270)
    assert rules(p, plan(sitting, lateness=270, late=(late,))) == []
    assert rules(p, plan(sitting)) == ["cost_lateness", "late_entries"]
    wrong = Late("report", at("2026-12-07 10:00"), sitting.end, 60, 180)
    assert rules(p, plan(sitting, lateness=180, late=(wrong,))) == ["cost_lateness",
                                                                     "late_entries"]
    listed = plan(sitting, lateness=270, late=(late,), missing=(missing_task(report),))
    assert rules(p, listed) == ["unscheduled_entries"]
    more = block(report, "2026-12-07 12:00", "2026-12-07 12:15")
    assert "duration" in rules(p, plan(sitting, more, lateness=1080, late=(
        Late("report", at("2026-12-07 10:00"), more.end, 135, 405),)))


def test_successor_of_a_task_with_nothing_left_starts_after_its_fixed_block() -> None:
    """The review follows the report, whose last sitting (nothing left) ends 11:30: from
    11:30 it is fine, before that it breaks `after`; the report is no missing predecessor."""
    report = task("report", 0)
    review = task("review", 60, after=("report",))
    sitting = block(report, "2026-12-07 09:00", "2026-12-07 11:30")
    p = make_problem(tasks=(report, review), fixed=(sitting,))
    assert rules(p, plan(sitting, block(review, "2026-12-07 11:30", "2026-12-07 12:30"))) == []
    early = block(review, "2026-12-07 08:00", "2026-12-07 09:00")
    assert rules(p, plan(sitting, early)) == ["after"]


def test_hard_due_missed_by_the_fixed_block_of_a_task_with_nothing_left() -> None:
    """A hard 10:00 due and a last sitting until 11:30: the `due` rule breaks (no plan can
    help it); judged as the fallback plan, it is lateness instead."""
    report = task("report", 0, due=at("2026-12-07 10:00"), hard=True)
    sitting = block(report, "2026-12-07 09:00", "2026-12-07 11:30")
    p = make_problem(tasks=(report,), fixed=(sitting,))
    assert rules(p, plan(sitting)) == ["due"]
    late = Late("report", at("2026-12-07 10:00"), sitting.end, 90, 90 * report.cost_weight)
    fallback = plan(sitting, lateness=late.cost, late=(late,), status=Status.INFEASIBLE)
    assert rules(p, fallback, hard_as_soft=True) == []
    in_time = make_problem(tasks=(replace(report, due=at("2026-12-07 12:00")),), fixed=(sitting,))
    assert rules(in_time, plan(sitting)) == []


def test_day_max_counts_fixed_blocks() -> None:
    """day_max 1h30m with a kept hour: another hour that day is too much, the next day not;
    kept blocks alone over a limit (tightened since) break it too."""
    p = make_problem(tasks=(A,), limits=Limits(day_max=90 * M), fixed=(KEPT,))
    assert rules(p, plan(KEPT, block(A, "2026-12-07 11:00", "2026-12-07 12:00"))) == ["day_max"]
    assert rules(p, plan(KEPT, block(A, "2026-12-08 11:00", "2026-12-08 12:00"))) == []
    tightened = make_problem(limits=Limits(day_max=30 * M), fixed=(KEPT,))
    assert rules(tightened, plan(KEPT)) == ["day_max"]  # the caller keeps too much


def test_fixed_routine_block_is_that_days_occurrence() -> None:
    """A kept 09:00 read of messages is Monday's: not missed, and no second one that day."""
    kept = block(MESSAGES, "2026-12-07 09:00", "2026-12-07 09:30")
    p = make_problem(days=1, routines=(MESSAGES,), fixed=(kept,))
    assert rules(p, plan(kept)) == []
    again = block(MESSAGES, "2026-12-07 10:00", "2026-12-07 10:30")
    assert rules(p, plan(kept, again)) == ["routine_day"]


def test_fixed_routine_block_counts_toward_the_weekly_quota() -> None:
    """Gym 2/week with Monday kept: one more is the quota, two more are too many."""
    gym = Routine("gym", "Gym", 60 * M, Every(frozenset(range(7)), per_week=2),
                  DayRange(18 * 60, 20 * 60))
    kept = block(gym, "2026-12-07 18:00", "2026-12-07 19:00")
    p = make_problem(days=7, routines=(gym,), fixed=(kept,))
    wed, fri = (block(gym, f"2026-12-{d:02d} 18:00", f"2026-12-{d:02d} 19:00") for d in (9, 11))
    assert rules(p, plan(kept, wed)) == []
    assert rules(p, plan(kept, wed, fri)) == ["routine_week"]


# --- strategies ----------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planned_problems())
def test_planned_problems_blocks_pass_the_checker(case: tuple[Problem, tuple[Block, ...]]) -> None:
    """The blocks a planned problem was built from are a perfect plan of it."""
    problem, blocks = case
    assert problem.validate() == []
    assert check(problem, perfect_plan(blocks)) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_random_problems_are_valid_and_an_empty_plan_only_misses(problem: Problem) -> None:
    """An empty plan breaks nothing but its cost claims and hard deadlines."""
    assert problem.validate() == []
    found = {v.rule for v in check(problem, plan())}
    assert found <= {"cost_unscheduled", "unscheduled_entries", "due"}
    assert found <= set(RULE_NAMES)
