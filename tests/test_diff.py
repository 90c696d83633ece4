"""What `replan` and `diff` report: kept, moved, added, dropped, newly late; and what moving
costs (sooner blocks dearer)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tengnuo.model.diff import STABILITY_PER_MINUTE, diff_plans, stability_cost
from tengnuo.model.plan import Block, Late

NOW = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


def block(item: str, hours: float, minutes: int = 60, kind: str = "task") -> Block:
    start = NOW + timedelta(hours=hours)
    return Block(start, start + timedelta(minutes=minutes), item, kind, item.title())


def test_unchanged_plans_have_an_empty_diff():
    plan = [block("a", 1), block("b", 3)]
    diff = diff_plans(plan, plan)
    assert diff.empty
    assert len(diff.kept) == 2


def test_a_block_at_a_new_time_is_moved_and_a_new_item_added():
    diff = diff_plans([block("a", 1), block("b", 3)], [block("a", 5), block("b", 3),
                                                       block("c", 7)])
    assert [(m.id, m.old[0].start, m.new[0].start) for m in diff.moved] == [
        ("a", NOW + timedelta(hours=1), NOW + timedelta(hours=5))]
    assert [b.id for b in diff.added] == ["c"]
    assert [b.id for b in diff.kept] == ["b"]


def test_a_routines_new_day_is_added_not_moved_and_a_gone_item_dropped():
    old = [block("run", 1, kind="routine"), block("x", 2)]
    new = [block("run", 1, kind="routine"), block("run", 25, kind="routine")]
    diff = diff_plans(old, new)
    assert diff.moved == ()
    assert [(b.id, b.start) for b in diff.added] == [("run", NOW + timedelta(hours=25))]
    assert [b.id for b in diff.dropped] == ["x"]


def test_only_tasks_late_now_and_not_before_are_reported():
    due = NOW + timedelta(hours=2)
    was = Late("a", due, due + timedelta(minutes=30), 30, 30)
    now_late = Late("b", due, due + timedelta(minutes=10), 10, 10)
    diff = diff_plans([], [], [was], [was, now_late])
    assert [x.id for x in diff.now_late] == ["b"]


def test_moving_a_block_soon_costs_more_than_moving_one_next_week():
    soon, later = block("a", 2), block("b", 24 * 5)
    assert stability_cost([soon], [], NOW) == 4 * 60 * STABILITY_PER_MINUTE
    assert stability_cost([later], [], NOW) == 60 * STABILITY_PER_MINUTE
    assert stability_cost([soon, later], [soon, later], NOW) == 0


def test_the_past_costs_nothing_to_leave_behind():
    past = Block(NOW - timedelta(hours=3), NOW - timedelta(hours=2), "a", "task", "A")
    assert stability_cost([past], [], NOW) == 0
