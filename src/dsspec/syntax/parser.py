"""Text -> ``Document``: the LALR parse, error recovery and syntax messages.

The parser is Lark's LALR with the tree builder embedded (``CSTBuilder``), so
no intermediate Lark tree is built and nothing recurses on nesting depth.
Recovery works statement by statement: after an error the rest of its line is
skipped silently, so one mistake gives one finding, and an unclosed block is
closed at the end of the file so the statements before it still reach the
model.
"""

from __future__ import annotations

import codecs
import re

from lark import Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer

from dsspec.codes import core
from dsspec.diagnostics import Diagnostic
from dsspec.span import Span
from dsspec.syntax.cst import Document, Statement, Value

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LINE_CHARS = 10_000
MAX_NESTING = 64
MAX_SYNTAX_ERRORS = 20

_TOKEN_NAMES = {
    "NAME": "a name",
    "STRING": "a string",
    "LONG_STRING": "a string",
    "NUMBER": "a number",
    "PERCENT": "a percentage",
    "DURATION": "a duration",
    "MONEY": "an amount of money",
    "RATE": "a rate",
    "DATE": "a date",
    "CMP": "a comparison",
    "_NL": "end of line",
    "SEMICOLON": "`;`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "COMMA": "`,`",
    "_DOTDOT": "`..`",
    "$END": "end of file",
}
_VALUE_TOKENS = {"NAME", "STRING", "LONG_STRING", "NUMBER", "PERCENT", "DURATION", "MONEY", "RATE", "DATE"}


_MALFORMED = re.compile(r"[$0-9A-Za-z_.%/]+")

COMMENT_SINK: list[Token] = []
"""Comments lexed by the current parse (a Lark lexer callback fills it)."""


class NestingTooDeep(Exception):
    """Raised by the post-lexer to stop a parse at an absurdly deep `{`."""

    def __init__(self, token: Token):
        super().__init__(token)
        self.token = token


class FastLexer(Lexer):
    """One-regex lexer built from the grammar's own terminals.

    It matches exactly the grammar's terminals (their patterns come from the
    ``.lark`` file, ordered by priority), but tracks lines itself and keeps
    the two jobs the grammar cannot express:

    * inside ``[...]`` newlines are dropped, so a list may span lines;
    * ``{`` tokens are counted: past ``MAX_NESTING`` the parse stops with
      ``NestingTooDeep``; those still open at the end of the text are
      reported once, at the first of them, and closed, so the statements
      before them still reach the model.

    After a parse error Lark asks the lexer to resume; ``lex`` then hands back
    the same token stream rather than starting over.

    Characters that start no token are reported to ``errors`` (one per line)
    and skipped; an unterminated ``"`` string runs to the end of its line, as
    if it were closed there.
    """

    __future_interface__ = 2

    def __init__(self, lexer_conf):
        terminals = sorted(lexer_conf.terminals, key=lambda t: (-t.priority, t.name))
        self.pattern = re.compile("|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals))
        self.ignore = frozenset(lexer_conf.ignore)
        self.callbacks = lexer_conf.callbacks
        self.errors: list[tuple[Span, str, str | None]] = []
        self._stream = None
        self._state = None

    def _close_list(self, opened: Token, pos: int, line: int, column: int) -> Token:
        """Report an unclosed ``[`` and return the ``]`` that closes it at ``pos``."""
        self.errors.append((Span.of_token(opened), "unclosed `[`: the list is never closed",
                            "add `]` to close the list"))
        return Token("RSQB", "]", pos, line, column, line, column, pos)

    def lex(self, lexer_state, parser_state):
        if lexer_state is not self._state or self._stream is None:
            text = lexer_state.text
            self._state = lexer_state
            self._stream = self._tokens(getattr(text, "text", text))
        return self._stream

    def _tokens(self, text: str):
        braces: list[Token] = []
        self.errors = errors = []
        match = self.pattern.match
        ignore = self.ignore
        callbacks = self.callbacks
        pos, line, line_start, depth, end = 0, 1, 0, 0, len(text)
        list_open = None
        while pos < end:
            m = match(text, pos)
            if m is None:
                span = Span.point(line, pos - line_start + 1, pos)
                stop = text.find("\n", pos)
                stop = end if stop < 0 else stop
                if text.startswith('"""', pos):
                    errors.append((span, "unterminated string: `\"\"\"` is never closed",
                                   "close the string with `\"\"\"`"))
                    return
                if text[pos] == '"':
                    errors.append((span, "unterminated string: missing closing `\"` on this line",
                                   "close the string with `\"`; use `\"\"\"...\"\"\"` for text over several lines"))
                    yield Token("STRING", text[pos:stop].rstrip("\r") + '"', pos, line, pos - line_start + 1,
                                line, stop - line_start + 1, stop)
                    pos = stop
                    continue
                char = text[pos]
                if char.isdigit() or char == "$":
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
            stop = m.end()
            if kind in ignore:
                if kind in callbacks:
                    callbacks[kind](Token(kind, m.group(), pos, line, pos - line_start + 1,
                                          line, stop - line_start + 1, stop))
                pos = stop
                continue
            value = m.group()
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


def _unescape(body: str) -> str:
    if "\\" not in body:
        return body
    return codecs.decode(body.encode("utf-8", "backslashreplace"), "unicode_escape").encode(
        "latin-1", "backslashreplace").decode("utf-8", "replace")


def _dedent_long(body: str) -> str:
    import textwrap

    if body.startswith("\n"):
        body = body[1:]
    elif body.startswith("\r\n"):
        body = body[2:]
    return textwrap.dedent(body).rstrip()


def _scalar(kind: str):
    def build(self, children):
        tok = children[0]
        text = str(tok)
        if kind == "string":
            text = _dedent_long(_unescape(text[3:-3])) if tok.type == "LONG_STRING" else _unescape(text[1:-1])
        return Value(kind, text, Span.of_token(tok))

    return build


class CSTBuilder(Transformer):
    """Build ``Statement`` and ``Value`` objects as the parser reduces."""

    ident = _scalar("ident")
    string = _scalar("string")
    number = _scalar("number")
    percent = _scalar("percent")
    duration = _scalar("duration")
    money = _scalar("money")
    rate = _scalar("rate")
    date = _scalar("date")

    def range(self, children):
        lo, hi = children
        return Value("range", "..", lo.span.to(hi.span), [lo, hi])

    def comparison(self, children):
        op, operand = children
        return Value("comparison", str(op), Span.of_token(op).to(operand.span), [operand])

    def list(self, children):
        open_tok, *items, close_tok = children
        return Value("list", "[]", Span.of_token(open_tok).to(Span.of_token(close_tok)), items)

    def block(self, children):
        open_tok, *stmts, close_tok = children
        return (Span.of_token(open_tok).to(Span.of_token(close_tok)), stmts)

    def stmt(self, children):
        name = children[0]
        name_span = Span.of_token(name)
        body = None
        end = name_span
        values = children[1:]
        if values and isinstance(values[-1], tuple):
            end, body = values.pop()
        elif values:
            end = values[-1].span
        return Statement(str(name), name_span, values, body, name_span.to(end))

    def start(self, children):
        return children


def _describe(tok: Token) -> str:
    if tok.type == "$END":
        return "end of file"
    if tok.type == "_NL":
        return "end of line"
    text = str(tok)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"`{text}`"


def _expected(names) -> str:
    names = set(names)
    if names & _VALUE_TOKENS:
        names = (names - _VALUE_TOKENS - {"LSQB", "CMP"}) | {"VALUE"}
    if "_NL" in names:
        names -= {"SEMICOLON", "$END"}
    words = sorted({_TOKEN_NAMES.get(n, "a value" if n == "VALUE" else f"`{n}`") for n in names})
    if len(words) > 1:
        return ", ".join(words[:-1]) + " or " + words[-1]
    return words[0] if words else "nothing"


def _lines_ok(path: str, text: str) -> list[Diagnostic]:
    diags = []
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            diags.append(core("input-too-large", path, Span.point(number, MAX_LINE_CHARS + 1, offset + MAX_LINE_CHARS),
                              f"line {number} is {len(line):,} characters long; the limit is {MAX_LINE_CHARS:,}",
                              help="split the value, or keep bulk data out of the spec"))
            break
        offset += len(line) + 1
    return diags


def decode(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Return the text of ``data`` (BOM removed), or ``None`` and an input finding."""
    if len(data) > MAX_FILE_BYTES:
        return None, [core("input-too-large", path, Span.point(1, 1, 0),
                           f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                           help="a spec is a design document: keep data and generated text out of it")]
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        good = data[: err.start].decode("utf-8")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        return None, [core("encoding-error", path, Span.point(line, column, len(good)),
                           f"byte 0x{data[err.start]:02x} at offset {err.start} is not valid UTF-8",
                           help="save the file as UTF-8")]
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return None, [core("encoding-error", path, Span.point(line, column, at),
                           "the file holds a NUL byte: it looks binary, not like a spec")]
    return text, []


def _lexer(parser) -> FastLexer:
    wrapper = parser.parser.lexer
    return getattr(wrapper, "lexer", wrapper)


def parse(path: str, text: str) -> tuple[Document, list[Diagnostic]]:
    """Parse ``text``; return the document (partial after errors) and syntax findings.

    Guarantees: never raises for any input text; at most one syntax finding per
    line and at most ``MAX_SYNTAX_ERRORS`` in all, in source order.
    """
    from dsspec.syntax.grammar import lark_parser

    diags = _lines_ok(path, text)
    if diags:
        return Document(path, text, []), diags
    parser = lark_parser()
    lexer = _lexer(parser)
    COMMENT_SINK.clear()
    found: list[tuple[Span, str, str | None]] = []

    def on_error(err: UnexpectedInput) -> bool:
        if not isinstance(err, UnexpectedToken):
            return False
        tok = err.token
        if tok.type == "$END":
            last = text.rstrip()
            at_line = last.count("\n") + 1
            found.append((Span.point(at_line, len(last) - (last.rfind("\n") + 1) + 1, len(last), 0),
                          f"unexpected end of file; expected {_expected(err.expected)}", None))
            return False
        span = Span.of_token(tok)
        if tok.type == "_NL":
            span = Span.point(tok.line, tok.column, tok.start_pos, 0)
        if tok.type in ("RSQB", "COMMA") or (tok.type in _VALUE_TOKENS and "COMMA" in err.expected):
            found.append((span, f"unexpected {_describe(tok)}; expected {_expected(err.expected)}",
                          "a list is written `[a, b, c]`"))
        elif tok.type == "LBRACE" and "_NL" not in err.expected:
            found.append((span, "unexpected `{`", "a block opens on the line of its statement: `name value {`"))
        else:
            found.append((span, f"unexpected {_describe(tok)}; expected {_expected(err.expected)}", None))
        return len(found) < MAX_SYNTAX_ERRORS * 4

    statements: list[Statement] = []
    try:
        statements = parser.parse(text, on_error=on_error)
    except NestingTooDeep as deep:
        diags.append(core("nesting-too-deep", path, Span.of_token(deep.token),
                          f"blocks are nested more than {MAX_NESTING} levels deep",
                          help="the language needs at most four levels of `{ }`"))
    except UnexpectedInput:
        pass  # already recorded by on_error; the partial document is empty
    if not isinstance(statements, list):
        statements = []
    error_lines: set[int] = set()
    for span, message, help in sorted(lexer.errors + found, key=lambda f: f[0].offset):
        if span.line in error_lines or len(diags) >= MAX_SYNTAX_ERRORS:
            continue
        error_lines.add(span.line)
        diags.append(core("syntax-error", path, span, message, help=help))
    comments = [(Span.of_token(tok), str(tok)) for tok in COMMENT_SINK]
    COMMENT_SINK.clear()
    return Document(path, text, statements, comments), diags
