"""The system diagram as Graphviz DOT, built with the ``graphviz`` package.

Every string from a spec reaches DOT only through ``graphviz``'s quoting, and
HTML-like labels only through ``_html``, so no title can add a node or an
edge. Output is deterministic: ids come from declared names, elements are
emitted in declaration order, and no timestamp or random id is written.
"""

from __future__ import annotations

import html

from dsspec.diagnostics import Severity
from dsspec.emit.view import Element, View
from dsspec.report.common import safe

FONT = "Arimo"
SEVERITY_COLOUR = {Severity.ERROR: "#c62828", Severity.WARNING: "#e07b00", Severity.INFO: "#1565c0"}
SOURCE_SHAPES = {"stream": "cds", "table": "cylinder", "files": "folder", "api": "component", "labels": "note"}
FILL = {
    "source": "#e8f1fb", "input": "#eef7ee", "model": "#fff4d6", "output": "#f3ecfa", "user": "#fdecef",
    "training": "#f4f4f4", "evaluation": "#f4f4f4", "serving": "#fff9ec", "fallback": "#ffffff",
    "monitoring": "#f4f4f4", "step": "#ffffff", "rollout": "#eef4ff",
}
SHAPES = {"input": "box", "model": "box3d", "output": "box", "user": "ellipse", "training": "box",
          "evaluation": "box", "serving": "box", "fallback": "box", "monitoring": "box", "step": "box",
          "rollout": "box"}
KIND_WORD = {"input": "input", "model": "model", "output": "output", "user": "user", "training": "training",
             "evaluation": "evaluation", "serving": "serving", "fallback": "fallback", "monitoring": "monitoring",
             "step": "ladder step", "source": "source", "constraints": "operator", "rollout": "rollout"}


def _html(text: str) -> str:
    """Return ``text`` safe inside an HTML-like label (control characters shown as escapes)."""
    return html.escape(safe(text), quote=True).replace("&#x27;", "&#39;")


def _clip(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _label(el: Element) -> str:
    head = f'<B>{_html(_clip(el.title, 40))}</B>'
    body = "".join(f'<BR/><FONT POINT-SIZE="10">{_html(_clip(line))}</FONT>' for line in el.lines)
    return f"<{head}{body}>"


def _tooltip(el: Element, path: str) -> str:
    from graphviz import escape

    parts = [f"{KIND_WORD.get(el.kind, el.kind)} {el.title}", *el.lines, f"{path}:{el.span.line}"]
    if el.findings:
        parts.append("findings: " + ", ".join(sorted({d.rule for d in el.findings})))
    return "\\n".join(escape(safe(p)) for p in parts)


def _worst(el: Element):
    return max((d.severity for d in el.findings), key=lambda s: s.rank, default=None)


def _node(g, el: Element, path: str) -> None:
    attrs = {"tooltip": _tooltip(el, path), "id": el.id}
    if el.kind == "constraints":
        rows = "".join(f'<TR><TD ALIGN="LEFT">{_html(k)}</TD><TD ALIGN="LEFT">{_html(_clip(v, 60))}</TD></TR>'
                       for k, v in el.rows)
        attrs.update(shape="plaintext", label=f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" '
                                                f'CELLPADDING="3" BGCOLOR="#fafafa"><TR><TD COLSPAN="2">'
                                                f'<B>operating constraints</B></TD></TR>{rows}</TABLE>>')
    else:
        attrs.update(label=_label(el), shape=SOURCE_SHAPES.get(el.subkind, "box") if el.kind == "source"
                     else SHAPES.get(el.kind, "box"),
                     style="filled" + (",rounded" if el.kind in ("input", "training", "evaluation", "monitoring",
                                                                  "step", "serving") else "")
                     + (",dashed" if el.kind == "fallback" else ""),
                     fillcolor=FILL.get(el.kind, "#ffffff"))
        if el.emphasis:
            attrs.update(fillcolor="#ffe08a", penwidth="2.5", style="filled,rounded,bold")
    worst = _worst(el)
    if worst is not None:
        attrs.update(color=SEVERITY_COLOUR[worst], penwidth="3")
    g.node(el.id, **attrs)


def _legend(view: View) -> str | None:
    if not view.findings:
        return None
    rows = []
    for d in view.findings[:40]:
        colour = SEVERITY_COLOUR[d.severity]
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{colour}">{d.severity.value}</FONT></TD>'
                    f'<TD ALIGN="LEFT">{_html(d.code)} {_html(d.rule)}</TD><TD ALIGN="RIGHT">{d.span.line}</TD>'
                    f'<TD ALIGN="LEFT">{_html(_clip(d.message, 70))}</TD></TR>')
    more = len(view.findings) - 40
    if more > 0:
        rows.append(f'<TR><TD COLSPAN="4">… and {more} more</TD></TR>')
    return (f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="1" CELLPADDING="2" BGCOLOR="#ffffff">'
            f'<TR><TD COLSPAN="4"><B>findings ({len(view.findings)})</B></TD></TR>'
            f'<TR><TD ALIGN="LEFT"><I>severity</I></TD><TD ALIGN="LEFT"><I>rule</I></TD>'
            f'<TD ALIGN="RIGHT"><I>line</I></TD><TD ALIGN="LEFT"><I>message</I></TD></TR>{"".join(rows)}</TABLE>>')


def to_dot(view: View) -> str:
    """Return the DOT source of the system diagram."""
    from graphviz import Digraph, escape

    g = Digraph("dsspec", strict=False)
    g.attr("graph", rankdir="LR", fontname=FONT, fontsize="12", nodesep="0.35", ranksep="0.6",
           newrank="true", compound="true", label=f"<<B>{_html(view.title)}</B>>", labelloc="t",
           tooltip=escape(safe(f"{view.title} ({view.path})")), bgcolor="white", pad="0.3")
    g.attr("node", fontname=FONT, fontsize="12", margin="0.12,0.06")
    g.attr("edge", fontname=FONT, fontsize="10", color="#555555", arrowsize="0.7")
    grouped = {m for grp in view.groups for m in grp.members}
    columns = [("cluster_sources", "data sources", "source"), ("cluster_inputs", "inputs", "input")]
    for name, label, kind in columns:
        members = [e for e in view.elements.values() if e.kind == kind]
        if members:
            with g.subgraph(name=name) as c:
                c.attr(label=label, style="rounded,dashed", color="#9e9e9e", fontcolor="#616161")
                for el in members:
                    _node(c, el, view.path)
    for grp in view.groups:
        with g.subgraph(name=f"cluster_{grp.id}") as c:
            c.attr(label=grp.label, style="rounded", color="#bdbdbd", fontcolor="#616161")
            for m in grp.members:
                _node(c, view.elements[m], view.path)
    for el in view.elements.values():
        if el.kind not in ("source", "input") and el.id not in grouped:
            _node(g, el, view.path)
    for edge in view.edges:
        attrs = {"style": edge.style}
        if edge.label:
            attrs["label"] = edge.label
        if edge.style == "invis":
            attrs["constraint"] = "true"
        g.edge(edge.tail, edge.head, **attrs)
    legend = _legend(view)
    if legend:
        g.node("findings_legend", label=legend, shape="plaintext", tooltip="findings of dsspec check")
        anchor = "constraints" if "constraints" in view.elements else next(iter(view.elements), None)
        if anchor:
            g.edge(anchor, "findings_legend", style="invis")
    return g.source
