from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import section_template, track_template


class MonitoringMissing(Rule):
    """A served model has no `monitoring` section.

    Stage: operations

    ## What it does
    Flags the `serving` section of a model that has no `monitoring`
    section.

    ## Why it matters
    Models degrade silently: inputs drift, labels shift, upstream data
    breaks. Without drift checks, tracked metrics and someone to alert, the
    first sign of trouble is a complaint from the business.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    serving { mode online; hardware cpu }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    serving { mode online; hardware cpu }
    monitoring {
      track recall
      alert "ds on-call"
    }
    ```
    """

    code = "DS701"
    name = "monitoring-missing"
    severity = Severity.WARNING
    stage = "operations"

    def check(self, spec, ctx):
        if "monitoring" in spec.unnamed:
            return  # a `monitoring` names no model among several: that finding says whose it is first
        for model in spec.models.values():
            serving = spec.for_model(spec.spec.serving, model)
            if serving is not None and spec.for_model(spec.spec.monitoring, model) is None:
                yield Hit(serving.header, f"`{model.name.name}` is served but not monitored",
                          "add `" + section_template(spec, "monitoring", model, f"drift [...]; "
                                                     f"{track_template(spec, ctx, model)}; alert \"who is paged\"") + "`")
