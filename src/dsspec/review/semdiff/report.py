"""``dsspec diff`` reports: text for the terminal, JSON for scripts, Markdown for a pull-request comment."""

from __future__ import annotations

import json
from collections import Counter

from dsspec.base.diagnostics import Diagnostic
from dsspec.compiler.report.common import md_cell, plural, safe

MARKER = "<!-- dsspec-diff -->"
"""First line of the Markdown comment, so a CI job can find and update its previous comment."""
ICON = {"relaxed": "⚠️", "removed": "⚠️", "tightened": "🔒", "added": "➕", "changed": "✏️"}
SEVERITY_ICON = {"error": "🔴", "warning": "🟡", "info": "🔵"}


def summary(diffs) -> str:
    """Return one line: designs changed, changes by verdict, findings introduced and fixed."""
    if not diffs:
        return "no design changes"
    verdicts = Counter(c.verdict for d in diffs for c in d.changes)
    changes = sum(verdicts.values())
    by = ", ".join(f"{verdicts[v]} {v}" for v in ("relaxed", "removed", "tightened", "added", "changed")
                   if verdicts[v])
    introduced = sum(len(d.introduced) for d in diffs)
    fixed = sum(len(d.fixed) for d in diffs)
    accepted = sum(len(d.accepted) for d in diffs)
    unaccepted = sum(len(d.unaccepted) for d in diffs)
    risks = (f", {plural(accepted, 'risk')} accepted" if accepted else "") + \
        (f", {unaccepted} acceptance{'s' if unaccepted != 1 else ''} ended" if unaccepted else "")
    return (f"{plural(len(diffs), 'design')} changed: {plural(changes, 'change')}" + (f" ({by})" if by else "")
            + f", {plural(introduced, 'finding')} introduced, {fixed} fixed" + risks)


def _what(c) -> str:
    return f"{c.section} {c.attribute}".strip()


def _change_line(c) -> str:
    if c.verdict == "added":
        return f"{_what(c)}: added" + (f" ({c.after})" if c.after else "") + (f": {c.detail}" if c.detail else "")
    if c.verdict == "removed":
        return f"{_what(c)}: removed" + (f" (was {c.before})" if c.before else "") + (f": {c.detail}" if c.detail else "")
    return f"{_what(c)}: {c.before} -> {c.after}" + (f" ({c.detail})" if c.detail else "") + f" [{c.verdict}]"


def _finding_line(d: Diagnostic) -> str:
    return f"{d.severity.value}[{d.code}] {d.path}:{d.span.line}:{d.span.column} {d.rule}: {d.message}"


def text(diffs) -> str:
    """Return the diff for a terminal: per design its changes, then findings introduced (+) and fixed (-)."""
    out = []
    for d in diffs:
        out.append(f"{safe(d.path)} ({d.status})")
        if d.note:
            out.append(f"  note: {safe(d.note)}")
        out += [f"  {safe(_change_line(c))}" for c in d.changes]
        out += [f"  + {safe(_finding_line(f))}" for f in d.introduced]
        out += [f"  - {safe(_finding_line(f))}" for f in d.fixed]
        out += [f"  ~ accepted: {safe(_finding_line(f))} ({safe(f.help or '')})" for f in d.accepted]
        out += [f"  ! acceptance ended: {safe(_finding_line(f))}" for f in d.unaccepted]
        out.append("")
    return "\n".join(out) + summary(diffs) + "\n"


def to_json(diffs) -> str:
    """Return the diff as ``{"version", "files": [{path, status, note?, changes, introduced, fixed}], "summary"}``."""
    from dsspec.compiler.report.json import finding

    doc = {"version": 1, "files": [{
        "path": d.path, "status": d.status, **({"note": d.note} if d.note else {}),
        "changes": [{"section": c.section, "attribute": c.attribute, "verdict": c.verdict, "before": c.before,
                     "after": c.after, "detail": c.detail} for c in d.changes],
        "introduced": [finding(f) for f in d.introduced], "fixed": [finding(f) for f in d.fixed],
        **({"accepted": [finding(f) for f in d.accepted]} if d.accepted else {}),
        **({"unaccepted": [finding(f) for f in d.unaccepted]} if d.unaccepted else {}),
    } for d in diffs], "summary": {
        "designs": len(diffs), "changes": dict(sorted(Counter(c.verdict for d in diffs for c in d.changes).items())),
        "introduced": sum(len(d.introduced) for d in diffs), "fixed": sum(len(d.fixed) for d in diffs),
        "text": summary(diffs)}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    """Return author-written ``text`` for the pull-request comment: ``md_cell``, and no ``@mention`` or
    ``@org/team`` pings anyone (a zero-width space follows each ``@``; ``&`` is escaped, so an entity
    such as ``&#64;`` cannot spell one)."""
    return md_cell(text).replace("&", "&amp;").replace("@", "@&#8203;")


def _findings_table(title: str, found: list[Diagnostic]) -> list[str]:
    if not found:
        return []
    rows = [f"**{title}**", "", "| severity | location | rule | message |", "| --- | --- | --- | --- |"]
    for f in found:
        rows.append(f"| {SEVERITY_ICON[f.severity.value]} {f.severity.value} | {_cell(f.path)}:{f.span.line} | "
                    f"{f.code} {_cell(f.rule)} | {_cell(f.message)} |")
    return rows + [""]


def markdown(diffs) -> str:
    """Return the diff as a pull-request comment: a summary, then per design a table of changes and findings."""
    out = [MARKER, "### dsspec: what this change does to the design", "", summary(diffs)[0].upper() +
           summary(diffs)[1:] + ".", ""]
    for d in diffs:
        out += [f"#### {_cell(d.path)} ({d.status})", ""]
        if d.note:
            out += [f"> **Note:** {_cell(d.note)}", ""]
        if d.changes:
            out += ["| | what | before | after |", "| --- | --- | --- | --- |"]
            for c in d.changes:
                after = c.after if c.after is not None else ""
                if c.detail:
                    after += f" ({c.detail})"
                out.append(f"| {ICON[c.verdict]} {c.verdict} | {_cell(_what(c))} | {_cell(c.before or '')} | "
                           f"{_cell(after)} |")
            out.append("")
        out += _findings_table("Findings introduced", d.introduced)
        out += _findings_table("Findings fixed", d.fixed)
        out += _findings_table("Risks accepted", d.accepted)
        out += _findings_table("Acceptances ended", d.unaccepted)
    return "\n".join(out).rstrip() + "\n"
