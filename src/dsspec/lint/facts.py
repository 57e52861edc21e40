"""Facts several rules derive from a resolved spec, computed one way only."""

from __future__ import annotations

from dsspec.model import nodes as n
from dsspec.model.resolve import Resolved

SUPERVISED_TASKS = frozenset({
    "binary_classification", "multiclass_classification", "multilabel_classification", "regression",
    "ranking", "text_classification", "forecasting", "sequence_labeling", "image_classification",
    "object_detection", "recommendation",
})
TEXT_TASKS = frozenset({"text_classification", "sequence_labeling", "summarization", "generation"})
CLASSIFICATION_TASKS = frozenset({"binary_classification", "multiclass_classification",
                                  "multilabel_classification", "text_classification", "image_classification"})


def chosen_steps(model: n.Model) -> list[n.Step]:
    """Return the ladder steps marked ``chosen``."""
    return [s for s in model.ladder.steps if s.chosen] if model.ladder else []


def chosen_step(model: n.Model) -> n.Step | None:
    """Return the single chosen step, or ``None`` when there is not exactly one."""
    steps = chosen_steps(model)
    return steps[0] if len(steps) == 1 else None


def success_metric(spec: Resolved) -> str | None:
    """Return the name of the operator's success metric, if declared."""
    op = spec.spec.operator
    return op.success.metric.name if op and op.success else None


def latency_target(spec: Resolved) -> float | None:
    """Return the latency target in seconds, if declared."""
    op = spec.spec.operator
    return op.latency.target.operand.value if op and op.latency else None


def label_source(spec: Resolved, model: n.Model) -> n.Source | None:
    """Return the source the model's labels come from, if declared and known."""
    return spec.sources.get(model.labels.name) if model.labels else None


def model_inputs(spec: Resolved, model: n.Model) -> list[n.Input]:
    """Return the known inputs the model reads."""
    return [spec.inputs[r.name] for r in model.reads if r.name in spec.inputs]


def monthly(cost: n.Quantity | None, spec: Resolved) -> float | None:
    """Return a cost in dollars per month.

    A cost per time period converts directly; a price per request or
    prediction is multiplied by the operator's ``load``; a one-off amount
    (no period) has no monthly figure and gives ``None``.
    """
    if cost is None:
        return None
    if cost.per_month is not None:
        return cost.per_month
    op = spec.spec.operator
    if cost.period and op and op.load:
        return cost.value * op.load.rate.value * 30 * 86400
    return None


def monthly_costs(spec: Resolved) -> list[tuple[str, n.Section, float]]:
    """Return ``(kind, section, dollars per month)`` for every training and serving section with a
    monthly cost (see ``monthly``), in declaration order: what is weighed against the budget."""
    out = []
    for kind, sections in (("training", spec.spec.training), ("serving", spec.spec.serving)):
        for section in sections:
            cost = monthly(section.cost, spec)
            if cost is not None:
                out.append((kind, section, cost))
    return out


def params(step: n.Step, family: dict | None) -> float | None:
    """Return the step's parameter count: as written, else the family's typical size."""
    if step.params is not None:
        return step.params.value
    return float(family["params"]) if family else None


def chosen_with_size(model: n.Model, ctx) -> tuple[n.Step, dict | None, float | None] | None:
    """Return the chosen step, its catalogue family (if known) and its parameter count (if known)."""
    step = chosen_step(model)
    if step is None:
        return None
    family = ctx.family(step.family.name) if step.family else None
    return step, family, params(step, family)


def serving_hardware(spec: Resolved, model: n.Model) -> n.Hardware | None:
    """Return the hardware the model is served on, if declared."""
    serving = spec.for_model(spec.spec.serving, model)
    return serving.hardware if serving else None
