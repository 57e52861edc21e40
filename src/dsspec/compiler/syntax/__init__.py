"""Syntax stage: text -> generic statement tree (``Document``) and syntax findings.

The names below load on first use, so importing one module of this package
(``syntax.source`` to decode a file, say) does not load the parser.
"""

from __future__ import annotations

__all__ = ["Document", "Statement", "Value", "parse"]


def __getattr__(name: str):
    if name in ("Document", "Statement", "Value"):
        from dsspec.compiler.syntax import cst

        return getattr(cst, name)
    if name == "parse":
        from dsspec.compiler.syntax.parser import parse

        return parse
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
