"""The grammar and its parse tables, each loaded from one place.

The grammar lives in ``grammar/dsspec.lark`` at the top of the repository and
is shipped inside the wheel as ``dsspec/grammar/dsspec.lark``; an installed
dsspec reads the packaged copy, a checkout the top-level one. The parser runs
on ``parse_table.json``, which ``dsspec.compiler.syntax.tables`` generates from it.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

_PACKAGED = Path(__file__).resolve().parents[2] / "grammar" / "dsspec.lark"
_CHECKOUT = Path(__file__).resolve().parents[4] / "grammar" / "dsspec.lark"
_TABLE = Path(__file__).resolve().parent / "parse_table.json"


def grammar_path() -> Path:
    """Return the path of the grammar file in use."""
    return _PACKAGED if _PACKAGED.is_file() else _CHECKOUT


def grammar_text() -> str:
    """Return the grammar's text."""
    return grammar_path().read_text(encoding="utf-8")


@functools.cache
def parse_table() -> dict:
    """Return the LALR tables and terminals generated from the grammar."""
    return json.loads(_TABLE.read_text(encoding="utf-8"))


BLANKS = r"[ \t\f\r]*"
"""Blanks before a token, consumed by the same match as the token."""


def compile_terminals(terminals: list[list[str]]) -> re.Pattern:
    """Return one pattern matching blanks and then any of ``terminals`` (``[name, regex]``), each a named group."""
    return re.compile(BLANKS + "(?:" + "|".join(f"(?P<{name}>{regex})" for name, regex in terminals) + ")",
                      re.ASCII)  # `\d` is 0-9 only: `float` and `isdigit` would read other scripts' digits


@functools.cache
def token_pattern() -> re.Pattern:
    """Return the pattern of the grammar's terminals (the lexer's; also how a mistake tells a value's kind)."""
    return compile_terminals(parse_table()["terminals"])
