from __future__ import annotations

from dsspec.diagnostics import Severity
from dsspec.lint.base import Hit, Rule
from dsspec.lint.facts import metric_names, metric_suggestion


class MetricMisspelt(Rule):
    """A metric name is not in the catalogue but is close to one that is.

    Stage: metrics

    ## What it does
    Checks every model-metric name of the spec (`success`, `at`, an
    evaluation's `metrics` and `primary`, `track`, ladder results) against
    the metric catalogue, the configuration's `[tool.dsspec.metrics]` and
    the spec's own `metric` declarations. Parametrised forms follow their
    base (`recall_at_5` is `recall`). A name that is not known but close to
    a known one is flagged with the name it was probably meant to be.

    ## Why it matters
    A misspelt metric silently breaks the checks that compare metrics: a
    `track precison` is not the `precision` the model was evaluated on, and
    a success metric `recal` never matches the ladder's `recall` results.
    The rules then stay quiet about exactly the numbers that matter.

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
        for ref, where in metric_names(spec):
            if ctx.metric(ref.name) is not None:
                continue
            hint = metric_suggestion(ref.name, ctx)
            if hint is None:
                continue
            yield Hit(ref.span, f"unknown metric `{ref.name}` in `{where}`; did you mean `{hint}`?",
                      f"write `{hint}`; if `{ref.name}` is a metric of its own, declare it: "
                      f"`metric {ref.name} {{ better higher; labels yes }}`")
