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
from dsspec.compiler.emit.layout import ASPECT, layout
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


def check_layout(doc: dict) -> list[str]:
    """Return what is wrong with a JSON layout (empty when it reads well)."""
    problems = []
    x0, y0, x1, y1 = (float(v) for v in doc["bb"].split(","))
    aspect = (x1 - x0) / (y1 - y0)
    if not ASPECT[0] <= aspect <= ASPECT[1]:
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
    assert check_layout(json.loads(drawn["json"])) == []


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
