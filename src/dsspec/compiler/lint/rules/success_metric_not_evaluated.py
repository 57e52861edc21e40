from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import misspelt, stage_metric, success_metric, success_of


class SuccessMetricNotEvaluated(Rule):
    """A model's success metric is not among its evaluation's `metrics`, or the product's is measured nowhere.

    Stage: metrics

    ## What it does
    Flags each model's `evaluation` whose `metrics` list does not contain
    the metric the model is judged on: its own `success` when it has one
    (a retriever judged on `recall_at_50`), the operator's otherwise. When
    the models of a pipeline all carry their own success metrics, the
    operator's end-to-end metric must still be measured by the evaluation
    of a model on the path to a user; if none lists it, the finding stands
    at the operator's `success`. A pipeline stage, or a second model beside
    the one measured on the operator's metric, that inherits that metric
    but reports another one is never asked to report the product's metric:
    it is left to `complexity-unearned`, which asks for its own `success`.

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
        product_metric = success_metric(spec)
        measured_end_to_end = False
        for model in spec.models.values():
            own = stage_metric(spec, model)
            success = success_of(spec, model) if own is None else spec.spec.operator.success
            ev = spec.for_model(spec.spec.evaluation, model)
            listed = {m.name for m in ev.metrics} if ev is not None else set()
            if product_metric in listed:
                measured_end_to_end = True
            if success is None or ev is None or success.metric.name in listed or \
                    misspelt(success.metric.name, ctx) or any(misspelt(m, ctx) for m in listed):
                continue  # a misspelt metric name is metric-misspelt's finding
            metric = success.metric.name
            if own is not None and model.ladder is not None:
                continue  # complexity-unearned (DS402) reports the stage's missing `success`, at its ladder
            advice = (f"judge `{model.name.name}` on its own metric with `success {own or 'METRIC'} "
                      f"{{ ... }}` on the model, rather than adding `{metric}` to `metrics`" if own is not None else
                      f"add `{metric}` to `metrics`")
            yield Hit(ev.spans.get("metrics", ev.header),
                      f"evaluation of `{model.name.name}` does not measure its success metric `{metric}`",
                      advice,
                      (Related(spec.origin.get(id(model), spec.spec.path) if model.success else spec.spec.path,
                               success.header, "success metric"),))
        own = [m for m in spec.models.values() if m.success is not None]
        if product_metric is None or measured_end_to_end or not own or \
                not spec.spec.evaluation or any(m.success is None for m in spec.models.values()):
            return
        last = [m for m in spec.order if spec.reaches_user(m)]
        names = ", ".join(f"`{m.name.name}`" for m in last) or "the last model"
        yield Hit(spec.spec.operator.success.header,
                  f"the end-to-end success metric `{product_metric}` is measured by no evaluation: "
                  "every model is judged on its own metric",
                  f"add `{product_metric}` to the `metrics` of the evaluation of {names}, whose output reaches "
                  "the user")
