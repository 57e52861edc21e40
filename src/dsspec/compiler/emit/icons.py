"""A view drawn with the icons of the ``diagrams`` package (``--backend diagrams``).

Each element is the package's icon for its kind above the same text the
default drawing shows (title, wrapped lines), in one HTML-like table, so the
node is sized to its text: no label overflows, collides or is cut, and every
edge ends on a drawn node. Panels (constraints, ladder, goals) stay the
default drawing's tables, with the chosen step highlighted; elements with
findings are outlined in the severity's colour. The layout is the default
backend's (``dot.to_dot``), so the icon diagram holds the same information.

Icon paths are written relative to the package's resource folder (it uses
absolute paths, which differ per machine) and resolved with ``imagepath`` at
render time; the SVG embeds each icon as a data URI, so it is
self-contained. What cannot look right — a summarised view, a ladder (no
icon says "ladder step"), a PNG from graphviz-pure (which leaves images out
of rasters) — is drawn by the default backend instead, with a note
(``unsuitable``).
"""

from __future__ import annotations

import base64
import os
import re

from dsspec.compiler.emit.view import Element, View


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
    ("product", ""): ("diagrams.programming.flowchart", "PredefinedProcess"),
    ("training", ""): ("diagrams.programming.flowchart", "ManualLoop"),
    ("evaluation", ""): ("diagrams.programming.flowchart", "Inspection"),
    ("serving", ""): ("diagrams.onprem.compute", "Server"),
    ("fallback", ""): ("diagrams.programming.flowchart", "Decision"),
    ("monitoring", ""): ("diagrams.onprem.monitoring", "Grafana"),
    ("rollout", ""): ("diagrams.programming.flowchart", "Merge"),
}
ICON_VIEWS = ("system", "overview", "data", "pipeline")
CLUSTER_FILL = "#E5F5FD"   # the `diagrams` package's first cluster colour


def _resources() -> str:
    import diagrams

    return os.path.dirname(os.path.dirname(os.path.abspath(diagrams.__file__)))


def icon_path(el: Element) -> str | None:
    """Return the ``diagrams`` icon of ``el``'s kind, relative to the package's resources; ``None`` for none."""
    import importlib

    spec = ICONS.get((el.kind, el.subkind)) or ICONS.get((el.kind, ""))
    if spec is None:
        return None
    cls = getattr(importlib.import_module(spec[0]), spec[1])
    return f"{cls._icon_dir}/{cls._icon}"


def unsuitable(view: View, pictures: list[str], renderer: str) -> str | None:
    """Return why ``view`` cannot be drawn well with icons here, or ``None`` when it can."""
    try:
        import diagrams  # noqa: F401
    except ImportError:
        return "the `diagrams` package is not installed (pip install 'dsspec[icons]')"
    if view.name not in ICON_VIEWS:
        return f"the {view.name} view has no icons to show"
    if view.summarised:
        return "a summarised view has no icons to show"
    rasters = [f for f in pictures if f != "svg"]
    if renderer == "graphviz-pure" and rasters:
        return f"graphviz-pure leaves icons out of {', '.join(rasters)}; use `--renderer dot` for icons"
    return None


def to_dot(view: View, direction: str = "TB", ratio: float | None = None) -> str:
    """Return the icon diagram's DOT, with deterministic ids and relative icon paths."""
    from dsspec.compiler.emit.dot import to_dot as default

    return default(view, direction, ratio, icon=icon_path, cluster_fill=CLUSTER_FILL)


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


def draw(view: View, pictures: list[str], renderer: str, direction: str = "auto") -> tuple[str, dict[str, bytes]]:
    """Return the icon diagram's DOT and its drawings in ``pictures`` (svg, png, pdf; json for tests)."""
    from dsspec.compiler.emit.layout import layout
    from dsspec.compiler.emit.render import RenderError

    try:
        return layout(view, pictures, renderer, direction, to_dot, lambda source, fmt: _run(source, fmt, renderer))
    except RenderError as err:
        raise IconError(str(err)) from None


def _run(source: str, fmt: str, renderer: str) -> bytes:
    import subprocess

    from dsspec.compiler.emit.render import TIMEOUT_S, check_available

    program = check_available(renderer, {fmt})
    try:
        proc = subprocess.run([program, f"-T{fmt}", f"-Gimagepath={_resources()}"], input=source.encode("utf-8"),
                              capture_output=True, timeout=TIMEOUT_S, cwd=_resources())
    except subprocess.TimeoutExpired:
        raise IconError(f"`{renderer}` took longer than {TIMEOUT_S} s") from None
    if proc.returncode != 0 or not proc.stdout:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise IconError(f"`{renderer}` failed on the icon diagram: {tail[-1] if tail else proc.returncode}")
    return _embed_icons(proc.stdout) if fmt == "svg" else proc.stdout
