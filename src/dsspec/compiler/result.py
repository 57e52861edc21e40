"""What a run produces per spec, and what the command line adds: light, so a cached run needs no compiler.

``FileResult`` is one spec's outcome; the stages' fields (``document``,
``spec``, ``resolved``) are filled only by the pipeline, while a result taken
from the cache carries its findings, text and includes. ``Options`` is what the
command line adds to each spec's configuration (its ``repr`` is part of the
cache key).
"""

from __future__ import annotations

from pathlib import Path

from dsspec.base.diagnostics import Diagnostic
from dsspec.base.record import field, record
from dsspec.base.paths import real

TYPE_CHECKING = False  # typing's own flag, without importing typing on a warm run

if TYPE_CHECKING:
    from dsspec.compiler.model import nodes as n
    from dsspec.compiler.model.resolve import Resolved
    from dsspec.compiler.syntax.cst import Document


@record
class FileResult:
    """Everything one spec compiled to; later stages' fields are ``None`` when an earlier one failed."""

    path: str
    text: str | None = None
    document: Document | None = None
    spec: n.Spec | None = None
    resolved: Resolved | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)
    """The shown paths of the files this spec includes (for the cache, and to spare them the ``library-file`` note)."""

    @property
    def has_errors(self) -> bool:
        """Return whether any finding is an error."""
        return any(d.severity.value == "error" for d in self.diagnostics)


def unique(diags) -> list[Diagnostic]:
    """Return the findings in their order, each once (same file, span, code and message)."""
    seen: set = set()
    add = seen.add
    out = []
    keep = out.append
    for d in diags:
        key = (d.path, d.span, d.code, d.message)
        if key not in seen:
            add(key)
            keep(d)
    return out


@record(frozen=True)
class Options:
    """What the command line adds to each spec's configuration.

    ``select``/``ignore`` replace and extend the configured selections,
    ``extend_select`` adds to the configured ``select``; ``config_file``
    replaces the configuration found next to each spec (``--config``);
    ``settings`` are what-if overrides (``--set operator.latency="p95 <= 50ms"``);
    ``preview`` runs the preview rules too (``--preview``).
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    config_file: Path | None = None
    settings: tuple[tuple[str, str], ...] = ()
    preview: bool = False


DEFAULT = Options()


def spare_included_libraries(results: list[FileResult]) -> None:
    """Drop the ``library-file`` note of every library a checked product includes: it is judged there."""
    included = {str(real(p)) for r in results
                if r.includes and not any(d.rule == "library-file" for d in r.diagnostics) for p in r.includes}
    if not included:
        return
    for r in results:
        if any(d.rule == "library-file" for d in r.diagnostics) and str(real(r.path)) in included:
            r.diagnostics = [d for d in r.diagnostics if d.rule != "library-file"]
