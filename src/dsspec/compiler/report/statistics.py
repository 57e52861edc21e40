"""``check --statistics``: how many findings of each rule, most frequent first (as Ruff prints them)."""

from __future__ import annotations

from collections import Counter

from dsspec.base.diagnostics import Diagnostic


def render(diags: list[Diagnostic]) -> str:
    """Return one line per rule: count, code, name, and ``[*]`` when every finding of it has a certain fix."""
    counts = Counter((d.code, d.rule) for d in diags)
    fixable = counts.keys() - {(d.code, d.rule) for d in diags if d.fix is None}
    width = max((len(str(n)) for n in counts.values()), default=1)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    table = "".join(f"{n:>{width}}\t{code}\t{'[*] ' if (code, rule) in fixable else ''}{rule}\n"
                    for (code, rule), n in rows)
    return table + accepted(diags)


def accepted(diags: list[Diagnostic]) -> str:
    """Return the count of accepted risks (``accepted-risk`` notes) and of expired acceptances, if any."""
    held = [d for d in diags if d.rule == "accepted-risk"]
    expired = [d for d in diags if "(accepted risk expired " in d.message]
    if not held and not expired:
        return ""
    return f"accepted risks: {len(held)} held, {len(expired)} expired\n"
