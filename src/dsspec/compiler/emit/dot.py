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

import re

import html

from dsspec.base.diagnostics import Severity
from dsspec.base.paths import portable
from dsspec.compiler.emit.view import VIEW_TITLES, Element, View
from dsspec.compiler.report.common import safe

FONT = "Arimo"
SEVERITY_COLOUR = {Severity.ERROR: "#b2182b", Severity.WARNING: "#e69f00", Severity.INFO: "#0072b2"}
"""Outlines and badges: dark red, orange and blue differ in lightness under every colour-vision deficiency
(not red against orange, which turn the same olive); the outline's dash and the badge's words carry the
severity too, so no reader depends on the colour."""
SEVERITY_INK = {Severity.ERROR: "#ffffff", Severity.WARNING: "#000000", Severity.INFO: "#ffffff"}
"""Badge text on the severity colour: each pair at least 4.5:1 contrast."""
SEVERITY_DASH = {Severity.ERROR: "solid", Severity.WARNING: "dashed", Severity.INFO: "dotted"}
LANE = {"training": "#0072b2", "maturing": "#56b4e9", "gap": "#e6e6e6", "evaluation": "#009e73",
        "shadow": "#e7c4da", "canary": "#cc79a7", "experiment": "#9e4f86", "retraining": "#555555"}
"""Timeline phases (Okabe-Ito hues: distinguishable with any colour vision; each row is named too)."""
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
    if not el.findings:
        return f"<{head}{body}>"
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD>{head}{body}</TD></TR>'
            f'<TR><TD>{badges(el)}</TD></TR></TABLE>>')


def badges(el: Element, limit: int = 3) -> str:
    """Return the findings of ``el`` as badges: one per severity, the severity in words and the rules' codes
    (``warning DS160 DS510``) on its colour, so several findings keep the box narrow."""
    seen: dict[str, Severity] = {}
    for d in sorted(el.findings, key=lambda d: (-d.severity.rank, d.code)):
        seen.setdefault(d.code, d.severity)
    by_severity: dict[Severity, list[str]] = {}
    for code, sev in seen.items():
        by_severity.setdefault(sev, []).append(code)
    cells = []
    for sev, codes in by_severity.items():
        shown = " ".join(codes[:limit]) + (f" +{len(codes) - limit}" if len(codes) > limit else "")
        cells.append(_badge(sev, shown))
    return f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="1"><TR>{"".join(cells)}</TR></TABLE>'


def _badge(severity: Severity, code: str) -> str:
    return (f'<TD BGCOLOR="{SEVERITY_COLOUR[severity]}"><FONT POINT-SIZE="10" COLOR="{SEVERITY_INK[severity]}">'
            f'{_html(severity.value)} {_html(code)}</FONT></TD>')


def _title_lines(title: str) -> list[str]:
    from dsspec.compiler.emit.words import wrap

    return wrap(title, 28)


def _panel(el: Element) -> str:
    width = len(el.head) or 2
    head = "".join(f'<TD ALIGN="LEFT"><I>{_html(h)}</I></TD>' for h in el.head) if any(el.head) else ""
    rows = []
    for i, row in enumerate(el.rows):
        colour = f' BGCOLOR="{CHOSEN}"' if i in el.marked else ""
        cells = "".join(f'<TD ALIGN="LEFT"{colour}>{"<B>" + _html(_clip(c)) + "</B>" if i in el.marked else _html(_clip(c))}'
                        f'</TD>' for c in row)
        rows.append(f"<TR>{cells}</TR>")
    marks = f'<TR><TD COLSPAN="{width}" ALIGN="LEFT">{badges(el)}</TD></TR>' if el.findings else ""
    return (f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" BGCOLOR="#fafafa">'
            f'<TR><TD COLSPAN="{width}"><B>{_html(el.title)}</B></TD></TR>'
            + (f"<TR>{head}</TR>" if head else "") + "".join(rows) + marks + "</TABLE>>")


LANE_WIDTHS = (110, 540, 250)
"""Points: the phase names, the axis, the notes (every lane alike, so the axes line up)."""


def _lane(el: Element) -> str:
    """Return a timeline lane as a table: a column per stretch of days, each phase's days filled."""
    import datetime as dt

    from dsspec.compiler.emit.timeline import MARKS, shift
    from dsspec.compiler.emit.words import wrap

    first, unit, cols = dt.date.fromisoformat(el.head[0]), int(el.head[1]), int(el.head[2])
    name_w, axis_w, note_w = LANE_WIDTHS
    cell = max(6, axis_w // cols)
    starts = [shift(first, unit * i) for i in range(cols)]   # within the calendar: the axis ends by its last day
    months: list[list] = []
    every = -(-28 // cell) if unit > 365 else 1   # columns of several years: a year named every few columns
    for i, day in enumerate(starts):
        key = starts[i - i % every].year if unit >= 30 else (day.year, day.month)
        if months and months[-1][0] == key:
            months[-1][1] += 1
        else:
            months.append([key, 1])
    axis = []
    for key, span in months:
        room = span * cell
        if isinstance(key, int):
            text = str(key) if room >= 28 else ""
        else:   # the month, with its year where a year starts (or the axis does); nothing where it cannot fit
            day = dt.date(key[0], key[1], 1)
            new_year = day.month == 1 or key == months[0][0]
            text = (day.strftime("%b %Y") if room >= 48 and new_year else day.strftime("%b") if room >= 20
                    else str(day.year) if new_year and room >= 26 else "")
        axis.append(f'<TD COLSPAN="{span}" FIXEDSIZE="TRUE" WIDTH="{span * cell}" HEIGHT="16" SIDES="L">'
                    + (f'<FONT POINT-SIZE="10">{_html(text)}</FONT>' if text else "") + '</TD>')
    severity = worst(el)
    rows = []
    for i, (phase, a, b, note, style) in enumerate(el.rows):
        a, b = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
        found = [d for d in el.findings if d.rule == MARKS.get(style)] if i in el.marked else []
        flagged = bool(found)
        colour = (SEVERITY_COLOUR[max((d.severity for d in found), key=lambda s: s.rank)] if flagged
                  else LANE.get(style, "#bbbbbb"))
        cells = []
        for day in starts:
            end = shift(day, unit - 1)
            on = a <= end and day <= b
            if style == "retraining" and on:
                every = max(1, (b - a).days // 3)   # the row spans three cadences: a run at each end
                on = any(day <= shift(a, k * every) <= end for k in range(4))
            fill = f' BGCOLOR="{colour}"' if on else ""
            cells.append(f'<TD FIXEDSIZE="TRUE" WIDTH="{cell}" HEIGHT="16"{fill}></TD>')
        words_ = wrap(note + (" — " + ", ".join(sorted({f"{d.severity.value} {d.code}" for d in found}))
                              if flagged else ""), 46)
        text = "<BR/>".join(_html(w) for w in words_)
        label = f"<B>{_html(phase)}</B>" if flagged else _html(phase)
        rows.append(f'<TR><TD ALIGN="LEFT" WIDTH="{name_w}"><FONT POINT-SIZE="10">{label}</FONT></TD>'
                    + "".join(cells) +
                    f'<TD ALIGN="LEFT" BALIGN="LEFT" WIDTH="{note_w}"><FONT POINT-SIZE="10">{text}</FONT></TD></TR>')
    title = f"<B>{_html(el.title)}</B>"
    marks = f'<TR><TD COLSPAN="{cols + 2}" ALIGN="LEFT">{badges(el)}</TD></TR>' if el.findings else ""
    return (f'<<TABLE BORDER="1" COLOR="{SEVERITY_COLOUR[severity] if severity else "#9e9e9e"}" CELLBORDER="0" '
            f'CELLSPACING="0" CELLPADDING="2" BGCOLOR="#ffffff">'
            f'<TR><TD ALIGN="LEFT" WIDTH="{name_w}">{title}</TD>{"".join(axis)}<TD WIDTH="{note_w}"></TD></TR>'
            + "".join(rows) + marks + "</TABLE>>")


_EMPTY_FORMAT = re.compile(r"<(B|I|U|O|S|SUB|SUP)>\s*</\1>|<FONT\b[^<>]*>\s*</FONT>")


def tidy(label: str) -> str:
    """Return the HTML-like ``label`` without formatting elements around nothing: Graphviz refuses ``<B></B>``,
    ``<I></I>`` or an empty ``<FONT>`` as a syntax error, and a design may give an empty text (``title ""``)."""
    while True:
        cut = _EMPTY_FORMAT.sub("", label)
        if cut == label:
            return label
        label = cut


def _tidied(g):
    """Return ``g`` with every HTML-like label it is given tidied (``tidy``): nodes and the graph's title."""
    node, attr = g.node, g.attr

    def tidy_label(attrs: dict) -> dict:
        label = attrs.get("label")
        if isinstance(label, str) and label.startswith("<") and label.endswith(">"):
            attrs["label"] = tidy(label)
        return attrs

    g.node = lambda name, label=None, _attributes=None, **attrs: node(
        name, **tidy_label({"label": label, **attrs} if label is not None else attrs), _attributes=_attributes)
    g.attr = lambda kw=None, _attributes=None, **attrs: attr(kw, _attributes=_attributes, **tidy_label(attrs))
    return g


def _tooltip(el: Element, path: str) -> str:
    from graphviz import escape

    kind = KIND_WORD.get(el.kind, el.kind)
    said = el.title if el.title.split(" ", 1)[0] == kind.split(" ")[-1] else f"{kind} {el.title}"
    parts = [said.strip(), *el.lines,
             *(" · ".join(r) for r in el.rows), f"{path}:{el.span.line}"]
    if el.findings:
        parts.append("findings: " + ", ".join(sorted({f"{d.severity.value} {d.code} {d.rule}" for d in el.findings})))
    return "\\n".join(escape(safe(p)) for p in parts)


def worst(el: Element) -> Severity | None:
    """Return the most severe finding's severity on ``el``, if any."""
    return max((d.severity for d in el.findings), key=lambda s: s.rank, default=None)


def _iconic(el: Element, image: str) -> str:
    """Return the label of an element drawn as an icon over its text, bordered when it has findings."""
    severity = worst(el)
    border = (f' BORDER="3" COLOR="{SEVERITY_COLOUR[severity]}"' if severity else ' BORDER="0"')
    fill = f' BGCOLOR="{CHOSEN}"' if el.emphasis else ""
    head = "<BR/>".join(f"<B>{_html(t)}</B>" for t in _title_lines(el.title))
    text = head + "".join(f'<BR/><FONT POINT-SIZE="10">{_html(line)}</FONT>' for line in el.lines)
    marks = f"<TR><TD>{badges(el)}</TD></TR>" if el.findings else ""
    return (f'<<TABLE{border}{fill} CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" STYLE="ROUNDED">'
            f'<TR><TD FIXEDSIZE="TRUE" WIDTH="48" HEIGHT="48"><IMG SRC="{_html(image)}" SCALE="TRUE"/></TD></TR>'
            f'<TR><TD>{text}</TD></TR>{marks}</TABLE>>')


def _node(g, el: Element, path: str, icon=None) -> None:
    attrs = {"tooltip": _tooltip(el, path), "id": el.id}
    image = icon(el) if icon and not el.panel else None
    if image:
        attrs.update(shape="plaintext", label=_iconic(el, image), margin="0")
        g.node(el.id, **attrs)
        return
    if el.kind == "timeline":
        attrs.update(shape="plaintext", label=_lane(el), margin="0")
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
    if severity is not None:   # the outline's colour and dash; the chosen fill and bold weight stay
        attrs.update(color=SEVERITY_COLOUR[severity], penwidth="3")
        if el.panel:   # a plaintext node has no outline: draw one
            attrs.update(shape="box", style="rounded", margin="0.05")
        dash = SEVERITY_DASH[severity]
        if dash != "solid":
            attrs["style"] = ",".join([x for x in attrs.get("style", "").split(",") if x and x != "dashed"] + [dash])
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
        badge = _badge(severity, found[0].code).replace("<TD ", '<TR><TD ALIGN="LEFT" ', 1)
        rows.append(f'{badge}<TD ALIGN="LEFT">{_html(rule + times)}</TD>'
                    f'<TD ALIGN="RIGHT">{found[0].span.line}</TD></TR>')
    more = len(grouped) - 30
    if more > 0:
        rows.append(f'<TR><TD COLSPAN="3">… and {more} more rules</TD></TR>')
    return (f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" BGCOLOR="#ffffff">'
            f'<TR><TD COLSPAN="3"><B>findings ({len(view.findings)})</B></TD></TR>'
            f'<TR><TD ALIGN="LEFT"><I>finding</I></TD><TD ALIGN="LEFT"><I>rule</I></TD>'
            f'<TD ALIGN="RIGHT"><I>line</I></TD></TR>{"".join(rows)}</TABLE>>')


MAIN = ("request", "source", "input", "model", "output", "user")
"""Kinds on the main flow (sources, inputs, model, output, user): laid out as the straightest, central path,
with training, evaluation, serving, monitoring, rollout and the fallback beside it."""


def _spine(view: View) -> set[str]:
    """Return the ids on the main flow; the chain from the first model to its user is one column (``group``)."""
    return {e.id for e in view.elements.values() if e.kind in MAIN}


def _columns(view: View) -> list[list[str]]:
    """Return, for each model that writes an output a user gets, the chain model -> output -> user."""
    out = []
    heads = {}
    for e in view.edges:
        heads.setdefault(e.tail, []).append(e.head)
    for el in view.elements.values():
        if el.kind != "model":
            continue
        outputs = [h for h in heads.get(el.id, []) if view.elements[h].kind == "output"]
        for o in outputs[:1]:
            users = [h for h in heads.get(o, []) if view.elements[h].kind == "user"]
            out.append([el.id, o, *users[:1]])
    seen: set[str] = set()
    return [c for c in out if not (seen & set(c)) and not seen.update(c)]


SUPPORT = ("serving", "monitoring", "rollout", "evaluation")
"""Supporting boxes drawn in one column beside their model, in this order, rather than in a row under it."""


def _stack_chains(view: View) -> list[list[str]]:
    """Return, per model with two or more supporting boxes, the model followed by them (a column)."""
    out = []
    for el in view.elements.values():
        if el.kind != "model":
            continue
        heads = [e.head for e in view.edges if e.tail == el.id and view.elements[e.head].kind in SUPPORT]
        heads.sort(key=lambda h: SUPPORT.index(view.elements[h].kind))
        if len(heads) >= 2:
            out.append([el.id, *dict.fromkeys(heads)])
    return out


def _stacks(view: View) -> set[tuple[str, str]]:
    return {(c[0], h) for c in _stack_chains(view) for h in c[1:]}


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

    g = _tidied(Digraph("dsspec", strict=False))
    from dsspec.compiler.emit.words import wrap

    title = "<BR/>".join(f"<B>{_html(t)}</B>" for t in wrap(heading(view), 70)) + "".join(
        f'<BR/><FONT POINT-SIZE="10">{_html(t)}</FONT>' for t in (wrap(view.note, 90) if view.note else []))
    g.attr("graph", rankdir=direction, fontname=FONT, fontsize="14", nodesep="0.15", ranksep="0.45",
           newrank="true", label=f"<{title}>", labelloc="t", tooltip=escape(safe(f"{view.title} ({portable(view.path)})")),
           bgcolor="white", pad="0.2", **({"ratio": f"{ratio:g}"} if ratio else {}))
    g.attr("node", fontname=FONT, fontsize="12", margin="0.14,0.07")
    g.attr("edge", fontname=FONT, fontsize="10", color="#555555", fontcolor="#444444", arrowsize="0.7")
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
    for chain in _columns(view):   # one column per model's chain to its user: the edges along it stay straight
        for m in chain:
            g.node(m, group=chain[0])
    for i, row in enumerate(view.beside):
        if len(row) > 1:
            with g.subgraph(name=f"beside_{i}") as c:
                c.attr(rank="same")
                for a, b in zip(row, row[1:]):
                    c.node(a)
                    c.edge(a, b, style="invis")
                c.node(row[-1])
    spine = _spine(view)
    stacked = _stacks(view)
    for edge in view.edges:
        attrs = {"style": edge.style}
        if edge.style == "bold":   # an untrusted-to-side-effect path: heavy, labelled, and red
            attrs.update(penwidth="2.5", color=UNTRUSTED_COLOUR, fontcolor=UNTRUSTED_COLOUR)
        if edge.tail in spine and edge.head in spine:   # the main flow: short and straight
            attrs["weight"] = "10"
        elif edge.style != "invis":
            attrs["weight"] = "1"
        if (edge.tail, edge.head) in stacked:   # a supporting box: placed by its column, not by this edge
            attrs["constraint"] = "false"
        if edge.label:
            attrs["label"] = edge.label
        if not edge.constraint:
            attrs["constraint"] = "false"
        g.edge(edge.tail, edge.head, **attrs)
    for chain in _stack_chains(view):   # supporting boxes of a model stacked in a column beside the main flow
        for a, b in zip(chain, chain[1:]):
            g.edge(a, b, style="invis", weight="2")
    legend = _legend(view)
    if legend:
        g.node("findings_legend", label=legend, shape="plaintext", margin="0", tooltip="findings of dsspec check")
        bottom = ([e.id for e in view.elements.values() if e.kind == "output"] or
                  [e.id for e in view.elements.values() if e.kind in ("step", "user")] or list(view.elements))
        models = sum(e.kind == "model" for e in view.elements.values())
        if bottom and (view.name == "timeline" or models > 1):   # under the drawing: beside it, too wide a page
            g.edge(bottom[-1], "findings_legend", style="invis")
        else:
            with g.subgraph(name="legend_rank") as c:   # beside the lowest row: a tall legend stretches no rank
                c.attr(rank="same")
                c.node(bottom[-1]) if bottom else None
                c.node("findings_legend")
    return g.source
