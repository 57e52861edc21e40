"""Parsing again after an edit: the top-level statements that did not change are not parsed again.

An editor recompiles a document on every pause in typing, and nearly all of a
long spec is unchanged each time. ``Reparser`` cuts the text into top-level
chunks (a chunk starts at a line that begins a statement at depth 0, outside
any string, list or block), parses each chunk it has not seen on its own and
moves the tree of every chunk to where it now stands (a chunk starts at a
line start, so only lines and offsets move; columns do not).

The result is the one ``parser.parse`` returns, or that function is used:
when the text cannot be cut with certainty (a brace or bracket left open or
closed twice, an unterminated long string, a carriage return), or when a
chunk has a syntax finding (recovery may read past a chunk's end), the whole
text is parsed as it would be without the cache.
"""

from __future__ import annotations

import re

from dsspec.base.diagnostics import Diagnostic
from dsspec.base.span import Span
from dsspec.compiler.syntax.cst import Document, Statement, Value
from dsspec.compiler.syntax.parser import parse

_SCAN = re.compile(r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*|[{}\[\]\n]|"""|"')
_STARTS = re.compile(r"[A-Za-z_]")


def chunks(text: str) -> list[tuple[int, int]] | None:
    """Return ``(offset, line)`` of each top-level chunk's start (0-based line), or ``None`` when unsure."""
    if "\r" in text:
        return None
    starts = [(0, 0)]
    depth = brackets = 0
    line = 0
    for m in _SCAN.finditer(text):
        tok = m.group()
        if tok == "\n":
            line += 1
            end = m.end()
            if depth == 0 and brackets == 0 and end < len(text) and _STARTS.match(text, end):
                starts.append((end, line))
        elif tok == "{":
            depth += 1
        elif tok == "}":
            depth -= 1
            if depth < 0:
                return None
        elif tok == "[":
            brackets += 1
        elif tok == "]":
            brackets -= 1
            if brackets < 0:
                return None
        elif tok in ('"', '"""'):
            return None  # an unterminated string: recovery decides where it ends
        elif tok.startswith('"""'):
            line += tok.count("\n")
    if depth or brackets:
        return None
    return starts


def _span(s: Span, lines: int, offset: int) -> Span:
    return Span(s.line + lines, s.column, s.end_line + lines, s.end_column, s.offset + offset, s.end_offset + offset)


def _move_value(v: Value, lines: int, offset: int) -> None:
    v.span = _span(v.span, lines, offset)
    for item in v.items:
        _move_value(item, lines, offset)


def _move(st: Statement, lines: int, offset: int) -> None:
    """Move a statement and everything in it ``lines`` lines and ``offset`` code points, in place."""
    st.name_span = _span(st.name_span, lines, offset)
    st.span = _span(st.span, lines, offset)
    for v in st.values:
        _move_value(v, lines, offset)
    for c in st.body or ():
        _move(c, lines, offset)


class _Chunk:
    """One chunk's statements and comments, where they stand now (its first line, 0-based, and offset)."""

    __slots__ = ("statements", "comments", "line", "start")

    def __init__(self, statements: list[Statement], comments: list[tuple[Span, str]], line: int, start: int):
        self.statements, self.comments, self.line, self.start = statements, comments, line, start

    def move_to(self, line: int, start: int) -> None:
        dl, do = line - self.line, start - self.start
        if dl or do:
            for st in self.statements:
                _move(st, dl, do)
            self.comments = [(_span(sp, dl, do), c) for sp, c in self.comments]
            self.line, self.start = line, start


class Reparser:
    """``parse`` for one document edited again and again: unchanged chunks are reused.

    The syntax trees of reused chunks are moved in place, so a document this
    returned earlier must not be used after the next call (an editor's
    server replaces its analysis of the document at once).
    """

    def __init__(self):
        self._chunks: dict[str, list[_Chunk]] = {}
        self.reused = 0
        """Chunks the last ``parse`` did not parse again (for tests and the benchmark)."""

    def parse(self, path: str, text: str) -> tuple[Document, list[Diagnostic]]:
        """Return what ``parser.parse(path, text)`` returns."""
        self.reused = 0
        cut = chunks(text)
        if cut is None or len(cut) < 2:
            self._chunks = {}
            return parse(path, text)
        kept: dict[str, list[_Chunk]] = {}
        statements: list[Statement] = []
        comments: list[tuple[Span, str]] = []
        bounds = [*cut, (len(text), None)]
        for (start, line), (end, _) in zip(bounds, bounds[1:]):
            chunk = text[start:end]
            old = self._chunks.get(chunk)
            if old:
                here = old.pop()
                here.move_to(line, start)
                self.reused += 1
            else:
                doc, diags = parse(path, chunk)
                if diags:  # recovery may read past the chunk: the whole text, as it would be parsed
                    self._chunks = {}
                    return parse(path, text)
                here = _Chunk(doc.statements, doc.comments, 0, 0)
                here.move_to(line, start)
            kept.setdefault(chunk, []).append(here)
            statements += here.statements
            comments += here.comments
        self._chunks = kept
        return Document(path, text, statements, comments), []
