from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class SafeDefaultMissing(Rule):
    """The operator names no safe `default` for when model and fallback both fail.

    Stage: operator

    ## What it does
    Flags an `operator` section without a `default` statement, and a spec
    with no `operator` section at all (at the product).

    ## Why it matters
    The fallback can fail too. The safe default is the answer that does the
    least harm when nothing else responds (approve small payments, show a
    range, route to the general queue); it has to be decided by the product,
    not by whatever the calling code happens to do.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      fallback rules "The rule engine scores the payment"
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      fallback rules "The rule engine scores the payment"
      default  "Approve under $200; send to 3-D Secure at $200 or more"
    }
    ```
    """

    code = "DS203"
    name = "safe-default-missing"
    severity = Severity.ERROR
    stage = "operator"

    def check(self, spec, ctx):
        op = spec.spec.operator
        if op is None:
            product = spec.spec.product
            yield Hit(product.header, f"product `{product.name.name}` has no `operator`, so no safe `default`",
                      'add `operator { default "..." }`: the least harmful answer when everything fails')
        elif op.lacks("default"):
            yield Hit(op.header, "`operator` has no safe `default`",
                      'add `default "..."`: the least harmful answer when model and fallback both fail')
