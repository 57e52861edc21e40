"""The canonical layout of a spec, printed from the syntax tree.

Layout: two spaces per level; one statement per line; in each block the
values of statements start in one column (names padded to the longest);
lists as ``[a, b, c]``; a body written on one line stays on one line when it
holds no comment and fits in ``WIDTH`` columns; at most one blank line
between statements, where the source had one. Every comment is kept: a
comment after code stays at the end of that line, a comment on a line of its
own stays before the statement it preceded. Formatting is idempotent, and the
formatted text compiles to the same model (both tested).
"""

from __future__ import annotations

import bisect
import re

from dsspec.compiler.syntax import coverage
from dsspec.compiler.syntax.cst import Document, Statement, Value

INDENT = "  "
WIDTH = 100


_SUPPRESSION = coverage.SUPPRESSION
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _quote(text: str) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") \
        .replace("\t", "\\t")
    return '"' + _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", body) + '"'


def _long(text: str, indent: str) -> str | None:
    """Return ``text`` as an indented ``\"\"\"`` block, or ``None`` when that would not read back the same."""
    if "\n" not in text or "\r" in text or text != text.strip("\n") or text.rstrip() != text \
            or _CONTROL.search(text) or "\\" in text or text.startswith((" ", "\t")):
        return None
    body = text.replace('"""', '\\"\\"\\"')
    lines = [(indent + line) if line.strip() else "" for line in body.split("\n")]
    inner = "\n" + "\n".join(lines) + "\n" + indent
    from dsspec.compiler.syntax.parser import _dedent_long, _unescape

    if _dedent_long(_unescape(inner)) != text:  # unusual whitespace that the block would not keep
        return None
    return '"""' + inner + '"""'


def value_text(v: Value, indent: str = "") -> str:
    """Return a value in canonical form; a multi-line string becomes a ``\"\"\"`` block at ``indent``."""
    if v.kind == "string":
        return _long(v.text, indent + INDENT) or _quote(v.text)
    if v.kind == "comparison":
        return f"{v.text} {value_text(v.items[0])}"
    if v.kind == "range":
        return f"{value_text(v.items[0])} .. {value_text(v.items[1])}"
    if v.kind == "list":
        return "[" + ", ".join(value_text(i) for i in v.items) + "]"
    return v.text


class _Printer:
    def __init__(self, doc: Document):
        self.comments = doc.comments
        self.lines_text = doc.text.split("\n")
        self.trailing: dict[int, list[str]] = {}
        self.own: dict[int, str] = {}
        for span, text in doc.comments:
            before = self.lines_text[span.line - 1][: span.column - 1]
            if before.strip():
                self.trailing.setdefault(span.line, []).append(text.rstrip())
            else:
                self.own[span.line] = text.rstrip()
        self.commented = sorted({span.line for span, _ in doc.comments})
        self.out: list[str] = []
        self.placed: dict[int, int] = {}  # id(statement) -> index in ``out`` of its first line
        self.comment_at: dict[int, int] = {}  # a comment's source line -> index in ``out`` it went to
        self._attach(doc.statements)

    def _attach(self, top: list[Statement]) -> None:
        """Decide which statement each trailing comment follows, and which lines stay whole.

        A comment at the end of a line follows the statement that ends last on
        that line (else the block opened last on it): ``a; b; c  # x`` is about
        ``c``, and stays with it wherever ``c`` is printed. A suppression
        covers its own line and the next, so the statements it covers on that
        line (the owner's neighbours in its block) stay together on one line
        and a one-line block there is not expanded: the findings it silences
        stay within its reach.
        """
        best: dict[int, tuple[int, Statement, str, list]] = {}  # line -> (offset, stmt, where, its block)
        first: dict[int, tuple[int, Statement, list]] = {}  # line -> the first statement starting on it
        index: dict[int, int] = {}  # id(stmt) -> its place in its block
        blocks = [top]
        while blocks:
            stmts = blocks.pop()
            for i, st in enumerate(stmts):
                index[id(st)] = i
                span = st.span
                for line, pos, where in ((span.line, span.offset, "head"), (span.end_line, span.end_offset, "end")):
                    if line in self.trailing and pos >= best.get(line, (-1,))[0]:
                        best[line] = (pos, st, where, stmts)
                if span.line not in first or span.offset < first[span.line][0]:
                    first[span.line] = (span.offset, st, stmts)
                if st.body:
                    blocks.append(st.body)
        self.owner = {line: (id(st), where) for line, (_, st, where, _) in best.items()}
        self.groups: dict[int, list[Statement]] = {}  # id(first of a group) -> statements kept on one line
        for span, text in self.comments:
            if not _SUPPRESSION.search(text):
                continue
            if span.line in best and best[span.line][2] == "end":
                _, st, _, stmts = best[span.line]
                k = index[id(st)]
                j = k
                while j > 0 and stmts[j - 1].span.line == stmts[j - 1].span.end_line == span.line:
                    j -= 1
                group = stmts[j:k + 1]
            elif span.line not in self.trailing and span.line + 1 in first:
                _, st, stmts = first[span.line + 1]
                k = j = index[id(st)]
                while j < len(stmts) and stmts[j].span.line == stmts[j].span.end_line == span.line + 1:
                    j += 1
                group = stmts[k:j]
            else:
                continue
            if group and group[-1].span.line == group[-1].span.end_line:
                self.groups[id(group[0])] = group
        self.forced = {id(st) for group in self.groups.values() for st in group}

    def comment_after(self, stmt: Statement, where: str) -> str:
        """Return (and take) the trailing comments that follow ``stmt`` at its ``head`` or ``end``."""
        lines = (stmt.span.line,) if where == "head" else (stmt.span.end_line,)
        found = [c for line in lines if self.owner.get(line) == (id(stmt), where)
                 for c in self._pop(line)]
        return ("  " + " ".join(found)) if found else ""

    def comments_of(self, stmts: list[Statement]) -> str:
        """Return the trailing comments of statements printed on one line."""
        return "".join(self.comment_after(s, w) for s in stmts for w in ("head", "end"))

    def take_trailing(self, first: int, last: int) -> str:
        found = []
        for line in range(first, last + 1):
            found.extend(self._pop(line))
        return ("  " + " ".join(found)) if found else ""

    def own_between(self, first: int, last: int) -> list[tuple[int, str]]:
        return [(line, self.own.pop(line)) for line in range(first, last + 1) if line in self.own]

    def blank_between(self, first: int, last: int) -> bool:
        return any(not self.lines_text[i - 1].strip() for i in range(first, last + 1) if 0 < i <= len(self.lines_text))

    def block(self, stmts: list[Statement], depth: int, start_line: int, end_line: int) -> None:
        """Print ``stmts`` (a body spanning source lines ``start_line``..``end_line``) at ``depth``."""
        pad = INDENT * depth
        width = max((len(s.name) for s in stmts if s.values), default=0) if depth else 0
        columns = self.value_columns(stmts, depth, width)
        prev_end = start_line
        i = 0
        while i < len(stmts):
            stmt = stmts[i]
            comments = self.own_between(prev_end + 1, stmt.span.line - 1)
            first_line = comments[0][0] if comments else stmt.span.line
            if i > 0 and self.blank_between(prev_end + 1, first_line - 1):
                self.out.append("")
            self.comment_lines(comments, pad)
            if comments and self.blank_between(comments[-1][0] + 1, stmt.span.line - 1):
                self.out.append("")
            group = self.kept_together(stmts, i)
            if len(group) > 1:
                self.place(group)
                self.out.append(pad + "; ".join(self.inline(s) for s in group) + self.comments_of(group))
            else:
                self.statement(stmt, depth, width, columns.get(id(stmt), ()))
            i += len(group)
            prev_end = group[-1].span.end_line
        tail = self.own_between(prev_end + 1, end_line - 1)
        if tail and stmts and self.blank_between(prev_end + 1, tail[0][0] - 1):
            self.out.append("")
        self.comment_lines(tail, pad)

    def comment_lines(self, comments: list[tuple[int, str]], pad: str) -> None:
        """Print own-line comments, keeping one blank line where the source had blank lines between them."""
        for k, (line, text) in enumerate(comments):
            if k and self.blank_between(comments[k - 1][0] + 1, line - 1):
                self.out.append("")
            self.comment_at[line] = len(self.out)
            self.out.append(pad + text)

    def kept_together(self, stmts: list[Statement], i: int) -> list[Statement]:
        """Return the statements from ``i`` on that a suppression keeps on one line with ``stmts[i]``."""
        return self.groups.get(id(stmts[i]), stmts[i:i + 1])

    def one_line(self, stmt: Statement, depth: int, width: int) -> bool:
        """Return whether ``stmt`` prints on one line: decided from its content, its name column and
        whether its source was one line, never from padding, so formatting again decides the same."""
        texts = [value_text(v, INDENT * depth) for v in stmt.values]
        if any("\n" in t for t in texts) or any(v.kind == "list" and self._has_comments(v) for v in stmt.values):
            return False
        if stmt.body is None:
            return True
        if stmt.span.line != stmt.span.end_line:
            return False
        if id(stmt) in self.forced:
            return True
        head = " ".join([stmt.name.ljust(width), *texts])
        inner = "; ".join(self.inline(s) for s in stmt.body)
        return len(INDENT * depth + head + (" { " + inner + " }" if inner else " {}")) <= WIDTH

    def value_columns(self, stmts: list[Statement], depth: int, width: int) -> dict[int, list[int]]:
        """Return, for runs of neighbouring statements of one name (``goal``, ``user``) that print on
        one line, the width of each value column but the last, so their values line up."""
        columns: dict[int, list[int]] = {}
        i = 0
        while i < len(stmts):
            j = i
            if self.one_line(stmts[i], depth, width):
                while j + 1 < len(stmts) and stmts[j + 1].name == stmts[i].name and \
                        (stmts[j + 1].body is None) == (stmts[i].body is None) and \
                        self.one_line(stmts[j + 1], depth, width):
                    j += 1
            run = stmts[i:j + 1]
            if len(run) > 1:
                n = min(len(s.values) for s in run) - (0 if stmts[i].body is not None else 1)
                widths = [max(len(value_text(s.values[k])) for s in run) for k in range(max(n, 0))]
                for s in run:
                    columns[id(s)] = widths
            i = j + 1
        return columns

    def statement(self, stmt: Statement, depth: int, width: int, widths=()) -> None:
        pad = INDENT * depth
        self.placed[id(stmt)] = len(self.out)  # whatever the layout, its first line is printed next
        head = stmt.name
        if stmt.values:
            texts = [value_text(v, pad) for v in stmt.values]
            head = stmt.name.ljust(width) + " " + " ".join(
                [t.ljust(w) for t, w in zip(texts, widths)] + texts[len(widths):])
        header_end = stmt.values[-1].span.end_line if stmt.values else stmt.name_span.line
        lists_with_comments = [v for v in stmt.values if v.kind == "list" and self._has_comments(v)]
        if lists_with_comments:
            self.long_list_statement(stmt, depth, width)
            header_end = stmt.values[-1].span.end_line
            if stmt.body is None:
                return
        if stmt.body is None:
            self.out.append(pad + head + self.comments_of([stmt]))
            return
        if self.one_line(stmt, depth, width):
            self.place([stmt])
            inner = "; ".join(self.inline(s) for s in stmt.body)
            self.out.append(pad + head + (" { " + inner + " }" if inner else " {}") + self.comments_of([stmt]))
            return
        if not lists_with_comments:
            self.out.append(pad + head + " {" + self.comment_after(stmt, "head") +
                            self.take_trailing(stmt.span.line + 1, header_end))
        else:
            self.out[-1] += " {"
        self.block(stmt.body, depth + 1, header_end, stmt.span.end_line)
        self.out.append(pad + "}" + self.comment_after(stmt, "end"))

    def _pop(self, line: int) -> list[str]:
        """Take the trailing comments of source ``line``, noting they go to the line printed next."""
        if line in self.trailing:
            self.comment_at[line] = len(self.out)
        return self.trailing.pop(line, [])

    def place(self, stmts: list[Statement]) -> None:
        """Note that ``stmts`` and everything nested in them print on the line printed next."""
        pending = list(stmts)
        while pending:
            st = pending.pop()
            self.placed[id(st)] = len(self.out)
            pending.extend(st.body or ())

    def inline(self, stmt: Statement) -> str:
        """Return a statement on one line, nested bodies included (strings quoted, never ``\"\"\"`` blocks)."""
        text = " ".join([stmt.name, *(_quote(v.text) if v.kind == "string" else value_text(v) for v in stmt.values)])
        if stmt.body is not None:
            inner = "; ".join(self.inline(s) for s in stmt.body)
            text += " { " + inner + " }" if inner else " {}"
        return text

    def long_list_statement(self, stmt: Statement, depth: int, width: int) -> None:
        """Print a statement with a list that has comments inside: that list one item per line."""
        pad = INDENT * depth
        line = pad + stmt.name.ljust(width)
        for v in stmt.values:
            if v.kind != "list" or not self._has_comments(v):
                line += " " + value_text(v, pad)
                continue
            self.out.append(line + " [" + self.take_trailing(v.span.line, v.span.line))
            for item in v.items:
                self.comment_lines(self.own_between(v.span.line + 1, item.span.line - 1), pad + INDENT * 2)
                self.out.append(pad + INDENT * 2 + value_text(item) + "," +
                                self.take_trailing(item.span.line, item.span.line))
            last = v.items[-1].span.line if v.items else v.span.line
            self.comment_lines(self.own_between(last + 1, v.span.end_line - 1), pad + INDENT * 2)
            line = pad + "]"
        self.out.append(line + (self.take_trailing(stmt.values[-1].span.end_line, stmt.values[-1].span.end_line)
                                if stmt.body is None else ""))

    def _has_comments(self, v: Value) -> bool:
        """Return whether a comment stands on a line of the multi-line value ``v`` (by bisection:
        a file of thousands of commented lists stays linear)."""
        if v.span.line == v.span.end_line:
            return False
        k = bisect.bisect_left(self.commented, v.span.line)
        return k < len(self.commented) and self.commented[k] <= v.span.end_line


def format_document(doc: Document) -> str:
    """Return ``doc`` in the canonical layout, every comment kept.

    Raises ``coverage.Uncovered`` when no layout this formatter prints keeps
    a suppression over the statements it covers (the text is then left as it is).
    """
    printer = _Printer(doc)
    last = len(printer.lines_text) + 1
    printer.block(doc.statements, 0, 0, last)
    leftovers = sorted(list(printer.own.items()) + [(k, " ".join(v)) for k, v in printer.trailing.items()])
    printer.out.extend(text for _, text in leftovers)  # never drop a comment, whatever the layout
    coverage.check(doc.statements, doc.comments, printer.out, printer.placed, printer.comment_at)
    text = "\n".join(printer.out).strip("\n")
    return text + "\n" if text else ""
