"""Edge cases of the leakage, label-policy, rollout and operations rules (issue 11).

Each case is a spec, the rule, and whether it must fire. Unlike the older
cases, every spec here must also be free of syntax, schema and reference
errors, so a case cannot pass because the spec failed to build.
"""

from __future__ import annotations

import textwrap

import pytest

from conftest import compile_text

BASE = 'product p { owner "a@b.c" }\n'
CORE = {"syntax-error", "unknown-statement", "invalid-value", "missing-value", "duplicate-statement",
        "unknown-reference", "duplicate-declaration", "include-error"}
SHIPPED = """
    ecosystem { user app "Acts on the output"; goal kpi increase 5%; goal harm keep <= 1% }
    operator { success recall { at fpr <= 1%; acceptable >= 0.5; worst <= 0.3 } }
    output o { type probability; to app }
"""

CASES = [
    # post-outcome-feature
    ("post-outcome-feature", True, """
        input late { fields [a]; known_at after_outcome }
        model m { task regression; reads late }
        """),
    ("post-outcome-feature", False, """
        input late { fields [a]; known_at after_outcome }
        input now { fields [b]; known_at request }
        model m { task regression; reads now }
        """),
    ("post-outcome-feature", True, """
        input i { fields [a, b]; after_outcome [b] }
        model m { task regression; reads i }
        """),
    # label-maturity: a gap of the label delay is enough, and up to two weeks short of it is slack
    ("label-maturity", False, """
        source y { kind labels; label_delay 14d }
        model m { task forecasting; labels y }
        training { window 2025-01-01 .. 2025-06-29 }
        evaluation { window 2025-07-13 .. 2025-09-28; split time }
        """),
    ("label-maturity", False, """
        source y { kind labels; label_delay 14d }
        model m { task forecasting; labels y }
        training { window 2025-01-01 .. 2025-06-30 }
        evaluation { window 2025-07-01 .. 2025-09-28; split time }
        """),
    ("label-maturity", True, """
        source y { kind labels; label_delay 60d }
        model m { task binary_classification; labels y }
        training { window 2025-01-01 .. 2025-06-30 }
        evaluation { window 2025-07-01 .. 2025-09-28; split time }
        """),
    # entity-leakage: the key may be declared on an input; a time split is not flagged
    ("entity-leakage", True, """
        input visit { fields [patient_id, age]; entity [patient_id] }
        model m { task binary_classification; reads visit }
        evaluation { split random }
        """),
    ("entity-leakage", False, """
        input visit { fields [patient_id, age]; entity [patient_id] }
        model m { task binary_classification; reads visit }
        evaluation { split time }
        """),
    # random-split-on-time-data now covers forecasting with no window and no stream
    ("random-split-on-time-data", True, """
        model m { task forecasting }
        evaluation { split random }
        """),
    ("random-split-on-time-data", False, """
        model m { task regression }
        evaluation { split random }
        """),
    # label policy
    ("feedback-loop-without-exploration", False, """
        source s { kind labels; label_delay 1d; logged_by random }
        """),
    ("feedback-loop-without-exploration", False, """
        source s { kind labels; label_delay 1d; logged_by bandit; propensities yes }
        """),
    ("feedback-loop-without-exploration", True, """
        source s { kind labels; label_delay 1d; logged_by ranker; exploration 0%; propensities no }
        """),
    ("censored-labels-uncorrected", False, """
        source s { kind labels; label_delay 1d }
        """),
    ("selective-labels-uncorrected", True, """
        source s { kind labels; label_delay 1d; selected_by approvals "only approved loans"; logged_by x; exploration 5% }
        """),
    ("proxy-label-misaligned", False, """
        source s { kind labels; label_delay 1d; proxy_for watch_time }
        model m { task ranking; labels s }
        monitoring { track watch_time; alert "team" }
        """),
    ("proxy-label-misaligned", True, """
        source s { kind labels; label_delay 1d; proxy_for watch_time }
        model m { task ranking; labels s }
        monitoring { track ctr; alert "team" }
        """),
    # a correction for the logging policy leaves the proxy a proxy: the goal must still be measured
    ("proxy-label-misaligned", True, """
        source s {
          kind labels; label_delay 1d; logged_by feed; exploration 2%
          proxy_for watch_time; correction ipw "position weights"
        }
        model m { task ranking; labels s }
        monitoring { track ctr; alert "team" }
        """),
    # a spelling of ROC AUC is no way around the operating point
    ("operating-point-missing", True, """
        ecosystem { user app "Acts on the output" }
        operator { success auroc { acceptable >= 0.8; worst <= 0.7 } }
        output o { type class; to app }
        model m { task binary_classification; writes o }
        """),
    # online-test-missing
    ("online-test-missing", False, """
        ecosystem { user app "Reads the scores" }
        output o { type score; to app }
        output c { type score }
        model a { task ranking; writes c }
        model b { task ranking; writes o }
        rollout { shadow 7d; rollback when worst }
        """),
    ("online-test-missing", True, """
        ecosystem { user app "Reads the scores" }
        output o { type score; to app }
        model m { task ranking; writes o }
        rollout { rollback when worst }
        """),
    ("online-test-missing", False, """
        output o { type score }
        model m { task ranking; writes o }
        """),
    # guardrail-missing
    ("guardrail-missing", True, SHIPPED + """
        model m { task binary_classification; writes o }
        rollout { experiment user { primary kpi }; rollback when worst }
        """),
    ("guardrail-missing", False, SHIPPED + """
        model m { task binary_classification; writes o }
        rollout { guardrails [harm]; experiment user { primary kpi }; rollback when worst }
        """),
    ("guardrail-missing", False, """
        ecosystem { goal kpi increase 5% }
        rollout { guardrails [complaints]; canary 5% }
        """),
    # rollback-trigger-missing
    ("rollback-trigger-missing", False, SHIPPED + """
        model m { task binary_classification; writes o }
        rollout { shadow 7d; rollback when recall <= 0.3 }
        """),
    ("rollback-trigger-missing", True, SHIPPED + """
        model m { task binary_classification; writes o }
        rollout { shadow 7d; rollback when harm > 1% }
        """),
    ("rollback-trigger-missing", True, """
        operator { success recall { acceptable >= 0.5 } }
        model m { task binary_classification }
        rollout { shadow 7d; rollback when worst }
        """),
    # operating-point-missing
    ("operating-point-missing", False, """
        ecosystem { user app "Shows the list" }
        operator { success pr_auc { acceptable >= 0.4 } }
        output o { type ranking; to app }
        model m { task ranking; writes o }
        """),
    ("operating-point-missing", True, """
        ecosystem { user app "Acts on the class" }
        output o { type class; to app }
        model m { task binary_classification; writes o }
        operator { success auc { acceptable >= 0.8 } }
        """),
    # mape-on-intermittent-data
    ("mape-on-intermittent-data", False, """
        source s { kind labels; label_delay 1d; zero_share 0% }
        model m { task forecasting; labels s }
        evaluation { metrics [mape]; primary mape }
        """),
    ("mape-on-intermittent-data", True, """
        operator { success mape { acceptable <= 20% } }
        source s { kind labels; label_delay 1d; zero_share 30% }
        model m { task forecasting; labels s }
        """),
    ("mape-on-intermittent-data", True, """
        source s { kind labels; label_delay 1d }
        output f { type value; zero_share 40% }
        model m { task forecasting; labels s; writes f }
        evaluation { metrics [mape, mae]; primary mae }
        """),
    # evaluation-not-on-label-source: reading the labels through an input counts
    ("evaluation-not-on-label-source", False, """
        source s { kind labels; label_delay 1d }
        input i { from s; fields [y] }
        model m { task regression; labels s; reads i }
        evaluation { from i }
        """),
    ("evaluation-not-on-label-source", False, """
        source s { kind stream }
        source y { kind labels; label_delay 1d }
        input i { from s; fields [a] }
        model m { task regression; labels y; reads i }
        evaluation { from s }
        """),
    # alert-missing: a rejected alert already has its finding
    ("alert-missing", False, """
        model m { task regression }
        monitoring { track mae; alert pager }
        """),
    # retraining-too-slow-for-adversarial-domain
    ("retraining-too-slow-for-adversarial-domain", False, """
        model m { task binary_classification; adversarial "spammers adapt" }
        training { schedule weekly }
        """),
    ("retraining-too-slow-for-adversarial-domain", True, """
        model m { task binary_classification; adversarial }
        training { schedule 30d }
        """),
    ("retraining-too-slow-for-adversarial-domain", True, """
        ecosystem { adversarial }
        model m { task binary_classification }
        training { window 2025-01-01 .. 2025-02-01 }
        """),
    ("retraining-too-slow-for-adversarial-domain", False, """
        model m { task binary_classification }
        training { schedule monthly }
        """),
    ("retraining-too-slow-for-adversarial-domain", False, """
        ecosystem { adversarial "card testers" }
        model m { task binary_classification; adversarial no }
        training { schedule monthly }
        """),
    ("retraining-too-slow-for-adversarial-domain", True, """
        model m { task binary_classification; adversarial yes }
        training { schedule on_demand }
        """),
    # training-serving-skew
    ("training-serving-skew", False, """
        source s { kind stream }
        source y { kind labels; label_delay 1d }
        input i { from s; fields [a] }
        model m { task regression; reads i; labels y }
        training { from [i, y] }
        """),
    ("training-serving-skew", True, """
        source s { kind stream }
        input i { from s; fields [a] }
        input j { from s; fields [b] }
        model m { task regression; reads i }
        training { from [i, j] }
        """),
    ("training-serving-skew", False, """
        source s { kind stream }
        source y { kind labels; label_delay 1d }
        source cancellations { kind labels; label_delay 1d }
        input i { from s; fields [a] }
        model m { task regression; reads i; labels y }
        training { from [s, y, cancellations] }
        """),
    # the outcomes come from a stream that states its label delay, not named in `labels`:
    # labels-missing reports that; the stream is not a feature source serving skips
    ("training-serving-skew", False, """
        source s { kind stream }
        source pickups { kind stream; label_delay 2h }
        input i { from s; fields [a] }
        model m { task regression; reads i }
        training { from [s, pickups] }
        """),
    # fact-missing
    ("fact-missing", False, """
        source s { kind table; freshness 1h }
        input i { from s; fields [a]; freshness 1h }
        model m { task regression; reads i }
        """),
    ("fact-missing", True, """
        source y { kind labels; label_delay 1d }
        model m { task forecasting; labels y }
        operator { success mape { acceptable <= 20% } }
        """),
    # a secondary MAPE on prices (never zero) beside the deciding metric: no question
    ("fact-missing", False, """
        source y { kind labels; label_delay 60d }
        model m { task regression; labels y }
        evaluation { metrics [mdape, mape]; primary mdape }
        """),
    ("fact-missing", True, """
        source y { kind labels; label_delay 60d }
        model m { task regression; labels y }
        evaluation { metrics [mape, mae]; primary mape }
        """),
    ("fact-missing", True, """
        source y { kind labels; label_delay 1d }
        model m { task forecasting; labels y }
        evaluation { metrics [wape, mape]; primary wape }
        """),
    ("fact-missing", True, """
        source s { kind table }
        input i { from s; fields [a]; freshness 1h }
        model m { task regression; reads i }
        """),
    ("fact-missing", True, """
        source s { kind table }
        model m { task regression; labels s }
        """),
    ("fact-missing", False, """
        source y { kind labels; label_delay 1d }
        model m { task binary_classification; labels y }
        evaluation { metrics [recall]; primary recall }
        """),
]


@pytest.mark.parametrize("rule,fires,text", CASES, ids=[f"{r}-{'fires' if f else 'passes'}-{i}"
                                                     for i, (r, f, _) in enumerate(CASES)])
def test_policy_rule_case(rule, fires, text, tmp_path):
    result = compile_text(tmp_path, BASE + textwrap.dedent(text))
    if "alert pager" not in text:
        assert not [d for d in result.diagnostics if d.rule in CORE], result.diagnostics
    assert (rule in {d.rule for d in result.diagnostics}) == fires, result.diagnostics


def test_fact_missing_reports_each_fact_once(tmp_path):
    text = BASE + textwrap.dedent("""
        source y { kind labels; label_delay 1d }
        model a { task binary_classification; labels y }
        model b { task binary_classification; labels y }
        evaluation a { metrics [accuracy]; primary accuracy }
        evaluation b { metrics [accuracy]; primary accuracy }
        """)
    result = compile_text(tmp_path, text)
    assert [d.span.line for d in result.diagnostics if d.rule == "fact-missing"] == [3]


def test_two_product_wide_rollouts_are_a_duplicate(tmp_path):
    text = BASE + "model a { task ranking }\nmodel b { task ranking }\nrollout { shadow 1d }\nrollout { shadow 2d }\n"
    result = compile_text(tmp_path, text)
    assert [(d.span.line, d.rule) for d in result.diagnostics if d.rule == "duplicate-declaration"] == \
        [(5, "duplicate-declaration")]


def test_training_serving_skew_points_a_feature_log_at_the_inputs_not_at_another_source(tmp_path):
    text = BASE + textwrap.dedent("""
        source store { kind table; freshness 1min }
        source feature_log { kind table; description "Features as served, logged with each request" }
        source y { kind labels; label_delay 1d }
        input feats { from store; fields [a]; freshness 5min }
        model m { task regression; reads feats; labels y }
        training { from [feature_log, y] }
        """)
    (hit,) = [d for d in compile_text(tmp_path, text).diagnostics if d.rule == "training-serving-skew"]
    assert "`from [feats, y]`" in hit.help  # following it passes: the inputs are what serving reads
    fixed = compile_text(tmp_path, text.replace("from [feature_log, y]", "from [feats, y]"), "fixed.dsspec")
    assert "training-serving-skew" not in {d.rule for d in fixed.diagnostics}


def test_online_test_missing_suggests_the_ecosystem_goals_as_primary_and_guardrails(tmp_path):
    text = BASE + textwrap.dedent("""
        ecosystem { user app "Shows it"; goal bookings increase 3%; goal cancellations keep <= 4% }
        output o { type score; to app }
        model m { task ranking; writes o }
        """)
    (hit,) = [d for d in compile_text(tmp_path, text).diagnostics if d.rule == "online-test-missing"]
    assert "experiment user { primary bookings; guardrails [cancellations] }" in hit.help
