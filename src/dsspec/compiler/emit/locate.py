"""Which drawn element a finding belongs to, in ``O((elements + findings) log elements)``.

A finding belongs to the smallest element whose span holds its start (an
empty span holds its own offset); of equal sizes, the first given. Looking
each finding up in every element was quadratic: 5,000 models with 20,000
findings took minutes to draw.
"""

from __future__ import annotations

import heapq
from typing import TypeVar

from dsspec.base.span import Span

T = TypeVar("T")


def innermost(spans: list[tuple[Span, T]], offsets: list[int]) -> list[T | None]:
    """Return, for each offset, the item of the smallest span holding it (``None`` when none does)."""
    starts = sorted(range(len(spans)), key=lambda i: spans[i][0].offset)
    order = sorted(range(len(offsets)), key=lambda k: offsets[k])
    found: list[T | None] = [None] * len(offsets)
    active: list[tuple[int, int, int]] = []  # (size, given order, end) of spans started so far
    nxt = 0
    for k in order:
        at = offsets[k]
        while nxt < len(starts) and spans[starts[nxt]][0].offset <= at:
            i = starts[nxt]
            span = spans[i][0]
            heapq.heappush(active, (span.end_offset - span.offset, i, max(span.end_offset, span.offset + 1)))
            nxt += 1
        while active and active[0][2] <= at:  # ended before this offset, so before every later one
            heapq.heappop(active)
        if active:
            found[k] = spans[active[0][1]][1]
    return found
