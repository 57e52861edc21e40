from __future__ import annotations

import math

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import chosen_step, label_source
from dsspec.compiler.lint.reach import success

RARE_CLASS = ("recall", "precision", "f1", "pr_auc", "average_precision", "auc", "roc_auc", "sensitivity", "tpr")
"""Metrics whose noise is set by the cases of the rarer class, not by the whole test set."""


def noise(value: float, cases: float) -> float:
    """Return the half-width of a 95% interval of the difference of two results near ``value``.

    Each result is treated as a proportion over ``cases`` independent cases (binomial standard error
    ``sqrt(p(1-p)/n)``); the difference of two independent results has ``sqrt(2)`` times that error,
    and 1.96 standard errors make 95%.
    """
    p = min(max(value, 0.0), 1.0)
    return 1.96 * math.sqrt(2 * p * (1 - p) / cases)


class LadderGainWithinNoise(Rule):
    """The chosen step beats the step below it by less than the test set can tell apart.

    Stage: start simple

    ## What it does
    For a model whose evaluation states `test_size`, compares the chosen
    ladder step with the step before it on the success metric (or the
    evaluation's `primary`), for results between 0 and 1. It estimates how
    large a difference the test set can resolve: each result is treated as a
    proportion over n cases, whose binomial standard error is
    `sqrt(p * (1 - p) / n)`; the difference of two results has `sqrt(2)`
    times that error, and the 95% noise band is 1.96 of those:
    `1.96 * sqrt(2 * p * (1 - p) / n)`, with p the lower step's result. For
    metrics set by the rarer class (recall, precision, F1, PR-AUC, ROC-AUC)
    n is the test size times the label source's `minority_share` (the
    positives), when stated; per-query metrics (`recall_at_8`, `ndcg_at_10`)
    count queries, the test size itself. A gain inside that band is flagged. An
    evaluation that compares the steps with a `paired_test` is left alone:
    a paired test on the same cases resolves smaller differences.

    ## Why it matters
    A step "earns" its complexity by +0.001 on 2,000 cases only by chance:
    the interval around each result is ten times wider. Benchmarks vary by
    more than many published gains from seeds and splits alone (Bouthillier
    et al. 2021). The estimate is deliberately simple (bootstrap-free, cases
    taken as independent); it tells when a gain cannot be real, not that a
    larger one is.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { success accuracy { optimal >= 0.9 } }
    model m {
      task multiclass_classification
      ladder {
        baseline logistic_regression { accuracy 0.871 }
        step bert { accuracy 0.872; chosen }
      }
    }
    evaluation { test_size 2000 }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator { success accuracy { optimal >= 0.9 } }
    model m {
      task multiclass_classification
      ladder {
        baseline logistic_regression { accuracy 0.871; chosen }
        step bert { accuracy 0.872; reason "within the noise of 2,000 cases: not worth it" }
      }
    }
    evaluation { test_size 2000 }
    ```
    """

    code = "DS460"
    name = "ladder-gain-within-noise"
    severity = Severity.WARNING
    stage = "start simple"

    def check(self, spec, ctx):
        for model in spec.models.values():
            ev = spec.for_model(spec.spec.evaluation, model)
            step = chosen_step(model)
            if ev is None or ev.test_size is None or step is None or model.ladder is None:
                continue
            if ev.uncertainty is not None and ev.uncertainty.method.name == "paired_test":
                continue
            goal = success(spec, model)
            metric = goal.metric.name if goal is not None else ev.primary.name if ev.primary else None
            steps = model.ladder.steps
            at = steps.index(step)
            below = next((s for s in reversed(steps[:at]) if metric in s.results), None)
            if metric is None or metric not in step.results or below is None:
                continue
            high, low = step.results[metric].value, below.results[metric].value
            if not (0 <= high <= 1 and 0 <= low <= 1):
                continue
            better = ctx.higher_is_better(metric)
            gain = (high - low) if better is not False else (low - high)
            if gain <= 0:
                continue  # no gain at all: complexity-unearned's concern
            cases = ev.test_size.value
            labels = label_source(spec, model)
            rare = "_at_" not in metric and any(metric == r or metric.startswith(r + "_") for r in RARE_CLASS)
            if rare and labels is not None and labels.minority_share is not None and labels.minority_share.value > 0:
                cases *= labels.minority_share.value
            band = noise(low, max(cases, 1.0))
            if gain < band:
                yield Hit(step.spans.get(metric, step.header),
                          f"`{step.family.name if step.family else step.rung}` gains {gain:.3g} {metric} over the "
                          f"step below, inside the ±{band:.2g} a test set of {cases:,.0f} cases can tell apart",
                          "choose the simpler step, or state a larger test set or a paired comparison "
                          "(`uncertainty paired_test \"...\"`) that resolves the gain",
                          (Related(spec.spec.path, ev.spans["test_size"], "test set size"),))
