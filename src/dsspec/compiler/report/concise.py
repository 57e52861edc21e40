"""One line per finding: ``path:line:col: CODE [rule] message`` (grep- and editor-friendly)."""

from __future__ import annotations

from dsspec.base.diagnostics import Diagnostic
from dsspec.compiler.report.common import safe


def render(diags: list[Diagnostic]) -> str:
    """Return the findings one per line."""
    return "".join(f"{safe(d.path)}:{d.span.line}:{d.span.column}: {d.code} [{d.rule}] {safe(d.message)}\n"
                   for d in diags)
