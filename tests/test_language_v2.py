"""Language v2: pipelines, per-model success, metrics as data, stakeholders, protected fields, hosted models.

Each test is one scenario a senior reviewer would judge, with the finding it
must (or must not) give.
"""

from __future__ import annotations

from conftest import compile_text, rules_of

OWNED = 'product p { owner "a@b.c" }\n'

PIPELINE = OWNED + """
ecosystem { user app "Shows the answer" }
operator { success ndcg_at_10 { optimal >= 0.5; acceptable >= 0.45; worst <= 0.4 } }
source relevance { kind labels; label_delay 1d }
input query { fields [text, locale] }
output candidates { type ranking }
output ranked { type ranking; to app }
model retriever {
  task retrieval
  reads query
  writes candidates
  labels relevance
  success recall_at_5 { optimal >= 0.9; acceptable >= 0.85; worst <= 0.8 }
  ladder {
    baseline bm25 { recall_at_5 0.7 }
    step embedding_knn { recall_at_5 0.86; chosen }
  }
}
model ranker {
  task ranking
  reads [query, candidates]
  writes ranked
  labels relevance
  ladder {
    baseline logistic_regression { ndcg_at_10 0.42 }
    step lightgbm { ndcg_at_10 0.47; chosen }
  }
}
evaluation retriever { metrics [recall_at_5]; primary recall_at_5 }
evaluation ranker { metrics [ndcg_at_10]; primary ndcg_at_10 }
"""


def test_a_retriever_judged_on_its_own_metric_is_not_flagged(tmp_path):
    rules = {r for _, r in rules_of(compile_text(tmp_path, PIPELINE))}
    assert not rules & {"complexity-unearned", "success-metric-not-evaluated", "output-without-consumer",
                        "unused-declaration", "unknown-reference"}


def test_pipeline_order_puts_each_model_after_those_it_reads(tmp_path):
    head, rest = PIPELINE.split("model retriever {")
    retriever, tail = rest.split("model ranker {")
    ranker, sections = tail.split("evaluation retriever")
    text = head + "model ranker {" + ranker + "model retriever {" + retriever + "evaluation retriever" + sections
    result = compile_text(tmp_path, text)  # the ranker is declared first
    r = result.resolved
    assert [m.name.name for m in r.order] == ["retriever", "ranker"]
    assert [m.name.name for m in r.path_to_user(r.models["ranker"])] == ["retriever", "ranker"]
    assert r.reaches_user(r.models["ranker"]) and not r.reaches_user(r.models["retriever"])


def test_a_cycle_of_models_is_a_located_error(tmp_path):
    text = OWNED + """
output a { type score }
output b { type score }
model one { reads b; writes a }
model two { reads a; writes b }
"""
    result = compile_text(tmp_path, text)
    cycles = [d for d in result.diagnostics if d.rule == "model-cycle"]
    assert len(cycles) == 1 and cycles[0].severity.value == "error"
    assert cycles[0].span.line in (5, 6) and "->" in cycles[0].message


def test_the_end_to_end_metric_must_be_measured_somewhere_on_the_path(tmp_path):
    text = PIPELINE.replace("model ranker {\n  task ranking", "model ranker {\n  task ranking\n"
                            "  success map { optimal >= 0.5; acceptable >= 0.4; worst <= 0.3 }")
    text = text.replace("ndcg_at_10 0.42", "map 0.42").replace("ndcg_at_10 0.47", "map 0.47")
    text = text.replace("evaluation ranker { metrics [ndcg_at_10]; primary ndcg_at_10 }",
                        "evaluation ranker { metrics [map]; primary map }")
    found = [(line, r) for line, r in rules_of(compile_text(tmp_path, text)) if r == "success-metric-not-evaluated"]
    assert found == [(4, "success-metric-not-evaluated")]  # at the operator's success


def test_label_free_metrics_are_never_delayed(tmp_path):
    text = OWNED + """
metric groundedness_judge { better higher; labels no }
source outcomes { kind labels; label_delay 90d }
model m { task binary_classification; labels outcomes }
evaluation { metrics [recall, block_rate] }
monitoring { track block_rate; track approval_rate; track groundedness_judge; track recall }
"""
    found = [(line, r) for line, r in rules_of(compile_text(tmp_path, text)) if r == "delayed-labels-tracked-live"]
    assert found == [(7, "delayed-labels-tracked-live")]  # `recall` only


def test_misspelt_metrics_get_did_you_mean_and_unknown_ones_an_info(tmp_path):
    text = OWNED + """
ecosystem { goal watch_minutes increase 5% }
operator { success precison { at recal >= 0.5; optimal >= 0.7; acceptable >= 0.6; worst <= 0.5 } }
model m { task binary_classification }
evaluation { metrics [precision, ndcg_at_5, hits_at_10, top3_accuracy] }
monitoring { track precison; track answer_helpfulness; track answer_helpfulness }
"""
    result = compile_text(tmp_path, text)
    got = [(d.span.line, d.rule, d.severity.value) for d in result.diagnostics if d.rule.startswith("metric-")]
    # the success metric carries the design: its typo is an error; the operating point's a warning
    assert got == [(4, "metric-misspelt", "error"), (4, "metric-misspelt", "warning"),
                   (7, "metric-misspelt", "warning"), (7, "metric-undeclared", "info")]
    assert any("did you mean `precision`?" in d.message for d in result.diagnostics)
    assert any("did you mean `recall`?" in d.message for d in result.diagnostics)


def test_metric_declared_in_configuration_is_known(tmp_path):
    (tmp_path / "dsspec.toml").write_text('[metrics.answer_helpfulness]\nbetter = "higher"\nlabels = false\n')
    from dsspec.compiler import pipeline

    (tmp_path / "s.dsspec").write_text(OWNED + "model m { task generation }\nmonitoring { track answer_helpfulness }\n")
    result = pipeline.check_file(pipeline.Session(), str(tmp_path / "s.dsspec"))
    assert "metric-undeclared" not in {d.rule for d in result.diagnostics}
    assert not [d for d in result.diagnostics if d.rule == "invalid-config"]


def test_protected_field_used_for_slices_is_used_and_read_by_a_model_is_an_error(tmp_path):
    text = OWNED + """
source apps { kind table; protected [age, sex] }
input applicant { from apps; fields [income] }
input demographics { from apps; fields [age, sex] }
model m { task binary_classification; reads applicant }
evaluation { slices [age, sex] }
"""
    assert "unused-declaration" not in {r for _, r in rules_of(compile_text(tmp_path, text))}
    bad = compile_text(tmp_path, text.replace("reads applicant", "reads [applicant, demographics]"), "bad.dsspec")
    (hit,) = [d for d in bad.diagnostics if d.rule == "protected-attribute-reaches-model"]
    assert hit.severity.value == "error" and "remove" in hit.help and "slices" in hit.help
    assert "reads" not in hit.help.split("remove")[0]  # never advises adding it to a model


def test_a_stakeholder_needs_no_output_and_a_bare_user_is_told_about_stakeholders(tmp_path):
    text = OWNED + 'ecosystem { stakeholder model_risk "Signs off"; user auditors "Read the model card" }\n'
    result = compile_text(tmp_path, text)
    unused = [d for d in result.diagnostics if d.rule == "unused-declaration"]
    assert [d.message for d in unused] == ["user `auditors` is declared but never used"]
    assert "stakeholder" in unused[0].help


def test_a_hosted_llm_is_judged_on_its_price_not_its_size(tmp_path):
    text = OWNED + """
operator { latency p95 <= 6s; load 3/s; budget $20k/month }
model m { task generation; ladder { baseline hosted_llm_small { x 1 }; step gpt { x 2; chosen } } }
serving { mode online; provider "LLM API"; cost $0.002/request }
"""
    rules = {r for _, r in rules_of(compile_text(tmp_path, text))}
    assert not rules & {"huge-model-on-small-budget", "model-too-slow-for-latency", "cost-over-budget"}
    busy = compile_text(tmp_path, text.replace("load 3/s", "load 30/s"), "busy.dsspec")
    (over,) = [d for d in busy.diagnostics if d.rule == "cost-over-budget"]
    assert "$155,520/month" in over.message  # $0.002 x 30/s x 30 days


def test_gpus_without_a_cost_are_priced_into_the_budget_as_an_estimate(tmp_path):
    text = OWNED + """
operator { budget $5k/month }
model m { task regression }
serving { mode online; hardware 4 gpu }
"""
    (over,) = [d for d in compile_text(tmp_path, text).diagnostics if d.rule == "cost-over-budget"]
    assert "$7,300/month" in over.message and "estimated" in over.message


def test_unknown_family_is_an_info_that_says_how_to_describe_it(tmp_path):
    text = OWNED + "model m { task regression; ladder { step tabnet_v2 { mae 3; chosen } } }\n"
    (hit,) = [d for d in compile_text(tmp_path, text).diagnostics if d.rule == "unknown-model-family"]
    assert hit.severity.value == "info" and "[tool.dsspec.families.tabnet_v2]" in hit.help


def test_calibrated_maybe_and_bare_calibrated_are_findings_not_crashes(tmp_path):
    text = OWNED + "output o { type probability; calibrated maybe }\noutput o2 { type probability; calibrated }\n"
    rules = rules_of(compile_text(tmp_path, text))
    assert (2, "invalid-value") in rules and (3, "missing-value") in rules


def test_completeness_gaps_each_get_a_finding(tmp_path):
    text = OWNED + "operator { fallback rules; default \"x\" }\nmodel m { task regression }\n"
    rules = rules_of(compile_text(tmp_path, text))
    assert rules.count((2, "operator-target-missing")) == 3
    assert (3, "evaluation-missing") in rules and (3, "serving-missing") in rules


def test_a_pipeline_is_judged_on_the_sum_of_its_online_stages(tmp_path):
    text = PIPELINE.replace("operator {", "operator {\n  latency p99 <= 50ms\n", 1)
    text = text.replace("step embedding_knn { recall_at_5 0.86; chosen }",
                        "step embedding_knn { recall_at_5 0.86; latency 30ms; chosen }")
    text = text.replace("step lightgbm { ndcg_at_10 0.47; chosen }", "step lightgbm { ndcg_at_10 0.47; latency 30ms; chosen }")
    slow = [d for d in compile_text(tmp_path, text).diagnostics if d.rule == "model-too-slow-for-latency"]
    assert [d.message for d in slow] == [
        "the pipeline `retriever` -> `ranker` takes about 60ms (30ms + 30ms), over the latency target `p99 <= 50ms`"]
    batch = text.replace("evaluation retriever", "serving retriever { mode batch; schedule daily }\nevaluation retriever")
    assert "model-too-slow-for-latency" not in {d.rule for d in compile_text(tmp_path, batch, "b.dsspec").diagnostics}


def test_a_metric_declared_in_an_included_library_is_known(tmp_path):
    (tmp_path / "metrics.dsspec").write_text("metric answer_helpfulness { better higher; labels no }\n")
    text = OWNED + 'include "metrics.dsspec"\nmodel m { task generation }\nmonitoring { track answer_helpfulness }\n'
    assert "metric-undeclared" not in {r for _, r in rules_of(compile_text(tmp_path, text))}


def test_protected_names_of_a_source_can_be_sliced_and_watched_without_an_input(tmp_path):
    text = OWNED + """
ecosystem { user analyst "Reviews claims" }
source claims { kind table; protected [race, sex] }
input claim { from claims; fields [amount, provider] }
output score { type probability; to analyst }
model m { task binary_classification; reads claim; writes score }
evaluation { slices [race, sex] }
monitoring { drift [sex, amount] }
"""
    rules = {r for _, r in rules_of(compile_text(tmp_path, text))}
    assert not rules & {"unknown-reference", "unused-declaration", "protected-attribute-reaches-model"}
    # a misspelt protected name is still an unknown field, with the protected name suggested
    typo = compile_text(tmp_path, text.replace("slices [race, sex]", "slices [rase]"), "typo.dsspec")
    (hit,) = [d for d in typo.diagnostics if d.rule == "unknown-reference"]
    assert "`rase`" in hit.message and "`race`" in hit.message
    # slicing by it does not make it a feature: a model reading an input that declares it is still an error
    read = text.replace("fields [amount, provider]", "fields [amount, provider, race]")
    (hit,) = [d for d in compile_text(tmp_path, read, "read.dsspec").diagnostics
              if d.rule == "protected-attribute-reaches-model"]
    assert "race" in hit.message
