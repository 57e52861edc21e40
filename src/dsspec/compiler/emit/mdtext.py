"""Markdown text of the design documents: one escaper, code spans and tables."""

from __future__ import annotations


def md(text: str) -> str:
    """Return ``text`` on one line (whitespace collapsed), with Markdown and HTML specials escaped."""
    from dsspec.compiler.report.common import md_cell

    return md_cell(" ".join(str(text).split()))


def code(text: str) -> str:
    """Return ``text`` as a code span on one line (a file name may hold newlines or backticks)."""
    from dsspec.compiler.report.common import safe

    return "`" + safe(str(text)).replace("`", "'") + "`"


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]
