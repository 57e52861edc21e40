"""What every report format shares: counting, ordering and making text safe to print."""

from __future__ import annotations

import re
from collections import Counter

from dsspec.base.diagnostics import Diagnostic, Severity

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(p + 0xfffe)}{chr(p + 0xffff)}" for p in range(0, 0x110000, 0x10000))
_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
                     + _NONCHARACTERS + "]")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~!])")


def safe(text: str) -> str:
    """Return ``text`` on one line, with control, line-break, bidi-override and non-characters escaped.

    The one escaping policy every output format starts from (each then adds
    its own syntax: XML and HTML entities, DOT quoting, Markdown, workflow
    commands). Spec text reaches terminals, CI logs, XML and SVG; C0 and C1
    controls (an ANSI escape, a BEL, a NUL), a newline that would forge a
    report line, a right-to-left override, or a Unicode non-character
    (U+FFFE, U+FFFF, U+FDD0..U+FDEF: not allowed in XML, so an SVG or a
    JUnit file holding one does not load) show as ``\\uXXXX``, never raw; so
    does a lone surrogate (a file name's undecodable byte), which no UTF-8
    output can hold.
    """
    if text.isascii() and text.isprintable():  # the usual case, at a tenth of the regex's cost
        return text
    return _UNSAFE.sub(_escape, text)


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def counts(diags: list[Diagnostic]) -> dict[str, int]:
    """Return the number of findings per severity, keyed errors/warnings/infos."""
    by = Counter(d.severity for d in diags)
    return {"errors": by[Severity.ERROR], "warnings": by[Severity.WARNING], "infos": by[Severity.INFO]}


def plural(n: int, word: str) -> str:
    """Return ``"1 error"`` / ``"2 errors"``."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def md_cell(text: str) -> str:
    """Return ``text`` safe inside a Markdown table cell: one line, no link, tag or code span."""
    return _MARKDOWN.sub(r"\\\1", safe(text))


def md_message(text: str, table: bool = False) -> str:
    """Return a finding's message as Markdown: its `` `names` `` as code spans, the rest escaped.

    Messages quote names in backticks; escaping those would show literal
    backticks once rendered. Each quoted name becomes a code span (whose
    content Markdown does not interpret; a ``|`` in it is escaped when
    ``table``, as GitHub's tables require), and the text between is escaped
    like ``md_cell``. An unpaired backtick is escaped.
    """
    parts = safe(text).split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: the last one opens nothing
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(_MARKDOWN.sub(r"\\\1", part))
        elif part.strip():
            span = part.replace("|", "\\|") if table else part
            out.append(f"`{span}`" if part.strip() == part else f"` {span} `")
        else:
            out.append(_MARKDOWN.sub(r"\\\1", "`" + part + "`"))
    return "".join(out)


def repo_relative_findings(diags: list[Diagnostic], sources: dict[str, str]) -> tuple[list[Diagnostic], dict[str, str]]:
    """Return the findings and source texts keyed by repo-relative paths (``dsspec.base.paths.repo_relative``).

    Machine-readable reports use these, so the same finding has the same path
    and fingerprint whichever folder dsspec runs from.
    """
    from dsspec.base import record

    from dsspec.base.paths import repo_relative

    moved = [record.replace(d, path=repo_relative(d.path), related=tuple(
        record.replace(r, path=repo_relative(r.path)) for r in d.related)) for d in diags]
    return moved, {repo_relative(path): text for path, text in sources.items()}
