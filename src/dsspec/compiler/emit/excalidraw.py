"""The system view as an Excalidraw scene (``build --format excalidraw``), so a team can keep sketching.

The scene is drawn from the same Graphviz layout as the SVG: the layout's
JSON (``-Tjson``) carries every drawing operation (xdot: polygons, ellipses,
Bézier curves, text with its font size and colours), and each becomes an
Excalidraw element at the same place — shapes as rectangles, ellipses or
closed lines, edges as arrows, labels as text — so the scene looks like the
SVG. Each node's and cluster's elements share a group, so they move
together. Ids and seeds are derived from the layout's names, never random,
and nothing carries a time: the scene is byte-identical on every run.
"""

from __future__ import annotations

import hashlib
import json
import re

SOURCE = "https://github.com/dsspec/dsspec"
FONT_FAMILY = 2   # Excalidraw's Helvetica: the plain sans-serif nearest the SVG's
ASCENT = 0.9      # of the font size: from a text's baseline (Graphviz) to its top (Excalidraw)
STEPS = 6         # points sampled per Bézier segment


class Scene:
    def __init__(self, layout: dict):
        x0, y0, x1, y1 = (float(v) for v in layout["bb"].split(","))
        self.x0, self.y1 = x0, y1
        self.elements: list[dict] = []
        self.count: dict[str, int] = {}

    # -- coordinates: Graphviz's y grows upwards, Excalidraw's downwards ----------------------------------
    def pt(self, x: float, y: float) -> tuple[float, float]:
        return round(x - self.x0, 2), round(self.y1 - y, 2)

    def new_id(self, owner: str) -> str:
        self.count[owner] = self.count.get(owner, 0) + 1
        return f"{re.sub(r'[^A-Za-z0-9_-]', '_', owner)}-{self.count[owner]}"

    def base(self, kind: str, owner: str, group: str | None, x: float, y: float, w: float, h: float,
             state: dict) -> dict:
        eid = self.new_id(owner)
        seed = int(hashlib.sha256(eid.encode()).hexdigest()[:8], 16) or 1
        el = {"id": eid, "type": kind, "x": round(x, 2), "y": round(y, 2), "width": round(w, 2),
              "height": round(h, 2), "angle": 0, "strokeColor": state["pen"], "backgroundColor": "transparent",
              "fillStyle": "solid", "strokeWidth": state["width"], "strokeStyle": state["style"], "roughness": 0,
              "opacity": 100, "groupIds": [group] if group else [], "frameId": None, "roundness": None,
              "seed": seed, "version": 1, "versionNonce": seed, "isDeleted": False, "boundElements": None,
              "updated": 1, "link": None, "locked": False}
        self.elements.append(el)
        return el

    # -- the xdot operations --------------------------------------------------------------------------------
    def draw(self, ops: list[dict], owner: str, group: str | None, arrow: dict | None = None) -> None:
        state = {"pen": "#000000", "fill": "transparent", "size": 14.0, "style": "solid", "width": 1}
        for op in ops:
            kind = op.get("op")
            if kind == "c":
                state["pen"] = colour(op.get("color"))
            elif kind == "C":
                state["fill"] = colour(op.get("color"))
            elif kind == "F":
                state["size"] = float(op.get("size", 14))
            elif kind == "S":
                style = op.get("style", "")
                if style in ("dashed", "dotted", "solid"):
                    state["style"] = style
                elif style.startswith("setlinewidth("):
                    state["width"] = max(1, min(4, round(float(style[13:-1]))))
            elif kind in ("E", "e"):
                (cx, cy), rx, ry = op["rect"][:2], op["rect"][2], op["rect"][3]
                x, y = self.pt(cx - rx, cy + ry)
                el = self.base("ellipse", owner, group, x, y, 2 * rx, 2 * ry, state)
                if kind == "E":
                    el["backgroundColor"] = state["fill"]
            elif kind in ("P", "p", "L"):
                self.polyline(op["points"], owner, group, state, closed=kind != "L", filled=kind == "P")
            elif kind in ("B", "b"):
                points = bezier(op["points"])
                if arrow is not None:
                    self.arrow(points, arrow, owner, group, state)
                else:
                    self.polyline(points, owner, group, state, closed=kind == "B", filled=kind == "B")
            elif kind == "T":
                self.text(op, owner, group, state)

    def polyline(self, points: list, owner: str, group: str | None, state: dict, closed: bool, filled: bool) -> None:
        pts = [self.pt(x, y) for x, y in points]
        if len(pts) < 2:
            return
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        if closed and len(pts) == 4 and len(set(xs)) == 2 and len(set(ys)) == 2:   # an upright box
            el = self.base("rectangle", owner, group, min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys), state)
        else:
            if closed and pts[0] != pts[-1]:
                pts.append(pts[0])
            el = self.base("line", owner, group, pts[0][0], pts[0][1], max(xs) - min(xs), max(ys) - min(ys), state)
            el.update(points=[[round(x - pts[0][0], 2), round(y - pts[0][1], 2)] for x, y in pts],
                      lastCommittedPoint=None, startBinding=None, endBinding=None, startArrowhead=None,
                      endArrowhead=None, polygon=closed)
        if filled:
            el["backgroundColor"] = state["fill"]

    def arrow(self, points: list, arrow: dict, owner: str, group: str | None, state: dict) -> None:
        pts = [self.pt(x, y) for x, y in ([arrow["start"]] if arrow.get("start") else []) + points +
               ([arrow["end"]] if arrow.get("end") else [])]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        el = self.base("arrow", owner, group, pts[0][0], pts[0][1], max(xs) - min(xs), max(ys) - min(ys), state)
        el.update(points=[[round(x - pts[0][0], 2), round(y - pts[0][1], 2)] for x, y in pts],
                  lastCommittedPoint=None, startBinding=None, endBinding=None,
                  startArrowhead="triangle" if arrow.get("start") else None,
                  endArrowhead="triangle" if arrow.get("end") else None, elbowed=False)

    def text(self, op: dict, owner: str, group: str | None, state: dict) -> None:
        text = op.get("text", "")
        if not text.strip():
            return
        size, width = state["size"], float(op.get("width", 0))
        x, y = op["pt"]
        left = {"l": x, "r": x - width}.get(op.get("align"), x - width / 2)
        lx, ly = self.pt(left, y)
        el = self.base("text", owner, group, lx, ly - size * ASCENT, width, size * 1.25, state)
        el.update(text=text, originalText=text, fontSize=size, fontFamily=FONT_FAMILY,
                  textAlign={"l": "left", "r": "right"}.get(op.get("align"), "center"), verticalAlign="top",
                  containerId=None, autoResize=True, lineHeight=1.25)


def colour(value: str | None) -> str:
    """Return a Graphviz colour as CSS: ``#rrggbbaa`` with no alpha is transparent."""
    if not value or value in ("none", "transparent"):
        return "transparent"
    if re.fullmatch(r"#[0-9a-fA-F]{8}", value):
        return "transparent" if value[7:].lower() == "00" else value[:7]
    return value


def bezier(points: list) -> list[tuple[float, float]]:
    """Return points along the cubic Bézier spline through ``points`` (p0 c1 c2 p1 c1 c2 p2 ...)."""
    out = [tuple(points[0])]
    for i in range(0, len(points) - 3, 3):
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = points[i:i + 4]
        for s in range(1, STEPS + 1):
            t = s / STEPS
            u = 1 - t
            out.append((u ** 3 * ax + 3 * u * u * t * bx + 3 * u * t * t * cx + t ** 3 * dx,
                        u ** 3 * ay + 3 * u * u * t * by + 3 * u * t * t * cy + t ** 3 * dy))
    return out


def _ends(pos: str) -> dict:
    """Return the arrow tips of an edge's ``pos`` (``e,x,y`` and ``s,x,y`` before the spline)."""
    out: dict = {}
    for part in pos.split():
        if part[:2] in ("e,", "s,"):
            x, y = part[2:].split(",")[:2]
            out["end" if part[0] == "e" else "start"] = (float(x), float(y))
    return out


def scene(layout: dict) -> dict:
    """Return the Excalidraw scene of a Graphviz JSON layout (``dot -Tjson``)."""
    s = Scene(layout)
    s.draw(layout.get("_ldraw_", []), "title", None)
    for obj in layout.get("objects", []):
        name = str(obj.get("name", "object"))
        group = re.sub(r"[^A-Za-z0-9_-]", "_", name)
        s.draw(obj.get("_draw_", []), name, group)
        s.draw(obj.get("_ldraw_", []), name, group)
    for edge in layout.get("edges", []):
        if "invis" in str(edge.get("style", "")):
            continue
        owner = f"edge{edge.get('_gvid', 0)}"
        s.draw(edge.get("_draw_", []), owner, owner, arrow=_ends(str(edge.get("pos", ""))))
        for key in ("_ldraw_", "_tldraw_", "_hldraw_"):
            s.draw(edge.get(key, []), owner, owner)
    return {"type": "excalidraw", "version": 2, "source": SOURCE, "elements": s.elements,
            "appState": {"viewBackgroundColor": "#ffffff", "gridSize": None}, "files": {}}


def render(view, renderer: str, direction: str) -> str:
    """Return the Excalidraw scene of ``view``, laid out as its SVG is (raises ``RenderError``)."""
    from dsspec.compiler.emit.layout import layout

    _, drawn = layout(view, ["json"], renderer, direction)
    return json.dumps(scene(json.loads(drawn["json"])), indent=1, ensure_ascii=False) + "\n"
