"""The parser's fast path: the grammar's valid token streams, read by descent instead of by tables.

The grammar is small (``grammar/dsspec.lark``)::

    start: (_sep | stmt _sep)* stmt?        _sep: _NL | ";"
    stmt:  NAME value* block?               block: "{" (_sep | stmt _sep)* stmt? "}"
    value: scalar | list | scalar ".." scalar | CMP scalar
    list:  "[" [scalar ("," scalar)* ","?] "]"

``parse`` reads a stream that follows it and calls the same builder methods
the LALR driver calls at each reduction, with the same children, so the tree
is the same (the differential test against Lark holds both paths to it). At
the first token that does not fit it gives up and returns ``None``: the
table-driven parser then reads the stream from the start, with its error
reporting and recovery. Valid files, nearly all of them, take the fast path,
about twice as fast as the table loop.
"""

from __future__ import annotations

_SEP = frozenset({"_NL", "SEMICOLON"})
_SCALAR = {"NAME": "ident", "STRING": "string", "LONG_STRING": "string", "NUMBER": "number",
           "PERCENT": "percent", "DURATION": "duration", "MONEY": "money", "RATE": "rate", "DATE": "date"}


class _Misfit(Exception):
    """The stream leaves the grammar here: the table-driven parser takes over."""


def parse(tokens: list, builder) -> list | None:
    """Return ``builder.start(statements)`` for a valid token stream (ending with ``$END``), else ``None``."""
    scalars = {kind: getattr(builder, method) for kind, method in _SCALAR.items()}
    comparison, range_, list_ = builder.comparison, builder.range, builder.list
    block_, stmt_ = builder.block, builder.stmt
    n = len(tokens)

    def items(i: int, closing: str) -> tuple[list, int]:
        """Read ``(_sep | stmt _sep)* stmt?`` up to ``closing``; return the statements and its index."""
        out = []
        while True:
            kind = tokens[i].type
            if kind in _SEP:
                i += 1
                continue
            if kind == closing:
                return out, i
            if kind != "NAME":
                raise _Misfit
            stmt, i = statement(i)
            out.append(stmt)
            kind = tokens[i].type
            if kind in _SEP:
                i += 1
            elif kind != closing:
                raise _Misfit

    def scalar(i: int):
        tok = tokens[i]
        make = scalars.get(tok.type)
        if make is None:
            raise _Misfit
        return make([tok])

    def statement(i: int) -> tuple[object, int]:
        children = [tokens[i]]
        i += 1
        while True:
            tok = tokens[i]
            kind = tok.type
            make = scalars.get(kind)
            if make is not None:
                value = make([tok])
                i += 1
                if tokens[i].type == "_DOTDOT":
                    value = range_([value, scalar(i + 1)])
                    i += 2
                children.append(value)
            elif kind == "CMP":
                children.append(comparison([tok, scalar(i + 1)]))
                i += 2
            elif kind == "LSQB":
                value, i = listed(i)
                children.append(value)
            else:
                break
        if kind == "LBRACE":
            body, j = items(i + 1, "RBRACE")
            children.append(block_([tokens[i], *body, tokens[j]]))
            i = j + 1
        return stmt_(children), i

    def listed(i: int) -> tuple[object, int]:
        kids = [tokens[i]]
        i += 1
        if tokens[i].type != "RSQB":
            while True:
                kids.append(scalar(i))
                i += 1
                kind = tokens[i].type
                if kind == "RSQB":
                    break
                if kind != "COMMA":
                    raise _Misfit
                i += 1
                if tokens[i].type == "RSQB":  # a trailing comma
                    break
        kids.append(tokens[i])
        return list_(kids), i + 1

    try:
        stmts, i = items(0, "$END")
    except (_Misfit, IndexError):
        return None
    if i != n - 1:
        return None
    return builder.start(stmts)
