"""GitLab Code Quality report (a JSON array of issues)."""

from __future__ import annotations

import json

from dsspec.base.diagnostics import Diagnostic, Severity
from dsspec.compiler.report.fingerprint import fingerprints

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(diags: list[Diagnostic], sources: dict[str, str]) -> str:
    """Return the Code Quality JSON; fingerprints come from path, rule, message and line text."""
    issues = [{
        "description": f"{d.code} {d.rule}: {d.message}",
        "check_name": d.rule,
        "fingerprint": fp,
        "severity": SEVERITY[d.severity],
        "location": {"path": d.path, "lines": {"begin": d.span.line, "end": d.span.end_line}},
    } for d, fp in zip(diags, fingerprints(diags, sources))]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
