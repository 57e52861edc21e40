"""Load the grammar and build the parser, from one place.

The grammar lives in ``grammar/dsspec.lark`` at the top of the repository and
is shipped inside the wheel as ``dsspec/grammar/dsspec.lark``; an installed
dsspec reads the packaged copy, a checkout the top-level one.
"""

from __future__ import annotations

import functools
from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent.parent / "grammar" / "dsspec.lark"
_CHECKOUT = Path(__file__).resolve().parents[3] / "grammar" / "dsspec.lark"


def grammar_path() -> Path:
    """Return the path of the grammar file in use."""
    return _PACKAGED if _PACKAGED.is_file() else _CHECKOUT


def grammar_text() -> str:
    """Return the grammar's text."""
    return grammar_path().read_text(encoding="utf-8")


@functools.cache
def lark_parser():
    """Return the shared LALR parser (built once per process)."""
    from lark import Lark

    from dsspec.syntax.parser import COMMENT_SINK, CSTBuilder, FastLexer

    return Lark(
        grammar_text(),
        parser="lalr",
        lexer=FastLexer,
        transformer=CSTBuilder(),
        maybe_placeholders=False,
        cache=True,
        lexer_callbacks={"COMMENT": COMMENT_SINK.append},
    )
