"""Metric and KPI names: misspelt ones everywhere (rollout too), with the severity a reviewer would give.

A misspelt `success` or evaluation `primary` metric is an error (it carries
the design); elsewhere a warning. A rollout watches goal KPIs or metrics: a
name close to one is misspelt, a name that is neither is an info.
"""

from __future__ import annotations

from conftest import compile_text

from dsspec.compiler import pipeline

DESIGN = """\
product p { owner "a@b.c" }
ecosystem { goal weekly_saves increase 5%; goal calls_per_week keep <= 4000/week }
operator { success {SUCCESS} { optimal >= 0.3; acceptable >= 0.2; worst <= 0.1 } }
model m {
  task binary_classification
  ladder {
    baseline logistic_regression { {LADDER} 0.17 }
    step lightgbm { precision 0.22; chosen }
  }
}
evaluation { metrics [precision, brier]; primary {PRIMARY} }
monitoring { track {TRACK} delayed 30d }
rollout {
  experiment customer {
    primary    {EXPERIMENT}
    guardrails [{GUARD}]
  }
  guardrails [precision]
  rollback when {ROLLBACK} < 0.1
}
"""
SOUND = dict(SUCCESS="precision", LADDER="precision", PRIMARY="precision", TRACK="brier",
             EXPERIMENT="weekly_saves", GUARD="calls_per_week", ROLLBACK="precision")


def render(**changed) -> str:
    text = DESIGN
    for key, value in {**SOUND, **changed}.items():
        text = text.replace("{" + key + "}", value)
    return text


def findings(tmp_path, **changed) -> list[tuple[int, str, str, str]]:
    result = compile_text(tmp_path, render(**changed))
    return [(d.span.line, d.code, d.severity.value, d.message) for d in result.diagnostics
            if d.code in ("DS508", "DS509", "DS402", "DS501", "DS502")]


def test_the_sound_design_names_only_known_kpis_and_metrics(tmp_path):
    assert findings(tmp_path) == []


def test_a_misspelt_success_or_primary_metric_is_an_error_elsewhere_a_warning(tmp_path):
    assert [(line, sev) for line, code, sev, _ in findings(tmp_path, SUCCESS="precison")] == [(3, "error")]
    assert [(line, sev) for line, code, sev, _ in findings(tmp_path, PRIMARY="precison")] == [(11, "error")]
    assert [(line, sev) for line, code, sev, _ in findings(tmp_path, TRACK="brierr")] == [(12, "warning")]


def test_a_configured_severity_still_wins(tmp_path):
    (tmp_path / "dsspec.toml").write_text('[severity]\nmetric-misspelt = "info"\n')
    (tmp_path / "spec.dsspec").write_text(render(SUCCESS="precison"))
    result = pipeline.check_file(pipeline.Session(), str(tmp_path / "spec.dsspec"))
    assert [d.severity.value for d in result.diagnostics if d.code == "DS508"] == ["info"]


def test_a_misspelt_ladder_result_is_one_finding_not_a_missing_result_too(tmp_path):
    assert [(line, code) for line, code, _, _ in findings(tmp_path, LADDER="precison")] == [(7, "DS508")]


def test_declare_it_help_takes_the_suggested_metrics_direction_or_offers_both(tmp_path):
    (d,) = [d for d in compile_text(tmp_path, render(TRACK="brierr")).diagnostics if d.code == "DS508"]
    assert "did you mean `brier`?" in d.message and "`metric brierr { better lower; labels yes }`" in d.help


def test_rollout_names_are_checked_against_goal_kpis_and_metrics(tmp_path):
    found = findings(tmp_path, EXPERIMENT="weekly_savse", GUARD="calls_per_weak, zzqx", ROLLBACK="precison")
    assert [(line, code, sev) for line, code, sev, _ in found] == [
        (15, "DS508", "warning"), (16, "DS508", "warning"), (16, "DS509", "info"), (19, "DS508", "warning")]
    messages = [m for *_, m in found]
    assert "did you mean the goal KPI `weekly_saves`?" in messages[0]
    assert "in `experiment guardrails`; did you mean the goal KPI `calls_per_week`?" in messages[1]
    assert messages[2] == "`zzqx` in `experiment guardrails` is neither a goal KPI nor a known metric"
    assert "in `rollback when`; did you mean the metric `precision`?" in messages[3]
