"""Compiling one spec and drawing any of its views or documents: the entry the integrations use.

The views are those of ``emit.view.REGISTRY``, the one table ``dsspec build``
draws from too, so the preview's switcher, the MCP tool's choices and the
MkDocs plugin's ``view`` option offer every view ``build`` does.
"""

from __future__ import annotations

from pathlib import Path

from dsspec.compiler import pipeline
from dsspec.compiler.emit.view import MISSING, VIEWS, available

__all__ = ["DEFAULT_VIEW", "VIEWS", "ViewError", "compile_spec", "documents", "dot", "offered", "svg"]

DEFAULT_VIEW = VIEWS[0]


class ViewError(Exception):
    """A view that cannot be drawn: an unknown name, a spec that does not compile, or the renderer failed."""


def compile_spec(path: str | Path | None = None, text: str | None = None) -> pipeline.FileResult:
    """Compile a spec file, or a text (with ``path`` as its name and its includes' base, when given), under
    its configuration as it is now (an edited ``dsspec.toml`` is read again: the preview and MCP live long)."""
    from dsspec.compiler.lint.config import refresh

    refresh()
    session = pipeline.Session()
    if text is None:
        return pipeline.check_file(session, str(path))
    file = Path(path) if path is not None else None
    shown = str(path) if path is not None else "<text>.dsspec"
    config = pipeline.configured(file) if file is not None else None
    return session.compile(shown, text.encode("utf-8"), file, config)


def offered(result: pipeline.FileResult) -> tuple[str, ...]:
    """Return the views a compiled spec can be drawn in (the default view alone when it did not compile)."""
    if result.resolved is None or result.resolved.is_library:
        return (DEFAULT_VIEW,)
    return available(result.resolved)


def dot(result: pipeline.FileResult, view: str = DEFAULT_VIEW) -> str:
    """Return the DOT source of ``view`` of a compiled spec; raise ``ViewError`` when it cannot be drawn."""
    if view not in VIEWS:
        raise ViewError(f"unknown view `{view}`; choose from {', '.join(VIEWS)}")
    if result.resolved is None:
        raise ViewError(f"`{result.path}` could not be read as a spec")
    if result.resolved.is_library:
        raise ViewError(f"`{result.path}` is a library file (no `product`): it has nothing to draw")
    if view not in available(result.resolved):
        raise ViewError(f"`{result.path}` has no {view} view: {MISSING[view]}")
    from dsspec.compiler.emit.artefacts import LARGE
    from dsspec.compiler.emit.dot import to_dot
    from dsspec.compiler.emit.view import declarations
    from dsspec.compiler.emit.views import build_view

    large = declarations(result.resolved) > LARGE   # as build draws it: a large design summarised, a page
    return to_dot(build_view(result.resolved, result.diagnostics, view, summarise=large))


def svg(result: pipeline.FileResult, view: str = DEFAULT_VIEW) -> str:
    """Return ``view`` drawn as SVG text by graphviz-pure."""
    from dsspec.compiler.emit.render import RenderError, render

    try:
        return render(dot(result, view), "svg", "graphviz-pure").decode("utf-8")
    except RenderError as err:
        raise ViewError(str(err)) from None


def documents(result: pipeline.FileResult, stem: str) -> dict[str, str]:
    """Return the design documents of a compiled spec by file name (full document first, then per audience)."""
    from dsspec.compiler.emit.markdown import documents as make

    if result.resolved is None or result.resolved.is_library:
        return {}
    return make(result.resolved, result.diagnostics, stem)
