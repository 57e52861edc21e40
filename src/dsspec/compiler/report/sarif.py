"""SARIF 2.1.0, ready for GitHub code scanning.

``tool.driver.rules`` holds every rule that fired, with its short and full
description, help (from the rule's documentation) and a ``helpUri`` to its
section of docs/rules.md; results carry a repo-relative ``artifactLocation``
(against ``%SRCROOT%``), a region with
start and end, ``relatedLocations`` and line-shift-proof
``partialFingerprints``.
"""

from __future__ import annotations

import json
from pathlib import Path

from dsspec import __version__
from dsspec.base.codes import INFO_URI
from dsspec.base.diagnostics import Diagnostic, Severity
from dsspec.compiler.report.fingerprint import fingerprints

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def help_uri(code: str, name: str) -> str:
    """Return the address of a rule's section in docs/rules.md (``#ds204-timeout-not-below-latency``)."""
    return f"{INFO_URI}/blob/main/docs/rules.md#{code.lower()}-{name}"


def _rule_docs(code: str) -> dict:
    from dsspec.base.codes import CORE_CHECKS
    from dsspec.compiler.lint.registry import by_key

    from dsspec.compiler.lint import references

    rule = by_key().get(code)
    if rule is not None:
        sections = rule.sections()
        full = sections.get("What it does", "") + "\n\n" + sections.get("Why it matters", "")
        help_md = rule.doc().split("\n", 1)[1].strip() if "\n" in rule.doc() else rule.summary()
        refs = references.of(rule)
        if refs:
            help_md += "\n\n## References\n\n" + "\n".join(f"- {references.describe(r)}" for r in refs)
        uri = help_uri(code, rule.name) if rule.origin == "built-in" else \
            next((references.url(r) for r in refs if references.url(r)), None)
        return {"name": rule.name, "short": rule.summary(), "full": full.strip(), "help_text": full.strip(),
                "help_md": help_md, "level": LEVEL[rule.severity], "tags": [rule.stage, *refs], "uri": uri}
    check = next((c for c in CORE_CHECKS if c.code == code), None)
    if check is None:  # a custom rule of a configuration this process did not read
        return {"name": code, "short": code, "full": "", "help_text": "", "help_md": "", "level": "warning",
                "tags": [], "uri": None}
    return {"name": check.name, "short": check.summary, "full": check.detail, "help_text": check.detail,
            "help_md": check.detail, "level": LEVEL[check.severity], "tags": [check.stage],
            "uri": help_uri(code, check.name)}


def _uri(path: str) -> str:
    """Return a repo-relative path as a URI reference (percent-encoded)."""
    from urllib.parse import quote

    return quote(path, safe="/")


def _location(path: str, span) -> dict:
    return {"physicalLocation": {
        "artifactLocation": {"uri": _uri(path), "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": span.line, "startColumn": span.column,
                   "endLine": span.end_line, "endColumn": max(span.end_column, span.column)},
    }}


def render(diags: list[Diagnostic], sources: dict[str, str], root: Path | None = None) -> str:
    """Return the SARIF log of ``diags`` (paths relative to ``root``, see ``dsspec.base.paths.repo_relative``)."""
    from dsspec.base.paths import repo_root

    root = root or repo_root(Path.cwd() / "-")
    codes = sorted({d.code for d in diags})
    docs = {code: _rule_docs(code) for code in codes}
    rules = [{
        "id": code, "name": docs[code]["name"],
        "shortDescription": {"text": docs[code]["short"]},
        "fullDescription": {"text": docs[code]["full"]},
        "help": {"text": docs[code]["help_text"], "markdown": docs[code]["help_md"]},
        **({"helpUri": docs[code]["uri"]} if docs[code]["uri"] else {}),
        "defaultConfiguration": {"level": docs[code]["level"]},
        "properties": {"tags": docs[code]["tags"]},
    } for code in codes]
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for d, fp in zip(diags, fingerprints(diags, sources)):
        text = d.message + (f"\nhelp: {d.help}" if d.help else "")
        result = {
            "ruleId": d.code, "ruleIndex": index[d.code], "level": LEVEL[d.severity],
            "message": {"text": text},
            "locations": [_location(d.path, d.span)],
            "partialFingerprints": {"dsspecFindingHash/v1": fp},
        }
        if d.related:
            result["relatedLocations"] = [{"id": i, **_location(r.path, r.span), "message": {"text": r.message}}
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
