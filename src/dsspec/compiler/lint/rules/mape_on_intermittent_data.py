from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import label_source
from dsspec.compiler.lint.reach import success, where

MAPE = frozenset({"mape"})


def mape_use(spec, model):
    """Return the span where the model is judged on MAPE (primary, metrics, then success), or ``None``."""
    ev = spec.for_model(spec.spec.evaluation, model)
    if ev is not None and ev.primary is not None and ev.primary.name in MAPE:
        return ev.spans["primary"]
    if ev is not None and any(m.name in MAPE for m in ev.metrics):
        return ev.spans["metrics"]
    goal = success(spec, model)
    if goal is not None and goal.metric.name in MAPE:
        return goal.header
    return None


def zero_share_of(spec, model):
    """Return the label source or output that states the model's `zero_share`, the label source first."""
    outs = [spec.outputs.get(ref.name) for ref in model.writes]
    for holder in (label_source(spec, model), *outs):
        if holder is not None and holder.zero_share is not None:
            return holder
    return None


class MapeOnIntermittentData(Rule):
    """MAPE is used on outcomes that are often zero.

    Stage: metrics

    ## What it does
    Flags a model judged on `mape` (success metric, evaluation `primary` or
    `metrics`) when its label source's or its output's `zero_share` is at or
    above the `intermittent` threshold (1% by default).

    ## Why it matters
    MAPE divides by the actual value: on a zero it is infinite, and tools
    quietly drop those days, so the metric ignores exactly the slow movers
    where forecasts go most wrong. On intermittent demand it also rewards
    forecasting zero. WAPE (total absolute error over total actuals), MAE or
    a scaled error (MASE) stay defined and weigh errors by volume.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source sales { kind labels; label_delay 1d; zero_share 58% }
    model m { task forecasting; labels sales }
    evaluation { metrics [mape, mae]; primary mape }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source sales { kind labels; label_delay 1d; zero_share 58% }
    model m { task forecasting; labels sales }
    evaluation { metrics [wape, mase, mae]; primary wape }
    ```
    """

    code = "DS553"
    name = "mape-on-intermittent-data"
    severity = Severity.WARNING
    stage = "metrics"

    def check(self, spec, ctx):
        limit = ctx.thresholds["intermittent"]
        for model in spec.models.values():
            holder = zero_share_of(spec, model)
            if holder is None or holder.zero_share.value < limit:
                continue
            span = mape_use(spec, model)
            if span is None:
                continue
            yield Hit(span, f"`mape` on `{holder.name.name}`, whose values are zero {holder.zero_share.text} "
                      "of the time: it is undefined there", "use `wape`, `mase` or `mae`, which stay defined on zeros",
                      (Related(where(spec, holder), holder.spans["zero_share"], "share of zeros"),))
