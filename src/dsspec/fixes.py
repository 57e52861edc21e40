"""Certain fixes: which findings can be repaired mechanically, and applying the repairs.

A fix is *certain* when the finding already names the one right text: a
misspelt attribute, section, value, unit, reference or model family whose
suggestion (``did you mean `latency`?``) has a single candidate, which the
help tells the user to write. The wrong
word is the backticked word of the message that occurs exactly once in the
finding's span, and the fix replaces it there. Anything less certain (two
candidates, no suggestion, a design choice) gets no fix: ``--fix`` never
guesses.

Fixes are attached to findings in the pipeline (``Diagnostic.fix``), so
``dsspec check --fix``/``--diff`` and a language server's quick fixes use
the same edits.
"""

from __future__ import annotations

import dataclasses
import re

from dsspec.diagnostics import Diagnostic, Edit, Fix
from dsspec.span import Span

FIXABLE = frozenset({"DS010", "DS011", "DS020", "DS405"})
"""Codes whose did-you-mean suggestion is a fix: unknown statement, invalid value (words and units),
unknown reference, unknown model family."""

_MEANT = re.compile(r"did you mean `([^`]+)`")
_QUOTED = re.compile(r"`([^`]+)`")


def derive(d: Diagnostic, text: str) -> Fix | None:
    """Return the certain fix of ``d`` in its file's ``text``, or ``None``."""
    if d.code not in FIXABLE:
        return None
    said = d.message + "\n" + (d.help or "")
    meant = set(_MEANT.findall(said))
    if len(meant) != 1:
        return None
    (right,) = meant
    if right not in (d.help or ""):  # the help says to do something else (e.g. close a block first)
        return None
    region = text[d.span.offset:d.span.end_offset]
    wrong = {w for w in _QUOTED.findall(d.message) if w != right and region.count(w) == 1}
    if len(wrong) != 1:
        return None
    (word,) = wrong
    start = d.span.offset + region.index(word)
    line = d.span.line + text.count("\n", d.span.offset, start)
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    span = Span(line, column, line, column + len(word), start, start + len(word))
    return Fix(f"replace `{word}` with `{right}`", (Edit(span, right),))


def attach(diags: list[Diagnostic], texts: dict[str, str]) -> list[Diagnostic]:
    """Return ``diags`` with ``fix`` set on every finding that has a certain one."""
    out = []
    for d in diags:
        text = texts.get(d.path)
        fix = derive(d, text) if text is not None and d.fix is None and d.code in FIXABLE else None
        out.append(dataclasses.replace(d, fix=fix) if fix is not None else d)
    return out


def apply(text: str, fixes: list[Fix]) -> tuple[str, int]:
    """Return ``text`` with the fixes applied and how many were; a fix overlapping an earlier one waits."""
    taken: list[tuple[int, int]] = []
    edits: list[Edit] = []
    applied = 0
    for fix in fixes:
        spans = [(e.span.offset, e.span.end_offset) for e in fix.edits]
        if any(a < y and x < b for a, b in spans for x, y in taken):
            continue
        taken += spans
        edits += fix.edits
        applied += 1
    for e in sorted(edits, key=lambda e: e.span.offset, reverse=True):
        text = text[:e.span.offset] + e.text + text[e.span.end_offset:]
    return text, applied
