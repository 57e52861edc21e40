"""One way to write numbers, money and phrases in every diagram and document.

A build used to mix ``$1800/month``, ``$1.8k/month`` and ``$2,200/month``,
``every weekly`` and ``known at precomputed``. Every emitter formats through
here instead: money as ``$1,800/month`` (computed from the normalised value,
so ``$1.8k/month`` and ``$1800/month`` read the same), other quantities as
written, schedules and availability as phrases.
"""

from __future__ import annotations

import re
import textwrap

from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.values import Comparison, Quantity, Ref

KNOWN_AT = {"request": "at request time", "precomputed": "precomputed", "batch": "in batch", "event": "per event"}


def dollars(value: float) -> str:
    """Return ``$1,800`` (whole dollars), or ``$0.002`` and ``$4.50`` below ten dollars."""
    if abs(value) >= 10:
        return f"${value:,.0f}"
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return f"${text}" if "." not in text or len(text.split(".")[1]) != 1 else f"${text}0"


def monthly(value: float | None) -> str:
    """Return a monthly amount: ``$1,800/month``, or ``—`` when there is none."""
    return "—" if value is None else f"{dollars(value)}/month"


def money(q: Quantity | None) -> str:
    """Return a declared amount of money in the one format: ``$6,000/month``, ``$0.002/request``, ``$90``."""
    if q is None:
        return "—"
    if q.kind != "money":
        return q.text
    if q.per_month is not None:
        return monthly(q.per_month)
    return dollars(q.value) + (f"/{q.period}" if q.period else "")


def quantity(q: Quantity | None) -> str:
    """Return a quantity: money in the one format, everything else as written (``2d``, ``0.5%``)."""
    if q is None:
        return "—"
    return money(q) if q.kind == "money" else q.text


def comparison(c: Comparison | None) -> str:
    return "—" if c is None else f"{c.op} {quantity(c.operand)}"


def schedule(s: Ref | Quantity | None) -> str:
    """Return how often something runs: ``weekly``, ``every 6h``."""
    if s is None:
        return ""
    text = n.show_schedule(s)
    return text if isinstance(s, Ref) else f"every {text}"


def known_at(name: str | None) -> str:
    """Return when an input is known: ``at request time``, ``precomputed``."""
    return KNOWN_AT.get(name or "request", name or "at request time")


def params(value: float | None) -> str:
    """Return a parameter count: ``3M params``."""
    if value is None:
        return ""
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return f"{value / size:g}{unit} params"
    return f"{value:g} params"


def share(part: float, whole: float | None) -> str:
    """Return ``part`` as a whole percentage of ``whole``: ``30%``, ``<1%`` for a small share (never ``0%``
    for a cost), or ``—``."""
    if not whole:
        return "—"
    return "<1%" if 0 < part / whole < 0.005 else f"{part / whole:.0%}"


def names(refs: list, limit: int = 4) -> str:
    """Return ``a, b, c, +2 more``: at most ``limit`` names of refs (or strings)."""
    items = [r.name if isinstance(r, Ref) else str(r) for r in refs]
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f", +{len(items) - limit} more"


def sentence(text: str) -> str:
    """Return ``text`` ending in a full stop, unless it already ends a sentence (free text from a spec)."""
    text = text.rstrip()
    return text if not text or text.endswith((".", "!", "?", ".*", ")*")) else text + "."


def days(count: int) -> str:
    """Return ``1 day`` or ``N days``."""
    return f"{count} day" if count == 1 else f"{count} days"


def names_and(items: list[str]) -> str:
    """Return ``a``, ``a and b`` or ``a, b and c``: a list of already-formatted names in a sentence."""
    return " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " and " + items[-1]


GLUE = "\u2060"
"""A word joiner: holds a short number to its word while wrapping (``within 1s``, ``+1 more``)."""
_SHORT = re.compile(r"(?<=\S) (?=[+~<>=≤≥-]?\d[\w.%]{0,3}(?:\s|$))|(?<=[+~]\d) (?=\w)|(?<=\+\d\d) (?=\w)")


def wrap(text: str, width: int = 30) -> list[str]:
    """Return ``text`` broken into lines of at most ``width`` characters (long words cut), without orphans: a
    short figure stays with its word (``fresh within 1s``, ``+1 more``), and a last line of a word or two is
    balanced with the line before by narrowing the lines."""
    glued = _SHORT.sub(GLUE, text)

    def cut(w: int) -> list[str]:
        return [x.replace(GLUE, " ") for x in textwrap.wrap(glued, w, break_long_words=True,
                                                            break_on_hyphens=False)] or [""]

    lines = cut(width)
    if any(len(x) > width for x in lines):   # a glued figure too long for the line: wrap as written
        lines = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
    if len(lines) > 1 and len(lines[-1]) < width // 3:
        for w in range(width - 1, max(8, width * 2 // 3) - 1, -1):
            tried = cut(w)
            if len(tried) == len(lines) and len(tried[-1]) >= width // 3:
                return tried
    return lines
