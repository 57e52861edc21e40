"""Where a missing ``}`` belonged: brace recovery guided by indentation.

When a text opens more blocks than it closes, counting braces alone cannot
say which block lost its ``}``: closing them all at the end of the file makes
every later section a statement of the unclosed block (one missing brace, a
screenful of "unknown attribute" findings). People indent, though: a block
ends where a line comes back to the indentation of the statement that opened
it. ``close_blocks`` matches braces again with that rule — a ``}`` that
starts its line closes the block opened at its own indentation, so any block
opened further in has lost its ``}`` — and, when this finds exactly as many
unclosed blocks as the count says, inserts each missing ``}`` where its
block's indentation ends and reports the block once, at its ``{``.
Otherwise (indentation that tells nothing) the blocks are closed at the end
of the file and the first is reported, as before.
"""

from __future__ import annotations

from dsspec.base.span import Span

_STATEMENT_END = frozenset({"_NL", "SEMICOLON", "LBRACE", "RBRACE"})


def _layout(out: list) -> tuple[dict[int, int], list[int | None], dict[int, int]]:
    """Return the indentation of each line, each token's indentation if it starts its line, and each `{`'s header indentation."""
    line_indent: dict[int, int] = {}
    starts: list[int | None] = []
    header: dict[int, int] = {}
    statement = None
    prev = None
    for i, tok in enumerate(out):
        first = prev is None or prev.type == "_NL"
        if first and tok.type != "_NL":
            line_indent.setdefault(tok.line, tok.column - 1)
        starts.append(tok.column - 1 if first and tok.type != "_NL" else None)
        if prev is None or prev.type in _STATEMENT_END:
            statement = tok
        if tok.type == "LBRACE":
            header[i] = line_indent.get(statement.line, 0)
        prev = tok
    return line_indent, starts, header


def _unclosed(out: list, starts: list[int | None], header: dict[int, int], budget: int) -> list[int] | None:
    """Return the indices of the `{` that lost their `}` by indentation, or ``None`` if that disagrees with the count."""
    stack: list[int] = []
    lost: list[int] = []
    for i, tok in enumerate(out):
        if tok.type == "LBRACE":
            stack.append(i)
        elif tok.type == "RBRACE" and stack:
            indent = starts[i]
            if indent is not None:
                while len(stack) > 1 and header[stack[-1]] > indent and len(lost) < budget:
                    lost.append(stack.pop())
            stack.pop()
    lost += stack
    return lost if len(lost) == budget else None


def close_blocks(text: str, out: list, braces: list, errors: list) -> list:
    """Return ``out`` with a ``}`` for each unclosed block; report each (or, without usable indentation, the first)."""
    _, starts, header = _layout(out)
    lost = _unclosed(out, starts, header, len(braces))
    Token = type(out[0])
    last = out[-1]
    if lost is None:
        errors.append((Span.of_token(braces[0]), "unclosed `{`: the block is never closed",
                       "add `}` to close the block"))
        end = len(text)
        return out + [Token("RBRACE", "}", end, last.end_line, last.end_column, last.end_line, last.end_column, end)
                      for _ in braces]
    inserts: dict[int, list[int]] = {}
    for opener in lost:
        at = next((j for j in range(opener + 1, len(out)) if starts[j] is not None and starts[j] <= header[opener]),
                  len(out))
        inserts.setdefault(at, []).append(opener)
        what = _header_text(text, out, opener)
        where = f"before line {out[at].line}" if at < len(out) else "at the end of the file"
        errors.append((Span.of_token(out[opener]), f"unclosed `{{`: `{what}` is never closed; add `}}` {where}",
                       "a block ends where its indentation does; the `}` that closes it is missing"))
    fixed: list = []
    for j, tok in enumerate(out):
        for _ in inserts.get(j, ()):
            fixed.append(Token("RBRACE", "}", tok.start_pos, tok.line, tok.column, tok.line, tok.column, tok.start_pos))
            fixed.append(Token("_NL", "\n", tok.start_pos, tok.line, tok.column, tok.line, tok.column, tok.start_pos))
        fixed.append(tok)
    end = len(text)
    for _ in inserts.get(len(out), ()):
        fixed.append(Token("RBRACE", "}", end, last.end_line, last.end_column, last.end_line, last.end_column, end))
    return fixed


def _header_text(text: str, out: list, opener: int) -> str:
    """Return the statement a `{` opens, as written: `success precision {`."""
    i = opener
    while i > 0 and out[i - 1].type not in _STATEMENT_END:
        i -= 1
    written = " ".join(text[out[k].start_pos:out[k].end_pos] for k in range(i, opener + 1))
    return written if len(written) <= 50 else written[:46] + " ... {"
