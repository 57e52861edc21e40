"""What an editor shows around the text: folds, links, highlights, lenses, inlay hints, workspace symbols.

Every function answers from an ``Analysis`` (or a parsed ``Document``) in the
pipeline's terms (``Span``s, absolute paths, plain strings); ``server``
converts them to the protocol. Nothing here is a finding: a lens or a hint
says what the design already says, worked out (``$300/week`` is about
$1,286 a month), and never judges it.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from dsspec.base.span import Span
from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.values import Quantity, quantity
from dsspec.compiler.syntax.cst import Document, Statement
from dsspec.integrations.lsp.analysis import Analysis, Name, align, walk
from dsspec.integrations.lsp.families import family, latency_ms, ms_text

LENS_KINDS = ("source", "input", "output", "user", "model", "metric")
"""Declarations that get a lens saying what uses them."""


class Fold(NamedTuple):
    """Lines to fold (1-based, inclusive) and whether they are a comment block."""

    start: int
    end: int
    comment: bool


def folds(doc: Document) -> list[Fold]:
    """Return every block of more than one line (up to the line before its ``}``) and every comment block."""
    out = []
    for st, _, _ in walk(doc):
        if st.body is not None and st.span.end_line - 1 > st.span.line:
            out.append(Fold(st.span.line, st.span.end_line - 1, False))
    lines = doc.text.split("\n")
    run = None
    for number, line in enumerate([*lines, ""], start=1):
        if line.lstrip().startswith("#"):
            run = run or number
        else:
            if run is not None and number - 1 > run:
                out.append(Fold(run, number - 1, True))
            run = None
    return sorted(out)


def links(a: Analysis) -> list[tuple[Span, str]]:
    """Return ``(span of the quoted path without its quotes, absolute target)`` of every ``include`` whose file exists."""
    doc = a.documents.get(a.path)
    out = []
    for st in doc.statements if doc is not None else ():
        if st.name == "include" and st.values and st.values[0].kind == "string":
            value = st.values[0]
            target = os.path.normpath(os.path.join(os.path.dirname(a.path), value.text))
            if os.path.isfile(target):
                s = value.span
                out.append((Span(s.line, s.column + 1, s.end_line, s.end_column - 1, s.offset + 1, s.end_offset - 1),
                            target))
    return out


def declaration_under(a: Analysis, offset: int) -> Name | None:
    """Return the declaration of the name under ``offset`` (itself, or what the reference there refers to)."""
    item = a.name_at(a.path, offset)
    return None if item is None else (item if item in a.decls else a.target(item))


def highlights(a: Analysis, offset: int) -> list[tuple[Span, bool]]:
    """Return ``(span, is the declaration)`` of every occurrence in this file of the name under ``offset``."""
    decl = declaration_under(a, offset)
    if decl is None:
        return []
    return [(x.span, x is decl) for x in a.occurrences(decl) if x.path == a.path]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "es" if word.endswith("s") else "s")


def _users(a: Analysis, decl: Name) -> list[Name]:
    """Return the references to ``decl`` from any file the analysis holds."""
    return [r for r in a.refs if r.name == decl.name and a.target(r) == decl]


def _outer(a: Analysis) -> dict[int, str]:
    """Return, by ``id`` of every statement, the top-level statement it stands in (``model``, ``evaluation``...)."""
    out = {}
    for doc in a.documents.values():
        for top in doc.statements:
            stack = [top]
            while stack:
                st = stack.pop()
                out[id(st)] = top.name
                stack += st.body or ()
    return out


def usage(a: Analysis, decl: Name, outer: dict[int, str] | None = None) -> str:
    """Return what uses a declaration, in words: ``3 models read this``, ``used by 1 input, 1 evaluation``."""
    outer = _outer(a) if outer is None else outer
    refs = _users(a, decl)
    if not refs:
        return "no references"
    for verb in ("read", "write"):
        if all(r.statement.name == verb + "s" for r in refs):
            return f"{_plural(len(refs), 'model')} {verb}{'s' if len(refs) == 1 else ''} this"
    counts: dict[str, int] = {}
    for r in refs:
        where = outer.get(id(r.statement), r.statement.name)
        counts[where] = counts.get(where, 0) + 1
    return "used by " + ", ".join(_plural(c, k) for k, c in counts.items())


def _step_text(step: n.Step) -> str:
    what = step.family.name if step.family else (step.description.value if step.description else step.rung)
    results = " ".join(f"{k} {q.text}" for k, q in step.results.items())
    return f"{what} {results}".strip()


def ladder_lens(model: n.Model) -> str:
    """Return what a model's ladder chose: ``chosen: lightgbm recall 0.66``, or that it chose nothing yet."""
    chosen = [s for s in model.ladder.steps if s.chosen] if model.ladder else []
    if not chosen:
        return "no step chosen yet"
    return "chosen: " + ", ".join(_step_text(s) for s in chosen)


def lenses(a: Analysis) -> list[tuple[Span, str]]:
    """Return ``(span of the statement, text)`` of the lenses of this file: uses of declarations, ladder choices."""
    outer = _outer(a)
    out = []
    for d in a.decls:
        if d.path == a.path and d.kinds[0] in LENS_KINDS:
            text = usage(a, d, outer)
            if text != "no references" or d.kinds[0] not in ("model", "metric"):  # nothing need use those
                out.append((d.statement.span, text))
    r = a.result.resolved
    doc = a.documents.get(a.path)
    for top in doc.statements if doc is not None and r is not None else ():
        model = r.models.get(top.values[0].text) if top.name == "model" and top.values else None
        ladder = next((st for st in top.body or () if st.name == "ladder"), None)
        if model is not None and ladder is not None and model.span == top.span:
            out.append((ladder.span, ladder_lens(model)))
    return sorted(out, key=lambda x: x[0].offset)


class Hint(NamedTuple):
    """Text to show after a span."""

    span: Span
    text: str


def _budget(a: Analysis) -> float | None:
    r = a.result.resolved
    op = r.spec.operator if r is not None else None
    budget = op.budget if op is not None else None
    return budget.per_month if isinstance(budget, Quantity) else None


def _hardware(a: Analysis, model_name: str | None) -> str:
    r = a.result.resolved
    if r is None or model_name is None:
        return "cpu"
    model = r.models.get(model_name)
    serving = r.for_model(r.spec.serving, model) if model is not None else None
    return serving.hardware.kind if serving is not None and serving.hardware is not None else "cpu"


def hints(a: Analysis, first_line: int = 1, last_line: int | None = None) -> list[Hint]:
    """Return the inlay hints of the lines asked for: quantities in plain units and shares of the budget,
    and the catalogue's latency beside a ladder step's family."""
    from dsspec.integrations.lsp.hover import normalised

    doc = a.documents.get(a.path)
    if doc is None:
        return []
    budget = _budget(a)
    out: list[Hint] = []
    model_of: dict[int, str] = {}
    for top in doc.statements:
        if top.name == "model" and top.values:
            stack = [top]
            while stack:
                st = stack.pop()
                model_of[id(st)] = top.values[0].text
                stack += st.body or ()
    for st, spec, _ in walk(doc):
        if st.span.end_line < first_line or (last_line is not None and st.span.line > last_line):
            continue
        if spec is None:
            continue
        for arg, value in align(spec, st.values):
            if value.span.line < first_line or (last_line is not None and value.span.line > last_line):
                continue
            if arg.field == "family" and value.kind == "ident":
                entry = family(value.text)
                if entry is not None:
                    kind = _hardware(a, model_of.get(id(st)))
                    ms = latency_ms(entry, kind)
                    if ms is not None:
                        out.append(Hint(value.span, f"~{ms_text(ms)} {kind}"))
                continue
            target = value.items[-1] if value.kind == "comparison" and value.items else value
            if target.kind not in ("money", "rate", "duration"):
                continue
            q, _ = quantity(target.kind, target.text, target.span)
            if q is None:
                continue
            text = _quantity_hint(q, st, budget, normalised)
            if text:
                out.append(Hint(target.span, text))
    return out


def _quantity_hint(q: Quantity, st: Statement, budget: float | None, normalised) -> str | None:
    if q.kind == "money":
        parts = []
        if q.per_month is not None and q.period not in ("month", "mo"):
            parts.append(f"${q.per_month:,.0f}/month")
        if budget and q.per_month is not None and st.name != "budget":
            share = q.per_month / budget * 100
            parts.append(f"{share:,.0f}% of budget" if share >= 1 else f"{share:.2g}% of budget")
        return ", ".join(parts) or None
    if q.kind == "rate":
        return f"{q.value:,.3g}/s" if q.period != "s" else None
    if q.kind == "duration" and q.value >= 7 * 86400:
        return normalised(q)
    return None


def matches(query: str, name: str) -> bool:
    """Return whether ``name`` holds the letters of ``query`` in order, ignoring case (``frsc`` finds ``fraud_score``)."""
    rest = iter(name.lower())
    return all(ch in rest for ch in query.lower())
