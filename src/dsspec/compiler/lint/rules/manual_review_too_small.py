from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class ManualReviewTooSmall(Rule):
    """The manual review reads too few cases to estimate anything.

    Stage: metrics

    ## What it does
    Flags an evaluation `review` of fewer cases than the `review-cases`
    threshold (97 by default).

    ## Why it matters
    97 reviewed cases give an error rate to within +-10 points at 95%
    confidence; a handful of cases is an anecdote. A review too small to
    estimate a rate cannot confirm or contradict the offline metrics.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { user analyst "Reviews flagged cases" }
    model m { task binary_classification }
    evaluation { review 20 cases by analyst }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { user analyst "Reviews flagged cases" }
    model m { task binary_classification }
    evaluation { review 200 cases by analyst }
    ```
    """

    code = "DS506"
    name = "manual-review-too-small"
    severity = Severity.WARNING
    stage = "metrics"

    def check(self, spec, ctx):
        least = ctx.thresholds["review_cases"]
        for model in spec.models.values():
            ev = spec.for_model(spec.spec.evaluation, model)
            if ev is None or ev.review is None or ev.review.cases.value >= least:
                continue
            yield Hit(ev.spans["review"],
                      f"manual review of `{model.name.name}` reads {ev.review.cases.text} cases, "
                      f"fewer than {least:g}",
                      f"review at least {least:g} cases (+-10 points at 95% confidence)")
