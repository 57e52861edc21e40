"""Hover text: a finding's rule, a suppression's rules, a name's declaration and facts, a value's meaning."""

from __future__ import annotations

import re

from dsspec.compiler.lint.docs import explain
from dsspec.integrations.lsp.analysis import Analysis, Name, align, walk
from dsspec.compiler.model import nodes as n
from dsspec.compiler.model import schema
from dsspec.compiler.model.values import Quantity, quantity
from dsspec.compiler.syntax.cst import Value

SUPPRESSION = re.compile(r"#\s*dsspec:\s*ignore\[([^\]]*)\]")

_UNITS = (("day", 86400.0), ("hour", 3600.0), ("minute", 60.0), ("s", 1.0))


def _num(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) else f"{x:,.6g}" if abs(x) >= 1 else f"{x:.6g}"


def normalised(q: Quantity) -> str:
    """Return a quantity in plain units: ``$6k/month`` is $6,000/month, ``18mo`` is 540 days."""
    if q.kind == "duration":
        if q.value < 1:
            return f"{_num(q.value * 1000)} ms"
        for unit, seconds in _UNITS:
            count = q.value / seconds
            if q.value >= seconds and (count == int(count) or unit == "s"):
                return f"{_num(q.value)} s" if unit == "s" else f"{_num(count)} {unit}{'' if count == 1 else 's'}"
    if q.kind == "money":
        out = f"${_num(q.value)}" + (f"/{q.period}" if q.period else "")
        if q.per_month is not None and q.period not in ("month", "mo"):
            out += f" (${_num(q.per_month)}/month)"
        return out
    if q.kind == "rate":
        return f"{_num(q.value)}/s" + (f" ({_num(q.value * 30 * 86400)}/month)" if q.period != "s" else "")
    if q.kind == "percent":
        return f"{_num(q.value * 100)}% (a fraction of {_num(q.value)})"
    return _num(q.value)


def fact(value) -> str | None:
    """Return one model value as shown in a hover (quantities normalised), or ``None`` when empty."""
    if value is None or value == [] or value == {}:
        return None
    if isinstance(value, Quantity):
        return f"`{value.text}` = {normalised(value)}"
    if isinstance(value, n.Comparison):
        return f"`{value.show()}` ({value.op} {normalised(value.operand)})"
    if isinstance(value, (n.Ref,)):
        return f"`{value.name}`"
    if isinstance(value, n.Text):
        return value.value
    if isinstance(value, list):
        shown = [fact(v) for v in value]
        return ", ".join(s for s in shown if s)
    if isinstance(value, dict):
        return ", ".join(f"{k} {fact(v)}" for k, v in value.items())
    if hasattr(value, "show"):
        return f"`{value.show()}`"
    if isinstance(value, n.Ladder):
        return " → ".join(_step(step) for step in value.steps)
    if isinstance(value, n.Node):
        parts = [fact(getattr(value, f)) for f in type(value).model_fields if f not in _PLACES]
        return " ".join(p for p in parts if p)
    return f"`{value}`"


_PLACES = frozenset({"span", "header", "spans", "name"})


def _step(step: n.Step) -> str:
    what = step.family.name if step.family else (step.description.value if step.description else "")
    results = ", ".join(f"{k} {q.text}" for k, q in step.results.items())
    return f"{step.rung} `{what}`" + (f" ({results})" if results else "") + (" **chosen**" if step.chosen else "")


def _node_of(a: Analysis, decl: Name):
    r = a.result.resolved
    if r is None:
        return None
    table = {"source": r.sources, "input": r.inputs, "output": r.outputs, "model": r.models, "user": r.users}
    return table.get(decl.kinds[0], {}).get(decl.name)


def _where(a: Analysis, path: str, span) -> str:
    from os.path import basename

    return f"{basename(path)}:{span.line}" if path != a.path else f"line {span.line}"


def name_hover(a: Analysis, item: Name) -> str:
    """Return the hover of a declaration or a reference: kind, where declared, resolved facts, uses."""
    decl = item if item in a.decls else a.target(item)
    if decl is None:
        return f"`{item.name}`: not declared (a {' or '.join(item.kinds)} is expected here)"
    kind = decl.kinds[0]
    lines = [f"**{kind}** `{decl.name}` — declared at {_where(a, decl.path, decl.span)}"]
    node = _node_of(a, decl)
    if node is not None:
        for f in type(node).model_fields:
            if f in _PLACES:
                continue
            shown = fact(getattr(node, f))
            if shown:
                lines.append(f"- {f.rstrip('_')}: {shown}")
    elif kind == "field":
        holders = a.result.resolved.fields.get(decl.name, []) if a.result.resolved else []
        inputs = sorted(i.name.name for i, _ in holders if isinstance(i, n.Input))
        sources = sorted(s.name.name for s, _ in holders if isinstance(s, n.Source))
        lines.append("- a field of input " + ", ".join(f"`{x}`" for x in inputs) if inputs else
                     "- a field of source " + ", ".join(f"`{x}`" for x in sources) if sources else "- a field of an input")
    r = a.result.resolved
    bound = len(r.uses.get((kind, decl.name), [])) if r is not None else 0   # a section bound to the only model
    uses = max(len(a.occurrences(decl)) - 1, bound)
    lines.append(f"\nused {uses} time{'' if uses == 1 else 's'}")
    return "\n".join(lines)


def value_hover(value: Value) -> str | None:
    """Return the meaning of a written quantity or comparison, or ``None`` for other values."""
    target = value.items[0] if value.kind == "comparison" else value
    if target.kind not in ("number", "percent", "duration", "money", "rate"):
        return None
    q, why = quantity(target.kind, target.text, target.span)
    if q is None:
        return why
    prefix = f"{value.text} " if value.kind == "comparison" else ""
    return f"`{value.text if not prefix else prefix + target.text}` = {prefix}{normalised(q)}"


def finding_hover(a: Analysis, offset: int) -> list[str]:
    """Return, for every finding whose span holds ``offset``, its message, help and rule documentation."""
    out = []
    for d in a.result.diagnostics:
        if d.path == a.path and d.span.offset <= offset <= max(d.span.end_offset, d.span.offset + 1):
            text = f"**{d.severity.value}[{d.code}] {d.rule}**: {d.message}"
            if d.help:
                text += f"\n\nhelp: {d.help}"
            out.append(text + "\n\n---\n\n" + (explain(d.code) or ""))
    return out


def suppression_hover(line: str, column: int) -> str | None:
    """Return the documentation of the rules a suppression comment on ``line`` names (the one under ``column`` first)."""
    m = SUPPRESSION.search(line)
    if not m or not (m.start() <= column <= m.end()):
        return None
    names = [x.strip() for x in m.group(1).split(",") if x.strip()]
    pos = m.start(1)
    under = [x for x in names if line.find(x, pos) <= column <= line.find(x, pos) + len(x)]
    docs = [explain(x) or f"`{x}` is not a rule: see `dsspec rules`" for x in (under or names)]
    return "\n\n---\n\n".join(docs) or None


def word_hover(spec: schema.Stmt, st, value: Value) -> str | None:
    """Return what an enum word means where it stands: the choices of its position."""
    from dsspec.compiler.model.build import describe

    for arg, written in align(spec, st.values):
        if written is value and arg.kind in ("enum", "enum_list"):
            return f"`{value.text}`: {arg.field}, {describe(arg)}"
    return None


def family_hover(spec: schema.Stmt, st, value: Value) -> str | None:
    """Return the catalogue's facts on the model family a ladder step names (size, latency, cost)."""
    from dsspec.integrations.lsp.families import family_facts

    for arg, written in align(spec, st.values):
        if written is value and arg.field == "family" and value.kind == "ident":
            return family_facts(value.text)
    return None


def statement_hover(spec: schema.Stmt) -> str:
    """Return what a statement of the language means, the values it takes and an example of it."""
    from dsspec.compiler.model.build import describe

    text = f"**{spec.name}**" + (f" — {spec.doc}" if spec.doc else "")
    forms = [", then ".join(f"{a.field or 'keyword'}: {describe(a)}" for a in sig) for sig in spec.sigs if sig]
    if forms:
        text += "\n\n" + "\n".join(f"- takes {form}" for form in forms)
    if spec.example:
        text += f"\n\n```dsspec\n{spec.example}\n```"
    return text


def value_under(a: Analysis, offset: int):
    """Return ``(statement, its schema entry, the value under offset or None)`` in the document, if any."""
    doc = a.documents.get(a.path)
    if doc is None:
        return None
    for st, spec, _ in walk(doc):
        if st.name_span.offset <= offset <= st.name_span.end_offset:
            return st, spec, None
        for v in st.values:
            if v.span.offset <= offset <= v.span.end_offset:
                return st, spec, v
    return None


def hover(a: Analysis, offset: int, line: str, column: int) -> str | None:
    """Return the Markdown hover at ``offset`` (``line`` is its line's text, ``column`` 0-based), or ``None``."""
    parts = finding_hover(a, offset)
    sup = suppression_hover(line, column)
    if sup:
        parts.append(sup)
    item = a.name_at(a.path, offset)
    if item is not None:
        parts.insert(0, name_hover(a, item))
    else:
        found = value_under(a, offset)
        if found is not None:
            st, spec, value = found
            if value is None and spec is not None:
                parts.insert(0, statement_hover(spec))
            elif value is not None:
                meaning = value_hover(value) or (family_hover(spec, st, value) or word_hover(spec, st, value)
                                                 if spec is not None else None)
                if meaning:
                    parts.insert(0, meaning)
    return "\n\n---\n\n".join(parts) if parts else None

