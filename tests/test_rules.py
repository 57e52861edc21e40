"""Every design rule: documented in the fixed sections, its examples proven, its docs current."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsspec.compiler.lint.base import SECTIONS, STAGES
from dsspec.compiler.lint.registry import RULES, all_rules

from conftest import compile_text

ROOT = Path(__file__).resolve().parents[1]
CORE = {"syntax-error", "unknown-statement", "invalid-value", "missing-value", "duplicate-statement",
        "unknown-reference", "duplicate-declaration", "include-error"}


def test_registry_codes_and_names_are_unique_and_well_formed():
    codes = [c for c, _, _ in RULES]
    names = [n for _, n, _ in RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert all(c.startswith("DS") and len(c) == 5 for c in codes)
    assert all(n == n.lower() and " " not in n and "_" not in n for n in names)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.name)
def test_rule_doc_has_every_section(rule):
    sections = rule.sections()
    missing = [s for s in SECTIONS if not sections.get(s)]
    assert not missing, f"{rule.name} lacks {missing}"
    assert rule.stage in STAGES
    assert f"Stage: {rule.stage}" in rule.doc()


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.name)
def test_rule_example_triggers_and_use_instead_does_not(rule, tmp_path):
    bad = compile_text(tmp_path, rule.example("Example"), "example.dsspec")
    good = compile_text(tmp_path, rule.example("Use instead"), "instead.dsspec")
    for result in (bad, good):
        assert not [d for d in result.diagnostics if d.rule in CORE], result.diagnostics
    assert rule.name in {d.rule for d in bad.diagnostics}
    assert rule.name not in {d.rule for d in good.diagnostics}


def test_docs_rules_md_is_current():
    from dsspec.compiler.lint.docs import markdown

    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == markdown(), \
        "regenerate with: dsspec rules --format markdown > docs/rules.md"
