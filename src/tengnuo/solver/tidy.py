"""Left-justify a plan within its days: every block moves as early as it can on its own day.

The preference tier counts days, not minutes, so the solver may leave a morning gap before a
block. Moving a block earlier on the same day never makes any tier worse (same day and week,
same chunks, lateness only shrinks; blocks across midnight stay where they are) and keeps every
hard rule: blocks are visited in start order, so a block can only meet blocks already moved,
and it stays after its predecessors and its own earlier chunk.
"""

from __future__ import annotations

from tengnuo.solver.decode import Timeline
from tengnuo.solver.instance import Instance
from tengnuo.solver.spans import Span


def left_justify(inst: Instance, chunks: list[list[Span]]) -> list[list[Span]]:
    out = [list(c) for c in chunks]
    order = sorted((s, j, i) for j, placed in enumerate(chunks) for i, (s, _) in enumerate(placed))
    timeline = Timeline()
    grid, pad = inst.grid, inst.buffer
    for start, j, i in order:
        job = inst.jobs[j]
        s, e = out[j][i]
        length = e - s
        day = grid.day_of(start)
        day_start, midnight = grid.day_starts[day], grid.day_starts[day + 1]
        if e > midnight:  # a block across midnight stays: moving it would shift minutes
            timeline.add(s, e + pad)  # between the two days' limits
            continue
        lo = max(day_start, job.release)
        if i > 0:
            lo = max(lo, out[j][i - 1][1] + inst.chunk_gap)
        for p in job.preds:
            lo = max(lo, out[p][-1][1])
        best = s
        for a, b in job.spans:
            if b <= lo or a > s:
                continue
            t = timeline.earliest(max(a, lo), min(b, s + length), length, pad)
            if t is not None and t < best:
                best = t
                break
        out[j][i] = (best, best + length)
        timeline.add(best, best + length + pad)
    return out
