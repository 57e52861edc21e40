"""Did-you-mean: what it suggests, and that it stays bounded however many names there are."""

from __future__ import annotations

import pytest

from dsspec.compiler.lint.registry import selector_names
from dsspec.compiler.report import text as report
from dsspec.base.suggestions import MAX_VERIFY, Index, did_you_mean, suggestions


@pytest.mark.parametrize("word,options,expected", [
    ("latncy", ["latency", "load"], ["latency"]),                  # one letter missing
    ("evalaution", ["evaluation"], ["evaluation"]),                # swapped neighbours
    ("Source", ["source", "input"], ["source"]),                   # case
    ("model-card", ["model_card", "slo"], ["model_card"]),         # separator
    ("eval", ["evaluation", "serving"], ["evaluation"]),           # start of a name
    ("request_time", ["request", "precomputed"], ["request"]),     # a name that starts the word
    ("reviewing", ["draft", "review", "approved"], ["review"]),
    ("slos", ["summary", "slo", "goals"], ["slo"]),
    ("true", ["yes", "no"], ["yes"]),                              # JSON habit
    ("realtime", ["online", "nearline", "batch", "edge"], ["online"]),
    ("x", ["y"], []),                                              # too short to guess
    ("payments", ["orders"], []),
])
def test_suggestions(word, options, expected):
    assert suggestions(word, options) == expected


@pytest.mark.parametrize("word,expected", [
    ("huge-model", "huge-model-on-small-budget"),
    ("batch-serving", "batch-serving-for-realtime-latency"),
    ("baseline-mising", "baseline-missing"),
])
def test_rule_names_are_suggested_from_a_part(word, expected):
    assert suggestions(word, selector_names()) == [expected]


def test_ambiguous_start_offers_each():
    assert did_you_mean("success-levels", selector_names()) == \
        "; did you mean `success-levels-inconsistent` or `success-levels-missing`?"


def test_lookups_are_bounded_however_many_names():
    # 10,000 names of one length, all one edit apart from many others: the worst case for a scan
    names = [f"src_{i:05d}" for i in range(10_000)]
    index = Index(names)
    for i in range(10_000):
        index.lookup(f"srx_{i:05d}")
    assert index.verified <= MAX_VERIFY * 10_000
    assert index.lookup("scr_00011") == ["src_00011"]
    assert index.lookup("src_0001x") == []  # a different number is a different name, never a typo of it


def test_a_suggestion_never_changes_a_number():
    # `p98` is not a misspelt `p90`: a did-you-mean (and so `--fix`) keeps every number the word has
    assert suggestions("p98", ["p50", "p90", "p95", "p99", "max"]) == []
    assert suggestions("recall_at_5", ["recall_at_50", "recall_at_10"]) == []
    assert suggestions("top3_acuracy", ["top1_accuracy", "top3_accuracy"]) == ["top3_accuracy"]
    assert suggestions("P99", ["p50", "p99"]) == ["p99"]


class _CountingText(str):
    splits = 0

    def split(self, *args, **kwargs):
        type(self).splits += 1
        return super().split(*args, **kwargs)


def test_text_report_splits_each_file_once(check):
    result = check("product p {\n" + "".join(f"  titel{i} \"x\"\n" for i in range(50)) + "}\n")
    assert len(result.diagnostics) > 50
    text = _CountingText(result.text)
    report.render(result.diagnostics, {result.path: text})
    assert _CountingText.splits == 1


@pytest.mark.parametrize("line,screen_column", [
    ('  title "日本語" x', 17),          # wide characters take two columns each
    ('  title "e\u0301te\u0301" x', 14),   # combining accents take none
])
def test_carets_are_placed_by_screen_columns(line, screen_column):
    from dsspec.base.span import Span

    at = line.index(" x") + 1
    excerpt = report._excerpt(report._Lines({"f": line}), "f", Span(1, at + 1, 1, at + 2, at, at + 1), "",
                              report._Paint(False), "")
    assert excerpt[2] == "  | " + " " * screen_column + "^"


def test_a_word_that_is_one_part_of_exactly_one_name_suggests_it():
    from dsspec.base.suggestions import suggest

    assert suggest("payments", ["card_payments", "history"]) == "card_payments"
    assert suggest("payments", ["card_payments", "bank_payments"]) is None  # two names hold it: no guess
