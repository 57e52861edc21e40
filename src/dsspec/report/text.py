"""The human report: rustc-style findings with the source line and carets."""

from __future__ import annotations

from dsspec.diagnostics import Diagnostic, Severity
from dsspec.report.common import counts, plural, safe
from dsspec.span import Span

_COLOURS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}
_BLUE, _BOLD, _RESET = "\x1b[1;34m", "\x1b[1m", "\x1b[0m"


class _Paint:
    def __init__(self, colour: bool):
        self.on = colour

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.on else text


def _excerpt(lines: list[str] | None, span: Span, label: str, paint: _Paint, mark: str) -> list[str]:
    if not lines or span.line > len(lines):
        return []
    raw = lines[span.line - 1].rstrip("\r\n")
    shown = safe(raw.replace("\t", " "))
    start = span.column - 1
    end = span.end_column - 1 if span.end_line == span.line else len(raw.rstrip())
    end = max(end, start + 1)
    # columns count code points of the raw line; escapes in `shown` only follow control characters,
    # so measure the prefix in the same shown form
    pad = len(safe(raw[:start].replace("\t", " ")))
    width = max(1, len(safe(raw[start:end].replace("\t", " "))))
    gutter = str(span.line)
    bar = paint(_BLUE, " " * len(gutter) + " |")
    return [bar,
            paint(_BLUE, f"{gutter} |") + f" {shown}",
            bar + " " + " " * pad + paint(mark, "^" * width + (f" {label}" if label else ""))]


def render(diags: list[Diagnostic], sources: dict[str, str], colour: bool = False) -> str:
    """Return the report of ``diags``; ``sources`` maps paths to their text (for excerpts)."""
    paint = _Paint(colour)
    split: dict[str, list[str]] = {}
    out: list[str] = []
    for d in diags:
        lines = split.setdefault(d.path, sources[d.path].split("\n")) if d.path in sources else None
        mark = _COLOURS[d.severity]
        out.append(paint(mark, f"{d.severity.value}[{d.code}]") + paint(_BOLD, f": {safe(d.message)}"))
        out.append(paint(_BLUE, "  --> ") + f"{safe(d.path)}:{d.span.line}:{d.span.column}")
        out.extend(_excerpt(lines, d.span, d.rule, paint, mark))
        for rel in d.related:
            rel_lines = split.setdefault(rel.path, sources[rel.path].split("\n")) if rel.path in sources else None
            out.append(paint(_BOLD, "note") + f": {safe(rel.message)}")
            out.append(paint(_BLUE, "  --> ") + f"{safe(rel.path)}:{rel.span.line}:{rel.span.column}")
            out.extend(_excerpt(rel_lines, rel.span, "", paint, _BLUE))
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
