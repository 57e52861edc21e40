from __future__ import annotations

import datetime

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import label_source, label_timing
from dsspec.compiler.lint.reach import where


class LabelMaturity(Rule):
    """The evaluation starts before the last training labels have matured.

    Stage: system design

    ## What it does
    Adds the label source's `label_delay` to the end of the `training`
    `window` and flags an `evaluation` `window` that starts more than the
    `label-maturity-slack` threshold (14 days by default) before that date:
    a week or two of immature labels at the end of months of training is
    noise, a month or more of them is leakage.

    ## Why it matters
    A label is final only `label_delay` after its example (a loan defaults
    within 6 months, a chargeback arrives within 60 days). When the test
    period starts right after training, the last training examples carry
    labels that were only known during the test period: the backtest uses
    the future, and in production those same examples would still look
    negative. Leave a gap of at least the label delay between the two.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source defaults { kind labels; label_delay 180d }
    model m { task binary_classification; labels defaults }
    training { window 2024-01-01 .. 2025-03-31 }
    evaluation { window 2025-04-01 .. 2025-06-30 }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source defaults { kind labels; label_delay 180d }
    model m { task binary_classification; labels defaults }
    training { window 2024-01-01 .. 2025-03-31 }
    evaluation { window 2025-09-28 .. 2025-12-31 }
    ```
    """

    code = "DS351"
    name = "label-maturity"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        for model in spec.models.values():
            train = spec.for_model(spec.spec.training, model)
            test = spec.for_model(spec.spec.evaluation, model)
            source = label_source(spec, model)
            timing = label_timing(spec, model)   # None also when the test overlaps: test-overlaps-training's
            if timing is None:
                continue
            if timing.short_days <= ctx.thresholds["label_maturity_slack"] / 86400:
                continue
            ready = str(timing.ready)
            final = f"after {ready}" if timing.beyond else f"on {ready}"
            yield Hit(test.spans["window"],
                      f"evaluation of `{model.name.name}` starts {test.window.start}, but the labels of the last "
                      f"training day are only final {final} (`label_delay {source.label_delay.text}`)",
                      f"start the evaluation window after {ready}, or end the training window "
                      f"{source.label_delay.text} before the evaluation starts",
                      (Related(spec.spec.path, train.spans["window"], "training window"),
                       Related(where(spec, source), source.spans["label_delay"], "label delay")))
