from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule


class TestOverlapsTraining(Rule):
    """The evaluation window starts on or before the training window ends.

    Stage: system design

    ## What it does
    Compares each model's `evaluation` `window` with its `training` `window`
    and flags an evaluation that starts on or before the last day of training.

    ## Why it matters
    Test data from the training period leaks the future into the past: the
    model is scored on days it learned from, and the offline metric
    overstates what production will see. Test data must come after training
    data.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task regression }
    training { window 2025-01-01 .. 2025-06-30 }
    evaluation { window 2025-06-01 .. 2025-07-31 }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task regression }
    training { window 2025-01-01 .. 2025-06-30 }
    evaluation { window 2025-07-01 .. 2025-07-31 }
    ```
    """

    __test__ = False  # not a pytest class, despite its name
    code = "DS309"
    name = "test-overlaps-training"
    severity = Severity.ERROR
    stage = "system design"

    def check(self, spec, ctx):
        for model in spec.models.values():
            train = spec.for_model(spec.spec.training, model)
            test = spec.for_model(spec.spec.evaluation, model)
            if not (train and test and train.window and test.window):
                continue
            if test.window.start <= train.window.end:
                yield Hit(test.spans["window"],
                          f"evaluation of `{model.name.name}` starts {test.window.start} but training runs "
                          f"until {train.window.end}",
                          "start the evaluation window after the training window ends",
                          (Related(spec.spec.path, train.spans["window"], "training window"),))
