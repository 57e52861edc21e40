from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import chosen_steps


class ChosenStepMissing(Rule):
    """A ladder marks no step `chosen`, or more than one.

    Stage: start simple

    ## What it does
    Counts the steps marked `chosen` in each model's `ladder` and flags a
    ladder with none, or with several (pointing at each of them).

    ## Why it matters
    The ladder exists to justify what ships. Without exactly one chosen step
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
            chosen = chosen_steps(model)
            if not chosen:
                yield Hit(model.ladder.header, f"ladder of `{model.name.name}` has no `chosen` step",
                          "mark the step the design ships with `chosen`")
            elif len(chosen) > 1:
                yield Hit(model.ladder.header,
                          f"ladder of `{model.name.name}` has {len(chosen)} `chosen` steps",
                          "keep `chosen` on the one step the design ships",
                          tuple(Related(spec.spec.path, s.header, "chosen here") for s in chosen))
