from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import goal_directions, goal_kpis, metric_names, metric_suggestion, rollout_names


class MetricUndeclared(Rule):
    """A metric name is neither in the catalogue nor declared, so the rules cannot judge it.

    Stage: metrics

    ## What it does
    Reports, once per name, a model-metric name (see `metric-misspelt` for
    where metric names stand) that the catalogue does not know, that is not
    close to a known one, and that the spec (`metric NAME { ... }`) or the
    configuration (`[tool.dsspec.metrics]`) does not declare. A goal KPI
    tracked as a metric is not reported when its `goal` gives the direction
    (`increase`, `decrease`, `keep <= X`): the design already says it.

    A name a `rollout` watches (`guardrails`, `rollback when NAME`, the
    experiment's `primary` and `guardrails`) may also be a goal KPI of
    `ecosystem`; one that is neither a goal KPI nor a known metric, and
    close to none, is reported too.

    ## Why it matters
    The rules need two facts about a metric: which direction is better (to
    order the success levels and to tell whether a ladder step beats the
    one before it) and whether measuring it needs labels (to tell whether
    it can be tracked live). For an unknown metric they guess or stay
    silent; a one-line declaration lets them judge it. A rollout that
    decides on, or guards, a measure the design names nowhere else leaves
    the reader to guess what it is and which way is good.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task generation }
    monitoring { track answer_helpfulness_judge }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    metric answer_helpfulness_judge { better higher; labels no }
    model m { task generation }
    monitoring { track answer_helpfulness_judge }
    ```
    """

    code = "DS509"
    name = "metric-undeclared"
    severity = Severity.INFO
    stage = "metrics"

    def check(self, spec, ctx):
        seen: set[str] = set()
        goals = goal_directions(spec)  # a goal's `increase`, `decrease` or `keep <= X` already says the direction
        for ref, where in metric_names(spec):
            if ref.name in seen or ref.name in goals or ctx.metric(ref.name) is not None or \
                    metric_suggestion(ref.name, ctx):
                continue
            seen.add(ref.name)
            yield Hit(ref.span, f"metric `{ref.name}` is not in the catalogue, so the rules cannot tell its "
                                "direction or whether it needs labels",
                      f"declare it: `metric {ref.name} {{ better higher; labels yes }}` (or `lower`, `labels no`), "
                      "or in `[tool.dsspec.metrics]` of the configuration")
        kpis = goal_kpis(spec)
        for ref, where in rollout_names(spec):
            if ref.name in seen or ref.name in kpis or ctx.metric(ref.name) is not None or \
                    metric_suggestion(ref.name, ctx, kpis):
                continue
            seen.add(ref.name)
            yield Hit(ref.span, f"`{ref.name}` in `{where}` is neither a goal KPI nor a known metric",
                      f"name it in a `goal` of `ecosystem`, or declare it: "
                      f"`metric {ref.name} {{ better higher; labels no }}` (or `lower`, `labels yes`)")
