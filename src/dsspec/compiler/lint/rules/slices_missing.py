from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class SlicesMissing(Rule):
    """The evaluation names no `slices` to break its metrics down by.

    Stage: metrics

    ## What it does
    Flags each model's `evaluation` without a `slices [FIELD, ...]`
    statement.

    ## Why it matters
    An average can improve while a segment (a country, a language, new
    customers) gets much worse. Metrics per slice show who pays for the
    errors before production does.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    input request { fields [country, amount] }
    model m { task binary_classification; reads request }
    evaluation { metrics [recall]; primary recall }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    input request { fields [country, amount] }
    model m { task binary_classification; reads request }
    evaluation {
      metrics [recall]
      primary recall
      slices  [country]
    }
    ```
    """

    code = "DS507"
    name = "slices-missing"
    severity = Severity.INFO
    stage = "metrics"

    def check(self, spec, ctx):
        for model in spec.models.values():
            ev = spec.for_model(spec.spec.evaluation, model)
            if ev is not None and not ev.slices:
                yield Hit(ev.spans.get("slices", ev.header),
                          f"evaluation of `{model.name.name}` has no `slices`",
                          "add `slices [FIELD, ...]` to report metrics per segment")
