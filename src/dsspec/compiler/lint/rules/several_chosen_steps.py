from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import chosen_steps


class SeveralChosenSteps(Rule):
    """A ladder marks more than one step `chosen`.

    Stage: start simple

    ## What it does
    Counts the steps marked `chosen` in each model's `ladder` and flags a
    ladder with two or more, pointing at each of them.

    ## Why it matters
    One model ships. With two steps marked `chosen`, the latency, cost and
    evaluation figures could be about either, and the rules that judge the
    chosen model read only the first: the other one is never checked. A
    second model that really runs beside the first is a second `model`
    section with its own ladder.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m {
      task binary_classification
      ladder {
        baseline logistic_regression { recall 0.55; chosen }
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

    code = "DS420"
    name = "several-chosen-steps"
    severity = Severity.ERROR
    stage = "start simple"

    def check(self, spec, ctx):
        for model in spec.spec.models:
            chosen = chosen_steps(model) if model.ladder is not None else []
            if len(chosen) > 1:
                yield Hit(model.ladder.header,
                          f"ladder of `{model.name.name}` has {len(chosen)} `chosen` steps: remove `chosen` from "
                          "all but the one the design ships",
                          "one model ships from a ladder; a model that runs beside it is a `model` of its own",
                          tuple(Related(spec.spec.path, s.header, "chosen here") for s in chosen))
