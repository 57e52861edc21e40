from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import goal_directions, goal_kpis, metric_names, metric_suggestion, rollout_names

CARRIES_THE_DESIGN = frozenset({"success", "primary"})
"""Where a misspelt metric is an error: the success metric and the evaluation's primary metric."""


class MetricMisspelt(Rule):
    """A metric name is not in the catalogue but is close to one that is.

    Stage: metrics

    ## What it does
    Checks every model-metric name of the spec (`success`, `at`, an
    evaluation's `metrics` and `primary`, `track`, ladder results) against
    the metric catalogue, the configuration's `[tool.dsspec.metrics]` and
    the spec's own `metric` declarations. Parametrised forms follow their
    base (`recall_at_5` is `recall`). A name that is not known but close to
    a known one is flagged with the name it was probably meant to be,
    unless a `goal` names it and gives its direction: then it is the
    design's own KPI (`track error_rates` under `goal error_rates keep
    <= 9%`).

    The names a `rollout` watches (`guardrails`, `rollback when NAME`, and
    the experiment's `primary` and `guardrails`) are KPIs or metrics: they
    are checked against the goal KPIs of `ecosystem` too. A rollout name
    close to none is taken as a business measure of its own and not
    reported.

    The finding is an error for the `success` metric and the evaluation's
    `primary` metric, which carry the design; a warning elsewhere.

    ## Why it matters
    A misspelt metric silently breaks the checks that compare metrics: a
    `track precison` is not the `precision` the model was evaluated on, and
    a success metric `recal` never matches the ladder's `recall` results.
    The rules then stay quiet about exactly the numbers that matter. A
    rollout guardrail `calls_per_weak` watches nothing the dashboards know.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    evaluation { metrics [precison, recall]; primary recall }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    evaluation { metrics [precision, recall]; primary recall }
    ```
    """

    code = "DS508"
    name = "metric-misspelt"
    severity = Severity.WARNING
    stage = "metrics"

    def check(self, spec, ctx):
        goals = goal_directions(spec)  # a KPI a goal names and steers is the design's own, not a misspelling
        for ref, where in metric_names(spec):
            if ctx.metric(ref.name) is not None or ref.name in goals:
                continue
            hint = metric_suggestion(ref.name, ctx)
            if hint is not None:
                yield Hit(ref.span, f"unknown metric `{ref.name}` in `{where}`; did you mean `{hint}`?",
                          f"write `{hint}`; if `{ref.name}` is a metric of its own, declare it: "
                          f"{declaration(ref.name, hint, ctx)}",
                          severity=Severity.ERROR if where in CARRIES_THE_DESIGN else None)
        kpis = goal_kpis(spec)
        for ref, where in rollout_names(spec):
            if ref.name in kpis or ctx.metric(ref.name) is not None:
                continue
            hint = metric_suggestion(ref.name, ctx, kpis)
            if hint is not None:
                what = "goal KPI" if hint in kpis else "metric"
                yield Hit(ref.span, f"unknown KPI or metric `{ref.name}` in `{where}`; did you mean the {what} "
                                    f"`{hint}`?",
                          f"write `{hint}`; if `{ref.name}` is a measure of its own, declare it: "
                          f"{declaration(ref.name, hint, ctx)}")


def declaration(name: str, hint: str, ctx) -> str:
    """Return the `metric` declaration to offer for ``name``, with the direction and labels of the known
    ``hint`` when the catalogue has them, else both choices (a guessed direction would mislead)."""
    higher, labels = ctx.higher_is_better(hint), ctx.needs_labels(hint)
    if higher is None or labels is None:
        return f"`metric {name} {{ better higher; labels yes }}` (or `lower`, `labels no`)"
    return f"`metric {name} {{ better {'higher' if higher else 'lower'}; labels {'yes' if labels else 'no'} }}`"
