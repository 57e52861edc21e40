"""Regressions from a senior reviewer's pass over the merged rules: each flaw fires, and the sound
design beside it stays quiet (a false alarm is as serious as a miss)."""

from __future__ import annotations

from conftest import compile_text

BASE = 'product p { owner "a@b.c" }\n'


def hits(tmp_path, text, rule, name="spec.dsspec"):
    return [d for d in compile_text(tmp_path, BASE + text, name).diagnostics if d.rule == rule]


LOG = """
source edits { kind labels; label_delay 14d }
input text { from edits; fields [title] }
model m { task text_classification; reads text; labels edits }
"""


def test_a_random_split_on_a_delayed_label_log_is_caught_without_a_window(tmp_path):
    (hit,) = hits(tmp_path, LOG + "evaluation { from edits; split random }\n", "random-split-on-time-data")
    assert "label_delay 14d" in hit.message
    assert not hits(tmp_path, LOG + "evaluation { from edits; split time }\n", "random-split-on-time-data", "ok.dsspec")
    undated = LOG.replace("; label_delay 14d", "")
    assert not hits(tmp_path, undated + "evaluation { from edits; split random }\n", "random-split-on-time-data",
                    "undated.dsspec")


def test_a_random_split_is_caught_when_the_model_reads_a_stream(tmp_path):
    text = """
source clicks { kind stream }
source grades { kind labels }
input c { from clicks; fields [a] }
model m { task regression; reads c; labels grades }
evaluation { from grades; split random }
"""
    (hit,) = hits(tmp_path, text, "random-split-on-time-data")
    assert "stream `clicks`" in hit.message
    assert not hits(tmp_path, text.replace("kind stream", "kind table"), "random-split-on-time-data", "t.dsspec")


PAIRS = """
source graph { kind table; entity [member_id] }
source impressions { kind labels; label_delay 14d }
input g { from graph; fields [member_id, common] }
model r { task ranking; reads g; labels impressions }
evaluation { from impressions; split random }
"""


def test_a_shared_entity_on_a_delayed_log_is_one_finding_advising_split_time_and_whole_pairs(tmp_path):
    result = compile_text(tmp_path, BASE + PAIRS)
    rules = [d.rule for d in result.diagnostics]
    assert "random-split-on-time-data" not in rules
    (hit,) = [d for d in result.diagnostics if d.rule == "entity-leakage"]
    # issue 18: grouping comes first (a time split alone leaves a returning member on both sides)
    assert hit.help.startswith("use `split group member_id`") and "later period" in hit.help
    assert "every member's rows" in hit.help
    untimed = PAIRS.replace("; label_delay 14d", "").replace("task ranking", "task regression")
    (hit,) = hits(tmp_path, untimed, "entity-leakage", "untimed.dsspec")
    assert hit.help.startswith("use `split group member_id`") and "split time" not in hit.help
    assert "member's rows" not in hit.help


def test_a_slow_hosted_model_is_not_told_to_move_to_gpu(tmp_path):
    text = """
operator { latency p95 <= 500ms }
model m { task generation; ladder { step gpt_4o { latency 1800ms; chosen } } }
serving { mode online; provider "OpenAI" }
"""
    (hit,) = hits(tmp_path, text, "model-too-slow-for-latency")
    assert "GPU" not in hit.help and "hosted tier" in hit.help
    own = text.replace('provider "OpenAI"', "hardware cpu")
    (hit,) = hits(tmp_path, own, "model-too-slow-for-latency", "own.dsspec")
    assert "serve it on GPU" in hit.help


DELAYED = """
source outcomes { kind labels; label_delay 365d }
model m { task binary_classification; labels outcomes }
monitoring { track recall delayed 60d; alert "on-call" }
"""


def test_a_track_delayed_less_than_the_labels_is_flagged(tmp_path):
    (hit,) = hits(tmp_path, DELAYED, "delayed-labels-tracked-live")
    assert "delayed 60d" in hit.message and "`track recall delayed 365d`" in hit.help
    assert not hits(tmp_path, DELAYED.replace("60d", "365d"), "delayed-labels-tracked-live", "ok.dsspec")


def test_delayed_labels_help_never_invites_declaring_a_labelled_metric_label_free(tmp_path):
    (hit,) = hits(tmp_path, DELAYED.replace(" delayed 60d", ""), "delayed-labels-tracked-live")
    assert "labels no" not in hit.help and "delayed 365d" in hit.help
    custom = DELAYED.replace("track recall delayed 60d", "track repay_score").replace(
        "labels outcomes }", "labels outcomes }\nevaluation { metrics [repay_score]; primary repay_score }")
    (hit,) = hits(tmp_path, custom, "delayed-labels-tracked-live", "custom.dsspec")
    assert "only if `repay_score` is computed without outcomes" in hit.help


IMBALANCED = """
source outcomes { kind labels; minority_share 10% }
model m { task binary_classification; labels outcomes }
evaluation { metrics [accuracy, recall]; primary accuracy }
"""


def test_accuracy_at_a_ten_percent_minority_is_flagged_as_the_docstring_says(tmp_path):
    assert hits(tmp_path, IMBALANCED, "accuracy-on-imbalanced-labels")
    assert not hits(tmp_path, IMBALANCED.replace("10%", "11%"), "accuracy-on-imbalanced-labels", "ok.dsspec")


CANARY = """
ecosystem { user app "Shows the estimate" }
output eta { type value; to app }
model m { task regression; writes eta }
serving { mode online }
rollout { canary 50% for 1d; rollback when worst }
"""


def test_a_half_of_traffic_canary_is_not_a_canary(tmp_path):
    (hit,) = hits(tmp_path, CANARY, "online-test-missing")
    assert "is not a canary" in hit.message and "canary 5%" in hit.help
    assert not hits(tmp_path, CANARY.replace("50%", "25%"), "online-test-missing", "ok.dsspec")
    shadowed = CANARY.replace("rollout {", "rollout { shadow 7d;")
    assert not hits(tmp_path, shadowed, "online-test-missing", "shadowed.dsspec")


STAGES = """
operator { success auc { acceptable >= 0.80 } }
output pairs { type ranking }
output shown { type ranking; to app }
ecosystem { user app "Shows suggestions" }
model retriever {
  task retrieval
  writes pairs
  ladder { baseline heuristic { recall_at_1000 0.60 }; step gnn { recall_at_1000 0.72; chosen } }
}
model ranker { task ranking; reads pairs; writes shown; ladder { baseline lr { auc 0.78 }; step dnn { auc 0.86; chosen } } }
evaluation retriever { metrics [recall_at_1000]; primary recall_at_1000 }
evaluation ranker { metrics [auc]; primary auc }
"""


def test_a_pipeline_stage_on_its_own_metric_is_asked_for_its_own_success_not_the_products(tmp_path):
    result = compile_text(tmp_path, BASE + STAGES)
    (hit,) = [d for d in result.diagnostics if d.rule == "complexity-unearned"]
    assert "success recall_at_1000" in hit.help and "add `auc" not in hit.help
    assert "success-metric-not-evaluated" not in {d.rule for d in result.diagnostics}
    fixed = STAGES.replace("task retrieval", "task retrieval\n  success recall_at_1000 { acceptable >= 0.70 }")
    rules = {d.rule for d in compile_text(tmp_path, BASE + fixed, "fixed.dsspec").diagnostics}
    assert not rules & {"complexity-unearned", "success-metric-not-evaluated"}


LADDER = """
operator { success recall { acceptable >= 0.6 } }
model m {
  task binary_classification
  ladder {
    baseline lr { recall 0.80 }
    step gbm { recall 0.70 }
    step dnn { recall 0.75; chosen }
  }
}
"""


def test_the_chosen_step_is_compared_with_the_best_simpler_rung_not_only_its_neighbour(tmp_path):
    found = hits(tmp_path, LADDER, "complexity-unearned")
    assert [h.message.split("`")[1] for h in found] == ["gbm", "dnn"]
    assert "the best simpler rung" in found[1].message and "`lr`" in found[1].message
    better = hits(tmp_path, LADDER.replace("0.75", "0.85"), "complexity-unearned", "ok.dsspec")
    assert [h.message.split("`")[1] for h in better] == ["gbm"]


def test_a_step_below_a_manual_rung_is_not_told_to_keep_the_manual_rung(tmp_path):
    text = LADDER.replace("baseline lr { recall 0.80 }", 'manual "tips" { recall 0.97 }\n    baseline lr { recall 0.60 }')
    (hit,) = hits(tmp_path, text, "complexity-unearned")  # only the rung right after it; not the chosen one
    assert "`lr`" in hit.message and "keep the simpler step" not in hit.help and "same traffic" in hit.help


def test_a_generation_model_judged_on_plain_accuracy_is_flagged_and_a_named_grade_is_not(tmp_path):
    text = "operator { success accuracy { acceptable >= 0.9 } }\nmodel m { task generation }\n"
    (hit,) = hits(tmp_path, text, "classification-metric-on-generation")
    assert "`accuracy`" in hit.message and "metric graded_correct" in hit.help
    named = text.replace("success accuracy", "success answer_accuracy")
    assert not hits(tmp_path, named, "classification-metric-on-generation", "named.dsspec")
    classifier = text.replace("task generation", "task text_classification")
    assert not hits(tmp_path, classifier, "classification-metric-on-generation", "classifier.dsspec")


def test_an_output_no_model_writes_gets_one_finding_not_two(tmp_path):
    """One mistake, one message: an unwritten output is unused; it is not also told to name a consumer."""
    lone = "output o { type score }\n"
    assert hits(tmp_path, lone, "unused-declaration") and not hits(tmp_path, lone, "output-without-consumer")
    written = lone + "model m { task regression; writes o }\n"
    assert hits(tmp_path, written, "output-without-consumer", "written.dsspec")
