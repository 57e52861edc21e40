"""Fingerprints that identify a finding across runs even when lines move.

A finding is identified by its file, rule, message and the text of its
source line (whitespace-normalised), not by its line number; an index tells
apart identical findings on identical lines. Used by SARIF
(``partialFingerprints``) and GitLab Code Quality (``fingerprint``).
"""

from __future__ import annotations

import hashlib
from collections import Counter

from dsspec.base.diagnostics import Diagnostic


def fingerprints(diags: list[Diagnostic], sources: dict[str, str]) -> list[str]:
    """Return one stable hex fingerprint per finding, in order."""
    lines: dict[str, list[str]] = {}
    seen: Counter = Counter()
    out = []
    for d in diags:
        text = sources.get(d.path)
        line = ""
        if text is not None:
            split = lines.setdefault(d.path, text.split("\n"))
            if 0 < d.span.line <= len(split):
                line = " ".join(split[d.span.line - 1].split())
        key = "\x1f".join((d.path, d.code, d.message, line))
        seen[key] += 1
        out.append(hashlib.sha256(f"{key}\x1f{seen[key]}".encode("utf-8", "surrogateescape")).hexdigest()[:32])
    return out


def keyed(diags: list[Diagnostic], sources: dict[str, str]) -> list[tuple[str, Diagnostic]]:
    """Return each finding, with repo-relative paths, and its fingerprint (baselines and ``dsspec diff``)."""
    from dsspec.compiler.report.common import repo_relative_findings

    moved, texts = repo_relative_findings(diags, sources)
    return list(zip(fingerprints(moved, texts), moved))
