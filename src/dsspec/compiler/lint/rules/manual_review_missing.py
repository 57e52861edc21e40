from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class ManualReviewMissing(Rule):
    """The evaluation has no manual `review` of model outputs.

    Stage: metrics

    ## What it does
    Flags each model's `evaluation` without a `review NUMBER cases by USER`
    statement. In a pipeline only the models whose output reaches a user
    are asked for one: an upstream stage (a retriever feeding a ranker) is
    read through the outputs of the stage after it.

    ## Why it matters
    Aggregate metrics hide what the errors look like. Reading a sample of
    real outputs finds label noise, leakage and embarrassing failures that
    no metric shows, and tells the team whether the metric measures what the
    users care about.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { user analyst "Reviews flagged cases" }
    model m { task binary_classification }
    evaluation { metrics [recall]; primary recall }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { user analyst "Reviews flagged cases" }
    model m { task binary_classification }
    evaluation {
      metrics [recall]
      primary recall
      review  200 cases by analyst
    }
    ```
    """

    code = "DS505"
    name = "manual-review-missing"
    severity = Severity.WARNING
    stage = "metrics"

    def check(self, spec, ctx):
        for model in spec.models.values():
            ev = spec.for_model(spec.spec.evaluation, model)
            if ev is not None and ev.lacks("review") and spec.reaches_user(model):
                yield Hit(ev.header, f"evaluation of `{model.name.name}` has no manual `review`",
                          "add `review 100 cases by USER` so someone reads real outputs")
