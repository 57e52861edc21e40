from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import chosen_step, success_of
from dsspec.compiler.lint.rules.metric_value_out_of_range import impossible


class ChosenStepMissesAcceptable(Rule):
    """The chosen step's result does not reach the operator's `acceptable` level.

    Stage: start simple

    ## What it does
    Reads the chosen ladder step's result on the success metric it is
    judged on (the model's own `success`, else the operator's) and flags it
    when it does not satisfy the `acceptable` comparison. When `acceptable`
    is better than `optimal`, the levels themselves are wrong
    (`success-levels-inconsistent`) and this rule waits for them.

    ## Why it matters
    `acceptable` is the level worth shipping. A chosen model that misses it
    offline will not reach it in production either; the design should
    either keep climbing the ladder or renegotiate the level.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { success recall { optimal >= 0.7; acceptable >= 0.6; worst <= 0.4 } }
    model m {
      task binary_classification
      ladder {
        baseline logistic_regression { recall 0.50 }
        step lightgbm { recall 0.56; chosen }
      }
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator { success recall { optimal >= 0.7; acceptable >= 0.6; worst <= 0.4 } }
    model m {
      task binary_classification
      ladder {
        baseline logistic_regression { recall 0.50 }
        step lightgbm { recall 0.64; chosen }
      }
    }
    ```
    """

    code = "DS406"
    name = "chosen-step-misses-acceptable"
    severity = Severity.WARNING
    stage = "start simple"

    def check(self, spec, ctx):
        for model in spec.spec.models:
            success = success_of(spec, model)
            if success is None or success.acceptable is None or _out_of_order(success, ctx):
                continue  # levels out of order are success-levels-inconsistent's finding: one per mistake
            metric = success.metric.name
            step = chosen_step(model)
            value = step.results.get(metric) if step else None
            if value is None or success.acceptable.holds(value.value) or impossible(ctx, metric, value) or \
                    impossible(ctx, metric, success.acceptable.operand):
                continue
            label = step.family.name if step.family else step.rung
            yield Hit(step.header,
                      f"chosen `{label}` ({metric} {value.text}) misses the acceptable level "
                      f"`{success.acceptable.show()}`",
                      "climb the ladder further, or agree a lower `acceptable` level with the operator",
                      (Related(spec.spec.path, success.spans.get("acceptable", success.acceptable.span),
                               "acceptable level"),))


def _out_of_order(success, ctx) -> bool:
    """Return whether `acceptable` is better than `optimal`, or points against the metric's direction (so
    which level is meant is unknown: success-levels-inconsistent's finding)."""
    higher = ctx.higher_is_better(success.metric.name)
    op = success.acceptable.op
    if higher is not None and op in ("<", "<=", ">", ">=") and op.startswith(">") != higher:
        return True
    if success.optimal is None:
        return False
    if higher is None:
        higher = success.optimal.op.startswith(">")
    opt, acc = success.optimal.operand.value, success.acceptable.operand.value
    return acc > opt if higher else acc < opt
