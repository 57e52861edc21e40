"""Whether a formatted layout keeps every suppression over the statements it covered.

A ``# dsspec: ignore[...]`` comment silences findings on its own line and
the next. The formatter moves statements between lines; this check compares,
for each suppression, the statements whose first line it covered in the
source with those it covers in the output. Where they differ the formatter
refuses (``Uncovered``) rather than let a finding come back or a new one be
silenced.
"""

from __future__ import annotations

import re

from dsspec.compiler.syntax.cst import Statement

SUPPRESSION = re.compile(r"#\s*dsspec:\s*ignore\[")


class Uncovered(Exception):
    """The layout would move statements in or out of the reach of the suppression on source ``line``."""

    def __init__(self, line: int):
        super().__init__(f"line {line}: the layout would move statements into or out of the reach of its "
                         "suppression (which covers its own line and the next); split that line by hand first")
        self.line = line


def check(statements: list[Statement], comments, out: list[str], placed: dict[int, int],
          comment_at: dict[int, int]) -> None:
    """Raise ``Uncovered`` unless each suppression covers the same statements before and after.

    ``out`` is the printed lines (an entry may hold a multi-line string);
    ``placed`` maps ``id(statement)`` to the entry holding its first line,
    ``comment_at`` a comment's source line to the entry it was printed in.
    """
    suppressions = [span.line for span, text in comments if SUPPRESSION.search(text)]
    if not suppressions:
        return
    first_line, line = [], 0  # physical output line of each entry's first line
    for entry in out:
        first_line.append(line)
        line += entry.count("\n") + 1
    heads: dict[int, set[int]] = {}  # source line -> statements starting on it
    printed: dict[int, set[int]] = {}  # output line -> statements starting on it
    blocks = [statements]
    while blocks:
        for st in blocks.pop():
            heads.setdefault(st.span.line, set()).add(id(st))
            if id(st) in placed:
                printed.setdefault(first_line[placed[id(st)]], set()).add(id(st))
            if st.body:
                blocks.append(st.body)
    for source in suppressions:
        entry = comment_at.get(source)
        if entry is None:
            raise Uncovered(source)
        at = first_line[entry] + out[entry].count("\n")
        before = heads.get(source, set()) | heads.get(source + 1, set())
        after = printed.get(at, set()) | printed.get(at + 1, set())
        if before != after:
            raise Uncovered(source)
