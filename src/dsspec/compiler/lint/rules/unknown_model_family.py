from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.base.suggestions import suggest


class UnknownModelFamily(Rule):
    """A ladder step names a model family the catalogue does not know.

    Stage: start simple

    ## What it does
    Looks up the family of every `baseline` and `step` in the family
    catalogue and flags one that is not there, suggesting the closest
    known name.

    ## Why it matters
    The catalogue gives each family its tier, typical size and latency; the
    rules that check the ladder, latency and cost cannot judge a family they
    do not know, so a typo silently turns those checks off.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m {
      task binary_classification
      ladder {
        baseline logistic_regression { recall 0.55 }
        step lightgmb { recall 0.66; chosen }
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

    code = "DS405"
    name = "unknown-model-family"
    severity = Severity.INFO
    stage = "start simple"

    def check(self, spec, ctx):
        for model in spec.spec.models:
            for step in model.ladder.steps if model.ladder else ():
                if step.family is None or ctx.family(step.family.name) is not None:
                    continue
                hint = suggest(step.family.name, ctx.families)
                message = f"unknown model family `{step.family.name}`"
                if hint:
                    message += f"; did you mean `{hint}`?"
                yield Hit(step.header, message if hint else
                          message + ": the rules cannot judge its size, latency or tier",
                          f"write `{hint}`, or describe `{step.family.name}` in the configuration" if hint else
                          f"describe it in the configuration: `[tool.dsspec.families.{step.family.name}]` with "
                          "`tier` (0 rules .. 4 LLM), `params` and `latency_ms = { cpu = [BASE, PER_BILLION] }`; "
                          "or write the closest catalogue family (`dsspec explain unknown-model-family`)")
