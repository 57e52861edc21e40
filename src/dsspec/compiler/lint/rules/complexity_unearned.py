from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import metric_suggestion, misspelt, stage_metric, success_of, success_template
from dsspec.compiler.lint.rules.metric_value_out_of_range import impossible


class ComplexityUnearned(Rule):
    """A ladder step has no result on the success metric, or does not beat the step before it.

    Stage: start simple

    ## What it does
    Walks each model's `ladder` in order, up to the chosen step. A step
    (manual, baseline or model) without a value of the success metric is
    flagged, and so is a step whose value is not better than the
    step before it (the metric catalogue says which direction is better).
    The chosen step is also compared with the best simpler automated rung
    (baseline or step), so a weak middle rung cannot hide a chosen step
    below an earlier one. A manual rung is often partial (the cases experts
    handle) or a hand-labelled upper bound, so it is no bar for the best
    rung: only the step right after it is compared with it, and asked to
    compare on the same traffic rather than told to keep the manual rung.
    Steps after the chosen one record experiments that were not shipped, and
    are not judged. A step need not beat one whose measured `latency` is
    over the operator's latency target: that step cannot be kept (analysts
    who take four days, a model too slow to serve), so meeting the target
    is the gain that pays for the complexity. Each model is judged on its own `success` metric when it
    has one (a retriever on `recall_at_50`), on the operator's otherwise; a
    misspelt metric name is left to `metric-misspelt`. A pipeline stage
    (its output feeds another model, not a user), or a second model beside
    one that reports the operator's metric, with no `success` of its own
    and whose ladder reports another metric gets one finding at its ladder,
    asking for `success METRIC` on the model with the metric its ladder
    reports, never the product's metric on every step.

    ## Why it matters
    Every step of complexity costs latency, money and maintenance; it has to
    earn its place with a measured gain on the metric that defines success.
    A step with no number, or one that does not improve on a simpler one, is
    complexity nobody has justified.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { success recall { optimal >= 0.7; acceptable >= 0.6; worst <= 0.4 } }
    model m {
      task binary_classification
      ladder {
        baseline logistic_regression { recall 0.60 }
        step lightgbm { recall 0.58; chosen }
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
        baseline logistic_regression { recall 0.60 }
        step lightgbm { recall 0.66; chosen }
      }
    }
    ```
    """

    code = "DS402"
    name = "complexity-unearned"
    severity = Severity.WARNING
    stage = "start simple"

    def check(self, spec, ctx):
        for model in spec.spec.models:
            own = stage_metric(spec, model) if model.ladder is not None else None
            if own == "":  # a pipeline stage whose ladder names no metric: never ask it for the product's
                yield Hit(model.ladder.header, f"the ladder of pipeline stage `{model.name.name}` reports no metric "
                          "of its own", f"judge `{model.name.name}` on its own metric: add `{success_template('METRIC', None)}` "
                          f"to model `{model.name.name}` and its result to each step")
                continue
            if own is not None:  # a stage or second model measured on its own metric: one finding, not one per step
                product = spec.spec.operator.success.metric.name
                yield Hit(model.ladder.header, f"the ladder of `{model.name.name}` reports `{own}`, not the "
                          f"product's success metric `{product}`",
                          f"judge `{model.name.name}` on its own metric: add "
                          f"`{success_template(own, ctx.higher_is_better(own))}` to model `{model.name.name}`")
                continue
            success = success_of(spec, model)
            if model.ladder is None or success is None or misspelt(success.metric.name, ctx):
                continue  # a misspelt success metric is metric-misspelt's finding, not one per step
            metric = success.metric.name
            higher = ctx.higher_is_better(metric)
            if higher is None and success.optimal is not None and success.optimal.op[0] in "<>":
                higher = success.optimal.op.startswith(">")
            before = best = None  # the step before; the best automated rung so far that can be kept
            op = spec.spec.operator
            limit = op.latency.target.operand.value if op is not None and op.latency is not None else None
            last = max((i for i, s in enumerate(model.ladder.steps) if s.chosen), default=len(model.ladder.steps) - 1)
            # steps after the chosen one are experiments that were not shipped: they earn nothing
            for step in model.ladder.steps[: last + 1]:
                label = step.family.name if step.family else step.rung
                value = step.results.get(metric)
                if value is not None and impossible(ctx, metric, value):
                    before = None  # `recall 63`: metric-value-out-of-range's finding, nothing to compare
                    continue
                if value is None:
                    if any(misspelt(r, ctx) and metric_suggestion(r, ctx) == metric for r in step.results):
                        before = None  # the result is there, misspelt: metric-misspelt's finding
                        continue
                    yield Hit(step.header, f"ladder step `{label}` has no `{metric}` result",
                              f"measure it: add `{metric} VALUE` to the step")
                    before = None
                    continue
                too_slow = before is not None and limit is not None and before[0].latency is not None and \
                    before[0].latency.value > limit  # the simpler step cannot meet the target: speed is the gain
                beaten = None
                if before is not None and higher is not None and not too_slow and _worse(value, before[1], higher):
                    beaten = before
                elif step.chosen and best is not None and best is not before and higher is not None and \
                        _worse(value, best[1], higher):
                    beaten = best  # a weaker middle rung must not hide a chosen step below an earlier one
                if beaten is not None:
                    prev_step, prev = beaten
                    prev_label = prev_step.family.name if prev_step.family else prev_step.rung
                    yield Hit(step.header,
                              f"`{label}` ({metric} {value.text}) does not beat `{prev_label}` "
                              f"({metric} {prev.text})" + ("" if beaten is before else ", the best simpler rung"),
                              "a manual rung is often partial or an upper bound: compare on the same traffic, "
                              "or show the gain that pays for the complexity" if prev_step.rung == "manual" else
                              "keep the simpler step, or show the gain that pays for the complexity",
                              (Related(spec.spec.path, prev_step.header, "the simpler step"),))
                before = (step, value)
                if step.rung != "manual" and not (step.latency is not None and limit is not None and
                                                  step.latency.value > limit) and higher is not None and \
                        (best is None or _worse(best[1], value, higher)):
                    best = before


def _worse(value, other, higher: bool) -> bool:
    """Return whether ``value`` does not beat ``other`` (ties do not beat)."""
    return value.value <= other.value if higher else value.value >= other.value
