from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import section_template


class EvaluationMissing(Rule):
    """A model has no `evaluation` section.

    Stage: metrics

    ## What it does
    Flags each model declared in the file that no `evaluation` section
    concerns, every stage of a pipeline included.

    ## Why it matters
    The evaluation is where the test data, the metrics, the manual review
    and the slices are decided; without it the ladder's numbers have no
    stated test behind them, and the metric, leakage and slice rules have
    nothing to check.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    evaluation { split time; metrics [recall, precision]; primary recall }
    ```
    """

    code = "DS510"
    name = "evaluation-missing"
    severity = Severity.WARNING
    stage = "metrics"

    def check(self, spec, ctx):
        if "evaluation" in spec.unnamed:
            return  # a `evaluation` names no model among several: that finding says whose it is first
        for model in spec.spec.models:
            if spec.for_model(spec.spec.evaluation, model) is None:
                yield Hit(model.header, f"model `{model.name.name}` has no `evaluation`",
                          "add `" + section_template(spec, "evaluation", model, "split time; metrics [...]; "
                                                     "primary METRIC") + "`: how it is tested before it ships")
