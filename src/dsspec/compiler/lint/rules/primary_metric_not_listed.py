from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import misspelt


class PrimaryMetricNotListed(Rule):
    """The evaluation's `primary` metric is not among its `metrics`.

    Stage: metrics

    ## What it does
    Flags an `evaluation` whose `primary` names a metric missing from its
    `metrics` list (when the list is given).

    ## Why it matters
    The primary metric is the one decisions are made on; if it is not in
    the list of metrics the evaluation computes, the list or the primary is
    wrong, and the report will not show the number that matters.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    evaluation {
      metrics [recall, pr_auc]
      primary precision
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    evaluation {
      metrics [recall, pr_auc]
      primary recall
    }
    ```
    """

    code = "DS502"
    name = "primary-metric-not-listed"
    severity = Severity.ERROR
    stage = "metrics"

    def check(self, spec, ctx):
        for model in spec.models.values():
            ev = spec.for_model(spec.spec.evaluation, model)
            if ev is None or ev.primary is None or not ev.metrics:
                continue
            if ev.primary.name in {m.name for m in ev.metrics} or misspelt(ev.primary.name, ctx) or \
                    any(misspelt(m.name, ctx) for m in ev.metrics):
                continue  # a misspelt metric name is metric-misspelt's finding
            yield Hit(ev.spans["primary"],
                      f"primary metric `{ev.primary.name}` of `{model.name.name}` is not among its `metrics`",
                      f"add `{ev.primary.name}` to `metrics`, or choose a listed metric as `primary`",
                      (Related(spec.spec.path, ev.spans["metrics"], "metrics"),))
