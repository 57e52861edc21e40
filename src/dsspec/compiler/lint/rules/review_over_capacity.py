from __future__ import annotations

import re

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule

_QUEUE = re.compile(r"review|alert|queue|case|page|escalat", re.I)
_DAY = 86400.0


def capacity_goal(spec):
    """Return a `goal KPI keep <= RATE` on a review or alert volume, if the design states one."""
    eco = spec.spec.ecosystem
    for goal in (eco.goals if eco else []):
        if goal.guard is not None and goal.guard.operand.kind == "rate" and goal.guard.op in ("<", "<=") \
                and _QUEUE.search(goal.kpi.name):
            return goal
    return None


class ReviewOverCapacity(Rule):
    """More cases are sent to human review (or raised as alerts) than the reviewers can take.

    Stage: operations

    ## What it does
    Multiplies the operator's `load` by its `review_share` (the share of
    cases sent to people: a review queue, an alert, a manual check) and
    compares the volume with `review_capacity`, or with a guardrail goal on
    a review or alert volume (`goal review_volume keep <= 300/day`).

    ## Why it matters
    A queue larger than its team is triaged by whoever has time, in whatever
    order: cases wait, alerts are dismissed unread, and the model's value is
    lost to alert fatigue. A widely deployed sepsis model alerted on 18% of
    hospitalisations (Wong et al. 2021). The volume a threshold sends to
    people is a design choice, set against the team's capacity before launch.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { load 30k/day; review_share 5%; review_capacity 400/day }
    model m { task binary_classification }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator { load 30k/day; review_share 1.2%; review_capacity 400/day }
    model m { task binary_classification }
    ```
    """

    code = "DS760"
    name = "review-over-capacity"
    severity = Severity.WARNING
    stage = "operations"

    def check(self, spec, ctx):
        op = spec.spec.operator
        if op is None or op.load is None or op.review_share is None:
            return
        volume = op.load.rate.value * op.review_share.value
        goal = capacity_goal(spec)
        limits = []
        if op.review_capacity is not None:
            limits.append((op.review_capacity.value, op.spans["review_capacity"], "review capacity"))
        if goal is not None:
            limits.append((goal.guard.operand.value, goal.span, "volume goal"))
        for limit, span, label in limits:
            if volume > limit * 1.0001:
                yield Hit(op.spans["review_share"],
                          f"{op.review_share.text} of a load of {op.load.rate.text} sends {volume * _DAY:,.0f} "
                          f"cases a day to review, {times(volume / limit)} the {limit * _DAY:,.0f} a day they can take",
                          "raise the threshold so fewer cases go to people, add reviewers, or rank the queue and "
                          "state what happens to the cases nobody reaches",
                          (Related(spec.spec.path, span, label),))
                return


def times(ratio: float) -> str:
    """Return a multiple as a reader says it: ``96.0x``, ``1,250x`` (never ``403200000000000000.0x``)."""
    return f"{ratio:.1f}x" if ratio < 100 else f"{ratio:,.0f}x"
