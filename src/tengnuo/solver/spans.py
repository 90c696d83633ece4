"""Sorted lists of half-open integer slot spans [start, end): union, difference, cuts."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

Span = tuple[int, int]


def union(spans: Iterable[Span]) -> list[Span]:
    """Merge overlapping and touching spans."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if s >= e:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def subtract(spans: list[Span], holes: list[Span]) -> list[Span]:
    """`spans` minus the (merged, sorted) `holes`."""
    out: list[Span] = []
    for s, e in spans:
        i = bisect.bisect_right(holes, (s, s)) - 1
        i = max(i, 0)
        cursor = s
        while i < len(holes) and holes[i][0] < e:
            hs, he = holes[i]
            if he > cursor:
                if hs > cursor:
                    out.append((cursor, min(hs, e)))
                cursor = max(cursor, he)
            i += 1
            if cursor >= e:
                break
        if cursor < e:
            out.append((cursor, e))
    return out


def clip(spans: list[Span], lo: int, hi: int) -> list[Span]:
    return [(max(s, lo), min(e, hi)) for s, e in spans if max(s, lo) < min(e, hi)]


def cut(spans: list[Span], points: Iterable[int]) -> list[Span]:
    """Split spans at each point (e.g. local midnights) so that no span crosses one."""
    marks = sorted(points)
    out: list[Span] = []
    for s, e in spans:
        i = bisect.bisect_right(marks, s)
        cursor = s
        while i < len(marks) and marks[i] < e:
            out.append((cursor, marks[i]))
            cursor = marks[i]
            i += 1
        out.append((cursor, e))
    return out


def total(spans: Iterable[Span]) -> int:
    return sum(e - s for s, e in spans)
