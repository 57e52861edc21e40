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


def portable(text: str) -> str:
    """Return a Markdown document that GitHub, GitLab, MkDocs (Python-Markdown) and pandoc render alike.

    Outside code spans and fenced blocks, an escaped ``\\<`` or ``\\>`` becomes ``&lt;`` / ``&gt;``
    and ``\\~`` becomes ``&#126;`` (Python-Markdown prints the backslash of both), and ``$`` becomes ``&#36;`` (pandoc, GitHub and GitLab
    read ``$40,000/month … $30k/month`` as TeX maths). Every one of the four reads the entities.
    """
    out, fenced = [], False
    for line in text.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        if fenced:
            out.append(line)
            continue
        import re

        pieces = re.split(r"(?<!\\)`", line)
        if len(pieces) % 2 == 0:   # an unpaired backtick (escaped, so not a span): no span on this line
            pieces = [line]
        for i in range(0, len(pieces), 2):
            pieces[i] = (pieces[i].replace("\\<", "&lt;").replace("\\>", "&gt;").replace("$", "&#36;")
                         .replace("\\~", "&#126;"))
        out.append("`".join(pieces))   # split only at unescaped backticks, so joined back as it was
    return "\n".join(out)
