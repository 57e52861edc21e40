from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class AlertMissing(Rule):
    """A `monitoring` section watches metrics but pages no one.

    Stage: operations

    ## What it does
    Flags a `monitoring` section with no `alert`.

    ## Why it matters
    Drift and metric tracking that nobody is paged for end up on a
    dashboard no one opens. The first sign of a broken feature pipeline is
    then a complaint from the business, weeks later. Name who is paged, so
    the `worst` level and the drift checks reach a person.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task regression }
    monitoring { track mae delayed 1d }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task regression }
    monitoring { track mae delayed 1d; alert "pricing-ds on-call" }
    ```
    """

    code = "DS753"
    name = "alert-missing"
    severity = Severity.WARNING
    stage = "operations"

    def check(self, spec, ctx):
        for mon in spec.spec.monitoring:
            if mon.lacks("alert"):
                model = spec.model_of.get(id(mon))
                what = f"`{model.name.name}`" if model is not None else "the model"
                yield Hit(mon.header, f"the monitoring of {what} pages no one",
                          "add `alert \"team on-call\"`: who is paged when a tracked metric or drift crosses its limit")
