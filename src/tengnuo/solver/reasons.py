"""Reasons in the user's words why an item did not fit, measured on the plan: the free time
left in the item's own hours before its due, the predecessor that is missing, the limit that
is full or too small. Needs no solver (and so no ortools).
"""

from __future__ import annotations

import bisect
from datetime import datetime

from tengnuo.model.problem import Problem
from tengnuo.solver.decode import Timeline
from tengnuo.solver.instance import Instance, Job, hours_spans
from tengnuo.solver.limits import Cap
from tengnuo.solver.spans import Span, clip, subtract, total


def span_text(minutes: int) -> str:
    """`90` -> `1h30m`, the way durations are written in planning files."""
    h, m = divmod(minutes, 60)
    return f"{h}h{m:02d}m".replace("h00m", "h") if h else f"{m}m"


def when(moment: datetime, problem: Problem) -> str:
    return moment.astimezone(problem.tz).strftime("%a %d %b %H:%M")


class Reasons:
    """Why jobs are missing from one plan; the plan's occupancy and cap use are computed once."""

    def __init__(self, inst: Instance, chunks: list[list[Span]]) -> None:
        self.inst, self.chunks = inst, chunks
        self.timeline = Timeline()
        for placed in chunks:
            for s, e in placed:
                self.timeline.add(s, e + inst.buffer)
        self.cap_used = [sum(min(e, c.end) - max(s, c.start) for j in c.members
                             for s, e in chunks[j] if s < c.end and e > c.start)
                         for c in inst.caps]

    def why(self, job: Job) -> str:
        """Why `job` is not in the plan, measured on the plan."""
        inst, g = self.inst, self.inst.grid.slot_minutes
        missing = [inst.jobs[p].item_id for p in job.preds if not self.chunks[p]]
        if missing:
            return f"waits for {', '.join(missing)}, which did not fit"
        if job.chunking_impossible:
            return (f"no number of chunks between {span_text(job.min_chunk * g)} and "
                    "the split maximum adds up to its duration")
        if job.kind == "routine":
            return self._routine(job)
        where = f"in `{inst.problem.task(job.item_id).hours}` hours"
        end, by, limit = inst.horizon[1], "in the horizon", "after the horizon ends"
        if job.due_minute is not None and job.hard:
            end = min(end, int(job.due_minute // g))
            by = f"before {when(inst.grid.at(end), inst.problem)}"
            limit = "after its due"
        need = job.duration
        if job.release >= end:  # not_before (or an event it comes after) is too late
            return f"cannot start before {when(inst.grid.at(job.release), inst.problem)}, {limit}"
        if not job.spans:  # no free stretch holds a chunk; say how much of the hours is free
            free = total(free_hours(inst, job, end))
            if free == 0:
                return f"needs {span_text(need * g)} {where} {by}; none of those hours is free"
            if free < need:
                return (f"needs {span_text(need * g)} {where} {by}; "
                        f"only {span_text(free * g)} is free")
            size = job.min_chunk if job.split else need
            return f"no free gap {where} {by} is {span_text(size * g)} long"
        pieces = self._free_pieces(job, end)
        free = total(pieces)
        largest = max((e - s for s, e in pieces), default=0)
        if free < need:
            return (f"needs {span_text(need * g)} {where} {by}; "
                    f"only {span_text(free * g)} is free")
        if job.split and largest < job.min_chunk:
            return f"no free gap {where} holds a chunk of {span_text(job.min_chunk * g)}"
        small = self._small_cap(job)
        if small:
            return small
        full = self._full_caps(job)
        if full:
            return f"{full} is reached where it would fit"
        if not job.split and largest < need:
            return f"no free gap {where} {by} is {span_text(need * g)} long"
        return "the free time went to more valuable items (higher priority or weight)"

    def _routine(self, job: Job) -> str:
        """The occurrence's day is shown beside the reason, so the reason does not repeat it."""
        g = self.inst.grid.slot_minutes
        window = job.occurrence.routine.window if job.occurrence else "its window"
        if not job.spans:
            busy = "events and fixed blocks" if self.inst.problem.fixed else "events"
            return f"{busy} leave no free {span_text(job.duration * g)} in {window} that day"
        pieces = self._free_pieces(job, self.inst.horizon[1])
        if max((e - s for s, e in pieces), default=0) < job.duration:
            return f"no free {span_text(job.duration * g)} left in {window} that day"
        full = self._full_caps(job)
        if full:
            return f"{full} is reached"
        return "the free time in its window went to more valuable items"

    def _free_pieces(self, job: Job, end: int) -> list[Span]:
        pieces = []
        pad = self.inst.buffer
        for s, e in clip(job.spans, job.release, end):
            t = s
            while t < e:
                start = self.timeline.earliest(t, e, 1, pad)
                if start is None:
                    break
                room = self.timeline.room(start, e, pad)
                pieces.append((start, start + room))
                t = start + room + 1
        return pieces

    def _small_cap(self, job: Job) -> str | None:
        """A limit smaller than the task's shortest block: no day can ever hold it."""
        g = self.inst.grid.slot_minutes
        for cap in self.inst.caps:  # a limit that fixed blocks filled is not small: it is full
            if cap.slots < job.min_chunk and job.index in cap.members and not cap.fixed_minutes:
                limit = cap.name.split(" on ")[0].split(" in ")[0]
                return (f"{limit} allows {span_text(cap.slots * g)}, less than its "
                        f"{span_text(job.min_chunk * g)} block")
        return None

    def _full_caps(self, job: Job) -> str | None:
        names = [_cap_name(c) for c, used in zip(self.inst.caps, self.cap_used, strict=True)
                 if c.slots - used < job.min_chunk and job.index in c.members
                 and _touches(job.spans, c.start, c.end)]
        if not names:
            return None
        return names[0] if len(names) == 1 else f"{names[0]} (and {len(names) - 1} more limits)"


def _cap_name(cap: Cap) -> str:
    """`day_max on Wed 09 Dec`, with the share fixed blocks already take of it."""
    if not cap.fixed_minutes:
        return cap.name
    return f"{cap.name} ({span_text(cap.fixed_minutes)} of it in fixed blocks)"


def free_hours(inst: Instance, job: Job, end: int) -> list[Span]:
    """The task's hours from its release to `end`, events and their buffer cut out, however
    short the pieces (a job's own spans keep only pieces that hold a chunk)."""
    hours = hours_spans(inst, inst.problem.task(job.item_id))
    return subtract(clip(hours, job.release, end), inst.busy)


def _touches(spans: list[Span], lo: int, hi: int) -> bool:
    """Whether any of the sorted, disjoint `spans` overlaps [lo, hi)."""
    i = bisect.bisect_right(spans, (lo, lo))
    return any(s < hi and e > lo for s, e in spans[max(0, i - 1):i + 1])


