from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import monthly, monthly_costs


class CostOverBudget(Rule):
    """Training and serving together cost more per month than the operator's `budget`.

    Stage: operator

    ## What it does
    Adds up the monthly `cost` of every `training` and `serving` section
    (per-request prices, such as a hosted model's, are multiplied by the
    operator's `load`; one-off amounts are left out) and flags the `budget`
    when the total exceeds it. Serving on GPUs with no stated `cost` is
    priced from the hardware catalogue (GPUs x replicas x `gpu_hour_price`,
    all month) and counted as an estimate; so is a hosted LLM with no stated
    `cost` whose model states its tokens: `calls` x (`tokens_in` x price in +
    `tokens_out` x price out, from its family in the catalogue) x `load`
    (OWASP LLM10 Unbounded Consumption: the "denial of wallet" of an agent
    whose calls and tokens were never multiplied out).

    ## Why it matters
    The budget is what the product can pay for the model. A design that
    costs more than that will be cut back after launch, usually by dropping
    retraining or capacity, which is the worst time to redesign it.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { budget $1k/month }
    model m { task regression }
    training { cost $300/month }
    serving { mode online; cost $1.2k/month }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator { budget $2k/month }
    model m { task regression }
    training { cost $300/month }
    serving { mode online; cost $1.2k/month }
    ```
    """

    code = "DS205"
    name = "cost-over-budget"
    severity = Severity.ERROR
    stage = "operator"
    references = ("owasp-llm:LLM10",)

    def check(self, spec, ctx):
        op = spec.spec.operator
        budget = monthly(op.budget, spec) if op else None
        if budget is None:
            return
        costs = monthly_costs(spec, ctx.hardware, ctx.families)
        total = sum(c.monthly for c in costs)
        related = [Related(spec.spec.path, c.section.spans.get("cost", c.section.spans.get("hardware", c.section.header)),
                           f"{c.label} cost, ${c.monthly:,.0f}/month" if c.section.cost is not None else
                           f"serving cost estimated from {c.written}, ${c.monthly:,.0f}/month")
                   for c in costs]
        estimated = any(c.section.cost is None for c in costs)
        if total > budget:
            yield Hit(op.spans["budget"],
                      f"training and serving cost ${total:,.0f}/month"
                      f"{' (serving with no stated cost estimated)' if estimated else ''}, "
                      f"over the budget `{op.budget.text}`",
                      ("state the real serving `cost` where it is estimated; " if estimated else "") +
                      ("cut the cost (fewer calls per request, shorter prompts or prompt caching, a smaller "
                       "tier) or raise the budget" if any("tokens" in c.written for c in costs) else
                       "cut the cost (a smaller model, fewer GPUs or replicas, less frequent retraining) "
                       "or raise the budget"),
                      tuple(related))
