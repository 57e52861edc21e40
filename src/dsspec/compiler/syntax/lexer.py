"""The lexer: one regex built from the grammar's terminals, plus what the grammar cannot say."""

from __future__ import annotations

import re

from dsspec.base.span import Span
from dsspec.compiler.syntax import literals, mistakes
from dsspec.compiler.syntax.blocks import close_blocks
from dsspec.compiler.syntax.fix import Fix, is_name
from dsspec.compiler.syntax.grammar import BLANKS, compile_terminals
from dsspec.compiler.syntax.recovery import Recovery, line_text
from dsspec.compiler.syntax.tokens import Token

MAX_NESTING = 64

_MALFORMED = re.compile(r"[$0-9A-Za-z_.%/]+")
_SKIP_BLANKS = re.compile(BLANKS)
_SIGNED_EXPONENT = re.compile(r"\$?[0-9]+(?:\.[0-9]+)?[eE][+-][0-9]+[A-Za-z%]*(?:/[A-Za-z]+)?")


class NestingTooDeep(Exception):
    """Raised by the lexer to stop a parse at an absurdly deep `{`."""

    def __init__(self, token: Token):
        super().__init__(token)
        self.token = token


class Lexer:
    """One-regex lexer built from the grammar's own terminals.

    It matches exactly the grammar's terminals (their patterns come from the
    ``.lark`` file, ordered by priority), but tracks lines itself and keeps
    the jobs the grammar cannot express:

    * inside ``[...]`` newlines are dropped, so a list may span lines;
    * ``{`` tokens are counted: past ``MAX_NESTING`` the parse stops with
      ``NestingTooDeep``; blocks still open at the end of the text are closed
      where their indentation ends (``_close_blocks``), so one missing ``}``
      is one finding at the block that lost it;
    * newcomers' mistakes (``dsspec.compiler.syntax.mistakes``: ``6 h``, ``14,000,000``,
      ``'text'``, ``timeout: 4h``, a ``{`` on the next line...) are reported
      once and replaced by the tokens that were meant.

    Other characters that start no token are reported to ``errors`` and
    skipped; an unterminated ``"`` string runs to the end of its line, as if
    it were closed there. Comments are collected in ``comments``.
    """

    def __init__(self, terminals: list[list[str]], ignore: list[str]):
        # leading blanks are consumed by the same match as the token that follows them
        self.pattern = compile_terminals(terminals)
        self.ignore = frozenset(ignore)
        self.errors: list[tuple[Span, str, str | None]] = []
        self.comments: list[Token] = []

    def tokens(self, text: str) -> list[Token]:
        """Return the tokens of ``text``, ending with ``$END``; problems go to ``errors``."""
        return _Scan(self, text).run()


_HEADER_END = frozenset({"NAME", "STRING", "LONG_STRING", "NUMBER", "PERCENT", "DURATION", "MONEY", "RATE", "DATE",
                         "RSQB"})
_STATEMENT_END = frozenset({"_NL", "SEMICOLON", "LBRACE", "RBRACE"})
_LOOKBACK = 64
_LONG = Token("...", "", 0, 0, 0, 0, 0, 0)  # stands for the start of a statement longer than _LOOKBACK tokens
_CHECKED = frozenset({"NUMBER", "PERCENT", "DURATION", "MONEY", "RATE", "DATE", "NAME"})
_PLAIN = frozenset({"NAME", "NUMBER", "PERCENT", "DURATION", "MONEY", "RATE", "DATE", "CMP", "COMMA", "_DOTDOT",
                    "SEMICOLON"})
"""Tokens ``push`` only appends (outside a YAML-style block): the lexer appends them itself."""


class _Scan(Recovery):
    """One pass of the lexer over one text (its state, kept out of the reusable ``Lexer``)."""

    def __init__(self, lexer: Lexer, text: str):
        self.lexer, self.text = lexer, text
        self.errors = lexer.errors = []
        self.comments = lexer.comments = []
        self.out: list[Token] = []
        self.line, self.line_start, self.depth = 1, 0, 0
        self.list_open: Token | None = None
        self.braces: list[Token] = []
        self.bare = False  # a list written without brackets (`fields a, b`) is open until the line ends
        self.unquoted_items = False  # a list's quoted items were reported
        self.yaml_list = False  # a YAML-style list (`name:` then `- item` lines) is open
        self.yaml: list[int] = []  # indentation of each `name:` line whose block is open

    def token(self, kind: str, value: str, start: int, stop: int) -> Token:
        return Token(kind, value, start, self.line, start - self.line_start + 1, self.line,
                     stop - self.line_start + 1, stop)

    def error(self, start: int, stop: int, message: str, help: str | None) -> None:
        self.errors.append((Span(self.line, start - self.line_start + 1, self.line, stop - self.line_start + 1,
                                 start, stop), message, help))

    def prev(self) -> Token | None:
        return self.out[-1] if self.out else None

    def statement(self) -> list[Token]:
        """Return the tokens of the statement being lexed (from its name).

        Only the last ``_LOOKBACK`` tokens are looked at, so a stumble costs the
        same however long the statement: a longer one starts with a marker no
        mistake matches.
        """
        out = self.out
        i, stop = len(out), max(0, len(out) - _LOOKBACK)
        while i > stop and out[i - 1].type not in _STATEMENT_END:
            i -= 1
        if i == stop and stop > 0 and out[i - 1].type not in _STATEMENT_END:
            return [_LONG, *out[i:]]
        return out[i:]

    def run(self) -> list[Token]:
        text, match, ignore, end = self.text, self.lexer.pattern.match, self.lexer.ignore, len(self.text)
        pos = 0
        while pos < end:
            m = match(text, pos)
            if m is None:
                pos = _SKIP_BLANKS.match(text, pos).end()
                if pos < end:
                    pos = self.stumble(pos)
                continue
            kind = m.lastgroup
            pos, stop = m.start(kind), m.end()
            if kind in ignore:
                if kind == "COMMENT":
                    self.comments.append(self.token(kind, m.group(kind), pos, stop))
                pos = stop
                continue
            value = m.group(kind)
            if kind == "_NL" or (kind == "LONG_STRING" and "\n" in value):
                tok = Token(kind, value, pos, self.line, pos - self.line_start + 1, self.line + value.count("\n"),
                            stop - (pos + value.rfind("\n") + 1) + 1, stop)
                self.line += value.count("\n")
                self.line_start = pos + value.rfind("\n") + 1
                pos = stop
                if kind == "_NL":
                    self.newline(tok)
                else:
                    self.push(tok)
                continue
            if kind == "STRING" and value == '""' and text.startswith('"', stop):  # `"""` never closed
                pos = self.open_long_string(pos)
                continue
            column = pos - self.line_start + 1
            tok = Token(kind, value, pos, self.line, column, self.line, column + stop - pos, stop)
            if self.bare and kind in ("RBRACE", "SEMICOLON"):
                self.close_bare()
            out = self.out
            prev = out[-1] if out else None
            fix = None
            if kind == "NUMBER":
                fix = literals.loose_date(text, pos)
            if fix is None and prev is not None and prev.line == tok.line:
                fix = literals.after_token(text, prev, tok, self.depth > 0)
                if fix is None and kind == "NAME" and not self.depth:
                    fix = literals.after_word(text, prev, tok)
            if fix is not None:
                pos = self.apply(fix)
                continue
            if kind == "COMMA" and not self.depth:
                pos = self.comma(tok)
                continue
            if kind in _PLAIN and not self.yaml:  # nothing for `push` to keep in step: the common case
                out.append(tok)
            else:
                self.push(tok)
            pos = stop
        return self.finish()

    def stumble(self, pos: int) -> int:
        """Report what cannot be lexed at ``pos``; return where to go on."""
        text = self.text
        stop = text.find("\n", pos)
        stop = len(text) if stop < 0 else stop
        if text.startswith('"""', pos):
            return self.open_long_string(pos)
        if text[pos] == '"':
            self.error(pos, pos + 1, "unterminated string: add the closing `\"` on this line",
                       "a string ends on its line; use `\"\"\"...\"\"\"` for text over several lines")
            self.push(self.token("STRING", text[pos:stop].rstrip("\r") + '"', pos, stop))
            return stop
        char = text[pos]
        if self.errors and self.errors[-1][0].line == self.line:  # one finding per line: no need to explain more
            bad_end = _MALFORMED.match(text, pos).end() if char in "0123456789$" else pos + 1
            return max(bad_end, pos + 1)
        if self.yaml_list and char == "-":
            if self.out[-1].type != "LSQB":
                self.push(self.token("COMMA", ",", pos, pos + 1))
            return pos + 1
        if char in "0123456789$":
            bad_end = _MALFORMED.match(text, pos).end()
            signed = _SIGNED_EXPONENT.match(text, pos)  # `1e+400`, `2.5E-3`: the sign belongs to the literal
            if signed is not None and signed.end() > bad_end:
                bad_end = signed.end()
            fix = literals.bad_literal(text, pos, bad_end, self.prev())
            if fix is not None:
                return self.apply(fix)
            self.error(pos, bad_end, f"`{text[pos:bad_end]}` is not a valid value",
                       "a number may end with k, M or B, a unit of time (ms, s, min, h, d, w, mo, y), "
                       "`%` or `/period`; money starts with `$`")
            return bad_end
        fix = mistakes.bad_char(text, pos, self.statement())
        if fix is not None:
            return self.apply(fix)
        shown = f"`{char}`" if char.isprintable() else f"U+{ord(char):04X}"
        self.error(pos, pos + 1, f"unexpected character {shown}",
                   "values are names, strings, numbers with units, comparisons and lists")
        return pos + 1

    def open_long_string(self, pos: int) -> int:
        """Report a `\"\"\"` never closed; end it where a line comes back to its statement's indentation.

        Its text is indented under its statement, so the first line that is
        not (a statement or a `}`) is where the closing quotes were forgotten:
        the string stops before it and the rest of the file is still read.
        """
        text = self.text
        indent = self.indent_of(self.line)
        back = re.compile(r"\n([ \t]*)(?=[^ \t\r\n])")
        end = len(text)
        for m in back.finditer(text, pos):
            if len(m.group(1)) <= indent and not text.startswith('"""', m.end()):
                end = m.start()
                break
        line = self.line + text.count("\n", pos, end)
        where = f"before line {line + 1}" if end < len(text) else "at the end of the file"
        self.error(pos, pos + 3, f"unterminated string: add the closing `\"\"\"` {where}",
                   "a `\"\"\"` string runs until its closing `\"\"\"`")
        value = text[pos:end] + '"""'
        last = text.rfind("\n", pos, end)
        tok = Token("LONG_STRING", value, pos, self.line, pos - self.line_start + 1, line,
                    end - (last + 1 if last >= 0 else self.line_start) + 1, end)
        if last >= 0:
            self.line, self.line_start = line, last + 1
        self.push(tok)
        return end

    def apply(self, fix: Fix) -> int:
        """Report ``fix`` and push the tokens it means; return where to go on."""
        if fix.merge:
            del self.out[-(fix.drop or 1):]
        self.error(fix.start, fix.stop, fix.message, fix.help)
        for kind, value in fix.tokens:
            if kind in _CHECKED:  # a repaired literal must be one the grammar accepts, or it is left out
                m = self.lexer.pattern.fullmatch(value)
                if m is None or m.lastgroup != kind:
                    continue
            self.push(self.token(kind, value, fix.start, fix.stop))
        if fix.block and fix.tokens[0][0] == "LSQB":
            self.yaml_list, self.bare = True, False
        elif fix.block:
            self.yaml.append(self.indent_of(self.line))
        return fix.stop

    def indent_of(self, line: int) -> int:
        """Return the indentation of the statement the last token belongs to (on ``line`` or before)."""
        i = len(self.out) - 1
        while i > 0 and self.out[i - 1].type not in _STATEMENT_END:
            i -= 1
        first = self.out[i] if self.out else None
        if first is None:
            return 0
        line_start = self.text.rfind("\n", 0, first.start_pos) + 1
        return len(self.text[line_start:first.start_pos]) - len(self.text[line_start:first.start_pos].lstrip())

    def push(self, tok: Token) -> None:
        """Append ``tok``, keeping lists, blocks and YAML-style blocks in step."""
        kind = tok.type
        out = self.out
        if self.yaml and out and out[-1].type == "_NL" and kind not in ("_NL", "$END"):
            indent = tok.column - 1
            while self.yaml and indent <= self.yaml[-1]:
                self.yaml.pop()
                self.push(self.token("RBRACE", "}", tok.start_pos, tok.start_pos))
                out.append(Token("_NL", "\n", tok.start_pos, tok.line, tok.column, tok.line, tok.column,
                                 tok.start_pos))
        if kind == "LSQB":
            self.depth += 1
            if self.depth == 1:
                self.list_open, self.unquoted_items = tok, False
        elif kind == "RSQB":
            self.depth = self.depth - 1 if self.depth else 0
        elif kind == "STRING" and self.depth and is_name(tok.value[1:-1]):
            if not self.unquoted_items:
                self.unquoted_items = True
                self.errors.append((Span.of_token(tok), f"write `{tok.value[1:-1]}` without quotes: the items "
                                    "of a list are names", "a list is written `[amount, mcc]`"))
            tok = Token("NAME", tok.value[1:-1], tok.start_pos, tok.line, tok.column, tok.end_line, tok.end_column,
                        tok.end_pos)
            kind = "NAME"
        elif kind == "LBRACE" or kind == "RBRACE":
            if self.depth:
                out.append(self.close_list(tok.start_pos, tok.line, tok.column))
            if kind == "LBRACE":
                if len(out) >= 2 and out[-1].type == "_NL" and out[-2].type in _HEADER_END:
                    header = out[-2]
                    self.errors.append((Span.of_token(tok), f"move `{{` up to the end of line {header.end_line}: "
                                        f"`{line_text(self.text, header.end_pos)} {{`",
                                        "a block opens on the line of its statement, not below it"))
                    out.pop()
                self.braces.append(tok)
                if len(self.braces) > MAX_NESTING:
                    raise NestingTooDeep(tok)
            elif self.braces:
                self.braces.pop()
            elif not self.missing_open(tok):
                return
        out.append(tok)

    def close_list(self, pos: int, line: int, column: int) -> Token:
        """Report an unclosed ``[`` and return the ``]`` that closes it at ``pos``."""
        self.errors.append((Span.of_token(self.list_open), "unclosed `[`: add `]` to close the list",
                            "a list is written `[a, b]`"))
        self.depth = 0
        return Token("RSQB", "]", pos, line, column, line, column, pos)

    def finish(self) -> list[Token]:
        end = len(self.text)
        column = end - self.line_start + 1
        if self.depth:
            self.out.append(self.close_list(end, self.line, column))
        while self.yaml:
            self.yaml.pop()
            self.braces.pop()
            self.out.append(Token("RBRACE", "}", end, self.line, column, self.line, column, end))
        out = self.out
        if self.braces:
            out = close_blocks(self.text, out, self.braces, self.errors)
        out.append(Token("$END", "", end, self.line, column, self.line, column, end))
        return out
