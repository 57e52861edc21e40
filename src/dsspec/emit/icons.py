"""The system view drawn with the ``diagrams`` package's icons (``--backend diagrams``).

``diagrams`` builds DOT through the ``graphviz`` package and normally renders
with the system ``dot`` on leaving its context; here the DOT is taken before
that and laid out by the same renderer as the default backend. Two of its
habits are fixed on our side: node ids come from declared names (it draws
random uuid4 ids, so its output changes on every run), and icon paths are
written relative to the package's resource folder (it writes absolute paths,
which differ per machine) and resolved with ``imagepath`` at render time. The
SVG embeds each icon as a data URI, so it is self-contained.
"""

from __future__ import annotations

import base64
import os
import re

from dsspec.emit.dot import SEVERITY_COLOUR
from dsspec.emit.view import View
from dsspec.report.common import safe


class IconError(Exception):
    """The ``diagrams`` package or the renderer is missing, or failed."""


ICONS = {
    ("source", "stream"): ("diagrams.onprem.queue", "Kafka"),
    ("source", "table"): ("diagrams.programming.flowchart", "Database"),
    ("source", "files"): ("diagrams.generic.storage", "Storage"),
    ("source", "api"): ("diagrams.onprem.compute", "Server"),
    ("source", "labels"): ("diagrams.programming.flowchart", "MultipleDocuments"),
    ("source", ""): ("diagrams.programming.flowchart", "StoredData"),
    ("input", ""): ("diagrams.programming.flowchart", "InputOutput"),
    ("model", ""): ("diagrams.programming.flowchart", "PredefinedProcess"),
    ("output", ""): ("diagrams.programming.flowchart", "Display"),
    ("user", ""): ("diagrams.onprem.client", "Users"),
    ("training", ""): ("diagrams.programming.flowchart", "ManualLoop"),
    ("evaluation", ""): ("diagrams.programming.flowchart", "Inspection"),
    ("serving", ""): ("diagrams.onprem.compute", "Server"),
    ("fallback", ""): ("diagrams.programming.flowchart", "Decision"),
    ("monitoring", ""): ("diagrams.onprem.monitoring", "Grafana"),
    ("step", ""): ("diagrams.programming.flowchart", "Action"),
    ("rollout", ""): ("diagrams.programming.flowchart", "Merge"),
}


def _resources() -> str:
    import diagrams

    return os.path.dirname(os.path.dirname(os.path.abspath(diagrams.__file__)))


def _icon_class(kind: str, subkind: str):
    import importlib

    module, name = ICONS.get((kind, subkind)) or ICONS[(kind, "")]
    return getattr(importlib.import_module(module), name)


def to_dot(view: View) -> str:
    """Return the icon diagram's DOT, with deterministic ids and relative icon paths."""
    try:
        import diagrams
        from diagrams import Cluster, Diagram, Edge, Node
    except ImportError:
        raise IconError("the `diagrams` package is not installed; pip install 'dsspec[icons]'") from None
    from graphviz import escape

    diagram = Diagram(escape(safe(view.title)), show=False, direction="LR", outformat="svg", filename="dsspec",
                      graph_attr={"fontname": "Arimo", "fontsize": "14", "pad": "0.3"},
                      node_attr={"fontname": "Arimo", "fontsize": "11"}, edge_attr={"fontname": "Arimo"})
    diagrams.setdiagram(diagram)
    try:
        nodes = {}
        grouped = {m: g for g in view.groups for m in g.members}
        clusters = [("data sources", [e for e in view.elements.values() if e.kind == "source"]),
                    ("inputs", [e for e in view.elements.values() if e.kind == "input"])]
        clusters += [(g.label, [view.elements[m] for m in g.members]) for g in view.groups]
        placed = set()
        for label, members in clusters:
            if not members:
                continue
            with Cluster(label):
                for el in members:
                    nodes[el.id] = _node(el, Node)
                    placed.add(el.id)
        for el in view.elements.values():
            if el.id in placed or el.id in grouped:
                continue
            nodes[el.id] = _node(el, Node)
        for edge in view.edges:
            if edge.tail in nodes and edge.head in nodes and edge.style != "invis":
                nodes[edge.tail] >> Edge(label=edge.label, style=edge.style) >> nodes[edge.head]
        source = diagram.dot.source
    finally:
        diagrams.setdiagram(None)
    root = re.escape(_resources() + os.sep)
    return re.sub(r'image="' + root, 'image="', source)


def _node(el, Node):
    from graphviz import escape

    lines = [el.title, *el.lines[:3]]
    if el.kind == "constraints":
        lines = [el.title] + [f"{k}: {v}" for k, v in el.rows]
    attrs = {}
    if el.findings:
        worst = max(el.findings, key=lambda d: d.severity.rank).severity
        lines.append("! " + ", ".join(sorted({d.rule for d in el.findings})))
        attrs["fontcolor"] = SEVERITY_COLOUR[worst]
    label = escape("\n".join(safe(line) for line in lines))
    if el.kind == "constraints":
        return Node(label, nodeid=el.id, shape="note", style="filled", fillcolor="#fafafa", height="1.5",
                    width="3", labelloc="c", **attrs)
    cls = _icon_class(el.kind, el.subkind)
    return cls(label, nodeid=el.id, **attrs)


def _embed_icons(svg: bytes) -> bytes:
    root = _resources()

    def inline(m: re.Match) -> bytes:
        href = m.group(2).decode("utf-8")
        path = href if os.path.isabs(href) else os.path.join(root, href)
        try:
            with open(path, "rb") as fh:
                data = base64.b64encode(fh.read())
        except OSError:
            return m.group(0)
        return m.group(1) + b"data:image/png;base64," + data + b'"'

    return re.sub(rb'((?:xlink:)?href=")([^"#][^"]*\.png)"', inline, svg)


def draw(view: View, pictures: list[str], renderer: str) -> tuple[str, dict[str, bytes]]:
    """Return the icon diagram's DOT and its drawings in ``pictures`` (svg, png)."""
    import subprocess

    from dsspec.emit.render import RenderError, TIMEOUT_S, check_available

    source = to_dot(view)
    drawn: dict[str, bytes] = {}
    for fmt in pictures:
        if renderer == "graphviz-pure" and fmt != "svg":
            raise IconError(f"graphviz-pure leaves the icons out of {fmt} drawings; use `--renderer dot` for an "
                            f"icon {fmt} (the icon svg works with either renderer)")
        try:
            program = check_available(renderer, {fmt})
        except RenderError as err:
            raise IconError(str(err)) from None
        proc = subprocess.run([program, f"-T{fmt}", f"-Gimagepath={_resources()}"], input=source.encode("utf-8"),
                              capture_output=True, timeout=TIMEOUT_S, cwd=_resources())
        if proc.returncode != 0 or not proc.stdout:
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise IconError(f"`{renderer}` failed on the icon diagram: {tail[-1] if tail else proc.returncode}")
        drawn[fmt] = _embed_icons(proc.stdout) if fmt == "svg" else proc.stdout
    return source, drawn
