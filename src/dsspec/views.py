"""The named views of a spec and compiling a spec for the integrations (preview, MCP, MkDocs).

``VIEWS`` is the one table of the diagrams the integrations offer: a name and
the function drawing its DOT. ``dsspec build`` draws the system view today; a
new view is one line here, and the preview's switcher, the MCP tool's choices
and the MkDocs plugin's ``view`` option all follow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from dsspec import pipeline


def _system(resolved, findings) -> str:
    from dsspec.emit.dot import to_dot
    from dsspec.emit.view import build_view

    return to_dot(build_view(resolved, findings))


VIEWS: dict[str, Callable] = {
    "system": _system,
}
"""View name -> ``draw(resolved, findings) -> DOT source``; the first is the default."""

DEFAULT_VIEW = next(iter(VIEWS))


class ViewError(Exception):
    """A view that cannot be drawn: an unknown name, a spec that does not compile, or the renderer failed."""


def compile_spec(path: str | Path | None = None, text: str | None = None) -> pipeline.FileResult:
    """Compile a spec file, or a text (with ``path`` as its name and its includes' base, when given)."""
    session = pipeline.Session()
    if text is None:
        return pipeline.check_file(session, str(path))
    file = Path(path) if path is not None else None
    shown = str(path) if path is not None else "<text>.dsspec"
    config = pipeline.configured(file) if file is not None else None
    return session.compile(shown, text.encode("utf-8"), file, config)


def dot(result: pipeline.FileResult, view: str = DEFAULT_VIEW) -> str:
    """Return the DOT source of ``view`` of a compiled spec; raise ``ViewError`` when it cannot be drawn."""
    if view not in VIEWS:
        raise ViewError(f"unknown view `{view}`; choose from {', '.join(VIEWS)}")
    if result.resolved is None:
        raise ViewError(f"`{result.path}` could not be read as a spec")
    if result.resolved.is_library:
        raise ViewError(f"`{result.path}` is a library file (no `product`): it has nothing to draw")
    return VIEWS[view](result.resolved, result.diagnostics)


def svg(result: pipeline.FileResult, view: str = DEFAULT_VIEW) -> str:
    """Return ``view`` drawn as SVG text by graphviz-pure."""
    from dsspec.emit.render import RenderError, render

    try:
        return render(dot(result, view), "svg", "graphviz-pure").decode("utf-8")
    except RenderError as err:
        raise ViewError(str(err)) from None


def documents(result: pipeline.FileResult, stem: str) -> dict[str, str]:
    """Return the design documents of a compiled spec by file name (full document first, then per audience)."""
    from dsspec.emit.markdown import documents as make

    if result.resolved is None or result.resolved.is_library:
        return {}
    return make(result.resolved, result.diagnostics, stem)
