from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class EcosystemIncomplete(Rule):
    """The `ecosystem` is missing, or names no `problem`, no `today` or no `user`.

    Stage: ecosystem

    ## What it does
    Flags a spec without an `ecosystem` section, and an `ecosystem` that
    lacks a `problem`, a `today` (the incumbent solution) or at least one
    `user`; one finding names everything that is missing.

    ## Why it matters
    A model is only worth building against a stated problem, measured
    against how it is solved today, for someone who will act on its output.
    Without these a reviewer cannot tell whether the design helps anyone, or
    what it has to beat.

    ## Example
    ```dsspec
    product churn { owner "growth-ds@example.com" }
    ecosystem {
      problem "4% of subscribers cancel every month"
    }
    ```

    ## Use instead
    ```dsspec
    product churn { owner "growth-ds@example.com" }
    ecosystem {
      problem "4% of subscribers cancel every month"
      today   "Retention calls every subscriber whose plan is about to renew"
      user    retention_team "Calls the subscribers most likely to cancel"
    }
    ```
    """

    code = "DS101"
    name = "ecosystem-incomplete"
    severity = Severity.ERROR
    stage = "ecosystem"

    def check(self, spec, ctx):
        eco = spec.spec.ecosystem
        if eco is None:
            product = spec.spec.product
            yield Hit(product.header, f"product `{product.name.name}` has no `ecosystem`",
                      'add `ecosystem { problem "..."; today "..."; user NAME "..." }`')
            return
        missing = [what for what, absent in (("`problem`", eco.lacks("problem")), ("`today`", eco.lacks("today")),
                                             ("`user`", eco.lacks("user"))) if absent]
        if missing:
            listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " or " + missing[-1]
            yield Hit(eco.header, f"`ecosystem` names no {listed}",
                      "state the problem, how it is solved today, and who acts on the output")
