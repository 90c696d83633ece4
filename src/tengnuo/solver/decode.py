"""Sequence → placement: each job in turn goes to its earliest feasible position.

This serial schedule-generation decoder is what the dispatch heuristic and the local search
share: they only choose orders, the decoder guarantees every hard rule (spans, buffer,
chunks, after, caps, quotas). Its score is the cost tuple used to compare orders.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from tengnuo.solver.instance import Instance, Job
from tengnuo.solver.spans import Span

SHORTFALL_POINTS = 1000
CHUNK_POINTS = 60
DAY_POINTS = 100

Score = tuple[int, int, int, int]  # (hard tasks missed, unscheduled, lateness, preferences)


class Timeline:
    """Occupied time, as merged spans [block start, block end + buffer)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def earliest(self, lo: int, hi: int, length: int, pad: int) -> int | None:
        """Earliest t in [lo, hi - length] with [t, t + length + pad) free."""
        t = lo
        i = bisect.bisect_right(self.ends, t)
        starts, ends, n = self.starts, self.ends, len(self.ends)
        while t + length <= hi:
            if i < n and starts[i] < t + length + pad:
                t = max(t, ends[i])
                i += 1
                continue
            return t
        return None

    def room(self, t: int, hi: int, pad: int) -> int:
        """How long a block starting at a free `t` may be, up to `hi`."""
        i = bisect.bisect_right(self.ends, t)
        limit = self.starts[i] - pad if i < len(self.starts) else hi
        return min(hi, limit) - t

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.ends, start)
        j = bisect.bisect_right(self.starts, end)
        if i < j:
            start = min(start, self.starts[i])
            end = max(end, self.ends[j - 1])
        self.starts[i:j] = [start]
        self.ends[i:j] = [end]


@dataclass
class Placement:
    """The decoded plan: chunks per job (empty = not planned) and its score."""

    chunks: list[list[Span]]
    score: Score


class Decoder:
    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.g = inst.grid.slot_minutes
        self.job_caps = [[c for c, cap in enumerate(inst.caps) if j.index in cap.members]
                         for j in inst.jobs]
        self.has_preds = any(j.preds for j in inst.jobs)

    def repair(self, order: list[int]) -> list[int]:
        """Move each task behind its predecessors, otherwise keeping the order."""
        if not self.has_preds:
            return order
        pos = {j: i for i, j in enumerate(order)}
        eff: dict[int, float] = {}

        def effective(j: int) -> float:
            if j not in eff:
                preds = self.inst.jobs[j].preds
                eff[j] = max([float(pos[j]), *(effective(p) + 0.5 for p in preds)])
            return eff[j]

        return sorted(order, key=effective)

    def decode(self, order: list[int]) -> Placement:
        inst = self.inst
        order = self.repair(order)
        timeline = Timeline()
        usage = [0] * len(inst.caps)
        quota_used = dict.fromkeys(inst.quotas, 0)
        chunks: list[list[Span]] = [[] for _ in inst.jobs]
        for j in order:
            job = inst.jobs[j]
            if job.quota_group is not None and (
                    quota_used[job.quota_group] >= inst.quotas[job.quota_group]):
                continue
            if any(not chunks[p] for p in job.preds):
                continue
            release = max([job.release, *(chunks[p][-1][1] for p in job.preds)])
            placed = self._place(job, release, timeline, usage)
            if placed:
                chunks[j] = placed
                for s, e in placed:
                    timeline.add(s, e + inst.buffer)
                if job.quota_group is not None:
                    quota_used[job.quota_group] += 1
        return Placement(chunks, self.score(chunks))

    def _cap_room(self, job: Job, t: int, usage: list[int]) -> tuple[int, int]:
        """(longest block the caps allow from t, where to look next when that is too short).

        A block counts towards each cap by its overlap, so a block across midnight needs room
        on both days: the cap holding t limits it to what is left there unless the block ends
        before that cap does; a later cap limits it to reaching that far plus what is left.
        """
        room, until = 1 << 30, 1 << 30
        for c in self.job_caps[job.index]:
            cap = self.inst.caps[c]
            left = cap.slots - usage[c]
            if cap.start <= t < cap.end:
                if left < cap.end - t and left < room:
                    room, until = left, max(t + 1, cap.end - left)
            elif t < cap.start and cap.start - t + left < room:
                room, until = cap.start - t + left, cap.end
        return room, until

    def _place(self, job: Job, release: int, timeline: Timeline, usage: list[int]) -> list[Span]:
        left = job.duration
        lo = release
        out: list[Span] = []
        while left > 0:
            need = job.min_chunk if left >= 2 * job.min_chunk else left
            if need > job.max_chunk:
                for a, b in out:
                    self._use(job, a, a - b, usage)
                return []
            found = self._earliest(job, lo, need, timeline, usage)
            if found is None:
                for a, b in out:
                    self._use(job, a, a - b, usage)
                return []
            t, room = found
            length = _chunk_length(left, room, job.min_chunk, job.max_chunk)
            out.append((t, t + length))
            self._use(job, t, length, usage)
            left -= length
            lo = t + length + self.inst.chunk_gap
        return out

    def _use(self, job: Job, t: int, length: int, usage: list[int]) -> None:
        """Count a chunk [t, t + |length|) against its caps by overlap (negative `length`
        takes it back)."""
        end = t + abs(length)
        sign = 1 if length > 0 else -1
        for c in self.job_caps[job.index]:
            cap = self.inst.caps[c]
            if cap.start < end and t < cap.end:
                usage[c] += sign * (min(end, cap.end) - max(t, cap.start))

    def _earliest(self, job: Job, lo: int, need: int, timeline: Timeline,
                  usage: list[int]) -> tuple[int, int] | None:
        pad = self.inst.buffer
        for s, e in job.spans:
            if e <= lo:
                continue
            t_lo = max(s, lo)
            while True:
                t = timeline.earliest(t_lo, e, need, pad)
                if t is None:
                    break
                cap_room, until = self._cap_room(job, t, usage)
                if cap_room >= need:
                    return t, min(timeline.room(t, e, pad), cap_room)
                t_lo = until
        return None

    def score(self, chunks: list[list[Span]]) -> Score:
        inst, g = self.inst, self.g
        hard, unscheduled, lateness, prefs = inst.done_broken, 0, inst.done_lateness, 0
        planned_in_group = dict.fromkeys(inst.quotas, 0)
        for job, placed in zip(inst.jobs, chunks, strict=True):
            if not placed:
                if job.hard or job.required:
                    hard += 1
                if job.quota_group is None:
                    unscheduled += job.missed_cost
                continue
            if job.quota_group is not None:
                planned_in_group[job.quota_group] += 1
            if job.kind == "task":
                end = placed[-1][1]
                lateness += job.weight * job.late_minutes(end, g)
                prefs += CHUNK_POINTS * (len(placed) - 1)
                prefs += DAY_POINTS * job.weight * job.end_day(end, inst.grid)
        for group, quota in inst.quotas.items():
            unscheduled += inst.quota_cost[group] * max(0, quota - planned_in_group[group])
        prefs += self._shortfall_points(chunks)
        return hard, unscheduled, lateness, prefs

    def _shortfall_points(self, chunks: list[list[Span]]) -> int:
        points = 0
        for m in self.inst.minimums:
            got = sum(min(e, m.end) - max(s, m.start) for j in m.members for s, e in chunks[j]
                      if s < m.end and e > m.start)
            points += SHORTFALL_POINTS * max(0, m.minutes - got * self.g)
        return points


def _chunk_length(left: int, room: int, lo: int, hi: int) -> int:
    """The longest chunk that fits `room` and leaves a remainder of 0 or at least `lo`."""
    if left <= min(room, hi):
        return left
    return max(lo, min(room, hi, left - lo))
