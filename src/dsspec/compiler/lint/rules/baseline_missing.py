from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import chosen_step


class BaselineMissing(Rule):
    """The chosen model is a tree ensemble or more, and nothing simpler precedes it in the ladder.

    Stage: start simple

    ## What it does
    Looks up the tier of each model's chosen ladder step in the family
    catalogue (0 manual/rules, 1 linear, 2 tree ensembles, 3 neural nets,
    4 large language models) and flags a chosen step of tier 2 or more
    that has no step of a lower tier before it in the `ladder`. A `manual`
    step counts as tier 0.

    ## Why it matters
    Without a manual or simple baseline there is no yardstick: nobody can
    tell whether the complex model is worth its latency, cost and upkeep,
    or whether a logistic regression (or today's rules) would do as well.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m {
      task binary_classification
      ladder {
        step lightgbm { recall 0.66; chosen }
      }
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m {
      task binary_classification
      ladder {
        baseline logistic_regression { recall 0.55 }
        step lightgbm { recall 0.66; chosen }
      }
    }
    ```
    """

    code = "DS401"
    name = "baseline-missing"
    severity = Severity.ERROR
    stage = "start simple"

    def check(self, spec, ctx):
        for model in spec.spec.models:
            chosen = chosen_step(model)
            if chosen is None or chosen.rung == "manual":
                continue
            tier = _tier(chosen, ctx)
            if tier is None or tier < 2:
                continue
            before = model.ladder.steps[:model.ladder.steps.index(chosen)]
            if any((t := _tier(s, ctx)) is not None and t < tier for s in before):
                continue
            yield Hit(model.ladder.header,
                      f"ladder of `{model.name.name}` has no step simpler than the chosen "
                      f"`{chosen.family.name}` (tier {tier})",
                      "add a `manual` step (today's rules) or a `baseline` such as `logistic_regression`, "
                      "with its measured result, before the chosen step")


def _tier(step, ctx) -> int | None:
    """Return the step's catalogue tier (manual steps are 0), or ``None`` when unknown."""
    if step.rung == "manual":
        return 0
    family = ctx.family(step.family.name if step.family else None)
    return family["tier"] if family else None
