"""Issue 18, second pass: impossible values by class, and messages that keep a number's meaning.

Each test is one class (every share, every bounded metric value, every "did you mean" for a number...),
tried in several variants of one line of a clean design; each checks both ways: the impossible value is
named with a message whose advice, followed, gives what it promised, and a sound value stays silent.
"""

from __future__ import annotations

import pytest

from conftest import compile_text
from test_trust_values import CLEAN, variant


def findings(tmp_path, text):
    return [(d.rule, d.message) for d in compile_text(tmp_path, text).diagnostics]


def only(tmp_path, text):
    found = findings(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


def clean(tmp_path, text):
    assert findings(tmp_path, text) == []


# -- every share is at most its whole --------------------------------------------------------------

@pytest.mark.parametrize("line, value", [("review_share", "120%"), ("review_share", "100.5%"),
                                         ("minority_share", "60%"), ("minority_share", "100%"),
                                         ("exploration", "101%")])
def test_a_share_over_its_whole_is_an_invalid_value(tmp_path, line, value):
    text = variant("minority_share 6%", f"minority_share 6%\n  {line} {value}") if line == "exploration" else \
        variant("timeout  4h", f"timeout  4h\n  review_share {value}") if line == "review_share" else \
        variant("minority_share 6%", f"minority_share {value}")
    rules = findings(tmp_path, text)
    assert any(r == "invalid-value" and value in m and ("whole" in m or "half" in m) for r, m in rules), rules


def test_a_share_within_its_whole_is_silent(tmp_path):
    for old, new in [("minority_share 6%", "minority_share 50%"), ("minority_share 6%", "minority_share 0.25%")]:
        assert not [f for f in findings(tmp_path, variant(old, new)) if f[0] == "invalid-value"]
    text = variant("timeout  4h", "timeout  4h\n  review_share 100%")
    assert not [f for f in findings(tmp_path, text) if f[0] == "invalid-value"]


# -- sizes, durations and counts that cannot be --------------------------------------------------------

@pytest.mark.parametrize("old, new, said", [
    ("rows   14M", "rows   14.5", "whole number"),
    ("load     1.2M/week", "load     0/week", "above zero"),
    ("load     1.2M/week", "load     0/s peak 10/s", "above zero"),
    ("share      50%", "share      50%\n  }\n  canary 5% for 0d\n  experiment other {\n    share 10%", "above zero"),
])
def test_an_impossible_size_is_an_invalid_value(tmp_path, old, new, said):
    rules = findings(tmp_path, variant(old, new))
    assert any(r == "invalid-value" and said in m for r, m in rules), rules


@pytest.mark.parametrize("old, new", [("rows   14M", "rows   14.5M"), ("rows   14M", "rows   14500000"),
                                      ("load     1.2M/week", "load     0.5/s")])
def test_a_possible_size_is_silent(tmp_path, old, new):
    clean(tmp_path, variant(old, new))


# -- a goal's amount is never negative: the direction says which way ----------------------------------

@pytest.mark.parametrize("amount", ["-8%", "-8"])
def test_a_negative_goal_amount_names_the_other_direction(tmp_path, amount):
    rule, message = only(tmp_path, variant("monthly_churn  decrease 8%", f"monthly_churn  increase {amount}"))
    assert f"`decrease {amount[1:]}`" in message and "remove" not in message
    clean(tmp_path, variant("monthly_churn  decrease 8%", f"monthly_churn  decrease {amount[1:]}"))


# -- a bounded metric: never negative, never money, a time or a rate -----------------------------------

@pytest.mark.parametrize("old, new", [
    ("{ precision 0.17 }", "{ precision -0.17 }"),
    ("{ precision 0.17 }", "{ precision $0.17 }"),
    ("{ precision 0.17 }", "{ precision 17ms }"),
    ("{ precision 0.17 }", "{ precision 3/s }"),
    ("optimal    >= 0.25", "optimal    >= $0.25"),
    ("at         list_size <= 4000", "at         recall >= 2h"),
    ("at         list_size <= 4000", "at         recall >= -0.3"),
    ('rollback when worst "Go back to the CRM contract-end filter"', "rollback when precision < -0.1"),
])
def test_a_bounded_metric_value_of_the_wrong_sign_or_kind_is_ds520(tmp_path, old, new):
    rule, message = only(tmp_path, variant(old, new))  # one mistake, one finding: no ladder or level rule piles on
    assert rule == "metric-value-out-of-range", message


@pytest.mark.parametrize("old, new", [("{ precision 0.17 }", "{ precision 0.2 }"),
                                      ("optimal    >= 0.25", "optimal    >= 25%"),
                                      ("at         list_size <= 4000", "at         recall >= 0.3")])
def test_a_bounded_metric_value_in_range_is_silent(tmp_path, old, new):
    clean(tmp_path, variant(old, new))


def test_a_correlation_may_be_negative():
    from dsspec.compiler.lint.rules.metric_value_out_of_range import signed

    assert signed("mcc") and signed("r2") and signed("spearman_correlation")
    assert not signed("precision") and not signed("recall_at_5")


# -- a number's suggestion keeps its value ------------------------------------------------------------

@pytest.mark.parametrize("written, meant", [("1\uff12min", "12min"), ("\uff14h", "4h"), ("1\u0664min", "14min")])
def test_a_digit_of_another_script_keeps_its_value(tmp_path, written, meant):
    rule, message = only(tmp_path, variant("timeout  4h", f"timeout  {written}"))
    assert f"write `{meant}`" in message
    clean(tmp_path, variant("timeout  4h", f"timeout  {meant}"))


@pytest.mark.parametrize("written, meant", [("4k", "4000s"), ("1.5k", "1500ms")])
def test_a_magnitude_is_never_glued_to_a_unit(tmp_path, written, meant):
    rule, message = only(tmp_path, variant("timeout  4h", f"timeout  {written}"))
    assert f"`{meant}`" in message and "ks`" not in message and "kms`" not in message
    clean(tmp_path, variant("timeout  4h", f"timeout  {meant}"))


@pytest.mark.parametrize("old, written, meant", [("rows   14M", "1_000_000", "1M"),
                                                 ("rows   14M", "14_500_000", "14500000"),
                                                 ("budget   $2k/month", "$2_000/month", "$2k/month")])
def test_digit_separators_are_told_the_number(tmp_path, old, written, meant):
    rule, message = only(tmp_path, variant(old, old.split()[0] + "   " + written))
    assert f"`{meant}`" in message and "name" not in message
    clean(tmp_path, variant(old, old.split()[0] + "   " + meant))


@pytest.mark.parametrize("written, meant", [("36e4s", "360000s"), ("6e0h", "6h"), ("2.16e4s", "21600s"),
                                            ("2.16e4 seconds", "21600s")])
def test_an_exponent_after_a_comparison_is_named_with_its_unit(tmp_path, written, meant):
    rule, message = only(tmp_path, variant("latency  p99 <= 6h", f"latency  p99 <= {written}"))
    assert f"write `{meant}`" in message and "add a value" not in message
    clean(tmp_path, variant("latency  p99 <= 6h", f"latency  p99 <= {meant}"))


def test_an_out_of_range_exponent_after_a_comparison_is_named(tmp_path):
    rule, message = only(tmp_path, variant("latency  p99 <= 6h", "latency  p99 <= 1e1000"))
    assert "out of range" in message and "add a value" not in message


@pytest.mark.parametrize("written, meant", [("$6k/quarter", "$2k/month"), ("$3k/qtr", "$1k/month"),
                                            ("$4k/fortnight", "$2k/week"), ("$1/ms", "$1k/s")])
def test_money_per_a_period_the_language_lacks_keeps_the_amount(tmp_path, written, meant):
    rule, message = only(tmp_path, variant("budget   $2k/month", f"budget   {written}"))
    assert f"`{meant}`" in message and "did you mean" not in message and "/query" not in message


def test_money_per_a_period_that_is_not_exact_says_about(tmp_path):
    rule, message = only(tmp_path, variant("budget   $2k/month", "budget   $2k/quarter"))
    assert "about `$666.67/month`" in message


# -- a comma before text is removed, never a list ----------------------------------------------------

@pytest.mark.parametrize("old, new", [
    ('fallback previous_model "', 'fallback previous_model, "'),
    ('user     crm_outreach   "', 'user     crm_outreach,   "'),
    ('rollback when worst "', 'rollback when worst, "'),
    ('rollback when worst "', 'rollback when, worst "'),
    ('fallback previous_model "Last', 'fallback previous_model,"Last'),
])
def test_a_comma_before_text_is_removed(tmp_path, old, new):
    rule, message = only(tmp_path, variant(old, new))
    assert message.startswith("remove the `,`") and "[" not in message
    clean(tmp_path, variant(old, old))


@pytest.mark.parametrize("text", [
    'product p {\n  owner "a"\n , "x"\n}\n',      # a comma opening a line, before text (found by the fuzz campaign)
    'product p {\n  owner "a"\n , x\n}\n, y\n,\n',
    ', "text"\n',
])
def test_a_comma_that_opens_a_statement_is_a_finding_not_a_crash(text):
    from dsspec.compiler.syntax import parse

    _, diags = parse("t.dsspec", text)
    assert diags and all(d.rule == "syntax-error" for d in diags)


def test_two_texts_after_one_statement_are_two_statements(tmp_path):
    text = variant('goal     monthly_churn', 'non_goal "Pricing", "Offers"\n  goal     monthly_churn')
    rule, message = only(tmp_path, text)
    assert 'write `non_goal "Offers"` on a line of its own' in message
    clean(tmp_path, variant('goal     monthly_churn', 'non_goal "Pricing"\n  non_goal "Offers"\n  goal     monthly_churn'))


# -- ranges and huge values in messages -----------------------------------------------------------------

def test_a_range_of_numbers_is_no_date_range(tmp_path):
    rule, message = only(tmp_path, variant("optimal    >= 0.25", "optimal    0.25 .. 0.3"))
    assert "date" not in message and "`>= 0.25`" in message


@pytest.mark.parametrize("old, new", [("budget   $2k/month", "budget   $999999999999999999/s"),
                                      ("load     1.2M/week", "load     999999999B/s")])
def test_a_value_out_of_range_once_monthly_is_refused(tmp_path, old, new):
    rule, message = only(tmp_path, variant(old, new))
    assert rule == "invalid-value" and "out of range" in message


def test_a_number_for_a_share_is_never_told_a_percentage_out_of_bounds(tmp_path):
    rule, message = only(tmp_path, variant("minority_share 6%", "minority_share 0.6"))
    assert "`60%` is more than `50%`" in message and "write `60%`" not in message
    rule, message = only(tmp_path, variant("minority_share 6%", "minority_share -0.05"))
    assert "never negative" in message and "-0.05%" not in message
    rule, message = only(tmp_path, variant("minority_share 6%", "minority_share 0.3"))
    assert "write `30%`" in message
    clean(tmp_path, variant("minority_share 6%", "minority_share 30%"))


@pytest.mark.parametrize("written, meant", [("1.5k ms", "1500ms"), ("1,5h", "1.5h"), ("1,000ms", "1000ms"),
                                            ("2 k s", None)])
def test_a_repaired_duration_keeps_its_magnitude_and_unit(tmp_path, written, meant):
    if meant is None:  # two spaced words: at least no literal glues `k` to a unit
        rule, message = findings(tmp_path, variant("timeout  4h", f"timeout  {written}"))[0]
        assert "ks`" not in message
        return
    rule, message = only(tmp_path, variant("timeout  4h", f"timeout  {written}"))
    assert f"write `{meant}`" in message
    clean(tmp_path, variant("timeout  4h", f"timeout  {meant}"))


def test_a_list_statement_with_a_quoted_item_is_still_told_its_brackets(tmp_path):
    rule, message = findings(tmp_path, variant("metrics [precision, recall, pr_auc]", 'metrics precision, "recall"'))[0]
    assert "[" in message and "remove the `,`" not in message
