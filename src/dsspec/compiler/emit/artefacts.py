"""Every file ``dsspec build`` makes for one spec, computed in memory.

Nothing here writes: the build command compares (``--check``) or writes
(atomically) what this returns, so a failed build never leaves a
half-written file.

Each view is drawn to ``<stem>.<view>.<ext>``, the system view to
``<stem>.<ext>``. A design with more than ``LARGE`` declarations is drawn
summarised in every view (a view of hundreds of boxes is a poster, not a
page: over 25 megapixels, past Mermaid's text limit), and only system and
overview are drawn unless others are named: the layout time of Graphviz
grows faster than the design (see bench/bench_large.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dsspec.compiler.emit.layout import layout
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # keep `dsspec --help` free of the model's imports
    from dsspec.base.diagnostics import Diagnostic
    from dsspec.compiler.model.resolve import Resolved

FORMATS = ("svg", "png", "pdf", "dot", "mermaid", "md", "json", "openapi", "alerts", "notebook", "excalidraw")
DEFAULT_FORMATS = ("svg", "dot", "md", "json")
PICTURES = ("svg", "png", "pdf")
DIRECTIONS = ("auto", "TB", "LR")
LARGE = 120
"""Declarations past which the system view is summarised (measured: bench/bench_large.py)."""
EXT = {"mermaid": "mmd"}
ARTIFACTS = {"openapi": "openapi.json", "alerts": "alerts.yml", "notebook": "evaluation.ipynb",
             "excalidraw": "excalidraw"}
"""The engineer's artifacts, each written to ``<stem>.<suffix>`` (the Excalidraw scene is of the system view)."""


def format_of(name: str) -> str:
    """Return the ``--format`` that writes the file ``name`` (what the build manifest records)."""
    for fmt, suffix in ARTIFACTS.items():
        if name.endswith("." + suffix):
            return fmt
    ext = name.rsplit(".", 1)[-1]
    return {v: k for k, v in EXT.items()}.get(ext, ext)


def suffix_of(fmt: str) -> str:
    """Return how the name of a file of ``fmt`` ends, after the stem's dot (``mmd``, ``openapi.json``)."""
    return ARTIFACTS.get(fmt) or EXT.get(fmt, fmt)


@dataclass
class Artefacts:
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)   # renderer problems: said, and exit 2
    notes: list[str] = field(default_factory=list)      # said, and the build goes on


def file_name(stem: str, view: str, fmt: str) -> str:
    """Return the file a view is drawn to: ``stem.svg`` for the system view, ``stem.ladder.svg`` for others."""
    ext = EXT.get(fmt, fmt)
    return f"{stem}.{ext}" if view == "system" else f"{stem}.{view}.{ext}"


def chosen_views(spec: Resolved, asked: list[str] | None) -> tuple[list[str], bool]:
    """Return the views to draw and whether the design is large enough to be summarised."""
    from dsspec.compiler.emit.view import available, declarations

    large = declarations(spec) > LARGE
    have = available(spec)
    if asked:
        return [v for v in have if v in asked], large
    return ([v for v in have if v in ("system", "overview")] if large else list(have)), large


def make(spec: Resolved, findings: list[Diagnostic], stem: str, formats: set[str], renderer: str,
         backend: str = "graphviz", views: list[str] | None = None, direction: str = "auto",
         doc_diagrams: str = "image") -> Artefacts:
    """Return the files of ``spec`` in ``formats``; renderer problems are collected, not raised."""
    from dsspec.compiler.emit.view import MISSING
    from dsspec.compiler.emit.views import build_view

    out = Artefacts()
    pictures = [f for f in PICTURES if f in formats]
    chosen, large = chosen_views(spec, views)
    for name in views or ():
        if name not in chosen:
            out.notes.append(f"`{spec.spec.path}` has no {name} view: {MISSING[name]}")
    if large and not views:
        out.notes.append(f"`{spec.spec.path}` is large: its views are summarised (counted by kind) and only system "
                         f"and overview are drawn; name others with --view")
    drawn: dict[str, str] = {}
    mermaid: dict[str, str] = {}
    for name in chosen:
        view = build_view(spec, findings, name, summarise=large)   # even asked by name: a page, not a poster
        if pictures or "dot" in formats:
            _draw(out, view, stem, formats, pictures, renderer, backend, direction)
            if pictures:
                drawn[name] = file_name(stem, name, pictures[0])
        if "mermaid" in formats or doc_diagrams == "mermaid":
            from dsspec.compiler.emit.mermaid import to_mermaid

            mermaid[name] = to_mermaid(view, "LR" if direction == "LR" else "TB")
            if "mermaid" in formats:
                out.files[file_name(stem, name, "mermaid")] = mermaid[name].encode("utf-8")
    artifacts = _artifacts(out, spec, findings, stem, formats, renderer, direction, large)
    if "md" in formats:
        from dsspec.compiler.emit.markdown import documents

        embed = mermaid if doc_diagrams == "mermaid" else drawn
        for name, text in documents(spec, findings, stem, embed, doc_diagrams, artifacts).items():
            out.files[name] = text.encode("utf-8")
    if "json" in formats:
        from dsspec.compiler.emit import json_out

        out.files[f"{stem}.json"] = json_out.render(spec, findings).encode("utf-8")
    return out


def _artifacts(out: Artefacts, spec: Resolved, findings: list[Diagnostic], stem: str, formats: set[str],
               renderer: str, direction: str, large: bool) -> dict[str, str]:
    """Make the engineer's artifacts asked for in ``formats``; return ``{format: file name}`` of those made."""
    made: dict[str, str] = {}
    for fmt in (f for f in ARTIFACTS if f in formats):
        name = f"{stem}.{ARTIFACTS[fmt]}"
        if fmt == "openapi":
            from dsspec.compiler.emit import openapi

            text = openapi.render(spec)
        elif fmt == "alerts":
            from dsspec.compiler.emit import alerts

            text = alerts.render(spec)
        elif fmt == "notebook":
            from dsspec.compiler.emit import notebook

            text = notebook.render(spec, stem)
        else:
            from dsspec.compiler.emit import excalidraw
            from dsspec.compiler.emit.render import RenderError
            from dsspec.compiler.emit.views import build_view

            try:
                text = excalidraw.render(build_view(spec, findings, "system", summarise=large), renderer, direction)
            except RenderError as err:
                if str(err) not in out.problems:
                    out.problems.append(str(err))
                continue
        out.files[name] = text.encode("utf-8")
        made[fmt] = name
    return made


def _draw(out: Artefacts, view, stem: str, formats: set[str], pictures: list[str], renderer: str, backend: str,
          direction: str) -> None:
    from dsspec.compiler.emit.render import RenderError

    if backend == "diagrams":
        from dsspec.compiler.emit import icons

        reason = icons.unsuitable(view, pictures, renderer)
        if reason is None:
            try:
                dot_source, drawn = icons.draw(view, pictures, renderer, direction)
                _keep(out, stem, view.name, formats, dot_source, drawn)
                return
            except icons.IconError as err:
                reason = str(err)
        out.notes.append(f"{file_name(stem, view.name, pictures[0] if pictures else 'dot')}: drawn with the "
                         f"default backend: {reason}")
    try:
        dot_source, drawn = layout(view, pictures, renderer, direction)
    except RenderError as err:   # the DOT is still worth writing: another machine can draw it
        from dsspec.compiler.emit.dot import to_dot

        if str(err) not in out.problems:
            out.problems.append(str(err))
        dot_source, drawn = to_dot(view, "LR" if direction == "LR" else "TB"), {}
    _keep(out, stem, view.name, formats, dot_source, drawn)


def _keep(out: Artefacts, stem: str, view: str, formats: set[str], dot_source: str, drawn: dict[str, bytes]) -> None:
    if "dot" in formats:
        out.files[file_name(stem, view, "dot")] = dot_source.encode("utf-8")
    for fmt, data in drawn.items():
        out.files[file_name(stem, view, fmt)] = data
