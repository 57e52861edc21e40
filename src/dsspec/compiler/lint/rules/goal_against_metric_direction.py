from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import goal_direction

INTRINSIC = frozenset({
    "latency", "latency_p99", "p99_latency", "cost", "cost_per_request", "tokens_per_request", "toxicity",
    "hallucination_rate", "attack_success_rate", "injection_success_rate", "error_rate_5xx", "timeout_rate",
})
"""Metrics read from the system itself (no labels) whose better side does not depend on the product: a goal
to raise a block, review or refusal rate can be meant, one to raise latency or hallucinations cannot."""


class GoalAgainstMetricDirection(Rule):
    """A `goal` asks its KPI to move the way its metric gets worse.

    Stage: ecosystem

    ## What it does
    Compares the way a `goal` wants its KPI to go (`increase`, `decrease`,
    `keep >= X` or `keep <= X`) with the direction of the metric of that name:
    one the spec declares (`metric NAME { better ... }`), a model-quality
    metric of the catalogue (`fpr`, `error_rate`, `recall`, ...), or a cost
    or speed of the system (`latency`, `cost_per_request`). It flags a goal
    that asks for the worse side: `goal fpr increase 10%`, `goal error_rate
    keep >= 0.09`. Rates of decisions (`block_rate`, `review_rate`) are left
    alone: a product may well mean to raise them.

    ## Why it matters
    The goal is what the launch is judged on. A goal that asks a false
    positive rate to rise is a typo or a metric turned round; either way the
    experiment would call the worse model the winner. The same contradiction
    in `success` levels is `success-levels-inconsistent`.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem {
      goal fpr increase 10%
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem {
      goal fpr decrease 10%
    }
    ```
    """

    code = "DS104"
    name = "goal-against-metric-direction"
    severity = Severity.ERROR
    stage = "ecosystem"

    def check(self, spec, ctx):
        eco = spec.spec.ecosystem
        for goal in eco.goals if eco is not None else ():
            kpi = goal.kpi.name
            wanted = goal_direction(goal)
            declared = spec.metrics.get(kpi)
            entry = ctx.metric(kpi)
            if wanted is None or entry is None or "better" not in entry:
                continue
            if declared is None and not entry.get("labels", True) and kpi not in INTRINSIC:
                continue
            better = entry["better"]
            if better == wanted:
                continue
            span = goal.kpi.span.to(goal.guard.operand.span if goal.guard is not None else
                                    goal.amount.span if goal.amount is not None else goal.direction.span)
            if goal.direction.name == "keep":
                flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[goal.guard.op]
                said = f"goal {kpi} keep {goal.guard.op} {goal.guard.operand.text}"
                asked = f"`{said}` keeps `{kpi}` {'at least' if wanted == 'higher' else 'at most'} " \
                        f"{goal.guard.operand.text}"
                fix = f"write `goal {kpi} keep {flipped} {goal.guard.operand.text}`"
            else:
                amount = f" {goal.amount.text}" if goal.amount is not None else ""
                other = "decrease" if goal.direction.name == "increase" else "increase"
                asked = f"`goal {kpi} {goal.direction.name}{amount}` asks for a {wanted} `{kpi}`"
                fix = f"write `goal {kpi} {other}{amount}`"
            if declared is not None:
                yield Hit(span, f"{asked}, but its `metric {kpi}` declaration says {better} is better",
                          f"{fix}; or, if {wanted} is better, write `better {wanted}` in `metric {kpi}`",
                          (Related(spec.origin.get(id(declared), spec.spec.path), declared.header,
                                   "declared here"),))
            else:
                yield Hit(span, f"{asked}, but {better} `{kpi}` is better",
                          f"{fix}; if the KPI is not the metric `{kpi}`, give it a name of its own")
