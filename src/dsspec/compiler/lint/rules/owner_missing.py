from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class OwnerMissing(Rule):
    """The product names no `owner`.

    Stage: ecosystem

    ## What it does
    Flags a `product` section without an `owner` statement.

    ## Why it matters
    A design without an owner has nobody to answer review questions, to page
    when the model misbehaves, or to decide when it should be retired.

    ## Example
    ```dsspec
    product churn {
      title "Churn prediction"
    }
    ```

    ## Use instead
    ```dsspec
    product churn {
      title "Churn prediction"
      owner "growth-ds@example.com"
    }
    ```
    """

    code = "DS103"
    name = "owner-missing"
    severity = Severity.WARNING
    stage = "ecosystem"

    def check(self, spec, ctx):
        product = spec.spec.product
        if product.lacks("owner"):
            yield Hit(product.header, f"product `{product.name.name}` has no `owner`",
                      'add `owner "team@example.com"` so reviewers and on-call know whom to ask')
