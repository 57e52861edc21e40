"""Text -> ``Document``: the LALR parse, error recovery and syntax messages.

The tables come from Lark's analysis of the grammar (``dsspec.compiler.syntax.tables``)
and the tree is built as the parser reduces (``CSTBuilder``), so no
intermediate tree is built and nothing recurses on nesting depth.
Recovery works statement by statement: after an error the rest of its line is
skipped silently, so one mistake gives one finding, and an unclosed block is
closed at the end of the file so the statements before it still reach the
model.
"""

from __future__ import annotations

import codecs
import re

import functools

from dsspec.base.codes import core
from dsspec.base.diagnostics import Diagnostic
from dsspec.base.span import Span
from dsspec.compiler.syntax import fast
from dsspec.compiler.syntax.cst import Document, Statement, Value
from dsspec.compiler.syntax.expected import unexpected
from dsspec.compiler.syntax.lalr import ParseError, Parser
from dsspec.compiler.syntax.lexer import MAX_NESTING, Lexer, NestingTooDeep, Token
from dsspec.compiler.syntax.source import _LONE_CR, MAX_FILE_BYTES, decode  # noqa: F401  (re-exported)

MAX_LINE_CHARS = 10_000
MAX_SYNTAX_ERRORS = 20

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "0": "\0"}


def _unescape(body: str) -> str:
    """Return a string's text with its escapes resolved.

    ``\\"``, ``\\\\``, ``\\n``, ``\\t``, ``\\r`` and ``\\uXXXX`` / ``\\UXXXXXXXX``
    mean what they do in Python; any other backslash is kept as written.
    """
    if "\\" not in body:
        return body

    def one(m: re.Match) -> str:
        e = m.group(1)
        if e[0] in "uU" and len(e) > 1:
            code = int(e[1:], 16)
            return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)
        return _SIMPLE.get(e, m.group(0))

    return _ESCAPE.sub(one, body)


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
        text = tok.value
        if kind == "string":
            text = _dedent_long(_unescape(text[3:-3])) if tok.type == "LONG_STRING" else _unescape(text[1:-1])
        return Value(kind, text, Span.of_token(tok))

    return build


class CSTBuilder:
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
        return Value("comparison", op.value, Span.of_token(op).to(operand.span), [operand])

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
        return Statement(name.value, name_span, values, body, name_span.to(end))

    def start(self, children):
        return children


def _lines_ok(path: str, text: str) -> list[Diagnostic]:
    diags = []
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS and len(line.rstrip("\r")) > MAX_LINE_CHARS:
            diags.append(core("input-too-large", path, Span.point(number, MAX_LINE_CHARS + 1, offset + MAX_LINE_CHARS),
                              f"line {number} is {len(line):,} characters long; the limit is {MAX_LINE_CHARS:,}",
                              help="split the value, or keep bulk data out of the spec"))
            break
        offset += len(line) + 1
    return diags


@functools.cache
def _machinery() -> tuple[Lexer, Parser]:
    from dsspec.compiler.syntax.grammar import parse_table

    table = parse_table()
    return Lexer(table["terminals"], table["ignore"]), Parser(table)


def parse(path: str, text: str) -> tuple[Document, list[Diagnostic]]:
    """Parse ``text``; return the document (partial after errors) and syntax findings.

    Guarantees: never raises for any input text; at most one syntax finding per
    line and at most ``MAX_SYNTAX_ERRORS`` in all, in source order.
    """
    if "\r" in text:  # a lone CR ends a line too; one for one, so offsets are unchanged
        text = _LONE_CR.sub("\n", text)
    diags = _lines_ok(path, text)
    if diags:
        return Document(path, text, []), diags
    lexer, parser = _machinery()
    found: list[tuple[Span, str, str | None]] = []

    tokens: list[Token] = []
    index: dict[int, int] = {}

    def on_error(err: ParseError) -> bool:
        if not index:
            index.update((id(t), i) for i, t in enumerate(tokens))
        at = index.get(id(err.token), 0)
        found.append(unexpected(text, err.token, tokens[at - 1] if at else None, err.expected))
        return err.token.type != "$END" and len(found) < MAX_SYNTAX_ERRORS * 4

    statements = None
    try:
        tokens = lexer.tokens(text)
        builder = CSTBuilder()
        statements = fast.parse(tokens, builder)  # a valid stream; else the tables, with error recovery
        if statements is None:
            statements = parser.parse(tokens, builder, on_error)
    except NestingTooDeep as deep:
        diags.append(core("nesting-too-deep", path, Span.of_token(deep.token),
                          f"blocks are nested more than {MAX_NESTING} levels deep",
                          help="the language needs at most four levels of `{ }`"))
    if not isinstance(statements, list):
        statements = []
    error_lines: set[int] = set()
    for span, message, help in sorted(lexer.errors + found, key=lambda f: f[0].offset):
        if span.line in error_lines or len(diags) >= MAX_SYNTAX_ERRORS:
            continue
        error_lines.add(span.line)
        diags.append(core("syntax-error", path, span, message, help=help))
    comments = [(Span.of_token(tok), tok.value) for tok in lexer.comments]
    return Document(path, text, statements, comments), diags
