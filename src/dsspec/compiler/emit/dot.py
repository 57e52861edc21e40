"""A view as Graphviz DOT, built with the ``graphviz`` package.

Every string from a spec reaches DOT only through ``graphviz``'s quoting, and
HTML-like labels only through ``_html``, so no title can add a node or an
edge. Output is deterministic: ids come from declared names, elements are
emitted in declaration order, and no timestamp or random id is written.

The layout reads top to bottom by default (``direction``): a page is taller
than wide. Panels (constraints, ladder, goals) are tables placed on the rank
of the element they describe (``View.beside``); text is wrapped by the view,
and every shape is one that holds its label inside its box.
"""

from __future__ import annotations

import html

from dsspec.base.diagnostics import Severity
from dsspec.base.paths import portable
from dsspec.compiler.emit.view import VIEW_TITLES, Element, View
from dsspec.compiler.report.common import safe

FONT = "Arimo"
SEVERITY_COLOUR = {Severity.ERROR: "#c62828", Severity.WARNING: "#e07b00", Severity.INFO: "#1565c0"}
SOURCE_SHAPES = {"table": "cylinder", "files": "folder", "labels": "note", "api": "component", "index": "cylinder"}
FILL = {
    "source": "#e8f1fb", "input": "#eef7ee", "model": "#fff4d6", "output": "#f3ecfa", "user": "#fdecef",
    "training": "#f4f4f4", "evaluation": "#f4f4f4", "serving": "#fff9ec", "fallback": "#ffffff",
    "monitoring": "#f4f4f4", "step": "#ffffff", "product": "#fff4d6", "rollout": "#eef4ff", "tool": "#fbe9e7",
}
UNTRUSTED_COLOUR = "#b71c1c"
SHAPES = {"model": "box3d", "user": "ellipse", "product": "box3d"}
ROUNDED = {"input", "training", "evaluation", "monitoring", "step", "serving", "output", "rollout"}
CHOSEN = "#ffe08a"
KIND_WORD = {"step": "ladder step", "constraints": "", "levels": "", "goals": "", "ladder": ""}   # panels: the title says


def _html(text: str) -> str:
    """Return ``text`` safe inside an HTML-like label (control characters shown as escapes)."""
    return html.escape(safe(text), quote=True).replace("&#x27;", "&#39;")


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _label(el: Element) -> str:
    head = "<BR/>".join(f"<B>{_html(t)}</B>" for t in _title_lines(el.title))
    body = "".join(f'<BR/><FONT POINT-SIZE="10">{_html(line)}</FONT>' for line in el.lines)
    return f"<{head}{body}>"


def _title_lines(title: str) -> list[str]:
    from dsspec.compiler.emit.words import wrap

    return wrap(title, 28)


def _panel(el: Element) -> str:
    width = len(el.head) or 2
    head = "".join(f'<TD ALIGN="LEFT"><I>{_html(h)}</I></TD>' for h in el.head) if any(el.head) else ""
    rows = []
    for i, row in enumerate(el.rows):
        colour = f' BGCOLOR="{CHOSEN}"' if i in el.marked else ""
        cells = "".join(f'<TD ALIGN="LEFT"{colour}>{_bold(_html(_clip(c))) if i in el.marked else _html(_clip(c))}'
                        f'</TD>' for c in row)
        rows.append(f"<TR>{cells}</TR>")
    return (f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" BGCOLOR="#fafafa">'
            f'<TR><TD COLSPAN="{width}"><B>{_html(el.title)}</B></TD></TR>'
            + (f"<TR>{head}</TR>" if head else "") + "".join(rows) + "</TABLE>>")


def _bold(text: str) -> str:
    return f"<B>{text}</B>" if text else ""   # an empty <B></B> is a syntax error to Graphviz


def _tooltip(el: Element, path: str) -> str:
    from graphviz import escape

    parts = [f"{KIND_WORD.get(el.kind, el.kind)} {el.title}".strip(), *el.lines,
             *(" · ".join(r) for r in el.rows), f"{path}:{el.span.line}"]
    if el.findings:
        parts.append("findings: " + ", ".join(sorted({d.rule for d in el.findings})))
    return "\\n".join(escape(safe(p)) for p in parts)


def worst(el: Element) -> Severity | None:
    """Return the most severe finding's severity on ``el``, if any."""
    return max((d.severity for d in el.findings), key=lambda s: s.rank, default=None)


def _iconic(el: Element, image: str) -> str:
    """Return the label of an element drawn as an icon over its text, bordered when it has findings."""
    severity = worst(el)
    border = (f' BORDER="3" COLOR="{SEVERITY_COLOUR[severity]}"' if severity else ' BORDER="0"')
    fill = f' BGCOLOR="{CHOSEN}"' if el.emphasis else ""
    text = _label(el)[1:-1]
    return (f'<<TABLE{border}{fill} CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" STYLE="ROUNDED">'
            f'<TR><TD FIXEDSIZE="TRUE" WIDTH="48" HEIGHT="48"><IMG SRC="{_html(image)}" SCALE="TRUE"/></TD></TR>'
            f'<TR><TD>{text}</TD></TR></TABLE>>')


def _node(g, el: Element, path: str, icon=None) -> None:
    attrs = {"tooltip": _tooltip(el, path), "id": el.id}
    image = icon(el) if icon and not el.panel else None
    if image:
        attrs.update(shape="plaintext", label=_iconic(el, image), margin="0")
        g.node(el.id, **attrs)
        return
    if el.panel:
        attrs.update(shape="plaintext", label=_panel(el), margin="0")
    else:
        style = ["filled"] + (["rounded"] if el.kind in ROUNDED else []) + (["dashed"] if el.kind == "fallback"
                                                                            else [])
        shape = SOURCE_SHAPES.get(el.subkind, "box") if el.kind == "source" else SHAPES.get(el.kind, "box")
        attrs.update(label=_label(el), shape=shape, style=",".join(style), fillcolor=FILL.get(el.kind, "#ffffff"))
        if el.kind == "source" and el.subkind == "stream" or el.kind == "tool" and el.subkind not in ("read", ""):
            attrs.update(peripheries="2")
        if el.subkind == "stakeholder":   # receives documents, not outputs
            attrs.update(style="dashed,filled")
        if el.emphasis:
            attrs.update(fillcolor=CHOSEN, penwidth="2.5", style="filled,rounded,bold")
        if el.risk:   # corner marks and a heavy outline, besides the colour: readable in grey
            attrs.update(style=attrs["style"] + (",diagonals" if el.risk == "untrusted" else ",bold"),
                         color=UNTRUSTED_COLOUR, penwidth="2")
    severity = worst(el)
    if severity is not None:
        attrs.update(color=SEVERITY_COLOUR[severity], penwidth="3")
        if el.panel:   # a plaintext node has no outline: draw one
            attrs.update(shape="box", style="rounded", margin="0.05")
    g.node(el.id, **attrs)


def _legend(view: View) -> str | None:
    """Return the findings table: one row per severity and rule, with how often and the first line."""
    if not view.findings:
        return None
    grouped: dict[tuple, list] = {}
    for d in view.findings:
        grouped.setdefault((d.severity, d.rule), []).append(d)
    rows = []
    for (severity, rule), found in list(grouped.items())[:30]:
        times = f" (×{len(found)})" if len(found) > 1 else ""
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{SEVERITY_COLOUR[severity]}">{severity.value}</FONT></TD>'
                    f'<TD ALIGN="LEFT">{_html(rule + times)}</TD><TD ALIGN="RIGHT">{found[0].span.line}</TD></TR>')
    more = len(grouped) - 30
    if more > 0:
        rows.append(f'<TR><TD COLSPAN="3">… and {more} more rules</TD></TR>')
    return (f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" BGCOLOR="#ffffff">'
            f'<TR><TD COLSPAN="3"><B>findings ({len(view.findings)})</B></TD></TR>'
            f'<TR><TD ALIGN="LEFT"><I>severity</I></TD><TD ALIGN="LEFT"><I>rule</I></TD>'
            f'<TD ALIGN="RIGHT"><I>line</I></TD></TR>{"".join(rows)}</TABLE>>')


def heading(view: View) -> str:
    """Return the diagram's title line: the product and the view."""
    return f"{view.title}: {VIEW_TITLES.get(view.name, view.name)}"


def to_dot(view: View, direction: str = "TB", ratio: float | None = None, icon=None, cluster_fill: str = "") -> str:
    """Return the DOT source of ``view``, laid out ``TB`` (top to bottom) or ``LR``.

    ``ratio`` (height over width) widens a drawing that is too tall, or heightens
    one too wide, by spreading it out. ``icon(element)`` may return an image
    path to draw the element as an icon over its text (the icon backend);
    panels stay tables.
    """
    from graphviz import Digraph, escape

    g = Digraph("dsspec", strict=False)
    from dsspec.compiler.emit.words import wrap

    title = "<BR/>".join(f"<B>{_html(t)}</B>" for t in wrap(heading(view), 70)) + "".join(
        f'<BR/><FONT POINT-SIZE="10">{_html(t)}</FONT>' for t in (wrap(view.note, 90) if view.note else []))
    g.attr("graph", rankdir=direction, fontname=FONT, fontsize="14", nodesep="0.3", ranksep="0.45",
           newrank="true", label=f"<{title}>", labelloc="t", tooltip=escape(safe(f"{view.title} ({portable(view.path)})")),
           bgcolor="white", pad="0.2", **({"ratio": f"{ratio:g}"} if ratio else {}))
    g.attr("node", fontname=FONT, fontsize="12", margin="0.14,0.07")
    g.attr("edge", fontname=FONT, fontsize="9", color="#555555", fontcolor="#444444", arrowsize="0.7")
    grouped = {m for grp in view.groups for m in grp.members}
    for grp in view.groups:
        with g.subgraph(name=f"cluster_{grp.id}") as c:
            c.attr(label=grp.label, style="rounded,dashed" + (",filled" if cluster_fill else ""), color="#9e9e9e",
                   fontcolor="#616161", fontsize="11", **({"fillcolor": cluster_fill} if cluster_fill else {}))
            for m in grp.members:
                _node(c, view.elements[m], portable(view.path), icon)
    for el in view.elements.values():
        if el.id not in grouped:
            _node(g, el, portable(view.path), icon)
    for i, row in enumerate(view.beside):
        if len(row) > 1:
            with g.subgraph(name=f"beside_{i}") as c:
                c.attr(rank="same")
                for a, b in zip(row, row[1:]):
                    c.node(a)
                    c.edge(a, b, style="invis")
                c.node(row[-1])
    for edge in view.edges:
        attrs = {"style": edge.style}
        if edge.style == "bold":   # an untrusted-to-side-effect path: heavy, labelled, and red
            attrs.update(penwidth="2.5", color=UNTRUSTED_COLOUR, fontcolor=UNTRUSTED_COLOUR)
        if edge.label:
            attrs["label"] = edge.label
        if not edge.constraint:
            attrs["constraint"] = "false"
        g.edge(edge.tail, edge.head, **attrs)
    legend = _legend(view)
    if legend:
        g.node("findings_legend", label=legend, shape="plaintext", margin="0", tooltip="findings of dsspec check")
        bottom = ([e.id for e in view.elements.values() if e.kind == "output"] or
                  [e.id for e in view.elements.values() if e.kind in ("step", "user")] or list(view.elements))
        with g.subgraph(name="legend_rank") as c:   # beside the lowest row: a tall legend stretches no rank above
            c.attr(rank="same")
            c.node(bottom[-1]) if bottom else None
            c.node("findings_legend")
    return g.source
