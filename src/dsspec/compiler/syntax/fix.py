"""What a recognised mistake turns into: the finding, and the tokens that were meant.

Shared by the two modules that recognise mistakes: ``dsspec.compiler.syntax.literals``
(numbers, units, money, dates, operators) and ``dsspec.compiler.syntax.mistakes``
(characters that start no token: quotes, colons, dashes, pasted spaces...).
"""

from __future__ import annotations

import re

from dsspec.base.record import named

NUMERIC = frozenset({"NUMBER", "PERCENT", "DURATION", "MONEY", "RATE"})
UNITS = "units of time: ms, s, min, h, d, w, mo, y; magnitudes: k, M, B; written right after the number"
OPERATORS = "the operators are <, <=, >, >=, = and !="
STATEMENTS = "a statement is its name and its values, separated by spaces: `timeout 60ms`"


@named
class Fix:
    """A recognised mistake: report ``start..stop`` (offsets on one line), then lex on from ``stop``.

    ``tokens`` are the ``(type, value)`` pairs meant, standing for the text
    from ``start``; with ``merge`` the previous token is part of the mistake
    and is replaced too (with ``drop``, that many tokens are). ``block`` asks the lexer to close an opened ``{``
    where the indentation returns (a YAML-style ``name:`` block).
    """

    start: int
    stop: int
    message: str
    help: str | None
    tokens: tuple[tuple[str, str], ...] = ()
    merge: bool = False
    block: bool = False
    drop: int = 0


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def is_name(text: str) -> bool:
    """Return whether ``text`` is written as a name (letters, digits, `_`, not starting with a digit)."""
    return _NAME.fullmatch(text) is not None


def short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def line_before(text: str, pos: int) -> str:
    """Return the start of ``pos``'s line up to ``pos``, stripped: the header a `:` follows."""
    return text[text.rfind("\n", 0, pos) + 1:pos].strip()
