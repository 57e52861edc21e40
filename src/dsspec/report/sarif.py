"""SARIF 2.1.0, ready for GitHub code scanning.

``tool.driver.rules`` holds every rule that fired, with its short and full
description and help (from the rule's documentation); results carry a
repo-relative ``artifactLocation`` (against ``%SRCROOT%``), a region with
start and end, ``relatedLocations`` and line-shift-proof
``partialFingerprints``.
"""

from __future__ import annotations

import json
from pathlib import Path

from dsspec import __version__
from dsspec.diagnostics import Diagnostic, Severity
from dsspec.report.fingerprint import fingerprints

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/dsspec/dsspec"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule_docs(code: str) -> dict:
    from dsspec.codes import CORE_CHECKS
    from dsspec.lint.registry import by_key

    rule = by_key().get(code)
    if rule is not None:
        sections = rule.sections()
        full = sections.get("What it does", "") + "\n\n" + sections.get("Why it matters", "")
        help_md = rule.doc().split("\n", 1)[1].strip() if "\n" in rule.doc() else rule.summary()
        return {"name": rule.name, "short": rule.summary(), "full": full.strip(), "help_text": full.strip(),
                "help_md": help_md, "level": LEVEL[rule.severity], "stage": rule.stage}
    check = next(c for c in CORE_CHECKS if c.code == code)
    return {"name": check.name, "short": check.summary, "full": check.detail, "help_text": check.detail,
            "help_md": check.detail, "level": LEVEL[check.severity], "stage": check.stage}


def _uri(path: str, root: Path) -> str:
    """Return the path relative to ``root`` as a URI reference (percent-encoded)."""
    from urllib.parse import quote

    from dsspec.paths import real

    p = Path(path)
    try:
        rel = real(p).relative_to(root).as_posix()  # a symbolic link loop stays as named
    except ValueError:
        rel = p.as_posix()
    return quote(rel, safe="/")


def _location(path: str, span, root: Path) -> dict:
    return {"physicalLocation": {
        "artifactLocation": {"uri": _uri(path, root), "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": span.line, "startColumn": span.column,
                   "endLine": span.end_line, "endColumn": max(span.end_column, span.column)},
    }}


def repo_root(start: Path | None = None) -> Path:
    """Return the nearest folder holding ``.git`` above ``start`` (default: the current folder), else it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def render(diags: list[Diagnostic], sources: dict[str, str], root: Path | None = None) -> str:
    """Return the SARIF log of ``diags`` as JSON text."""
    root = root or repo_root()
    codes = sorted({d.code for d in diags})
    docs = {code: _rule_docs(code) for code in codes}
    rules = [{
        "id": code, "name": docs[code]["name"],
        "shortDescription": {"text": docs[code]["short"]},
        "fullDescription": {"text": docs[code]["full"]},
        "help": {"text": docs[code]["help_text"], "markdown": docs[code]["help_md"]},
        "helpUri": f"{INFO_URI}/blob/main/docs/rules.md",
        "defaultConfiguration": {"level": docs[code]["level"]},
        "properties": {"tags": [docs[code]["stage"]]},
    } for code in codes]
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for d, fp in zip(diags, fingerprints(diags, sources)):
        text = d.message + (f"\nhelp: {d.help}" if d.help else "")
        result = {
            "ruleId": d.code, "ruleIndex": index[d.code], "level": LEVEL[d.severity],
            "message": {"text": text},
            "locations": [_location(d.path, d.span, root)],
            "partialFingerprints": {"dsspecFindingHash/v1": fp},
        }
        if d.related:
            result["relatedLocations"] = [{"id": i, **_location(r.path, r.span, root), "message": {"text": r.message}}
                                          for i, r in enumerate(d.related)]
        results.append(result)
    log = {
        "$schema": SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "dsspec", "version": __version__, "semanticVersion": __version__,
                                "informationUri": INFO_URI, "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
