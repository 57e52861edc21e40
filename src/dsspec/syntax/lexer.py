"""The lexer: one regex built from the grammar's terminals, plus what the grammar cannot say."""

from __future__ import annotations

import re

from dsspec.span import Span

MAX_NESTING = 64

_MALFORMED = re.compile(r"[$0-9A-Za-z_.%/]+")
_BLANKS = r"[ \t\f\r]*"
_SKIP_BLANKS = re.compile(_BLANKS)


class Token:
    """A lexed token; positions follow ``dsspec.span`` (ends exclusive)."""

    __slots__ = ("type", "value", "start_pos", "line", "column", "end_line", "end_column", "end_pos")

    def __init__(self, type, value, start_pos, line, column, end_line, end_column, end_pos):
        self.type, self.value, self.start_pos = type, value, start_pos
        self.line, self.column, self.end_line, self.end_column, self.end_pos = line, column, end_line, end_column, end_pos

    def __repr__(self) -> str:
        return f"Token({self.type}, {self.value!r}, {self.line}:{self.column})"


class NestingTooDeep(Exception):
    """Raised by the lexer to stop a parse at an absurdly deep `{`."""

    def __init__(self, token: Token):
        super().__init__(token)
        self.token = token


class Lexer:
    """One-regex lexer built from the grammar's own terminals.

    It matches exactly the grammar's terminals (their patterns come from the
    ``.lark`` file, ordered by priority), but tracks lines itself and keeps
    the two jobs the grammar cannot express:

    * inside ``[...]`` newlines are dropped, so a list may span lines;
    * ``{`` tokens are counted: past ``MAX_NESTING`` the parse stops with
      ``NestingTooDeep``; those still open at the end of the text are
      reported once, at the first of them, and closed, so the statements
      before them still reach the model.

    Characters that start no token are reported to ``errors`` (one per line)
    and skipped; an unterminated ``"`` string runs to the end of its line, as
    if it were closed there. Comments are collected in ``comments``.
    """

    def __init__(self, terminals: list[list[str]], ignore: list[str]):
        # leading blanks are consumed by the same match as the token that follows them
        self.pattern = re.compile(_BLANKS + "(?:" + "|".join(f"(?P<{name}>{regex})" for name, regex in terminals) + ")")
        self.ignore = frozenset(ignore)
        self.errors: list[tuple[Span, str, str | None]] = []
        self.comments: list[Token] = []

    def _close_list(self, opened: Token, pos: int, line: int, column: int) -> Token:
        """Report an unclosed ``[`` and return the ``]`` that closes it at ``pos``."""
        self.errors.append((Span.of_token(opened), "unclosed `[`: the list is never closed",
                            "add `]` to close the list"))
        return Token("RSQB", "]", pos, line, column, line, column, pos)

    def tokens(self, text: str):
        """Yield the tokens of ``text``, then ``$END``; problems go to ``errors``."""
        braces: list[Token] = []
        self.errors = errors = []
        self.comments = comments = []
        match = self.pattern.match
        ignore = self.ignore
        pos, line, line_start, depth, end = 0, 1, 0, 0, len(text)
        list_open = None
        while pos < end:
            m = match(text, pos)
            if m is None:
                pos = _SKIP_BLANKS.match(text, pos).end()
                if pos >= end:
                    break
                span = Span.point(line, pos - line_start + 1, pos)
                stop = text.find("\n", pos)
                stop = end if stop < 0 else stop
                if text.startswith('"""', pos):
                    errors.append((span, "unterminated string: `\"\"\"` is never closed",
                                   "close the string with `\"\"\"`"))
                    break
                if text[pos] == '"':
                    errors.append((span, "unterminated string: missing closing `\"` on this line",
                                   "close the string with `\"`; use `\"\"\"...\"\"\"` for text over several lines"))
                    yield Token("STRING", text[pos:stop].rstrip("\r") + '"', pos, line, pos - line_start + 1,
                                line, stop - line_start + 1, stop)
                    pos = stop
                    continue
                char = text[pos]
                if char in "0123456789$":
                    bad = _MALFORMED.match(text, pos)
                    stop = bad.end()
                    errors.append((Span(line, pos - line_start + 1, line, stop - line_start + 1, pos, stop),
                                   f"`{text[pos:stop]}` is not a valid value",
                                   "a number may end with k, M or B, a unit of time (ms, s, min, h, d, w, mo, y), "
                                   "`%` or `/period`; money starts with `$`"))
                    pos = stop
                    continue
                shown = f"`{char}`" if char.isprintable() else f"U+{ord(char):04X}"
                errors.append((span, f"unexpected character {shown}",
                               "values are names, strings, numbers with units, comparisons and lists"))
                pos += 1
                continue
            kind = m.lastgroup
            pos = m.start(kind)
            stop = m.end()
            if kind in ignore:
                if kind == "COMMENT":
                    comments.append(Token(kind, m.group(kind), pos, line, pos - line_start + 1,
                                          line, stop - line_start + 1, stop))
                pos = stop
                continue
            value = m.group(kind)
            if kind == "_NL" or kind == "LONG_STRING":
                newlines = value.count("\n")
                if newlines:
                    tok = Token(kind, value, pos, line, pos - line_start + 1, line + newlines,
                                stop - (pos + value.rfind("\n") + 1) + 1, stop)
                    line += newlines
                    line_start = pos + value.rfind("\n") + 1
                    pos = stop
                    if kind == "_NL" and depth:
                        continue
                    yield tok
                    continue
            tok = Token(kind, value, pos, line, pos - line_start + 1, line, stop - line_start + 1, stop)
            pos = stop
            if kind == "LSQB":
                depth += 1
                if depth == 1:
                    list_open = tok
            elif kind == "RSQB":
                depth = depth - 1 if depth else 0
            elif kind == "LBRACE" or kind == "RBRACE":
                if depth:
                    yield self._close_list(list_open, tok.start_pos, tok.line, tok.column)
                    depth = 0
                if kind == "LBRACE":
                    braces.append(tok)
                    if len(braces) > MAX_NESTING:
                        raise NestingTooDeep(tok)
                elif braces:
                    braces.pop()
            yield tok
        if depth:
            yield self._close_list(list_open, end, line, end - line_start + 1)
        if braces:
            errors.append((Span.of_token(braces[0]), "unclosed `{`: the block is never closed",
                           "add `}` to close the block"))
            for _ in braces:
                yield Token("RBRACE", "}", end, line, end - line_start + 1, line, end - line_start + 1, end)
            braces.clear()
        yield Token("$END", "", end, line, end - line_start + 1, line, end - line_start + 1, end)
