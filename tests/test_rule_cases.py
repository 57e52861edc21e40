"""Cases at the edges of the design rules: what a senior reviewer would and would not flag.

Each case is a spec, the rule, and whether it must fire (SQLFluff keeps such
pass/fail cases per rule in data; these are the ones the docstring examples
do not already cover).
"""

from __future__ import annotations

import pytest

from conftest import compile_text

BASE = 'product p { owner "a@b.c" }\n'

CASES = [
    ("metric-ignores-error-costs", True, """
        operator { error_cost false_negative $180; error_cost false_positive $6 }
        model m { task binary_classification }
        evaluation { metrics [precision]; primary precision }
        """),
    ("metric-ignores-error-costs", False, """
        operator {
          success precision { at list_size <= 4000 }
          error_cost false_negative $180
          error_cost false_positive $6
        }
        model m { task binary_classification }
        evaluation { metrics [precision]; primary precision }
        """),
    ("complexity-unearned", False, """
        operator { success macro_f1 { optimal >= 0.8 } }
        model m {
          task text_classification
          ladder {
            baseline logistic_regression { macro_f1 0.70 }
            step distilbert { macro_f1 0.81; pretrained "distilbert-base-uncased"; chosen }
            step bert { macro_f1 0.80; reason "tried and rejected: slower, no better" }
          }
        }
        """),
    # the analysts are more accurate but take four days against a 6-hour target: speed is the gain
    ("complexity-unearned", False, """
        operator { success macro_f1 { optimal >= 0.7 }; latency p99 <= 6h }
        model m {
          task image_classification
          ladder {
            manual "Analysts by hand" { macro_f1 0.78; latency 96h }
            step cnn { macro_f1 0.69; pretrained "ImageNet"; chosen }
          }
        }
        """),
    ("complexity-unearned", True, """
        operator { success macro_f1 { optimal >= 0.7 }; latency p99 <= 6h }
        model m {
          task image_classification
          ladder {
            manual "Analysts by hand" { macro_f1 0.78; latency 2h }
            step cnn { macro_f1 0.69; pretrained "ImageNet"; chosen }
          }
        }
        """),
    ("delayed-labels-tracked-live", False, """
        source outcomes { kind labels; label_delay 60d }
        model m { task binary_classification; labels outcomes }
        evaluation { metrics [recall] }
        monitoring { track latency }
        """),
    # the one GPU the serving names is priced into the budget roll-up (cost-over-budget), so the
    # size rule does not report the same dollars again
    ("cost-over-budget", True, """
        operator { budget $1.5k/month }
        model m { task regression; ladder { step mlp { params 20M; chosen } } }
        serving { mode online; hardware gpu }
        """),
    ("huge-model-on-small-budget", False, """
        operator { budget $1.5k/month }
        model m { task regression; ladder { step mlp { params 20M; chosen } } }
        serving { mode online; hardware gpu }
        """),
    ("huge-model-on-small-budget", True, """
        operator { budget $1.5k/month }
        model m { task regression; ladder { step mlp { params 20M; chosen } } }
        serving { mode online }
        """),
    ("huge-model-on-small-budget", False, """
        operator { budget $1.5k/month }
        model m { task regression; ladder { step mlp { params 20M; chosen } } }
        serving { mode batch; hardware gpu; schedule daily; cost $150/month }
        """),
    ("huge-model-on-small-budget", False, """
        operator { budget $1.5k/month }
        model m { task text_classification; ladder { step distilbert { params 66M; chosen } } }
        serving { mode edge }
        """),
    ("huge-model-on-small-budget", True, """
        operator { budget $3k/month }
        model m { task generation; ladder { step llm { params 70B; chosen } } }
        serving { mode batch; cost $500/month }
        """),
    # one GPU named, but the weights need several: the GPUs missing are priced by no other rule
    ("huge-model-on-small-budget", True, """
        operator { budget $3k/month }
        model m { task generation; ladder { step llm { params 70B; chosen } } }
        serving { mode online; hardware gpu }
        """),
    # 6% churners: always "renews" scores 94% accuracy
    ("accuracy-on-imbalanced-labels", True, """
        source renewals { kind labels; label_delay 30d; minority_share 6% }
        model m { task binary_classification; labels renewals }
        evaluation { metrics [accuracy, recall]; primary accuracy }
        """),
    ("accuracy-on-imbalanced-labels", False, """
        source votes { kind labels; label_delay 1d; minority_share 30% }
        model m { task binary_classification; labels votes }
        evaluation { metrics [accuracy, recall]; primary accuracy }
        """),
    ("unused-declaration", False, """
        source payments { kind stream }
        source payments { kind table }
        input i { from payments; fields [a] }
        model m { reads i }
        """),
]


@pytest.mark.parametrize("rule,fires,text", CASES, ids=[f"{r}-{'fires' if f else 'passes'}-{i}"
                                                     for i, (r, f, _) in enumerate(CASES)])
def test_rule_case(rule, fires, text, tmp_path):
    import textwrap

    result = compile_text(tmp_path, BASE + textwrap.dedent(text))
    assert (rule in {d.rule for d in result.diagnostics}) == fires, result.diagnostics


def test_a_small_model_over_budget_on_an_estimated_gpu_is_pointed_at_cpu_not_at_an_llm(tmp_path):
    text = BASE + """
operator { budget $1.5k/month }
model m { task regression; ladder { step mlp { params 20M; chosen } } }
serving { mode online }
"""
    (hit,) = [d for d in compile_text(tmp_path, text).diagnostics if d.rule == "huge-model-on-small-budget"]
    assert "hardware cpu" in hit.help and "LLM" not in hit.help
    big = compile_text(tmp_path, text.replace("mlp { params 20M", "llm { params 70B"), "big.dsspec")
    (hit,) = [d for d in big.diagnostics if d.rule == "huge-model-on-small-budget"]
    assert "small LLM" in hit.help


def test_labels_missing_names_the_source_of_outcomes_it_trains_on(tmp_path):
    text = BASE + """
source orders { kind stream }
source pickups { kind stream; label_delay 2h }
input order { from orders; fields [a] }
model m { task regression; reads order }
training { from [orders, pickups] }
"""
    (hit,) = [d for d in compile_text(tmp_path, text).diagnostics if d.rule == "labels-missing"]
    assert hit.help.startswith("add `labels pickups`")
    vague = compile_text(tmp_path, text.replace("training { from [orders, pickups] }\n", ""), "vague.dsspec")
    (hit,) = [d for d in vague.diagnostics if d.rule == "labels-missing"]
    assert "labels SOURCE" in hit.help


def test_top_k_recall_of_next_word_and_recommender_papers_is_a_known_metric(tmp_path):
    text = BASE + "model m { task ranking }\nevaluation { metrics [top1_recall, top3_recall]; primary top1_recall }\n"
    rules = {d.rule for d in compile_text(tmp_path, text).diagnostics}
    assert not rules & {"metric-undeclared", "metric-misspelt"}
