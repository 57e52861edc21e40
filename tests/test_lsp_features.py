"""The language server's features in process: values normalised, fixes applied only where safe, no crash anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsspec.base.diagnostics import Diagnostic, Severity
from dsspec.integrations.lsp import actions
from dsspec.integrations.lsp.analysis import analyse
from dsspec.integrations.lsp.complete import candidates, place
from dsspec.integrations.lsp.hover import hover, normalised
from dsspec.compiler.model.values import quantity
from dsspec.base.span import Span

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("kind, text, shown", [
    ("money", "$6k/month", "$6,000/month"),
    ("money", "$300/week", "$300/week ($1,285.71/month)"),
    ("money", "$0.002/request", "$0.002/request"),
    ("duration", "18mo", "540 days"),
    ("duration", "80ms", "80 ms"),
    ("duration", "90min", "90 minutes"),     # the largest unit that divides it evenly
    ("duration", "36h", "36 hours"),
    ("duration", "0.5s", "500 ms"),
    ("duration", "15min", "15 minutes"),
    ("rate", "120/s", "120/s"),
    ("rate", "30M/month", "11.5741/s (30,000,000/month)"),
    ("percent", "0.5%", "0.5% (a fraction of 0.005)"),
    ("number", "2M", "2,000,000"),
])
def test_values_are_normalised(kind, text, shown):
    q, why = quantity(kind, text, Span.point(1, 1, 0))
    assert why is None and normalised(q) == shown


def finding(message: str, start: int, end: int, help: str | None = None, rule: str = "unknown-statement"):
    return Diagnostic("DS010", rule, Severity.ERROR, message, "x.dsspec", Span(1, start + 1, 1, end + 1, start, end),
                      help)


def test_did_you_mean_replaces_only_a_whole_name():
    text = "  latncy p99 <= 80ms\n"
    assert actions.suggestion(finding("unknown attribute `latncy`; did you mean `latency`?", 2, 8), text) == \
        (2, 8, "latency")
    money = "  budget $6k/mnth\n"
    wide = finding("`/mnth` is not a period; did you mean `/month`?", 9, 17, rule="invalid-value")
    assert actions.suggestion(wide, money) is None   # part of a value: not applied to the whole
    assert actions.suggestion(finding("unknown attribute `zzz`", 2, 5), "  zzz 1\n") is None


def test_suppressions_only_for_design_rules():
    text = "model m {\n  task regression\n}\n"
    design = Diagnostic("DS401", "baseline-missing", Severity.ERROR, "no baseline", "x", Span(2, 3, 2, 7, 12, 16))
    assert actions.suppression(design, text) == (10, 10, "  # dsspec: ignore[baseline-missing] TODO: say why this is acceptable\n")
    assert actions.suppression(finding("unknown", 0, 5), text) is None


def test_skeleton_has_every_section_of_init():
    keys = [k for k, _ in actions.skeleton()]
    assert keys[:3] == ["product", "ecosystem", "operator"]
    assert {"monitoring", "audience pm", "audience staff_ds", "audience engineer"} <= set(keys)
    assert all(text.endswith("\n") and not text.startswith("\n") for _, text in actions.skeleton())


def variants(text: str) -> list[str]:
    """Return the text and the shapes it has while being typed: cut short, braces and quotes missing."""
    return [text, text[: len(text) // 2], text.replace("}", "", 3), text.replace('"', "", 1), text + "\nmodel {"]


def test_no_position_in_a_spec_being_typed_breaks_hover_or_completion():
    path = ROOT / "specs" / "support_intent.dsspec"
    for text in variants(path.read_text()):
        a = analyse(str(path), text)
        for offset in range(0, len(text), 13):
            start = text.rfind("\n", 0, offset) + 1
            end = text.find("\n", offset)
            hover(a, offset, text[start:end if end >= 0 else len(text)], offset - start)
            where = place(text[:offset])
            if where is not None:
                candidates(a, where)


def unused(text: str, name: str) -> Diagnostic:
    start = text.index("#")
    end = text.index("\n", start)
    return Diagnostic("DS901", "unused-suppression", Severity.WARNING,
                      f"unused suppression: `{name}` reports nothing here", "x", Span(1, 1, 1, 1, start, end))


@pytest.mark.parametrize("text, name, fixed", [
    ("model m {\n  # dsspec: ignore[baseline-missing] why\n  task regression\n}\n", "baseline-missing",
     "model m {\n  task regression\n}\n"),
    ("  task regression   # dsspec: ignore[baseline-missing] why\n", "baseline-missing", "  task regression\n"),
    ("# dsspec: ignore[baseline-missing, DS402] why\n", "DS402", "# dsspec: ignore[baseline-missing] why\n"),
])
def test_an_unused_suppression_is_removed(text, name, fixed):
    start, end, new = actions.unused_suppression(unused(text, name), text)
    assert text[:start] + new + text[end:] == fixed


def test_hover_on_a_sliced_protected_name_says_which_source_holds_it(tmp_path):
    (tmp_path / "dsspec.toml").touch()
    text = ('product p { owner "a@b.c" }\nsource claims { kind table; protected [race] }\n'
            'input claim { from claims; fields [amount] }\nmodel m { task binary_classification; reads claim }\n'
            'evaluation { slices [race] }\n')
    a = analyse(str(tmp_path / "s.dsspec"), text)
    offset = text.index("slices [race") + len("slices [")
    line = text.splitlines()[4]
    shown = hover(a, offset, line, line.index("race"))
    assert shown is not None and "a field of source `claims`" in shown
