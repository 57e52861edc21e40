"""The machine report: one JSON object, stable keys, 1-based lines and columns."""

from __future__ import annotations

import json

from dsspec.base.diagnostics import Diagnostic
from dsspec.compiler.report.common import counts

VERSION = 1


def finding(d: Diagnostic) -> dict:
    """Return one finding as a JSON-ready dict."""
    s = d.span
    return {
        "path": d.path, "line": s.line, "column": s.column, "end_line": s.end_line, "end_column": s.end_column,
        "offset": s.offset, "end_offset": s.end_offset,
        "code": d.code, "rule": d.rule, "severity": d.severity.value, "message": d.message, "help": d.help,
        "related": [{"path": r.path, "line": r.span.line, "column": r.span.column, "end_line": r.span.end_line,
                     "end_column": r.span.end_column, "message": r.message} for r in d.related],
    }


def render(diags: list[Diagnostic], files: list[str]) -> str:
    """Return the report ``{"version", "files", "findings", "summary"}`` as indented JSON."""
    doc = {"version": VERSION, "files": files, "findings": [finding(d) for d in diags], "summary": counts(diags)}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
