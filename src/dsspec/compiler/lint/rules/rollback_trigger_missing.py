from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.reach import success, where


class RollbackTriggerMissing(Rule):
    """The rollout says nothing about when to roll back, or its trigger is not the `worst` level.

    Stage: operations

    ## What it does
    Flags a `rollout` with no `rollback` statement; a rollout whose
    `rollback` triggers do not include the success metric's `worst` level
    (`rollback when worst`, or `rollback when METRIC ...` on the success
    metric); and `rollback when worst` when the success metric has no
    `worst` level.

    ## Why it matters
    The `worst` level is the line the product agreed it will not cross. A
    rollout without a trigger tied to it leaves the decision to whoever is
    on call, under pressure, after the harm: the model stays up while the
    metric sinks. Written down, the trigger becomes an alert and a runbook
    step.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { success recall { acceptable >= 0.55; worst <= 0.40 } }
    model m { task binary_classification }
    rollout { canary 5% for 3d }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator { success recall { acceptable >= 0.55; worst <= 0.40 } }
    model m { task binary_classification }
    rollout { canary 5% for 3d; rollback when worst "switch the traffic back to the rules" }
    ```
    """

    code = "DS752"
    name = "rollback-trigger-missing"
    severity = Severity.WARNING
    stage = "operations"

    def check(self, spec, ctx):
        for plan in spec.spec.rollout:
            goal = success(spec, spec.model_of.get(id(plan)))  # a product-wide rollout: the operator's metric
            if not plan.rollbacks:
                if "rollback" not in plan.spans:
                    yield Hit(plan.header, "the rollout never says when to roll back",
                              "add `rollback when worst \"...\"`: the success metric's `worst` level triggers it")
                continue
            on_worst = [rb for rb in plan.rollbacks if rb.trigger is not None]
            if on_worst and (goal is None or goal.worst is None):
                yield Hit(on_worst[0].span, "`rollback when worst`, but the success metric has no `worst` level",
                          "add `worst COMPARISON` to the `success` block" if goal is not None else
                          "add `success METRIC { ...; worst COMPARISON }` to the operator")
                continue
            if on_worst or goal is None or goal.worst is None:
                continue
            if any(rb.metric is not None and rb.metric.name == goal.metric.name for rb in plan.rollbacks):
                continue
            yield Hit(plan.rollbacks[0].span,
                      f"no rollback trigger is tied to the `worst` level of `{goal.metric.name}`",
                      "add `rollback when worst`, so crossing the agreed worst level rolls the model back",
                      (Related(where(spec, goal), goal.spans.get("worst", goal.header), "worst level"),))
