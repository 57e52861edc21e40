"""Between the pipeline and the protocol: positions (code points, 1-based lines against UTF-16, 0-based) and findings."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types as t

from dsspec.base.span import Span


class Lines:
    """A text split into lines, converting positions both ways."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def position(self, line: int, column: int) -> t.Position:
        """Return the protocol position of 1-based ``line``/``column`` (code points)."""
        if line > len(self.lines):
            return t.Position(len(self.lines) - 1, _utf16(self.lines[-1]))
        text = self.lines[line - 1]
        return t.Position(line - 1, _utf16(text[:column - 1]))

    def range(self, span: Span) -> t.Range:
        """Return the protocol range of ``span``."""
        return t.Range(self.position(span.line, span.column), self.position(span.end_line, span.end_column))

    def offset(self, pos: t.Position) -> int:
        """Return the code-point offset of a protocol position (clamped to the text)."""
        if pos.line >= len(self.lines):
            return len(self.text)
        text = self.lines[pos.line]
        units = 0
        for i, ch in enumerate(text):
            if units >= pos.character:
                return self.starts[pos.line] + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return self.starts[pos.line] + len(text)

    def at(self, offset: int) -> t.Position:
        """Return the protocol position of a code-point offset."""
        import bisect

        line = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.position(line + 1, offset - self.starts[line] + 1)

    def line_prefix(self, pos: t.Position) -> str:
        """Return the text of the position's line before it."""
        offset = self.offset(pos)
        return self.text[self.starts[min(pos.line, len(self.starts) - 1)]:offset]


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def path_of(uri: str) -> str:
    """Return the file path of a ``file:`` URI."""
    return str(Path(unquote(urlparse(uri).path)))


def uri_of(path: str) -> str:
    """Return the ``file:`` URI of an absolute path."""
    return Path(path).absolute().as_uri()


_SEVERITY = {"error": t.DiagnosticSeverity.Error, "warning": t.DiagnosticSeverity.Warning,
             "info": t.DiagnosticSeverity.Information}


def texts(a) -> dict[str, Lines]:
    """Return the lines of the document and of every file it includes, by path."""
    lines = {p: Lines(d.text) for p, d in a.documents.items()}
    lines.setdefault(a.path, Lines(a.text))
    return lines


UNNECESSARY = frozenset({"unused-declaration", "unused-suppression"})
"""Findings about text that does nothing: tagged ``Unnecessary``, so editors fade it."""


def diagnostic(d, lines: dict[str, Lines]) -> t.Diagnostic:
    """Return the protocol form of a finding, with its related places and a link to its rule."""
    from dsspec.compiler.lint.docs import rule_url

    here = lines[d.path]
    related = [t.DiagnosticRelatedInformation(t.Location(uri_of(r.path), lines[r.path].range(r.span)
                                                         if r.path in lines else here.range(r.span)), r.message)
               for r in d.related]
    message = d.message + (f"\nhelp: {d.help}" if d.help else "")
    return t.Diagnostic(here.range(d.span), message, severity=_SEVERITY[d.severity.value], code=d.code,
                        code_description=t.CodeDescription(rule_url(d.code, d.rule)), source="dsspec",
                        related_information=related or None, data={"rule": d.rule},
                        tags=[t.DiagnosticTag.Unnecessary] if d.rule in UNNECESSARY else None)


def _point(lines: Lines, line: int, column: int) -> dict:
    """``lines.position(line, column)`` as JSON (ASCII lines, nearly all of them, need no UTF-16 count)."""
    if line > len(lines.lines):
        last = lines.lines[-1]
        return {"line": len(lines.lines) - 1, "character": len(last) if last.isascii() else _utf16(last)}
    text = lines.lines[line - 1]
    return {"line": line - 1, "character": column - 1 if text.isascii() else _utf16(text[:column - 1])}


def _range_json(lines: Lines, span: Span) -> dict:
    return {"start": _point(lines, span.line, span.column), "end": _point(lines, span.end_line, span.end_column)}


def diagnostic_json(d, lines: dict[str, Lines]) -> dict:
    """Return ``diagnostic(d, lines)`` as the JSON the protocol sends, built directly (publishing a long
    spec's findings on every pause in typing is too slow through the general converter)."""
    from dsspec.compiler.lint.docs import rule_url

    here = lines[d.path]
    out = {"range": _range_json(here, d.span), "message": d.message + (f"\nhelp: {d.help}" if d.help else ""),
           "severity": _SEVERITY[d.severity.value].value, "code": d.code,
           "codeDescription": {"href": rule_url(d.code, d.rule)}, "source": "dsspec", "data": {"rule": d.rule}}
    if d.related:
        out["relatedInformation"] = [
            {"location": {"uri": uri_of(r.path), "range": _range_json(lines.get(r.path, here), r.span)},
             "message": r.message} for r in d.related]
    if d.rule in UNNECESSARY:
        out["tags"] = [t.DiagnosticTag.Unnecessary.value]
    return out
