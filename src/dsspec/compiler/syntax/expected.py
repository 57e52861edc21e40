"""Parse errors in words: what was found, what would fit, and what to write.

The parser reports a token that no rule accepts together with the tokens that
would have fitted; ``unexpected`` turns that into a finding naming the likely
fix: a missing `,` in a list, an end date missing after `..`, a statement
that does not start with a name, a value after a block's `}`.
"""

from __future__ import annotations

from dsspec.base.span import Span
from dsspec.compiler.syntax.fix import OPERATORS

TOKEN_NAMES = {
    "NAME": "a name", "STRING": "a string", "LONG_STRING": "a string", "NUMBER": "a number",
    "PERCENT": "a percentage", "DURATION": "a duration", "MONEY": "an amount of money", "RATE": "a rate",
    "DATE": "a date", "CMP": "a comparison", "_NL": "end of line", "SEMICOLON": "`;`", "LBRACE": "`{`",
    "RBRACE": "`}`", "LSQB": "`[`", "RSQB": "`]`", "COMMA": "`,`", "_DOTDOT": "`..`", "$END": "end of file",
}
VALUE_TOKENS = {"NAME", "STRING", "LONG_STRING", "NUMBER", "PERCENT", "DURATION", "MONEY", "RATE", "DATE"}
Finding = tuple[Span, str, "str | None"]


def describe(tok) -> str:
    """Return the token as shown in a message: "`text`", "end of line", "end of file"."""
    if tok.type == "$END":
        return "end of file"
    if tok.type == "_NL":
        return "end of line"
    text = tok.value
    return f"`{text if len(text) <= 40 else text[:37] + '...'}`"


def expected_words(names) -> str:
    """Return what the parser would have accepted, in words: "a value or end of line"."""
    names = set(names)
    if names & VALUE_TOKENS:
        names = (names - VALUE_TOKENS - {"LSQB", "CMP"}) | {"VALUE"}
    if "_NL" in names:
        names -= {"SEMICOLON", "$END"}
    words = sorted({TOKEN_NAMES.get(n, "a value" if n == "VALUE" else f"`{n}`") for n in names})
    if len(words) > 1:
        return ", ".join(words[:-1]) + " or " + words[-1]
    return words[0] if words else "nothing"


def unexpected(text: str, tok, prev, expected: list[str]) -> Finding:
    """Return the finding for ``tok`` where only ``expected`` fits; ``prev`` is the token before it."""
    if tok.type == "$END":
        last = text.rstrip()
        line = last.count("\n") + 1
        return (Span.point(line, len(last) - (last.rfind("\n") + 1) + 1, len(last), 0),
                f"unexpected end of file; expected {expected_words(expected)}", None)
    span = Span.of_token(tok)
    if tok.type == "_NL":
        span = Span.point(tok.line, tok.column, tok.start_pos, 0)
    found = describe(tok)
    if tok.type in VALUE_TOKENS and "COMMA" in expected:
        return span, f"add `,` before {found}: the items of a list are separated by commas", \
            "a list is written `[a, b, c]`"
    if tok.type in ("_NL", "RBRACE", "SEMICOLON") and prev is not None and prev.type == "_DOTDOT":
        return span, "add the end date after `..`", "a date range is written `2025-01-01 .. 2025-06-30`"
    if tok.type == "COMMA" and prev is not None and prev.type in ("COMMA", "LSQB"):
        return span, "remove the extra `,`", "a list is written `[a, b, c]`"
    if tok.type == "SEMICOLON" and "COMMA" in expected:
        return span, "write `,` instead of `;` between the items of a list", "a list is written `[a, b, c]`"
    if tok.type in ("RSQB", "COMMA"):
        return span, f"unexpected {found}; expected {expected_words(expected)}", "a list is written `[a, b, c]`"
    if tok.type == "LBRACE" and "_NL" not in expected:
        return span, "unexpected `{`: a block follows its statement's values, `name value {`", None
    if prev is None or prev.type in ("_NL", "SEMICOLON", "LBRACE"):
        return span, f"unexpected {found}: a statement starts with a name, e.g. `timeout 60ms`", \
            "write the statement's name first, then its values"
    if prev.type == "RBRACE" and tok.type != "_NL":
        return span, f"move {found} to a new line, or write `;` before it: a block's `}}` ends its statement", None
    if prev.type == "CMP" and tok.type == "CMP" and prev.value + tok.value in ("<=", ">=", "!="):
        return Span.of_token(prev).to(Span.of_token(tok)), \
            f"write `{prev.value + tok.value}`: an operator has no space inside", OPERATORS
    if prev.type == "CMP":
        return span, f"add a value after `{prev.value}`: a comparison is an operator and a value, e.g. `<= 80ms`", None
    return span, f"unexpected {found}; expected {expected_words(expected)}", None
