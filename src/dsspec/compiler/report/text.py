"""The human report: rustc-style findings with the source line and carets."""

from __future__ import annotations

from dsspec.base.diagnostics import Diagnostic, Severity
from dsspec.compiler.report.common import counts, plural, safe
from dsspec.base.span import Span

_COLOURS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}
_BLUE, _BOLD, _RESET = "\x1b[1;34m", "\x1b[1m", "\x1b[0m"


class _Paint:
    def __init__(self, colour: bool):
        self.on = colour

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.on else text


def width(text: str) -> int:
    """Return the terminal columns ``text`` takes: 2 for wide (CJK) characters, 0 for combining marks.

    ``wcwidth`` is imported only for a line that is not plain ASCII, so the
    common report costs nothing extra; a character it cannot measure counts 1.
    """
    if text.isascii():
        return len(text)
    from wcwidth import wcwidth

    return sum(max(wcwidth(c), 0) if c.isprintable() else 1 for c in text)


SNIPPET = 160
"""Characters of a source line shown under a finding; a longer line is cut around the finding, ``...`` marking each cut."""


def _window(raw: str, start: int, end: int) -> tuple[str, int, int, str, str]:
    """Return the part of ``raw`` to show, the span's columns in it, and the marks of the cuts before and after."""
    if len(raw) <= SNIPPET:
        return raw, start, end, "", ""
    a = max(0, min(start - SNIPPET // 4, len(raw) - SNIPPET))
    b = a + SNIPPET
    part = raw[a:b]
    start = min(max(start - a, 0), len(part))
    return part, start, max(min(end - a, len(part)), start + 1), "..." if a else "", "..." if b < len(raw) else ""


def _excerpt(lines: _Lines, path: str, span: Span, label: str, paint: _Paint, mark: str) -> list[str]:
    raw = lines.line(path, span)
    if raw is None:
        return []
    raw = raw.rstrip("\r\n")
    start = span.column - 1
    end = span.end_column - 1 if span.end_line == span.line else len(raw.rstrip())
    end = max(end, start + 1)
    raw, start, end, before, after = _window(raw, start, end)
    shown = before + safe(raw.replace("\t", " ")) + after
    # columns count code points of the raw line; carets go under screen columns of the shown line, so
    # measure the prefix and the span in the shown form (escapes, wide and combining characters)
    pad = len(before) + width(safe(raw[:start].replace("\t", " ")))
    carets = max(1, width(safe(raw[start:end].replace("\t", " "))))
    gutter = str(span.line)
    bar = paint(_BLUE, " " * len(gutter) + " |")
    return [bar,
            paint(_BLUE, f"{gutter} |") + f" {shown}",
            bar + " " + " " * pad + paint(mark, "^" * carets + (f" {label}" if label else ""))]


class _Lines:
    """Each source's lines, split once per file however many findings it has (the report stays linear)."""

    def __init__(self, sources: dict[str, str]):
        self.sources = sources
        self.split: dict[str, list[str] | None] = {}
        self.first: set[str] = set()

    def line(self, path: str, span: Span) -> str | None:
        """Return line ``span.line`` of ``path`` (``None`` when there is no such line).

        The first finding of a file finds its line around the span's offset (when that agrees with its
        line and column), so a file with one finding is not split whole; a second one splits the file
        once, so many findings stay linear.
        """
        text = self.sources.get(path)
        if text is None:
            return None
        if path not in self.split and path not in self.first and 0 <= span.offset <= len(text):
            self.first.add(path)
            start = text.rfind("\n", 0, span.offset) + 1
            if span.offset - start == span.column - 1 and text.count("\n", 0, start) == span.line - 1:
                end = text.find("\n", span.offset)
                return text[start:] if end < 0 else text[start:end]
        lines = self.split.get(path)
        if lines is None:
            lines = self.split[path] = text.split("\n")
        return lines[span.line - 1] if span.line <= len(lines) else None


def render(diags: list[Diagnostic], sources: dict[str, str], colour: bool = False) -> str:
    """Return the report of ``diags``; ``sources`` maps paths to their text (for excerpts)."""
    paint = _Paint(colour)
    lines_of = _Lines(sources)
    out: list[str] = []
    for d in diags:
        mark = _COLOURS[d.severity]
        out.append(paint(mark, f"{d.severity.value}[{d.code}]") + paint(_BOLD, f": {safe(d.message)}"))
        out.append(paint(_BLUE, "  --> ") + f"{safe(d.path)}:{d.span.line}:{d.span.column}")
        out.extend(_excerpt(lines_of, d.path, d.span, d.rule, paint, mark))
        for rel in d.related:
            out.append(paint(_BOLD, "note") + f": {safe(rel.message)}")
            out.append(paint(_BLUE, "  --> ") + f"{safe(rel.path)}:{rel.span.line}:{rel.span.column}")
            out.extend(_excerpt(lines_of, rel.path, rel.span, "", paint, _BLUE))
        if d.help:
            out.append(paint(_BLUE, "  = ") + paint(_BOLD, "help") + f": {safe(d.help)}")
        out.append("")
    return "\n".join(out)


def summary(diags: list[Diagnostic], files: int) -> str:
    """Return the closing line: what was checked and what was found."""
    c = counts(diags)
    checked = plural(files, "file")
    if not diags:
        return f"checked {checked}: no findings"
    parts = [plural(c["errors"], "error"), plural(c["warnings"], "warning"), plural(c["infos"], "info")]
    return f"checked {checked}: " + ", ".join(parts)
