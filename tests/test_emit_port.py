"""Language v2 and the design rules drawn where they belong, in issue-12's views and documents.

One fixture (tests/fixtures/views/job_matches.dsspec, also laid out by
tests/test_layout.py) holds every concept: a pipeline of three models, two with
their own success metric, a hosted LLM, GPU serving with no cost, protected
fields, a stakeholder, a label source logged by the current ranker, entity keys,
a field known only after the outcome, and a rollout. A design without them
(marketplace_pipeline) must not grow any of their elements.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dsspec.compiler import pipeline
from dsspec.cli import main
from dsspec.compiler.emit.mermaid import to_mermaid
from dsspec.compiler.emit.views import build_view

ROOT = Path(__file__).resolve().parents[1]
JOBS = ROOT / "tests" / "fixtures" / "views" / "job_matches.dsspec"
PLAIN = ROOT / "tests" / "fixtures" / "views" / "marketplace_pipeline.dsspec"


def view(path: Path, name: str):
    result = pipeline.check_file(pipeline.Session(), str(path))
    return build_view(result.resolved, result.diagnostics, name)


def edges(v) -> set[tuple[str, str, str]]:
    return {(e.tail, e.head, e.label) for e in v.edges}


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("jobs")
    assert main(["build", str(JOBS), "-o", str(out), "--format", "md"]) == 0
    return {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}


def test_system_view_shows_the_rollout_beside_the_model_that_reaches_users():
    v = view(JOBS, "system")
    rollout = v.elements["rollout"]
    assert rollout.kind == "rollout"
    assert rollout.lines == ["shadow 7d", "A/B by member · 10% · 14d", "decides on apply_rate",
                             "guardrails: hide_rate,", "qualified_applies", "rollback: apply_rate <= 0.040"]
    assert ("model_explainer", "rollout", "rolled out by") in edges(v)
    assert not any(e.head == "rollout" for e in v.edges if e.tail != "model_explainer"), \
        "the product's rollout belongs to the model whose output reaches a user, not to its upstream stages"


def test_system_and_data_views_show_the_label_policy_and_the_data_view_the_leakage_guards():
    system, data = view(JOBS, "system"), view(JOBS, "data")
    for v in (system, data):
        lines = v.elements["source_applies"].lines
        assert "logged by current_ranker" in lines and "corrected: ipw" in lines
    assert "entity: member_id" in data.elements["source_applies"].lines
    assert "after outcome: hired_at" in data.elements["source_applies"].lines
    assert not any(line.startswith("entity") for line in system.elements["source_applies"].lines)


def test_protected_fields_are_shown_like_pii():
    for name in ("system", "data"):
        lines = view(JOBS, name).elements["source_members"].lines
        assert "PII: member_id, email" in lines and "protected: age, gender" in lines, name


def test_gpu_serving_without_cost_is_an_estimate_on_the_diagram():
    v = view(JOBS, "system")
    assert "~$3,650/month (estimate)" in v.elements["serving_retriever"].lines
    rows = dict(v.elements["constraints"].rows)
    assert rows["serving (retriever) cost"] == "~$3,650/month (estimate), 9% of budget"
    assert rows["total cost"].startswith("~$25,018/month"), "a total with an estimate in it is an estimate"
    assert rows["serving (ranker) cost"] == "$6,000/month, 15% of budget", "a stated cost is not marked"


def test_hosted_provider_on_serving_and_per_model_success_on_the_model():
    v = view(JOBS, "system")
    assert "hosted by Hosted LLM API, zero" in v.elements["serving_explainer"].lines
    assert "judged on recall_at_200" in v.elements["model_retriever"].lines
    assert not any("judged on" in line for line in v.elements["model_ranker"].lines), "the product's metric"


def test_pipeline_view_links_each_stage_and_leaves_out_what_no_stage_reads():
    v = view(JOBS, "pipeline")
    assert {("output_candidates", "model_ranker", "feeds"), ("output_ranked_jobs", "model_explainer", "feeds")} <= edges(v)
    assert [v.elements[f"model_{m}"].title for m in ("retriever", "ranker", "explainer")] == \
        ["1. retriever", "2. ranker", "3. explainer"]
    assert "input_demographics" not in v.elements and "user_jobs_qa" not in v.elements


def test_ladder_view_reads_each_model_against_its_own_levels():
    v = view(JOBS, "ladder")
    step = v.elements["step_retriever_1"]
    assert "recall_at_200 0.74, acceptable" in step.lines
    assert "apply_rate 0.057, acceptable" in v.elements["step_ranker_2"].lines
    group = next(g for g in v.groups if g.id == "ladder_retriever")
    assert "levels_retriever" in group.members
    assert v.elements["levels"].title == "success: apply_rate (product)"


def test_overview_draws_stakeholders_with_the_documents_they_get():
    v = view(JOBS, "overview")
    el = v.elements["user_fair_hiring"]
    assert el.subkind == "stakeholder" and "stakeholder: no output" in el.lines
    assert ("product", "user_fair_hiring", "documents: summary, evaluation") in edges(v)


def test_mermaid_draws_the_rollout():
    text = to_mermaid(view(JOBS, "system"))
    assert 'rollout("' in text and "classDef rollout" in text


def test_a_design_without_the_new_concepts_grows_no_new_elements():
    for name in ("system", "data", "overview"):
        v = view(PLAIN, name)
        assert not [e for e in v.elements.values() if e.kind == "rollout" or e.subkind == "stakeholder"]
        assert not any("(estimate)" in line or "judged on" in line for e in v.elements.values() for line in e.lines)


def test_pm_document_states_the_rollout_plan_and_guardrails(docs):
    pm = docs["job_matches.pm.md"]
    assert "**Rollout.** It ships after a 7d shadow run, then an experiment by `member` deciding on `apply_rate`, " \
           "guarded by `hide_rate` and `qualified_applies`, and rolls back at `apply_rate` &lt;= 0.040." in pm
    plan = pm[pm.index("## Rollout plan"):pm.index("## Success metric")]
    assert "Guardrails: `hide_rate`, `qualified_applies`." in plan
    assert "Online experiment randomised by `member`, 10% in treatment, for 14d, deciding on `apply_rate`." in plan
    assert ("| `retriever` | `recall_at_200` | the share of the relevant items found in the top 200 | &gt;= 0.80 | "
            "&gt;= 0.70 | &lt;= 0.60 |") in pm
    assert "| serving of `retriever` (estimate: 2 gpu x &#36;2.5/h, all month) | &#126;&#36;3,650/month | 9% |" in pm
    assert "Stakeholders (documents, no output): `fair_hiring`" in pm


def test_staff_ds_document_states_the_label_policy_and_leakage_guards(docs):
    staff = docs["job_matches.staff_ds.md"]
    assert "| labels logged by | `current_ranker` (2% explored, propensities logged) |" in staff
    assert "| label correction | `ipw`: Inverse-propensity weights from the shuffled impressions |" in staff
    assert "| entity keys | `member_id` — the split groups by it |" in staff
    assert "| known only after the outcome | `hired_at` |" in staff
    assert "| protected fields | `age` (sliced), `gender` (sliced) |" in staff
    assert "## Rollout plan" not in staff, "staff_ds gets neither summary nor goals"


def test_engineer_document_states_the_rollback_trigger_and_hosting(docs):
    eng = docs["job_matches.engineer.md"]
    runbook = eng[eng.index("## Runbook"):]
    assert "- Roll back when `apply_rate` is &lt;= 0.040 (its worst level): The saved-search list takes the page back." \
        in runbook
    assert "| `recall_at_200` | after 7d (labels arrive late) | &lt;= 0.60 (the worst level) |" in runbook, \
        "a stage pages on its own worst level"
    assert "| serving `explainer` | online · hosted by Hosted LLM API, zero data retention · &#36;10,368/month |" in eng
    assert "| serving `retriever` | online · 2 gpu · &#126;&#36;3,650/month (estimate) |" in eng
    assert "| alerts of `ranker` | jobs-ml on-call |" in eng, "a pipeline says whose alert each row is"


def test_a_pipeline_overview_and_fallback_stand_for_what_reaches_users():
    overview = view(JOBS, "overview")
    assert "output_match_note" in overview.elements
    assert "output_candidates" not in overview.elements and "output_ranked_jobs" not in overview.elements, \
        "a stage's output is inside the product"
    system = view(JOBS, "system")
    assert {e.head for e in system.edges if e.tail == "fallback"} == {"output_match_note"}
    assert {e.head for e in view(PLAIN, "system").edges if e.tail == "fallback"} == \
        {"output_candidates", "output_ranked_feed", "output_seller_risk"}, "each output that reaches a user"
