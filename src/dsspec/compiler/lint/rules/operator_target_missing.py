from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule

GAPS = (
    ("success", "no `success` metric", "add `success METRIC { optimal ...; acceptable ...; worst ... }`: the "
                                       "product's end-to-end metric and the levels to ship and roll back at"),
    ("latency", "no `latency` target", "add `latency p99 <= DURATION`: how long the user or the batch can wait"),
    ("budget", "no `budget`", "add `budget $X/month`: what training and serving may cost"),
)


class OperatorTargetMissing(Rule):
    """The operator states no success metric, latency target or budget.

    Stage: operator

    ## What it does
    Flags each of `success`, `latency` and `budget` missing from the
    `operator` section, one finding per gap, at the section's header (at
    the product when there is no `operator` at all, in one finding).

    ## Why it matters
    These three are what the design is checked against: the success
    levels decide what ships and when to roll back, the latency target
    decides online or batch and how big a model may be, the budget what it
    may cost. Leaving one out does not make the design pass review; it
    silences the rules that would have judged it.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      success recall { optimal >= 0.7; acceptable >= 0.6; worst <= 0.4 }
      latency p99 <= 80ms
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      success recall { optimal >= 0.7; acceptable >= 0.6; worst <= 0.4 }
      latency p99 <= 80ms
      budget  $6k/month
    }
    ```
    """

    code = "DS207"
    name = "operator-target-missing"
    severity = Severity.WARNING
    stage = "operator"

    def check(self, spec, ctx):
        op = spec.spec.operator
        if op is None:
            product = spec.spec.product
            yield Hit(product.header, f"product `{product.name.name}` has no `operator`, so no success metric, "
                                      "latency target or budget",
                      "add `operator { success METRIC { ... }; latency p99 <= DURATION; budget $X/month }`")
            return
        for statement, what, fix in GAPS:
            if op.lacks(statement):
                yield Hit(op.header, f"`operator` states {what}", fix)
