"""A view as a Mermaid flowchart, which GitHub and GitLab render inside Markdown.

The flowchart mirrors the DOT drawing: the same elements, groups as
subgraphs, panels (constraints, ladder, goals) as nodes listing their rows,
the chosen step and elements with findings styled by class. Ids come from
declared names (``view`` makes them identifiers); every string goes through
``_text``, which writes Mermaid's entity codes for the characters its parser
gives a meaning to, so a title cannot close a label or add an edge.
"""

from __future__ import annotations

from dsspec.compiler.emit.dot import heading, worst
from dsspec.compiler.emit.view import Element, View
from dsspec.compiler.report.common import safe

SHAPES = {"source": ('[("', '")]'), "model": ('[["', '"]]'), "user": ('(["', '"])'), "fallback": ('{{"', '"}}'),
          "product": ('[["', '"]]'), "tool": ('>"', '"]')}
ROUNDED = ("(\"", "\")")
BOX = ('["', '"]')
ARROWS = {"solid": "-->", "dashed": "-.->", "dotted": "-.->", "bold": "==>"}
CLASSES = {
    "source": "fill:#e8f1fb,stroke:#546e7a", "input": "fill:#eef7ee,stroke:#546e7a",
    "model": "fill:#fff4d6,stroke:#8d6e63", "output": "fill:#f3ecfa,stroke:#546e7a",
    "user": "fill:#fdecef,stroke:#546e7a", "rollout": "fill:#eef4ff,stroke:#546e7a", "panel": "fill:#fafafa,stroke:#9e9e9e,text-align:left",
    "chosen": "fill:#ffe08a,stroke:#333,stroke-width:3px",
    "error": "stroke:#b2182b,stroke-width:3px", "warning": "stroke:#e69f00,stroke-width:3px,stroke-dasharray:6 3",
    "info": "stroke:#0072b2,stroke-width:3px,stroke-dasharray:2 2",
    "tool": "fill:#fbe9e7,stroke:#8d6e63",
    "untrusted": "stroke:#b2182b,stroke-width:2px,stroke-dasharray:10 3 2 3", "acts": "stroke:#b2182b,stroke-width:4px",
}
WRAPPING_WIDTH = 360
"""Pixels: wider than a line ``parts.lines`` wraps, so Mermaid does not wrap the wrapped text again."""
_ENTITIES = {"&": "#amp;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "`": "#96;", "|": "#124;",
             "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;", "\\": "#92;"}


def _text(text: str) -> str:
    """Return ``text`` safe inside a quoted Mermaid label (the one escaper of this module)."""
    return "".join(_ENTITIES.get(c, c) for c in safe(text))


def _label(el: Element) -> str:
    if el.panel:   # "label: value" for two columns, "a · b · c" for more; the chosen row bold and marked
        rows = [(": " if len(row) == 2 else " · ").join(c for c in row if c) for row in el.rows]
        body = [f"<b>▶ {_text(row)}</b>" if i in el.marked else _text(row) for i, row in enumerate(rows)]
    else:
        body = [_text(line) for line in el.lines]
    if el.findings:   # the severity in words and the rule's code: never the outline's colour alone
        codes: dict[str, str] = {}
        for d in sorted(el.findings, key=lambda d: (-d.severity.rank, d.code)):
            codes.setdefault(d.code, d.severity.value)
        body.append("<i>" + _text(", ".join(f"{sev} {code}" for code, sev in codes.items())) + "</i>")
    return "<b>" + _text(el.title) + "</b>" + "".join("<br/>" + line for line in body)


def _node(el: Element) -> str:
    if el.panel:
        open_, close = BOX
    else:
        open_, close = SHAPES.get(el.kind) or (ROUNDED if el.kind in ("input", "step", "output", "rollout") else BOX)
    return f"{el.id}{open_}{_label(el)}{close}"


def _classes(el: Element) -> list[str]:
    out = ["panel"] if el.panel else ([el.kind] if el.kind in CLASSES else [])
    if el.emphasis:
        out.append("chosen")
    if el.risk:
        out.append(el.risk)
    severity = worst(el)
    if severity is not None:
        out.append(severity.value)
    return out


def _gantt_text(text: str) -> str:
    """Return ``text`` safe as a Mermaid gantt task or section name (its syntax ends a name at ``:``, ``#``
    or ``;``)."""
    import re

    return re.sub(r"[^A-Za-z0-9 _.,()+/=<>%~-]", " ", safe(text)).strip() or "-"


def to_gantt(view: View) -> str:
    """Return the timeline view as a Mermaid gantt chart: a section per model, a task per phase, the phases a
    finding concerns marked ``crit``."""
    out = ["---", f'title: "{_text(heading(view))}"', "---", "gantt", "  dateFormat YYYY-MM-DD",
           "  axisFormat %b %Y"]
    for el in view.elements.values():
        if el.kind != "timeline":
            continue
        out.append(f"  section {_gantt_text(el.title)}")
        for i, (phase, a, b, note, _style) in enumerate(el.rows):
            tag = "crit, " if i in el.marked else ""
            out.append(f"    {_gantt_text(phase + ': ' + note)} :{tag}{el.id}_{i}, {a}, {b}")
    return "\n".join(out) + "\n"


def to_mermaid(view: View, direction: str = "TB") -> str:
    """Return ``view`` as a Mermaid flowchart (the timeline as a gantt chart)."""
    if view.name == "timeline":
        return to_gantt(view)
    out = ["---", f'title: "{_text(heading(view))}"', "config:", "  flowchart:",
           f"    wrappingWidth: {WRAPPING_WIDTH}", "---", f"flowchart {direction}"]
    if view.note:
        out.append(f'  note_summary["{_text(view.note)}"]')
    grouped = {m for g in view.groups for m in g.members}
    for g in view.groups:
        out.append(f'  subgraph {g.id}["{_text(g.label)}"]')
        out += [f"    {_node(view.elements[m])}" for m in g.members]
        out.append("  end")
        out.append(f"  style {g.id} fill:#fcfcfc,stroke:#9e9e9e,stroke-dasharray:5 5")
    out += [f"  {_node(el)}" for el in view.elements.values() if el.id not in grouped]
    for e in view.edges:
        label = f'|"{_text(e.label)}"|' if e.label else ""
        out.append(f"  {e.tail} {ARROWS.get(e.style, '-->')}{label} {e.head}")
    for row in view.beside:   # keep panels near what they describe: an invisible link, as DOT's same rank
        if len(row) > 1 and not any(view.elements[m].kind in ("source", "input") for m in row):
            out += [f"  {a} ~~~ {b}" for a, b in zip(row, row[1:])]
    used: dict[str, list[str]] = {}
    for el in view.elements.values():
        for c in _classes(el):
            used.setdefault(c, []).append(el.id)
    for c in CLASSES:
        if c in used:
            out.append(f"  classDef {c} {CLASSES[c]}")
            out.append(f"  class {','.join(used[c])} {c}")
    return "\n".join(out) + "\n"
