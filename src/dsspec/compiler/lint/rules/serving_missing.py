from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import section_template


class ServingMissing(Rule):
    """A model has no `serving` section.

    Stage: operations

    ## What it does
    Flags each model declared in the file that no `serving` section
    concerns, every stage of a pipeline included.

    ## Why it matters
    How a model is served (online, batch, on which hardware, by which
    provider, at what cost) decides whether it meets the latency target and
    the budget. Left out, those checks cannot run, and monitoring has no
    deployment to watch.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    serving { mode online; hardware cpu; cost $400/month }
    ```
    """

    code = "DS704"
    name = "serving-missing"
    severity = Severity.WARNING
    stage = "operations"

    def check(self, spec, ctx):
        if "serving" in spec.unnamed:
            return  # a `serving` names no model among several: that finding says whose it is first
        for model in spec.spec.models:
            if spec.for_model(spec.spec.serving, model) is None:
                yield Hit(model.header, f"model `{model.name.name}` has no `serving`",
                          "add `" + section_template(spec, "serving", model, "mode online|batch; hardware cpu; "
                                                     "cost $X/month") + "`: how and at what cost it runs")
