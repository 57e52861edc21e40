"""Every view of every bundled spec, laid out by both renderers, reads well on a page.

For each spec in specs/ and tests/fixtures/views/, each view it has, and each
renderer (graphviz-pure, system ``dot``), the diagram is laid out as the
build lays it out (``--direction auto``) and the layout is read back as JSON
(positions, sizes, the text drawn). The test asserts what a reader would
check by eye: the page is page-shaped (aspect ratio in ``ASPECT``), no two
node boxes overlap, no line of text is wider than its node, and every drawn
edge ends on a drawn node. The icon backend is held to the same checks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dsspec.compiler import pipeline
from dsspec.compiler.emit.layout import ASPECT, WIDE, layout
from dsspec.compiler.emit.render import executable
from dsspec.compiler.emit.view import available
from dsspec.compiler.emit.views import build_view

ROOT = Path(__file__).resolve().parents[1]
SPECS = (sorted((ROOT / "specs").glob("*.dsspec")) + sorted((ROOT / "tests" / "fixtures" / "views").glob("*.dsspec"))
         + [ROOT / "tests" / "golden" / "design_review.dsspec"])
LARGE = "large"   # a generated design past artefacts.LARGE, drawn summarised
RENDERERS = [r for r in ("graphviz-pure", "dot") if executable(r)]
SLACK = 1.0   # points: rounding in the layout's numbers


def _cases(views=None):
    for spec in SPECS:
        result = pipeline.check_file(pipeline.Session(), str(spec))
        for view in available(result.resolved):
            if views is None or view in views:
                for renderer in ("graphviz-pure", "dot"):
                    yield pytest.param(spec, view, renderer, id=f"{spec.stem}-{view}-{renderer}")
    for view in ("system", "overview"):
        for renderer in ("graphviz-pure", "dot"):
            yield pytest.param(LARGE, view, renderer, id=f"large-{view}-{renderer}")


def _view(spec, name: str, tmp_path: Path):
    if spec == LARGE:
        import sys

        sys.path.insert(0, str(ROOT / "bench"))
        from bench_large import design

        from dsspec.compiler.emit import artefacts

        spec = tmp_path / "large.dsspec"
        spec.write_text(design(artefacts.LARGE * 8))
        (tmp_path / "dsspec.toml").touch()
        result = pipeline.check_file(pipeline.Session(), str(spec))
        return build_view(result.resolved, result.diagnostics, name, summarise=True)
    result = pipeline.check_file(pipeline.Session(), str(spec))
    return build_view(result.resolved, result.diagnostics, name)


def _boxes(doc: dict) -> dict[int, tuple[str, float, float, float, float, str]]:
    """Return ``gvid: (name, cx, cy, half width, half height, shape)`` of every drawn node."""
    out = {}
    for o in doc.get("objects", []):
        if "pos" not in o or "width" not in o:
            continue   # a cluster or a rank subgraph
        if not (o.get("_draw_") or o.get("_ldraw_")) or "invis" in o.get("style", ""):
            continue
        x, y = (float(v) for v in o["pos"].split(","))
        out[o["_gvid"]] = (o["name"], x, y, float(o["width"]) * 36, float(o["height"]) * 36, o.get("shape", ""))
    return out


def _text_extents(node: dict):
    for op in node.get("_ldraw_", []):
        if op.get("op") == "T":
            x, y = op["pt"]
            w = op["width"]
            x0 = {"l": x, "r": x - w}.get(op.get("align"), x - w / 2)
            yield op["text"], x0, x0 + w, y


def check_layout(doc: dict, wide: bool = False) -> list[str]:
    """Return what is wrong with a JSON layout (empty when it reads well); ``wide``: a timeline, a page wide
    and as tall as its lanes, is not held to the page's aspect ratio."""
    problems = []
    x0, y0, x1, y1 = (float(v) for v in doc["bb"].split(","))
    aspect = (x1 - x0) / (y1 - y0)
    if not ASPECT[0] <= aspect <= (ASPECT[1] if not wide else 99):
        problems.append(f"aspect ratio {aspect:.2f} outside {ASPECT}")
    boxes = _boxes(doc)
    items = sorted(boxes.values())
    for i, (a, ax, ay, aw, ah, _) in enumerate(items):
        for b, bx, by, bw, bh, _ in items[i + 1:]:
            if abs(ax - bx) < aw + bw - SLACK and abs(ay - by) < ah + bh - SLACK:
                problems.append(f"nodes {a} and {b} overlap")
    objects = {o["_gvid"]: o for o in doc.get("objects", []) if "_gvid" in o and "pos" in o}
    for gvid, (name, cx, cy, hw, hh, shape) in boxes.items():
        for text, left, right, base in _text_extents(objects[gvid]):
            if left < cx - hw - SLACK or right > cx + hw + SLACK:
                problems.append(f"text {text!r} of {name} is wider than its node")
            elif shape == "ellipse":
                for x in (left, right):
                    if ((x - cx) / hw) ** 2 + ((base - cy) / hh) ** 2 > 1.0:
                        problems.append(f"text {text!r} of {name} crosses its ellipse")
                        break
    for e in doc.get("edges", []):
        if "invis" in e.get("style", "") or not e.get("_draw_"):
            continue
        for end in ("tail", "head"):
            if e[end] not in boxes:
                problems.append(f"an edge ends on {e[end]}, which is not a drawn node")
    return problems


@pytest.mark.parametrize("spec,view,renderer", list(_cases()))
def test_every_view_reads_well_on_a_page(spec, view, renderer, tmp_path):
    if renderer not in RENDERERS:
        pytest.skip(f"{renderer} is not installed")
    _, drawn = layout(_view(spec, view, tmp_path), ["json"], renderer, "auto")
    assert check_layout(json.loads(drawn["json"]), wide=view in WIDE) == []


@pytest.mark.parametrize("spec,view,renderer", [c for c in _cases(("system", "overview", "data", "pipeline"))
                                                if c.values[0] != LARGE])
def test_every_icon_view_reads_well_on_a_page(spec, view, renderer, tmp_path):
    pytest.importorskip("diagrams")
    if renderer not in RENDERERS:
        pytest.skip(f"{renderer} is not installed")
    from dsspec.compiler.emit import icons

    _, drawn = icons.draw(_view(spec, view, tmp_path), ["json"], renderer)
    assert check_layout(json.loads(drawn["json"])) == []


def test_the_checks_catch_what_they_look_for():
    """A layout with every fault: too wide, two boxes on top of each other, text past its node, a loose edge."""
    node = {"_draw_": [{}], "width": "1", "height": "0.5"}
    doc = {"bb": "0,0,1000,100", "objects": [
        {**node, "_gvid": 0, "name": "a", "pos": "50,50",
         "_ldraw_": [{"op": "T", "pt": [50, 50], "align": "c", "width": 200, "text": "far too long a label"}]},
        {**node, "_gvid": 1, "name": "b", "pos": "60,50"}],
        "edges": [{"tail": 0, "head": 7, "_draw_": [{}]}]}
    problems = check_layout(doc)
    assert any("aspect" in p for p in problems)
    assert any("overlap" in p for p in problems)
    assert any("wider than its node" in p for p in problems)
    assert any("not a drawn node" in p for p in problems)


PAGE_PX = 1200
"""A documentation page's width: a wider drawing is scaled down to it."""
MIN_TEXT_PX = 10
MAX_PIXELS = 25_000_000
MERMAID_LIMIT = 50_000
"""Mermaid's default ``maxTextSize``: past it the renderer draws "Maximum text size in diagram exceeded"."""


def smallest_text_px(doc: dict) -> float:
    """Return the smallest text height in pixels once the drawing (96 dpi) is scaled to ``PAGE_PX`` wide."""
    x0, _, x1, _ = (float(v) for v in doc["bb"].split(","))
    width_px = (x1 - x0) * 96 / 72
    scale = min(1.0, PAGE_PX / width_px)
    sizes = [op["size"] for o in [*doc.get("objects", []), *doc.get("edges", [])]
             for key in ("_ldraw_", "_tldraw_", "_hldraw_", "_draw_")
             for op in o.get(key, []) if op.get("op") == "F"]
    return min(sizes, default=14) * 96 / 72 * scale


def pixels(doc: dict) -> float:
    x0, y0, x1, y1 = (float(v) for v in doc["bb"].split(","))
    return (x1 - x0) * (y1 - y0) * (96 / 72) ** 2


CORPUS = [ROOT / "tests" / "corpus" / "realworld" / f"{name}.dsspec" for name in (
    "rag_agent_assist", "video_recs_two_stage", "subscription_churn_draft", "consumer_loans_draft",
    "related_pins_gnn", "stays_search_ranking")]


def _page_cases():
    for spec in [*SPECS, *CORPUS]:
        result = pipeline.check_file(pipeline.Session(), str(spec))
        for view in available(result.resolved):
            for renderer in ("graphviz-pure", "dot"):
                yield pytest.param(spec, view, renderer, id=f"{spec.stem}-{view}-{renderer}")


@pytest.mark.parametrize("spec,view,renderer", list(_page_cases()))
def test_text_is_readable_at_page_width(spec, view, renderer, tmp_path):
    """Every view of the bundled and corpus designs, scaled to a 1,200 px page, keeps its text >= 10 px."""
    if renderer not in RENDERERS:
        pytest.skip(f"{renderer} is not installed")
    _, drawn = layout(_view(spec, view, tmp_path), ["json"], renderer, "auto")
    assert smallest_text_px(json.loads(drawn["json"])) >= MIN_TEXT_PX - 0.05


def _thousand(tmp_path: Path):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_large import design

    spec = tmp_path / "thousand.dsspec"
    spec.write_text(design(1000))
    (tmp_path / "dsspec.toml").touch()
    return pipeline.check_file(pipeline.Session(), str(spec))


@pytest.mark.parametrize("renderer", ["graphviz-pure", "dot"])
def test_every_view_of_a_thousand_declarations_fits(renderer, tmp_path):
    """Each view of a 1,000-declaration design, asked by name as build draws it, stays under 25 megapixels and
    its Mermaid under Mermaid's text limit."""
    if renderer not in RENDERERS:
        pytest.skip(f"{renderer} is not installed")
    from dsspec.compiler.emit import artefacts
    from dsspec.compiler.emit.mermaid import to_mermaid

    result = _thousand(tmp_path)
    views, large = artefacts.chosen_views(result.resolved, list(available(result.resolved)))
    assert large and set(views) == set(available(result.resolved))
    for name in views:
        view = build_view(result.resolved, result.diagnostics, name, summarise=large)
        assert len(to_mermaid(view)) < MERMAID_LIMIT, name
        _, drawn = layout(view, ["json"], renderer, "auto")
        assert pixels(json.loads(drawn["json"])) <= MAX_PIXELS, name
        users = [e for e in view.elements.values() if e.kind == "user"]
        if name in ("system", "overview"):
            assert users, f"the {name} view lost the users"


def test_severity_is_never_shown_by_colour_alone(tmp_path):
    """An element with a finding carries a badge naming the severity and the rule's code (DOT and Mermaid),
    and the legend's text is dark on light or light on dark (>= 4.5:1)."""
    from dsspec.compiler.emit import dot
    from dsspec.compiler.emit.mermaid import to_mermaid

    spec = ROOT / "tests" / "corpus" / "realworld" / "subscription_churn_draft.dsspec"
    result = pipeline.check_file(pipeline.Session(), str(spec))
    view = build_view(result.resolved, result.diagnostics, "system")
    flagged = [e for e in view.elements.values() if e.findings]
    assert flagged
    source, mermaid = dot.to_dot(view), to_mermaid(view)
    for el in flagged:
        for d in el.findings:
            assert f"{d.severity.value} {d.code}" in source
            assert f"{d.severity.value} {d.code}" in mermaid

    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for severity, colour in dot.SEVERITY_COLOUR.items():
        a, b = sorted((luminance(colour), luminance(dot.SEVERITY_INK[severity])), reverse=True)
        assert (a + 0.05) / (b + 0.05) >= 4.5, severity
    lightness = sorted(luminance(c) for c in dot.SEVERITY_COLOUR.values())
    assert lightness[1] - lightness[0] > 0.1 or lightness[2] - lightness[1] > 0.1   # apart without hue


def _bends_around(doc: dict, tail: str, head: str) -> bool:
    """Return whether the edge ``tail -> head`` runs through another node's box."""
    boxes = _boxes(doc)
    names = {gvid: b[0] for gvid, b in boxes.items()}
    for e in doc.get("edges", []):
        if names.get(e["tail"]) != tail or names.get(e["head"]) != head:
            continue
        points = [p for op in e.get("_draw_", []) if op.get("op") == "b" for p in op["points"]]
        for gvid, (name, cx, cy, hw, hh, _) in boxes.items():
            if name in (tail, head):
                continue
            if any(abs(x - cx) < hw - 2 and abs(y - cy) < hh - 2 for x, y in points):
                return True
    return False


@pytest.mark.parametrize("renderer", ["graphviz-pure", "dot"])
@pytest.mark.parametrize("spec", [*SPECS[:4], *CORPUS[:3]], ids=lambda p: p.stem)
def test_the_main_flow_is_a_straight_path(spec, renderer, tmp_path):
    """Model -> output -> user, the main flow of the system view, runs straight down: no edge of it passes
    through another box, and the model, its output and the output's user share one column (within a box)."""
    if renderer not in RENDERERS:
        pytest.skip(f"{renderer} is not installed")
    view = _view(spec, "system", tmp_path)
    _, drawn = layout(view, ["json"], renderer, "auto")
    doc = json.loads(drawn["json"])
    from dsspec.compiler.emit.dot import _columns

    boxes = {b[0]: b for b in _boxes(doc).values()}
    for chain in _columns(view):
        for a, b in zip(chain, chain[1:]):
            assert not _bends_around(doc, a, b), (a, b)
        xs = [boxes[m][1] for m in chain]
        assert max(xs) - min(xs) <= min(boxes[m][3] for m in chain), chain
