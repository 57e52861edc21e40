from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import CLASSIFICATION_TASKS
from dsspec.compiler.lint.reach import success

DECIDING = CLASSIFICATION_TASKS | {"anomaly_detection"}


def threshold_decides(spec, model) -> str | None:
    """Return why a threshold decides for ``model`` (an operating point, a class output), or ``None``."""
    goal = success(spec, model)
    if goal is not None and goal.at is not None:
        return f"its success is read at `{goal.at.metric.name} {goal.at.bound.op} {goal.at.bound.operand.text}`"
    out = next((o for o in spec.outputs_of(model) if o.type is not None and o.type.name == "class"), None)
    if out is not None and spec.reaches_user(model):
        return f"it writes the class `{out.name.name}`"
    return None


class ThresholdWithoutErrorCosts(Rule):
    """A threshold decides, and the design states the cost of one kind of error only.

    Stage: operator

    ## What it does
    Flags the operator of a design where a classifier's threshold decides
    (its success metric is read at an operating point, `at fpr <= 0.5%`, or
    it writes a `class` that reaches a user) and `error_cost` states the cost
    of a false negative or of a false positive, not both. A design that
    states no cost at all leaves the review question `error-costs` open
    (`question-open`, weighted by its `status`): the threshold may be set by
    a capacity (an approval rate, a list size), and only the design can say.

    ## Why it matters
    The operating point follows from the ratio of what a missed case and a
    false alarm each cost (Elkan 2001): a fraud miss that costs $90 against a
    $3 review puts the threshold far from where equal costs would. One cost
    alone gives no ratio: the threshold is still a guess, and the metric
    cannot be judged for favouring the costlier error.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { success recall { at fpr <= 1% }; error_cost false_negative $90 }
    model m { task binary_classification }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      success recall { at fpr <= 1% }
      error_cost false_negative $90
      error_cost false_positive $3
    }
    model m { task binary_classification }
    ```
    """

    code = "DS562"
    name = "threshold-without-error-costs"
    severity = Severity.WARNING
    stage = "operator"

    def check(self, spec, ctx):
        op = spec.spec.operator
        if op is None or not op.error_costs:
            return
        kinds = {c.error.name for c in op.error_costs}
        if len(kinds) != 1:
            return
        missing = ({"false_negative", "false_positive"} - kinds).pop()
        for model in spec.models.values():
            if model.task is None or model.task.name not in DECIDING:
                continue
            why = threshold_decides(spec, model)
            if why:
                yield Hit(op.spans["error_cost"], f"a threshold decides for `{model.name.name}` ({why}), and "
                          f"only the cost of a {next(iter(kinds)).replace('_', ' ')} is stated",
                          f"add `error_cost {missing} MONEY`: the threshold follows from the ratio of the two costs")
                return
