from __future__ import annotations

from dsspec.diagnostics import Related, Severity
from dsspec.lint.base import Hit, Rule
from dsspec.lint.facts import success_metric


class SuccessMetricNotEvaluated(Rule):
    """The operator's success metric is not among the evaluation's `metrics`.

    Stage: metrics

    ## What it does
    Flags each model's `evaluation` whose `metrics` list does not contain
    the metric named by the operator's `success` (or that lists no metrics
    at all).

    ## Why it matters
    Success, acceptable and worst levels are stated in one metric. If the
    evaluation never measures it, nobody can tell whether the model meets
    them, and the offline report argues in a currency the operator did not
    agree to.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { success recall { optimal >= 0.7; acceptable >= 0.6; worst <= 0.4 } }
    model m { task binary_classification }
    evaluation { metrics [precision, pr_auc] }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator { success recall { optimal >= 0.7; acceptable >= 0.6; worst <= 0.4 } }
    model m { task binary_classification }
    evaluation { metrics [recall, precision, pr_auc] }
    ```
    """

    code = "DS501"
    name = "success-metric-not-evaluated"
    severity = Severity.ERROR
    stage = "metrics"

    def check(self, spec, ctx):
        metric = success_metric(spec)
        if metric is None:
            return
        success = spec.spec.operator.success
        for model in spec.models.values():
            ev = spec.for_model(spec.spec.evaluation, model)
            if ev is None or metric in {m.name for m in ev.metrics}:
                continue
            yield Hit(ev.spans.get("metrics", ev.header),
                      f"evaluation of `{model.name.name}` does not measure the success metric `{metric}`",
                      f"add `{metric}` to `metrics`",
                      (Related(spec.spec.path, success.header, "success metric"),))
