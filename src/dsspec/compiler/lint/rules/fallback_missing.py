from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class FallbackMissing(Rule):
    """The operator names no `fallback` for when the model fails.

    Stage: operator

    ## What it does
    Flags an `operator` section without a `fallback` statement, and a spec
    with no `operator` section at all (at the product).

    ## Why it matters
    Models time out, crash, and get rolled back. The fallback (the previous
    model, the old rules, a human) is what the product does meanwhile; if the
    design does not name it, the first outage decides it.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      latency p99 <= 80ms
      default "Approve under $200"
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      latency  p99 <= 80ms
      fallback rules "The rule engine scores the payment"
      default  "Approve under $200"
    }
    ```
    """

    code = "DS202"
    name = "fallback-missing"
    severity = Severity.ERROR
    stage = "operator"

    def check(self, spec, ctx):
        op = spec.spec.operator
        if op is None:
            product = spec.spec.product
            yield Hit(product.header, f"product `{product.name.name}` has no `operator`, so no `fallback`",
                      'add `operator { fallback rules "..." }`: what answers when the model cannot')
        elif op.lacks("fallback"):
            yield Hit(op.header, "`operator` has no `fallback`",
                      'add `fallback KIND "..."` (previous_model, rules, ask_user, human or no_result)')
