"""``check --statistics``: how many findings of each rule, most frequent first (as Ruff prints them)."""

from __future__ import annotations

from collections import Counter

from dsspec.base.diagnostics import Diagnostic


def render(diags: list[Diagnostic]) -> str:
    """Return one line per rule: count, code, name, and ``[*]`` when every finding of it has a certain fix."""
    counts = Counter((d.code, d.rule) for d in diags)
    fixable = {key for key in counts if all(d.fix is not None for d in diags if (d.code, d.rule) == key)}
    width = max((len(str(n)) for n in counts.values()), default=1)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{n:>{width}}\t{code}\t{'[*] ' if (code, rule) in fixable else ''}{rule}\n"
                   for (code, rule), n in rows)
