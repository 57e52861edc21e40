from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import out_of_range, success_blocks

LEVELS = ("optimal", "acceptable", "worst")


class MetricValueOutOfRange(Rule):
    """A value of a metric that is at most 1 is written as more than 1.

    Stage: metrics

    ## What it does
    Reads every value given to a metric the catalogue marks `bounded` (a
    share, a rate, an area under a curve, a correlation: recall, precision,
    AUC, NDCG, a block rate): the `optimal`, `acceptable` and `worst` levels
    of a `success`, its `at` operating point, a ladder step's result, a
    `rollback when` bound and a `keep` goal. It flags a number over 1 or a
    percentage over 100%, and says the two ways the value was probably meant
    (`63` is `0.63` or `63%`).

    ## Why it matters
    A recall of 63 cannot happen, so every comparison made with it is wrong
    in silence: a ladder step "beats" the one before it, a chosen model
    "reaches" the acceptable level, a roll-back trigger never fires. The
    value was written as a percentage without its `%`, and only the author
    knows which number was meant.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { success recall { optimal >= 70; acceptable >= 0.55 } }
    model m {
      task binary_classification
      ladder {
        baseline logistic_regression { recall 55 }
        step lightgbm { recall 0.66; chosen }
      }
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator { success recall { optimal >= 0.70; acceptable >= 0.55 } }
    model m {
      task binary_classification
      ladder {
        baseline logistic_regression { recall 0.55 }
        step lightgbm { recall 0.66; chosen }
      }
    }
    ```
    """

    code = "DS520"
    name = "metric-value-out-of-range"
    severity = Severity.ERROR
    stage = "metrics"

    def check(self, spec, ctx):
        for metric, q, span in values(spec):
            if not out_of_range(ctx, metric, q):
                continue
            if q.kind == "percent":
                yield Hit(span, f"`{metric}` is at most 100%, but is given as `{q.text}`",
                          f"write the value as a share of at most `100%` (or `1`)")
            elif q.value <= 100:
                share = f"{q.value / 100:.10g}"
                yield Hit(span, f"`{metric}` is at most 1, but is given as `{q.text}`: did you mean `{share}` or "
                          f"`{q.text}%`?", f"write `{share}` or `{q.text}%`")
            else:
                yield Hit(span, f"`{metric}` is at most 1 (100%), but is given as `{q.text}`",
                          "write the value as a fraction such as `0.63`, or a percentage such as `63%`")


def values(spec) -> list:
    """Return ``(metric, quantity, span)`` for every value the design gives a metric or a KPI."""
    out = []
    for _, success in success_blocks(spec):
        for level in LEVELS:
            c = getattr(success, level)
            if c is not None:
                out.append((success.metric.name, c.operand, success.spans[level]))
        if success.at is not None:
            out.append((success.at.metric.name, success.at.bound.operand, success.spans["at"]))
    for model in spec.spec.models:
        for step in model.ladder.steps if model.ladder else ():
            out += [(name, q, step.spans.get(name, step.header)) for name, q in step.results.items()]
    for rollout in spec.spec.rollout:
        out += [(r.metric.name, r.bound.operand, r.span) for r in rollout.rollbacks if r.metric and r.bound]
    eco = spec.spec.ecosystem
    for goal in eco.goals if eco else ():
        if goal.guard is not None:
            out.append((goal.kpi.name, goal.guard.operand, goal.span))
    return out
