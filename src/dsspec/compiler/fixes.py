"""Certain fixes: which findings can be repaired mechanically, and applying the repairs.

A fix is *certain* when the unit of a value is a long or informal spelling of
one the language knows (``1hr``, ``80msec``, ``120/secs``: ``CANONICAL_UNITS``)
or is written after a space (``50 ms``),
or when the finding already names the one right text: a
misspelt attribute, section, value, unit, reference or model family whose
suggestion (``did you mean `latency`?``) has a single candidate, which the
help tells the user to write. The wrong
word is the backticked word of the message that occurs exactly once in the
finding's span, and the fix replaces it there. The one candidate must be the
written word spelt right (``suggestions.respells``: another case, a known
synonym, a slip of a letter or two; a statement name may also be cut short,
``eval``): a candidate that drops or adds a qualifier (``gpt_4_1_nano`` ->
``gpt_4_1``, ``biweekly`` -> ``weekly``), has other numbers (``p98`` -> ``p90``),
picks a meaning of an ambiguous unit (``/m``: minutes or months?) or another
scale of time (``/ms`` -> ``/s``) names something else, and stays a suggestion.
Anything less certain (two candidates, no suggestion, a design choice) gets no
fix: ``--fix`` never guesses.

Fixes are attached to findings in the pipeline (``Diagnostic.fix``), so
``dsspec check --fix``/``--diff`` and a language server's quick fixes use
the same edits.
"""

from __future__ import annotations

import re

from dsspec.base import record
from dsspec.base.diagnostics import Diagnostic, Edit, Fix
from dsspec.base.span import Span
from dsspec.base.suggestions import AMBIGUOUS_UNITS, abbreviates, respells

FIXABLE = frozenset({"DS001", "DS010", "DS011", "DS020", "DS405"})
"""Codes that may have a certain fix: a did-you-mean on an unknown statement, invalid value (words and
units), unknown reference or model family; a unit written in a long form (syntax error or invalid rate)."""

CANONICAL_UNITS = {
    **dict.fromkeys(("msec", "msecs", "millis", "millisecond", "milliseconds"), "ms"),
    **dict.fromkeys(("sec", "secs", "second", "seconds"), "s"),
    **dict.fromkeys(("mins", "minute", "minutes"), "min"),  # not `m`: minutes or months?
    **dict.fromkeys(("hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("day", "days"), "d"),
    **dict.fromkeys(("wk", "wks", "week", "weeks"), "w"),
    **dict.fromkeys(("mon", "month", "months", "mth", "mths"), "mo"),
    **dict.fromkeys(("yr", "yrs", "year", "years"), "y"),
}
"""Long or informal unit spellings and the language's unit for them (``1hr`` -> ``1h``, ``80msec`` -> ``80ms``)."""
RATE_PERIODS = {"secs": "s", "seconds": "s", "mins": "min", "minutes": "min", "hr": "h", "hrs": "h",
                "hours": "h", "days": "day", "weeks": "week", "months": "month", "yr": "year", "years": "year"}
"""Plural or informal periods of a rate (``120/secs``) and the period the language knows."""

_DURATION = re.compile(r"^([0-9]+(?:\.[0-9]+)?)([ \t]*)([A-Za-z]+)$")
_RATE = re.compile(r"^([0-9]+(?:\.[0-9]+)?[kMB]?)/([A-Za-z]+)$")

_MEANT = re.compile(r"did you mean ((?:`[^`]+`(?:, | or )?)+)")
_QUOTED = re.compile(r"`([^`]+)`")


def _respelt_unit(code: str, unit: str) -> str | None:
    """Return the unit a misspelt one is (``mintues`` -> ``min``, ``/minuts`` -> ``/min``) when every unit it
    respells is the same one, else ``None`` (``mos``: ``mo`` or ``ms``?)."""
    if unit in AMBIGUOUS_UNITS or not unit.islower():
        return None  # `Ms` is not `ms`: the case of a unit is its meaning (`M` is a million)
    from dsspec.compiler.model.values import DURATION_UNITS, PERIOD_SECONDS  # a finding's, not `apply`'s
    from dsspec.compiler.syntax.literals import MAGNITUDE_WORDS
    if code == "DS001":
        table = {**CANONICAL_UNITS, **{u: u for u in DURATION_UNITS}}
    else:
        table = {**RATE_PERIODS, **{p: p for p in PERIOD_SECONDS}}
    if unit in table or any(respells(unit, word) for word in MAGNITUDE_WORDS):
        return None  # a unit the language knows (the finding is about something else), or `14 millon`: a
        # magnitude, not a unit of time (`millis`)
    meant = {_scale(word): word for word in table if respells(unit, word)}
    if len(meant) != 1:
        return None
    (word,) = meant.values()
    return table[word]


def _unit(d: Diagnostic, region: str) -> Fix | None:
    """Return the fix of a value whose unit is written in a long form, or ``None``."""
    m = _DURATION.match(region) if d.code == "DS001" else _RATE.match(region) if d.code == "DS011" else None
    if m is None:
        return None
    number, space, unit = m.groups() if d.code == "DS001" else (m.group(1), "", m.group(2))
    canonical = (CANONICAL_UNITS if d.code == "DS001" else RATE_PERIODS).get(unit)
    if canonical is None and "write `" not in d.message:  # a finding that names the right text is followed
        canonical = _respelt_unit(d.code, unit)
    if canonical is None and space and f"write `{number}{unit}`" in d.message:
        canonical = unit  # `50 ms`: the finding names the one right text, the space gone
    if canonical is None:
        return None
    new = f"{number}{canonical}" if d.code == "DS001" else f"{number}/{canonical}"
    if new == region:
        return None  # the unit is right: the finding is about something else (`peak 6k/s` below the load)
    return Fix(f"write `{new}`", (Edit(d.span, new),))


def _scale(word: str) -> float | None:
    """Return the seconds a unit of time (``ms``, ``/mo``, ``hours``) stands for, or ``None``."""
    from dsspec.compiler.model.values import DURATION_UNITS, PERIOD_SECONDS
    unit = word.lstrip("/").lstrip("0123456789.kMB")
    unit = CANONICAL_UNITS.get(unit, RATE_PERIODS.get(unit, unit))
    return DURATION_UNITS.get(unit, PERIOD_SECONDS.get(unit))


def keeps_meaning(code: str, wrong: str, right: str) -> bool:
    """Return whether writing ``right`` for ``wrong`` only repairs its spelling (``lightgmb`` -> ``lightgbm``,
    ``/mnth`` -> ``/month``), so a fix may do it: never a qualifier dropped or added, other numbers, an
    ambiguous unit or another scale of time. A statement name (``DS010``) may also be cut short (``eval``)."""
    bare_wrong, bare_right = wrong.lstrip("/$"), right.lstrip("/$")
    if bare_wrong in AMBIGUOUS_UNITS:
        return False
    scales = (_scale(wrong), _scale(right))
    if None not in scales:
        return scales[0] == scales[1]  # `/mon` -> `/mo`: the same unit of time; `/ms` -> `/s`: another scale
    return respells(bare_wrong, bare_right) or (code == "DS010" and abbreviates(bare_wrong, bare_right))


def derive(d: Diagnostic, text: str) -> Fix | None:
    """Return the certain fix of ``d`` in its file's ``text``, or ``None``."""
    if d.code not in FIXABLE:
        return None
    unit = _unit(d, text[d.span.offset:d.span.end_offset])
    if unit is not None:
        return unit
    said = d.message + "\n" + (d.help or "")
    meant = {w for offer in _MEANT.findall(said) for w in _QUOTED.findall(offer)}  # every candidate offered
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
    if not keeps_meaning(d.code, word, right):
        return None  # a suggestion of something else (`gpt_4_1` for `gpt_4_1_nano`): the user decides
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
        out.append(record.replace(d, fix=fix) if fix is not None else d)
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
