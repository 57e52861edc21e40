from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import out_of_range, success_blocks

LEVELS = ("optimal", "acceptable", "worst")


class MetricValueOutOfRange(Rule):
    """A value of a metric that runs from 0 to 1 is written as more than 1, below 0, or in a unit.

    Stage: metrics

    ## What it does
    Reads every value given to a metric the catalogue marks `bounded` (a
    share, a rate, an area under a curve, a correlation: recall, precision,
    AUC, NDCG, a block rate): the `optimal`, `acceptable` and `worst` levels
    of a `success`, its `at` operating point, a ladder step's result, a
    `rollback when` bound and a `keep` goal. It flags a number over 1 or a
    percentage over 100%, and says the two ways the value was probably meant
    (`63` is `0.63` or `63%`); a value below zero (except for a correlation
    or R², which can be); and a value given as money, a duration or a rate,
    for these and for ratio metrics without a bound (MAPE, WAPE, log loss).

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
            found = problem(ctx, metric, q)
            if found is not None:
                yield Hit(span, *found)


def impossible(ctx, metric: str, q) -> bool:
    """Return whether ``q`` cannot be a value of ``metric`` (this rule's finding): rules that compare values
    skip it, so one mistake gives one finding."""
    return problem(ctx, metric, q) is not None


def problem(ctx, metric: str, q) -> tuple[str, str] | None:
    """Return the message and help for a value ``q`` that ``metric`` cannot take, or ``None``."""
    entry = ctx.metric(metric)
    bounded = bool(entry and entry.get("bounded"))
    if q.kind in WRONG_KINDS and (bounded or metric.split("_at_")[0] in RATIOS):
        what = "a share from 0 to 1" if bounded else "a ratio with no unit"
        return (f"`{metric}` is {what}, but is given as {WRONG_KINDS[q.kind]} `{q.text}`",
                "write the value as a fraction such as `0.63`, or a percentage such as `63%`")
    if not bounded:
        return None
    if q.value < 0 and not signed(metric):
        shown = q.text.lstrip("-")
        return (f"`{metric}` is from 0 to 1 and never negative, but is given as `{q.text}`",
                f"write the value without its sign (`{shown}`) if that is what was measured")
    if not out_of_range(ctx, metric, q):
        return None
    if q.kind == "percent":
        return (f"`{metric}` is at most 100%, but is given as `{q.text}`",
                "write the value as a share of at most `100%` (or `1`)")
    if q.value <= 100:
        share = f"{q.value / 100:.10g}"
        return (f"`{metric}` is at most 1, but is given as `{q.text}`: did you mean `{share}` or `{q.text}%`?",
                f"write `{share}` or `{q.text}%`")
    return (f"`{metric}` is at most 1 (100%), but is given as `{q.text}`",
            "write the value as a fraction such as `0.63`, or a percentage such as `63%`")


WRONG_KINDS = {"money": "an amount of money", "duration": "a duration", "rate": "a rate"}
"""A bounded metric's value is a number or a percentage; these kinds are never one."""

RATIOS = frozenset({"mape", "smape", "wape", "wmape", "mdape", "mpe", "nrmse", "mase", "rmsse", "wer",
                    "word_error_rate", "cer", "log_loss", "cross_entropy", "nll", "perplexity", "bleu", "rouge",
                    "rouge_l", "meteor", "chrf", "bertscore", "psi", "lift", "qini", "auuc"})
"""Catalogue metrics with no upper bound that are still pure ratios or scores: never money, a time or a rate
(an error in the target's unit, MAE or RMSE, may be any of them)."""

SIGNED = frozenset({"r2", "mcc", "kappa", "cohen_kappa", "gini", "correlation", "pearson", "spearman", "kendall",
                    "pearson_r", "spearman_rho", "kendall_tau", "matthews_corrcoef"})
"""Bounded metrics that go below zero: a correlation runs from -1 to 1, and R² is negative for a model worse
than the mean."""


def signed(metric: str) -> bool:
    """Return whether ``metric`` (by its name) may be below zero."""
    base = metric.split("_at_")[0]
    return base in SIGNED or base.endswith(("_correlation", "_corr", "_r2", "_kappa"))


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
