"""Lay out DOT and draw it: graphviz-pure (default) or a system Graphviz.

graphviz-pure installs with pip and writes the same bytes on every platform,
so committed diagrams and ``build --check`` hold across machines; it lacks
PDF. ``--renderer dot`` runs the system Graphviz's ``dot`` instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

RENDERERS = {
    "graphviz-pure": ("graphviz-pure", "pip install graphviz-pure==0.2.2", ("svg", "png", "plain", "json")),
    "dot": ("dot", "install Graphviz: `apt-get install graphviz`, `brew install graphviz` or graphviz.org",
            ("svg", "png", "pdf", "plain", "json")),
}
TIMEOUT_S = 120


class RenderError(Exception):
    """The renderer is missing, or failed on a diagram."""


def executable(renderer: str) -> str | None:
    """Return the path of ``renderer``'s program: next to this Python first, then on PATH."""
    program = RENDERERS[renderer][0]
    here = os.path.join(os.path.dirname(sys.executable), program)
    if os.path.isfile(here) and os.access(here, os.X_OK):
        return here
    return shutil.which(program)


def check_available(renderer: str, formats: set[str]) -> str:
    """Return the program path; raise ``RenderError`` saying how to install it, or which format it lacks."""
    program, how, supported = RENDERERS[renderer]
    path = executable(renderer)
    if path is None:
        raise RenderError(f"renderer `{renderer}` is not installed ({program} not found); {how}")
    lacking = sorted(formats - set(supported))
    if lacking:
        raise RenderError(f"renderer `{renderer}` cannot write {', '.join(lacking)}; use `--renderer dot`")
    return path


def render(dot_source: str, fmt: str, renderer: str) -> bytes:
    """Return ``dot_source`` laid out and drawn as ``fmt`` (svg, png or pdf)."""
    path = check_available(renderer, {fmt})
    try:
        proc = subprocess.run([path, f"-T{fmt}"], input=dot_source.encode("utf-8"), capture_output=True,
                              timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise RenderError(f"`{renderer}` took longer than {TIMEOUT_S} s") from None
    if proc.returncode != 0 or not proc.stdout:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"`{renderer}` failed: {message[-1] if message else f'exit {proc.returncode}'}")
    return proc.stdout


def size(drawing: bytes) -> tuple[float, float]:
    """Return the width and height in points of an SVG drawing, or a ``json`` or ``plain`` layout."""
    import re

    if drawing.lstrip().startswith(b"{"):   # a json layout
        import json

        x0, y0, x1, y1 = (float(v) for v in json.loads(drawing)["bb"].split(","))
        return x1 - x0, y1 - y0
    head = drawing[:2000].decode("utf-8", "replace")
    m = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', head)
    if m:
        return float(m.group(1)), float(m.group(2))
    first = head.split("\n", 1)[0].split()
    if len(first) >= 4 and first[0] == "graph":
        return float(first[2]) * 72, float(first[3]) * 72
    raise ValueError("not an svg drawing or a plain layout")
