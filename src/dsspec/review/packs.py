"""Rule packs tested by their own examples, and coverage of the rules' references.

``test(config)`` compiles each custom rule's ``example`` (the rule must fire)
and ``use-instead`` (it must not), under the configuration that declares it, as
the built-in rules' examples are tested — ``dsspec rules --test PACK``.
``coverage(source, results)`` says which items of a source (the ML Test Score's
tests, the Rules of ML) the rules cite, and how many findings each has in a
set of specs — ``dsspec rules --by SOURCE [PATH...]``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """One custom rule's example test: passed, and what went wrong if not."""

    code: str
    name: str
    passed: bool
    problems: tuple[str, ...] = ()


def test(config) -> list[Outcome]:
    """Return the outcome of each custom rule of ``config`` on its own examples."""
    from dsspec.base import record

    from dsspec.compiler.pipeline import Session

    out = []
    for rule in config.rules:
        problems = []
        alone = record.replace(config, select=(rule.code,), ignore=(), preview=True, diagnostics=[],
                                    accepted=())
        for heading, fires in (("Example", True), ("Use instead", False)):
            text = rule.example(heading)
            result = Session().compile(f"{rule.name}.{heading.split()[0].lower()}.dsspec", text.encode(), None, alone)
            broken = [d for d in result.diagnostics if d.code.startswith("DS0") or d.rule == "rule-error"]
            hit = any(d.code == rule.code for d in result.diagnostics)
            for d in broken:
                problems.append(f"{heading.lower()}: {d.span.line}:{d.span.column}: {d.rule}: {d.message}")
            if hit != fires:
                problems.append(f"{heading.lower()}: the rule {'does not fire' if fires else 'fires'}"
                                + ("" if fires else " on the fixed design"))
        out.append(Outcome(rule.code, rule.name, not problems, tuple(problems)))
    return out


def coverage(source: str, rules, results=None) -> list[dict]:
    """Return one row per item of ``source``: its id, title, the rules citing it and, given check
    ``results``, their findings and the specs that have any."""
    from dsspec.compiler.lint import references

    rows = []
    for ref in references.items(source):
        citing = [r for r in rules if ref in references.of(r)]
        row = {"reference": ref, "title": references.title(ref), "rules": [r.name for r in citing]}
        if results is not None:
            codes = {r.code for r in citing}
            hits = [(res.path, d) for res in results for d in res.diagnostics if d.code in codes]
            row["findings"] = len(hits)
            row["specs_with_findings"] = len({p for p, _ in hits})
            row["specs"] = len(results) if citing else 0
        rows.append(row)
    return rows
