"""What every report format shares: counting, ordering and making text safe to print."""

from __future__ import annotations

import re

from dsspec.diagnostics import Diagnostic, Severity

_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~!])")


def safe(text: str) -> str:
    """Return ``text`` on one line, with control, line-break and bidi-override characters escaped.

    Spec text reaches terminals and CI logs; an ANSI escape, a newline that
    would forge a report line, or a right-to-left override in a string must
    show as what it is, not act.
    """
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def counts(diags: list[Diagnostic]) -> dict[str, int]:
    """Return the number of findings per severity, keyed errors/warnings/infos."""
    out = {"errors": 0, "warnings": 0, "infos": 0}
    for d in diags:
        out[{Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "infos"}[d.severity]] += 1
    return out


def plural(n: int, word: str) -> str:
    """Return ``"1 error"`` / ``"2 errors"``."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def md_cell(text: str) -> str:
    """Return ``text`` safe inside a Markdown table cell: one line, no link, tag or code span."""
    return _MARKDOWN.sub(r"\\\1", safe(text))


def repo_relative_findings(diags: list[Diagnostic], sources: dict[str, str]) -> tuple[list[Diagnostic], dict[str, str]]:
    """Return the findings and source texts keyed by repo-relative paths (``dsspec.paths.repo_relative``).

    Machine-readable reports use these, so the same finding has the same path
    and fingerprint whichever folder dsspec runs from.
    """
    import dataclasses

    from dsspec.paths import repo_relative

    moved = [dataclasses.replace(d, path=repo_relative(d.path), related=tuple(
        dataclasses.replace(r, path=repo_relative(r.path)) for r in d.related)) for d in diags]
    return moved, {repo_relative(path): text for path, text in sources.items()}
