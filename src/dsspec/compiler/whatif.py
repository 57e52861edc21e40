"""What-if checks: ``check --set operator.latency="p95 <= 50ms"`` re-checks a design as if it said so.

A setting names a statement by the path of its sections: ``operator.latency``,
``operator.success.optimal``, ``model.scorer.serving``... where a named
section's name may follow its kind (``model.scorer.rows``, ``source.payments.freshness``).
The spec's text is edited in memory (the file is untouched): the statement's
values are replaced, or the statement is added at the end of its section, so
findings point at the changed line as it would read.
"""

from __future__ import annotations

from dsspec.base.usage import UsageError
from dsspec.compiler.syntax.cst import Statement


def parse_setting(raw: str) -> tuple[str, str]:
    """Return ``(path, value)`` of ``PATH=VALUE``; raise ``UsageError`` when it is malformed."""
    key, sep, value = raw.partition("=")
    key, value = key.strip(), value.strip()
    parts = key.split(".")
    if not sep or not value or len(parts) < 2 or not all(p.isidentifier() for p in parts):
        raise UsageError(f"`--set {raw}`: expected SECTION.ATTRIBUTE=VALUE, "
                         'e.g. `--set operator.latency="p95 <= 50ms"`')
    return key, value


def _find(statements: list[Statement], parts: list[str], key: str) -> tuple[Statement, list[Statement]]:
    """Return the section the last part belongs to and its body; raise ``UsageError`` when the section
    has no such statement in the language (a misspelt attribute would be added and reported in the spec)."""
    from dsspec.compiler.model.schema import SECTIONS

    body = statements
    parent = None
    block = SECTIONS
    i = 0
    while i < len(parts) - 1:
        named = [s for s in body if s.name == parts[i] and s.body is not None]
        if not named:
            where = ".".join(parts[:i]) or "the spec"
            raise UsageError(f"`--set {key}`: {where} has no `{parts[i]}` section")
        chosen = named[0]
        if i + 2 < len(parts):  # `model.scorer.rows`: the part after a kind may be its name
            by_name = [s for s in named if s.values and s.values[0].text == parts[i + 1]]
            if by_name:
                chosen = by_name[0]
                i += 1
        parent, body = chosen, chosen.body
        stmt = block.by_name.get(chosen.name) if block is not None else None
        block = stmt.body if stmt is not None else None
        i += 1
    if block is not None and not block.open_measures and parts[-1] not in block.by_name:
        from dsspec.base.suggestions import did_you_mean

        where = ".".join(parts[:-1])
        raise UsageError(f"`--set {key}`: `{where}` has no `{parts[-1]}` statement"
                         f"{did_you_mean(parts[-1], sorted(block.by_name))}")
    return parent, body


def _edit(text: str, settings: tuple[tuple[str, str], ...], statements: list[Statement]) -> str:
    edits: list[tuple[int, int, str]] = []
    for key, value in settings:
        parts = key.split(".")
        parent, body = _find(statements, parts, key)
        existing = [s for s in body if s.name == parts[-1]]
        if existing:
            stmt = existing[0]
            if stmt.values:
                edits.append((stmt.values[0].span.offset, stmt.values[-1].span.end_offset, value))
            else:
                edits.append((stmt.name_span.end_offset, stmt.name_span.end_offset, " " + value))
            continue
        close = parent.span.end_offset - 1  # the section's `}`
        last = body[-1].span.end_offset if body else parent.header_span.end_offset
        if "\n" in text[last:close]:
            indent = " " * (parent.span.column - 1 + 2)
            line_start = text.rfind("\n", 0, close) + 1
            edits.append((line_start, line_start, f"{indent}{parts[-1]} {value}\n"))
        else:
            edits.append((close, close, f"{'; ' if body else ''}{parts[-1]} {value} "))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def apply_settings(path: str, data: bytes, settings: tuple[tuple[str, str], ...]) -> bytes:
    """Return the spec's bytes with ``settings`` applied; unchanged when it does not parse or is a library.

    Raises ``UsageError`` when a setting names a section the spec lacks.
    """
    from dsspec.compiler.syntax.parser import decode, parse

    text, problems = decode(path, data)
    if text is None:
        return data
    doc, syntax = parse(path, text)
    if syntax or not any(s.name == "product" for s in doc.statements):
        return data  # a library (no product) is what specs include: the setting is for the specs
    return _edit(text, settings, doc.statements).encode("utf-8")
