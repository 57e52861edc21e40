"""The diagram and the audience documents show the rollout, the label policy and the leakage guards."""

from __future__ import annotations

from pathlib import Path

from dsspec.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus" / "realworld"


def build(tmp_path, name: str, capsys) -> dict[str, str]:
    assert main(["build", str(CORPUS / f"{name}.dsspec"), "-o", str(tmp_path), "--format", "dot,md"]) in (0, 1)
    capsys.readouterr()
    return {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}


def test_diagram_shows_rollout_and_label_policy(tmp_path, capsys):
    out = build(tmp_path, "credit_line_approval", capsys)
    dot = out["credit_line_approval.dot"]
    assert "rollout_scorer [" in dot and "model_scorer -> rollout_scorer" in dot
    assert "shadow 60d" in dot and "canary 10% for 30d" in dot and "rollback: recall &lt;= 0.48" in dot
    assert "selected by approvals" in dot and "corrected: reject_inference" in dot


def test_pm_document_states_rollout_plan_and_guardrails(tmp_path, capsys):
    pm = build(tmp_path, "stays_search_ranking", capsys)["stays_search_ranking.pm.md"]
    plan = pm[pm.index("## Rollout plan"):]
    assert "Shadow run for 7d" in plan
    assert "Online experiment randomised by `guest`, 10% in treatment, for 21d, deciding on `bookings_per_search`" in plan
    assert "Guardrails: `cancellation_rate`, `host_rejection_rate`." in plan


def test_staff_ds_document_states_label_policy_and_leakage_guards(tmp_path, capsys):
    out = build(tmp_path, "chest_xray_triage", capsys)
    assert "| entity keys | `patient_id` — the split groups by it |" in out["chest_xray_triage.staff_ds.md"]
    staff = build(tmp_path, "stays_search_ranking", capsys)["stays_search_ranking.staff_ds.md"]
    assert "| labels logged by | `current_ranker` (1% explored, propensities logged) |" in staff
    assert "| labels stand in for | `bookings_per_search` |" in staff


def test_engineer_document_states_the_rollback_trigger(tmp_path, capsys):
    eng = build(tmp_path, "credit_line_approval", capsys)["credit_line_approval.engineer.md"]
    assert "- Roll back when `recall` is &lt;= 0.48 (its worst level): The 2019 scorecard decides again." in eng


def test_a_draft_without_rollout_says_so_to_the_pm(tmp_path, capsys):
    pm = build(tmp_path, "checkout_eta_draft", capsys)["checkout_eta_draft.pm.md"]
    assert "*No rollout plan: the model would reach everyone at once.*" in pm
    staff = build(tmp_path, "checkout_eta_draft", capsys)["checkout_eta_draft.staff_ds.md"]
    assert "| known only after the outcome | `food_ready_at`, `courier_arrived_at`, `delivered_at` |" in staff
