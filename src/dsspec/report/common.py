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
