"""The one table of design rules: stable code, name, and the module that holds it.

Codes are never reused: a retired rule keeps its line, commented out, so its
code stays taken. Codes group by workflow stage: DS1xx ecosystem, DS2xx
operator, DS3xx system design, DS4xx start simple, DS5xx metrics, DS6xx
audience, DS7xx operations.
"""

from __future__ import annotations

import functools
import importlib
import re

from dsspec.compiler.lint.base import Rule

RULES: tuple[tuple[str, str, str], ...] = (
    ("DS101", "ecosystem-incomplete", "ecosystem_incomplete"),
    ("DS102", "goal-missing", "goal_missing"),
    ("DS103", "owner-missing", "owner_missing"),
    ("DS104", "goal-against-metric-direction", "goal_against_metric_direction"),
    ("DS201", "success-levels-missing", "success_levels_missing"),
    ("DS202", "fallback-missing", "fallback_missing"),
    ("DS203", "safe-default-missing", "safe_default_missing"),
    ("DS204", "timeout-not-below-latency", "timeout_not_below_latency"),
    ("DS205", "cost-over-budget", "cost_over_budget"),
    ("DS206", "success-levels-inconsistent", "success_levels_inconsistent"),
    ("DS207", "operator-target-missing", "operator_target_missing"),
    ("DS301", "batch-serving-for-realtime-latency", "batch_serving_for_realtime_latency"),
    ("DS302", "huge-model-on-small-budget", "huge_model_on_small_budget"),
    ("DS303", "model-too-slow-for-latency", "model_too_slow_for_latency"),
    ("DS304", "unused-declaration", "unused_declaration"),
    ("DS305", "output-without-consumer", "output_without_consumer"),
    ("DS306", "labels-missing", "labels_missing"),
    ("DS307", "pii-reaches-model", "pii_reaches_model"),
    ("DS308", "stale-source", "stale_source"),
    ("DS309", "test-overlaps-training", "test_overlaps_training"),
    ("DS310", "random-split-on-time-data", "random_split_on_time_data"),
    ("DS311", "label-delay-unknown", "label_delay_unknown"),
    ("DS312", "uncalibrated-probability-output", "uncalibrated_probability_output"),
    ("DS313", "protected-attribute-reaches-model", "protected_attribute_reaches_model"),
    ("DS314", "serving-cost-unknown", "serving_cost_unknown"),
    ("DS401", "baseline-missing", "baseline_missing"),
    ("DS402", "complexity-unearned", "complexity_unearned"),
    ("DS403", "chosen-step-missing", "chosen_step_missing"),
    ("DS404", "small-text-data-without-pretrained", "small_text_data_without_pretrained"),
    ("DS405", "unknown-model-family", "unknown_model_family"),
    ("DS406", "chosen-step-misses-acceptable", "chosen_step_misses_acceptable"),
    ("DS407", "ladder-missing", "ladder_missing"),
    ("DS501", "success-metric-not-evaluated", "success_metric_not_evaluated"),
    ("DS502", "primary-metric-not-listed", "primary_metric_not_listed"),
    ("DS503", "accuracy-on-imbalanced-labels", "accuracy_on_imbalanced_labels"),
    ("DS504", "metric-ignores-error-costs", "metric_ignores_error_costs"),
    ("DS505", "manual-review-missing", "manual_review_missing"),
    ("DS506", "manual-review-too-small", "manual_review_too_small"),
    ("DS507", "slices-missing", "slices_missing"),
    ("DS508", "metric-misspelt", "metric_misspelt"),
    ("DS509", "metric-undeclared", "metric_undeclared"),
    ("DS510", "evaluation-missing", "evaluation_missing"),
    ("DS511", "classification-metric-on-generation", "classification_metric_on_generation"),
    ("DS601", "audience-missing", "audience_missing"),
    ("DS701", "monitoring-missing", "monitoring_missing"),
    ("DS702", "delayed-labels-tracked-live", "delayed_labels_tracked_live"),
    ("DS703", "batch-schedule-missing", "batch_schedule_missing"),
    ("DS704", "serving-missing", "serving_missing"),
    # leakage, label policy, rollout and operations (issue 11): DS35x, DS55x, DS75x
    ("DS350", "post-outcome-feature", "post_outcome_feature"),
    ("DS351", "label-maturity", "label_maturity"),
    ("DS352", "entity-leakage", "entity_leakage"),
    ("DS353", "feedback-loop-without-exploration", "feedback_loop_without_exploration"),
    ("DS354", "censored-labels-uncorrected", "censored_labels_uncorrected"),
    ("DS355", "selective-labels-uncorrected", "selective_labels_uncorrected"),
    ("DS356", "training-serving-skew", "training_serving_skew"),
    ("DS357", "fact-missing", "fact_missing"),
    ("DS550", "proxy-label-misaligned", "proxy_label_misaligned"),
    ("DS551", "evaluation-not-on-label-source", "evaluation_not_on_label_source"),
    ("DS552", "operating-point-missing", "operating_point_missing"),
    ("DS553", "mape-on-intermittent-data", "mape_on_intermittent_data"),
    ("DS750", "online-test-missing", "online_test_missing"),
    ("DS751", "guardrail-missing", "guardrail_missing"),
    ("DS752", "rollback-trigger-missing", "rollback_trigger_missing"),
    ("DS753", "alert-missing", "alert_missing"),
    ("DS754", "retraining-too-slow-for-adversarial-domain", "retraining_too_slow_for_adversarial_domain"),
    # LLM applications and agents (issue 20): DS38x, DS58x, DS78x
    ("DS380", "untrusted-text-reaches-acting-tool", "untrusted_text_reaches_acting_tool"),
    ("DS381", "agent-loop-unbounded", "agent_loop_unbounded"),
    ("DS382", "personal-data-to-retaining-vendor", "personal_data_to_retaining_vendor"),
    ("DS383", "untrusted-index-without-provenance", "untrusted_index_without_provenance"),
    ("DS384", "output-used-unchecked", "output_used_unchecked"),
    ("DS385", "secrets-in-system-prompt", "secrets_in_system_prompt"),
    ("DS386", "prompt-over-context-window", "prompt_over_context_window"),
    ("DS580", "rag-groundedness-unevaluated", "rag_groundedness_unevaluated"),
    ("DS780", "hosted-model-version-unpinned", "hosted_model_version_unpinned"),
    # review questions and the rules that check their answers (issue 19): DSx6x
    ("DS160", "question-open", "question_open"),
    ("DS361", "population-not-covered", "population_not_covered"),
    ("DS362", "protected-proxy-reaches-model", "protected_proxy_reaches_model"),
    ("DS363", "duplicates-across-split", "duplicates_across_split"),
    ("DS364", "model-exceeds-accelerator-memory", "model_exceeds_accelerator_memory"),
    ("DS365", "cold-start-without-path", "cold_start_without_path"),
    ("DS460", "ladder-gain-within-noise", "ladder_gain_within_noise"),
    ("DS560", "tuned-on-test-set", "tuned_on_test_set"),
    ("DS561", "protected-attribute-not-sliced", "protected_attribute_not_sliced"),
    ("DS562", "threshold-without-error-costs", "threshold_without_error_costs"),
    ("DS760", "review-over-capacity", "review_over_capacity"),
    # values that cannot be meant, and ladders that say two things (issue 18): DSx20-DSx29
    ("DS420", "several-chosen-steps", "several_chosen_steps"),
    ("DS520", "metric-value-out-of-range", "metric_value_out_of_range"),
)


def all_rules() -> tuple[type[Rule], ...]:
    """Return every rule: the built-in ones in table order, then the plugins' (``dsspec.lint.plugins``)."""
    return builtin_rules() + loaded()[0]


@functools.cache
def builtin_rules() -> tuple[type[Rule], ...]:
    """Return every built-in rule class, in table order; each is checked against its table row."""
    out = []
    for code, name, module in RULES:
        mod = importlib.import_module(f"dsspec.compiler.lint.rules.{module}")
        cls = next(v for v in vars(mod).values()
                   if isinstance(v, type) and issubclass(v, Rule) and v is not Rule and v.__module__ == mod.__name__)
        if (cls.code, cls.name) != (code, name):
            raise AssertionError(f"{module}: class says {cls.code} {cls.name}, table says {code} {name}")
        out.append(cls)
    return tuple(out)


@functools.cache
def loaded() -> tuple[tuple[type[Rule], ...], tuple[tuple[str, str], ...]]:
    """Return the rules of the installed plugins, and ``(entry point, why)`` for each plugin that fails
    (``dsspec.compiler.lint.plugins``); read once per process."""
    from dsspec.compiler.lint.plugins import load

    return load({c for c, _, _ in RULES} | {n for _, n, _ in RULES})


_DECLARED: dict[str, type[Rule]] = {}
"""Custom rules of the configurations read in this process, by code (``register``)."""


def register(rules) -> None:
    """Make custom rules known by code and name (``explain``, SARIF, suppressions), as configurations load."""
    for cls in rules:
        _DECLARED[cls.code] = cls


def declared() -> tuple[type[Rule], ...]:
    """Return the custom rules registered in this process, by code."""
    return tuple(_DECLARED[c] for c in sorted(_DECLARED))


def by_key() -> dict[str, type[Rule]]:
    """Return the rules keyed by code and by name (both are accepted wherever a rule is named)."""
    table: dict[str, type[Rule]] = {}
    for cls in all_rules() + declared():
        table[cls.code] = cls
        table[cls.name] = cls
    return table


SWITCHABLE_BUILTINS: tuple[tuple[str, str], ...] = (("DS901", "unused-suppression"), ("DS024", "library-file"))
"""The built-in checks that select/ignore may name: the others cannot be switched off."""

_PREFIX = re.compile(r"[A-Z]{2,8}\d{0,4}")


def selects(selector: str, code: str, name: str) -> bool:
    """Return whether ``selector`` (``ALL``, a code, a code prefix such as ``DS5`` or ``TEAM``, or a name) picks a rule."""
    return selector in ("ALL", code, name) or (_PREFIX.fullmatch(selector) is not None and code.startswith(selector))


def known_selector(selector: str, builtins=SWITCHABLE_BUILTINS, extra=()) -> bool:
    """Return whether ``selector`` names anything: a rule, one of ``builtins`` (code, name), a plugin or
    custom rule (``extra``: rule classes), or a prefix of one."""
    others = [(cls.code, cls.name) for cls in (*loaded()[0], *declared(), *extra)]
    return any(selects(selector, code, name) for code, name, _ in RULES) or \
        any(selects(selector, code, name) for code, name in (*builtins, *others))


def selector_names(builtins=SWITCHABLE_BUILTINS, extra=()) -> list[str]:
    """Return the names a misspelt selector may be meant as, for suggestions."""
    return [name for _, name, _ in RULES] + [name for _, name in builtins] + \
        [cls.name for cls in (*loaded()[0], *declared(), *extra)]
