from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import success_of


class MetricIgnoresErrorCosts(Rule):
    """The primary metric favours the cheaper kind of error.

    Stage: metrics

    ## What it does
    Compares the operator's `error_cost false_negative` and `error_cost
    false_positive`. When one is at least `error-cost-ratio` times the other
    (5 by default), it flags an evaluation whose `primary` metric ignores
    the costly error: `precision` when misses cost more, `recall` when false
    alarms cost more. A success metric read at an operating point (`success
    precision { at list_size <= 4000 }`) is bounded already and passes.

    ## Why it matters
    Precision does not count missed cases and recall does not count false
    alarms. Optimising the one that is blind to the expensive error tunes
    the model towards the mistakes that cost the most.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      error_cost false_negative $90
      error_cost false_positive $4
    }
    model m { task binary_classification }
    evaluation { metrics [precision, recall]; primary precision }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      error_cost false_negative $90
      error_cost false_positive $4
    }
    model m { task binary_classification }
    evaluation { metrics [precision, recall]; primary recall }
    ```
    """

    code = "DS504"
    name = "metric-ignores-error-costs"
    severity = Severity.WARNING
    stage = "metrics"

    def check(self, spec, ctx):
        op = spec.spec.operator
        costs = {ec.error.name: ec for ec in op.error_costs} if op else {}
        fn, fp = costs.get("false_negative"), costs.get("false_positive")
        if fn is None or fp is None:
            return
        ratio = ctx.thresholds["error_cost_ratio"]
        if fn.cost.value > 0 and fn.cost.value >= ratio * fp.cost.value:
            blind, costly = "precision", "missed cases"
        elif fp.cost.value > 0 and fp.cost.value >= ratio * fn.cost.value:
            blind, costly = "recall", "false alarms"
        else:
            return
        related = (Related(spec.spec.path, fn.span, "cost of a false negative"),
                   Related(spec.spec.path, fp.span, "cost of a false positive"))
        for model in spec.models.values():
            ev = spec.for_model(spec.spec.evaluation, model)
            if ev is None or ev.primary is None or ev.primary.name != blind:
                continue
            success = success_of(spec, model)
            if success is not None and success.metric.name == blind and success.at is not None:
                continue  # read at an operating point (`at fpr <= 0.5%`), the metric is bounded already
            yield Hit(ev.spans["primary"],
                      f"primary metric `{blind}` ignores {costly}, the costlier error "
                      f"({fn.cost.text} per false negative, {fp.cost.text} per false positive)",
                      f"make `{'recall' if blind == 'precision' else 'precision'}` the primary metric, "
                      "or read it at an operating point that bounds the other",
                      related)
