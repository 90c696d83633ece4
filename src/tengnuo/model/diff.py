"""How one plan differs from the one before: what stayed, moved, came, went or became late.

Also the stability cost that `replan` adds to the preferences tier (FORMAT.md: "stability
against the previous plan when re-planning"): minutes of the previous plan's future blocks that
are not kept exactly, weighted by how soon they were, because moving what is about to happen
disrupts a day more than reshuffling next week.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tengnuo.model.plan import Block, Late

STABILITY_PER_MINUTE = 10  # preference units per minute moved, before the soonness factor
SOONNESS = ((timedelta(hours=24), 4), (timedelta(days=3), 2))  # within 24 h: ×4; 3 days: ×2


@dataclass(frozen=True)
class Moved:
    id: str
    old: tuple[Block, ...]
    new: tuple[Block, ...]


@dataclass(frozen=True)
class PlanDiff:
    """Blocks compared by item: kept exactly, moved (the item has blocks in both, not the same),
    added (new item) and dropped (item no longer planned); tasks that became late."""

    kept: tuple[Block, ...]
    moved: tuple[Moved, ...]
    added: tuple[Block, ...]
    dropped: tuple[Block, ...]
    now_late: tuple[Late, ...]

    @property
    def empty(self) -> bool:
        return not (self.moved or self.added or self.dropped or self.now_late)


def _identity(block: Block) -> tuple[str, str, datetime, datetime]:
    return (block.kind, block.id, block.start, block.end)


def _by_item(blocks: Iterable[Block]) -> dict[tuple[str, str], list[Block]]:
    items: dict[tuple[str, str], list[Block]] = {}
    for block in sorted(blocks, key=lambda b: b.sort_key):
        items.setdefault((block.kind, block.id), []).append(block)
    return items


def diff_plans(old: Iterable[Block], new: Iterable[Block], old_late: Iterable[Late] = (),
               new_late: Iterable[Late] = ()) -> PlanDiff:
    """Compare two block lists (usually the future parts of two plan versions)."""
    old_items, new_items = _by_item(old), _by_item(new)
    kept: list[Block] = []
    moved: list[Moved] = []
    added = [b for k in new_items.keys() - old_items.keys() for b in new_items[k]]
    dropped = [b for k in old_items.keys() - new_items.keys() for b in old_items[k]]
    for key in old_items.keys() & new_items.keys():
        before, after = old_items[key], new_items[key]
        same = {_identity(b) for b in before} & {_identity(b) for b in after}
        kept.extend(b for b in after if _identity(b) in same)
        gone = tuple(b for b in before if _identity(b) not in same)
        came = tuple(b for b in after if _identity(b) not in same)
        if gone and came:
            moved.append(Moved(key[1], gone, came))
        else:  # only new blocks (e.g. a routine's next day) or only fewer: not a move
            added.extend(came)
            dropped.extend(gone)
    was_late = {x.id for x in old_late}
    return PlanDiff(tuple(sorted(kept, key=lambda b: b.sort_key)),
                    tuple(sorted(moved, key=lambda m: (m.old + m.new)[0].sort_key)),
                    tuple(sorted(added, key=lambda b: b.sort_key)),
                    tuple(sorted(dropped, key=lambda b: b.sort_key)),
                    tuple(x for x in new_late if x.id not in was_late))


def soonness(block: Block, now: datetime) -> int:
    """The weight of disturbing `block`: 4 within a day of `now`, 2 within three days, else 1."""
    for horizon, factor in SOONNESS:
        if block.start - now < horizon:
            return factor
    return 1


def stability_cost(previous: Iterable[Block], blocks: Iterable[Block], now: datetime) -> int:
    """Preference units for the previous plan's future blocks not kept exactly in `blocks`."""
    kept = {_identity(b) for b in blocks}
    return sum(STABILITY_PER_MINUTE * b.minutes * soonness(b, now)
               for b in previous if b.end > now and _identity(b) not in kept)
