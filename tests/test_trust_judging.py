"""Issue 18, judged on sound designs: what the design uses is judged wherever it is declared, only what is
indexed is an index, goals and scikit-learn names give metrics their direction, and help for a model of a
multi-model spec, followed literally, raises no other finding.

Each test goes both ways: the flaw is flagged, and the sound variant of the same design stays silent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import compile_text
from dsspec.compiler import pipeline

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
CHURN = (SPECS / "churn_outreach.dsspec").read_text(encoding="utf-8")
SEARCH = (SPECS / "search_ranking.dsspec").read_text(encoding="utf-8")
WAREHOUSE = (SPECS / "lib" / "customer_warehouse.dsspec").read_text(encoding="utf-8")


def changed(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def found(tmp_path, text, name="spec.dsspec"):
    return [(d.rule, d.message, d.help) for d in compile_text(tmp_path, text, name).diagnostics]


def rules(tmp_path, text, name="spec.dsspec"):
    return [r for r, _, _ in found(tmp_path, text, name)]


def churn_project(tmp_path, spec=CHURN, lib=WAREHOUSE):
    """Write the churn spec and its library under ``tmp_path``; return the findings of the spec."""
    (tmp_path / "lib").mkdir(exist_ok=True)
    (tmp_path / "lib" / "customer_warehouse.dsspec").write_text(lib, encoding="utf-8")
    return compile_text(tmp_path, spec, "churn_outreach.dsspec").diagnostics


# ---- 32: only what is indexed is an index ------------------------------------------------------------

RAG = '''product dasher_support {
  owner "support-ml@example.com"
}
source dasher_messages { kind stream; trust untrusted; description "What Dashers type into the support chat" }
source kb_articles {
  kind  index
  trust trusted
  description "Support articles written by the support content team, embedded nightly"
}
input message { from dasher_messages; fields [text]; known_at request }
input kb { from kb_articles; fields [chunk, embedding] }
output passages { type ranking }
model retriever { task retrieval; reads [message, kb]; writes passages }
'''


def test_a_query_stream_read_by_a_retriever_is_not_an_index(tmp_path):
    assert "untrusted-index-without-provenance" not in rules(tmp_path, RAG)


def test_an_untrusted_index_without_provenance_is_flagged(tmp_path):
    text = changed(RAG, "  trust trusted\n", "  trust untrusted\n")
    hits = [m for r, m, _ in found(tmp_path, text) if r == "untrusted-index-without-provenance"]
    assert hits == ["untrusted documents of `kb_articles` are indexed for retrieval with no `provenance`"]


def test_what_feeds_an_index_is_indexed(tmp_path):
    text = changed(RAG, "input kb { from kb_articles;", "source forum { kind table; trust untrusted }\n"
                                                        "input kb { from [kb_articles, forum];")
    hits = [m for r, m, _ in found(tmp_path, text) if r == "untrusted-index-without-provenance"]
    assert hits == ["untrusted documents of `forum` are indexed for retrieval with no `provenance`"]


def test_a_retriever_with_no_index_indexes_its_documents_not_its_queries(tmp_path):
    text = changed(RAG, "  kind  index\n  trust trusted\n", "  kind  table\n  trust untrusted\n")
    hits = [m for r, m, _ in found(tmp_path, text) if r == "untrusted-index-without-provenance"]
    assert hits == ["untrusted documents of `kb_articles` are indexed for retrieval with no `provenance`"]


# ---- 33: a declaration of an included file is judged where the design uses it ---------------------------

def test_the_bundled_churn_spec_is_clean(tmp_path):
    assert churn_project(tmp_path) == []


def test_an_included_label_source_without_delay_is_flagged_at_the_using_statement(tmp_path):
    lib = changed(WAREHOUSE, "  label_delay    60d\n", "")
    found_ = churn_project(tmp_path, lib=lib)
    assert [(d.rule, d.message) for d in found_] == [
        ("label-delay-unknown", "label source `cancellations` (declared in `lib/customer_warehouse.dsspec`) "
                                "has no `label_delay`")]
    d = found_[0]
    assert CHURN.splitlines()[d.span.line - 1].strip() == "labels cancellations"
    assert d.help.startswith("in `lib/customer_warehouse.dsspec`, add `label_delay DURATION`")
    assert d.related[0].path.endswith("customer_warehouse.dsspec")


def test_the_same_source_inline_gives_the_same_finding(tmp_path):
    source = WAREHOUSE[WAREHOUSE.index("source cancellations"):].replace("  label_delay    60d\n", "")
    spec = changed(CHURN, "model churn_scorer {", source + "\nmodel churn_scorer {")
    lib = WAREHOUSE[:WAREHOUSE.index("source cancellations")]
    assert [d.rule for d in churn_project(tmp_path, spec, lib)] == ["label-delay-unknown"]


def test_open_label_questions_of_an_included_source_are_asked_even_when_approved(tmp_path):
    lib = changed(WAREHOUSE, '  selected_by    none "every subscription in a weekly snapshot gets an outcome: '
                             'a cancellation within 60 days, or none"\n', "")
    lib = lib.replace('  proxy_for      none "a cancellation request is the churn the team wants to prevent, '
                      'not a stand-in for it"\n', "")
    for status in ("review", "approved"):
        spec = changed(CHURN, "status   review", f"status   {status}")
        found_ = churn_project(tmp_path, spec, lib)
        assert [(d.rule, d.message) for d in found_] == [
            ("question-open", "2 open review questions on label source `cancellations` (declared in "
                              "`lib/customer_warehouse.dsspec`): `label-selection`, `label-proxy`")]
        assert found_[0].help.startswith("in `lib/customer_warehouse.dsspec`, answer them")


def test_an_included_declaration_nothing_uses_is_not_judged_and_a_library_alone_has_no_findings(tmp_path):
    lib = WAREHOUSE + "\nsource refunds { kind labels; minority_share 2% }\n"
    assert churn_project(tmp_path, lib=lib) == []
    result = pipeline.check_file(pipeline.Session(), str(tmp_path / "lib" / "customer_warehouse.dsspec"))
    assert [d.rule for d in result.diagnostics] == ["library-file"]


# ---- 34, 2, 5: the direction of a metric ----------------------------------------------------------------

def test_a_tracked_goal_kpi_takes_its_direction_from_the_goal(tmp_path):
    text = changed(SEARCH, "  track mrr        delayed 2d\n", "  track mrr        delayed 2d\n  track return_rate\n")
    assert rules(tmp_path, text) == []
    text = changed(text, "  goal     return_rate           keep     <= 9%", "  goal     return_rate           keep")
    hits = [h for r, _, h in found(tmp_path, text) if r == "metric-undeclared"]
    assert hits and "return_rate" in hits[0]


@pytest.mark.parametrize("name", ["f1_score", "precision_score", "average_precision_score"])
def test_scikit_learn_names_read_as_their_metric(tmp_path, name):
    text = CHURN.replace("precision", name).replace(f"pr_auc", "pr_auc")
    assert [d.rule for d in churn_project(tmp_path, text)] == []
    wrong = changed(text, f"{name} 0.17", f"{name} 17")
    assert [d.rule for d in churn_project(tmp_path, wrong)] == ["metric-value-out-of-range"]
    turned = changed(text, "optimal    >= 0.25", "optimal    <= 0.25")
    assert [d.rule for d in churn_project(tmp_path, turned)] == ["success-levels-inconsistent"]


def test_error_names_of_scikit_learn_are_lower_is_better(tmp_path):
    from dsspec.compiler.lint.catalogue import catalogue

    metrics = catalogue("metrics")
    for name, entry in metrics.items():
        if "same_as" in entry:
            assert {k: v for k, v in entry.items() if k != "same_as"} == metrics[entry["same_as"]], name
    assert metrics["mean_absolute_error"]["better"] == "lower" and metrics["roc_auc_score"]["bounded"]


@pytest.mark.parametrize("goal", ["goal fpr increase 10%", "goal error_rate keep >= 0.09",
                                  "goal repeated_mistakes decrease 15%"])
def test_a_goal_against_its_metric_direction_is_flagged(tmp_path, goal):
    text = changed(SEARCH, "  goal     return_rate           keep     <= 9%", f"  {goal}")
    text = changed(text, "audience pm", "metric repeated_mistakes { better higher; labels no }\n\naudience pm")
    assert "goal-against-metric-direction" in rules(tmp_path, text)


@pytest.mark.parametrize("goal", ["goal fpr decrease 10%", "goal error_rate keep <= 0.09",
                                  "goal repeated_mistakes increase 15%", "goal block_rate increase 10%"])
def test_a_goal_the_way_its_metric_improves_is_silent(tmp_path, goal):
    text = changed(SEARCH, "  goal     return_rate           keep     <= 9%", f"  {goal}")
    text = changed(text, "audience pm", "metric repeated_mistakes { better higher; labels no }\n\naudience pm")
    assert "goal-against-metric-direction" not in rules(tmp_path, text)


# ---- 20: help for one model of several, followed literally ----------------------------------------------

RETRIEVER = '''output candidates {
  type        ranking
  description "The 200 candidates for the ranker"
}

model retriever {
  task   retrieval
  reads  [query]
  writes candidates
  labels interactions
  ladder {
    baseline bm25 { recall_at_200 0.80 }
    step     two_tower { recall_at_200 0.88; params 20M; chosen; reason "dense recall" }
  }
}

model ranker {'''


def two_models() -> str:
    text = changed(SEARCH, "model ranker {", RETRIEVER)
    text = changed(text, "reads      [query, candidate, product_profile]",
                   "reads      [query, candidate, product_profile, candidates]")
    for kind in ("training", "evaluation", "serving", "monitoring"):
        text = changed(text, f"\n{kind} {{", f"\n{kind} ranker {{")
    return changed(text, "\nrollout {", "\nserving retriever {\n  mode     online\n  hardware cpu\n  cost $300/month\n}\n"
                                         "\nrollout {")


def _template(help_: str) -> str:
    return help_.split("`", 2)[1]


def test_help_for_a_model_of_several_names_it_and_following_it_raises_nothing_else(tmp_path):
    text = two_models()
    hits = {r: h for r, _, h in found(tmp_path, text)}
    monitoring = _template(hits["monitoring-missing"])
    evaluation = _template(hits["evaluation-missing"])
    success = _template(hits["complexity-unearned"].split(": ", 1)[1])
    assert monitoring.startswith("monitoring retriever {") and "track recall_at_200 delayed 2d" in monitoring
    assert evaluation.startswith("evaluation retriever {")
    assert success == "success recall_at_200 { optimal >= VALUE; acceptable >= VALUE; worst <= VALUE }"
    followed = changed(text, "  labels interactions\n  ladder {\n    baseline bm25",
                       "  labels interactions\n  " + success.replace("VALUE", "0.90", 1).replace("VALUE", "0.85", 1)
                       .replace("VALUE", "0.80") + "\n  ladder {\n    baseline bm25")
    followed = changed(followed, "\nrollout {", "\n" + monitoring.replace("[...]", "[query_category]")
                       .replace('"who is paged"', '"search-relevance on-call"') + "\n\n" +
                       evaluation.replace("[...]", "[recall_at_200]").replace("METRIC", "recall_at_200")
                       .replace("split time;", "split time; slices [query_category];") + "\n\nrollout {")
    assert rules(tmp_path, followed) == []


def test_help_for_the_one_model_of_a_spec_adds_an_unnamed_section(tmp_path):
    text = SEARCH[:SEARCH.index("monitoring {")] + SEARCH[SEARCH.index("rollout {"):]
    hits = {r: h for r, _, h in found(tmp_path, text)}
    assert _template(hits["monitoring-missing"]).startswith("monitoring { drift [...]; track ndcg_at_10 delayed 2d;")


def test_help_adds_to_a_serving_the_model_already_has(tmp_path):
    from dsspec.compiler.lint.facts import statements_template, section_template
    from dsspec.compiler.model.resolve import resolve  # noqa: F401  (the helpers read a resolved spec)

    result = compile_text(tmp_path, two_models())
    spec = result.resolved
    retriever = spec.models["retriever"]
    serving = spec.for_model(spec.spec.serving, retriever)
    assert statements_template(spec, "serving", retriever, serving, "hardware cpu") == \
        "add `hardware cpu` to `serving retriever`"
    assert section_template(spec, "serving", retriever, "mode batch") == "serving retriever { mode batch }"


def test_a_tracked_goal_kpi_near_a_catalogue_name_is_not_called_a_misspelling(tmp_path):
    text = changed(SEARCH, "  goal     return_rate           keep     <= 9%", "  goal     error_rates keep <= 9%")
    text = changed(text, "guardrails [return_rate,", "guardrails [error_rates,")
    text = changed(text, "  track mrr        delayed 2d\n", "  track mrr        delayed 2d\n  track error_rates\n")
    assert rules(tmp_path, text) == []
    unsteered = changed(text, "  goal     error_rates keep <= 9%", "  goal     error_rates keep")
    assert "metric-misspelt" in rules(tmp_path, unsteered)


def test_an_included_input_the_model_reads_is_judged_where_it_is_read(tmp_path):
    lib = WAREHOUSE + ('\ninput contact {\n  after_outcome none "read as of the scoring week"\n  from subscriptions\n'
                       '  fields [email, plan_tier]\n  known_at precomputed\n  freshness 2d\n}\n')
    spec = changed(CHURN, "reads  [account, usage, service_experience]", "reads  [account, usage, service_experience, contact]")
    found_ = [d for d in churn_project(tmp_path, spec, lib) if d.rule == "pii-reaches-model"]
    assert [d.message for d in found_] == [
        "input `contact` (declared in `lib/customer_warehouse.dsspec`) passes `email`, marked `pii` in source "
        "`subscriptions`"]
    assert "[account, usage, service_experience, contact]" in spec.splitlines()[found_[0].span.line - 1]
    clean = lib.replace("fields [email, plan_tier]", "fields [plan_tier]")
    assert not [d for d in churn_project(tmp_path, spec, clean) if d.rule == "pii-reaches-model"]
