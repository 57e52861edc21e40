"""Every file ``dsspec build`` makes for one spec, computed in memory.

Nothing here writes: the build command compares (``--check``) or writes
(atomically) what this returns, so a failed build never leaves a
half-written file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # keep `dsspec --help` free of the model's imports
    from dsspec.diagnostics import Diagnostic
    from dsspec.model.resolve import Resolved

FORMATS = ("svg", "png", "pdf", "dot", "md", "json")
DEFAULT_FORMATS = ("svg", "dot", "md", "json")


@dataclass
class Artefacts:
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)   # renderer problems: said, and exit 2


def make(spec: Resolved, findings: list[Diagnostic], stem: str, formats: set[str], renderer: str,
         backend: str = "graphviz") -> Artefacts:
    """Return the files of ``spec`` in ``formats``; renderer problems are collected, not raised."""
    out = Artefacts()
    pictures = sorted(formats & {"svg", "png", "pdf"})
    if backend == "diagrams" and (pictures or "dot" in formats):
        from dsspec.emit import icons
        from dsspec.emit.view import build_view

        try:
            dot_source, drawn = icons.draw(build_view(spec, findings), pictures, renderer)
            if "dot" in formats:
                out.files[f"{stem}.dot"] = dot_source.encode("utf-8")
            for fmt, data in drawn.items():
                out.files[f"{stem}.{fmt}"] = data
        except icons.IconError as err:
            out.problems.append(str(err))
    elif pictures or "dot" in formats:
        from dsspec.emit.dot import to_dot
        from dsspec.emit.render import RenderError, render
        from dsspec.emit.view import build_view

        dot_source = to_dot(build_view(spec, findings))
        if "dot" in formats:
            out.files[f"{stem}.dot"] = dot_source.encode("utf-8")
        for fmt in pictures:
            try:
                out.files[f"{stem}.{fmt}"] = render(dot_source, fmt, renderer)
            except RenderError as err:
                if str(err) not in out.problems:
                    out.problems.append(str(err))
    if "md" in formats:
        from dsspec.emit.markdown import documents

        for name, text in documents(spec, findings, stem).items():
            out.files[name] = text.encode("utf-8")
    if "json" in formats:
        from dsspec.emit import json_out

        out.files[f"{stem}.json"] = json_out.render(spec, findings).encode("utf-8")
    return out
