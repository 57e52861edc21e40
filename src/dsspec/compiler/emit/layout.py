"""Choosing a view's direction so that the drawing is page-shaped (shared by the default and the icon backend)."""

from __future__ import annotations

ASPECT = (0.5, 2.0)
"""Width over height a page holds: ``auto`` direction picks the layout inside these bounds."""


WIDE = ("timeline",)
"""Views whose shape is their data's: a timeline is lanes a page wide, as tall as it has models."""


def layout(view, pictures: list[str], renderer: str, direction: str, make_dot=None, draw=None
           ) -> tuple[str, dict[str, bytes]]:
    """Return the DOT of ``view`` and its drawings.

    ``auto`` lays the view out top to bottom and keeps it when it is
    page-shaped (``ASPECT``); otherwise it tries left to right, and when
    neither fits, the one nearer a square spread out to the nearest bound
    (Graphviz's ``ratio``: a narrow chain of a few boxes gets room on its
    sides rather than a page of its own). ``make_dot(view, direction, ratio)``
    and ``draw(source, fmt)`` default to the default backend's; the icon
    backend passes its own.
    """
    import math

    from dsspec.compiler.emit.dot import to_dot
    from dsspec.compiler.emit.render import render, size

    make_dot = make_dot or to_dot
    draw = draw or (lambda source, fmt: render(source, fmt, renderer))
    if direction != "auto" or getattr(view, "name", "") in WIDE:
        direction = "TB" if direction == "auto" else direction
        source = make_dot(view, direction)
        return source, {fmt: draw(source, fmt) for fmt in pictures}
    best = None
    for d in ("TB", "LR"):
        source = make_dot(view, d)
        drawn = {fmt: draw(source, fmt) for fmt in pictures}
        w, h = size(drawn.get("svg") or drawn.get("json") or draw(source, "plain"))
        aspect = max(w, 1) / max(h, 1)
        if ASPECT[0] <= aspect <= ASPECT[1]:
            return source, drawn
        if best is None or abs(math.log(aspect)) < abs(math.log(best[1])):
            best = (d, aspect)
    d, aspect = best
    ratio = 0.95 / ASPECT[0] if aspect < ASPECT[0] else 1.05 / ASPECT[1]   # height over width, inside the bounds
    source = make_dot(view, d, ratio)
    return source, {fmt: draw(source, fmt) for fmt in pictures}
