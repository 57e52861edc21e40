from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import token_estimate


class ServingCostUnknown(Rule):
    """A cost the budget cannot weigh: a hosted model without a price, or a price per request without a load.

    Stage: operator

    ## What it does
    Flags a `serving` section that names a hosting `provider` but states no
    `cost` (unless its model states `tokens_in` and its family's prices are
    in the catalogue: then `cost-over-budget` prices its tokens), and a `training` or `serving` cost priced per unit (`$0.002/request`)
    when the operator states no `load` to multiply it by.

    ## Why it matters
    A hosted model is paid per request: its price times the traffic is the
    bill, and the budget can only be checked against that product. Without
    the price, or without the load, `cost-over-budget` has nothing to add
    up, and the first invoice is where the design is reviewed.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { budget $3k/month }
    model m { task generation }
    serving { mode online; provider "OpenAI API"; cost $0.004/request }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator { budget $3k/month; load 5/s }
    model m { task generation }
    serving { mode online; provider "OpenAI API"; cost $0.004/request }
    ```
    """

    code = "DS314"
    name = "serving-cost-unknown"
    severity = Severity.WARNING
    stage = "operator"

    def check(self, spec, ctx):
        op = spec.spec.operator
        for serving in spec.spec.serving:
            model = spec.model_of.get(id(serving))
            if serving.provider is not None and serving.lacks("cost") and \
                    token_estimate(spec, serving, ctx.families) is None:
                name = f"`{model.name.name}`" if model else "the model"
                yield Hit(serving.spans["provider"],
                          f"hosted {name} ({serving.provider.value}) states no `cost`",
                          "add the provider's price, e.g. `cost $0.002/request`, or the tokens per call "
                          "(`tokens_in`, `tokens_out`, `calls`) of a catalogued family: with the operator's `load` "
                          "it is weighed against the budget")
        if op is not None and op.load is not None:
            return
        for section in (*spec.spec.training, *spec.spec.serving):
            cost = section.cost
            if cost is None or cost.per_month is not None or not cost.period:
                continue
            yield Hit(section.spans["cost"],
                      f"`cost {cost.text}` has no monthly figure: the operator states no `load`",
                      "add `load RATE` to `operator` (e.g. `load 20/s peak 80/s`): the price per "
                      f"{cost.period} times the load is the monthly cost the budget is checked against",
                      (Related(spec.spec.path, op.header, "operator"),) if op is not None else ())
