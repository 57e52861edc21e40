from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class LadderMissing(Rule):
    """A model has no `ladder`: nothing shows a simpler solution was measured first.

    Stage: start simple

    ## What it does
    Flags a `model` without a `ladder { ... }` block.

    ## Why it matters
    The ladder is the design's evidence: what the task scores done by hand or
    by today's rules, what a simple model scores, and what each step of
    complexity adds. Without it the reviewers cannot tell whether the chosen
    model is needed, and every start-simple rule has nothing to check.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task regression }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m {
      task regression
      ladder {
        manual "Last week's average" { mae 7.5 }
        baseline linear_regression { mae 6.9; chosen }
      }
    }
    ```
    """

    code = "DS407"
    name = "ladder-missing"
    severity = Severity.WARNING
    stage = "start simple"

    def check(self, spec, ctx):
        for model in spec.spec.models:
            if model.lacks("ladder"):
                yield Hit(model.header, f"model `{model.name.name}` has no `ladder`",
                          "add `ladder { manual \"...\" { METRIC VALUE }; baseline FAMILY { ... }; step ... }`: "
                          "the measured steps from the simplest solution to the chosen one")
