from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import chosen_steps


class ChosenStepMissing(Rule):
    """A ladder marks no step `chosen`.

    Stage: start simple

    ## What it does
    Flags a model's `ladder` in which no step is marked `chosen` (a ladder
    with several is `several-chosen-steps`).

    ## Why it matters
    The ladder exists to justify what ships. Without a chosen step
    a reviewer cannot tell which model the latency, cost and evaluation
    figures are about, and the rules that check the chosen model stay silent.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m {
      task binary_classification
      ladder {
        baseline logistic_regression { recall 0.55 }
        step lightgbm { recall 0.66 }
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

    code = "DS403"
    name = "chosen-step-missing"
    severity = Severity.ERROR
    stage = "start simple"

    def check(self, spec, ctx):
        for model in spec.spec.models:
            if model.ladder is None:
                continue
            if not chosen_steps(model):
                yield Hit(model.ladder.header, f"ladder of `{model.name.name}` has no `chosen` step",
                          "mark the step the design ships with `chosen`")
