from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import SUPERVISED_TASKS
from dsspec.compiler.lint.rules.training_serving_skew import is_labels


class LabelsMissing(Rule):
    """A supervised model names no `labels` source.

    Stage: system design

    ## What it does
    Flags a `model` whose `task` is supervised (classification, regression,
    ranking, forecasting and the like) without a `labels` statement naming
    the source its true outcomes come from.

    ## Why it matters
    A supervised model learns from, and is judged against, known outcomes.
    Where they come from, how many there are and how late they arrive decide
    whether the model can be trained and monitored at all; a design that
    does not say has skipped the hardest part.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source chargebacks { kind labels; label_delay 60d }
    model m { task binary_classification; labels chargebacks }
    ```
    """

    code = "DS306"
    name = "labels-missing"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        for model in spec.spec.models:
            if model.task is not None and model.task.name in SUPERVISED_TASKS and model.lacks("labels"):
                train = spec.for_model(spec.spec.training, model)
                named = [r.name for r in train.from_] if train is not None else []
                outcomes = [n for n in named if is_labels(spec, n)]  # what it trains on that holds outcomes
                yield Hit(model.header, f"model `{model.name.name}` is `{model.task.name}` but names no `labels`",
                          f"add `labels {outcomes[0]}`, the source of outcomes it trains on" if len(outcomes) == 1
                          else "add `labels SOURCE`: the source its true outcomes come from")
