from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class GoalMissing(Rule):
    """The `ecosystem` sets no goal to increase or decrease a KPI.

    Stage: ecosystem

    ## What it does
    Flags an `ecosystem` without a `goal KPI increase|decrease AMOUNT`.
    `keep` goals are guardrails and do not count. A spec with no
    `ecosystem` at all is left to `ecosystem-incomplete`.

    ## Why it matters
    The goal is what "better" means for the product: the change in a
    business KPI the model is built to move. Without one, a better offline
    metric can ship and nobody can say whether it paid off.

    ## Example
    ```dsspec
    product churn { owner "growth-ds@example.com" }
    ecosystem {
      problem "4% of subscribers cancel every month"
      goal    support_tickets keep <= 500/day
    }
    ```

    ## Use instead
    ```dsspec
    product churn { owner "growth-ds@example.com" }
    ecosystem {
      problem "4% of subscribers cancel every month"
      goal    monthly_churn   decrease 20%
      goal    support_tickets keep <= 500/day
    }
    ```
    """

    code = "DS102"
    name = "goal-missing"
    severity = Severity.ERROR
    stage = "ecosystem"

    def check(self, spec, ctx):
        eco = spec.spec.ecosystem
        if eco is None or any(g.direction.name in ("increase", "decrease") for g in eco.goals):
            return
        guardrails = " (only `keep` guardrails)" if eco.goals else ""
        yield Hit(eco.header, f"`ecosystem` has no goal to increase or decrease a KPI{guardrails}",
                  "add `goal KPI decrease 30%` (or `increase`): the change the product is built to make")
