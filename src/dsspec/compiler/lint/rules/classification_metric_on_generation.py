from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import success_of

GENERATION_TASKS = frozenset({"generation", "summarization"})
# metrics that need one right label per example: a generated text has many right answers
LABEL_METRICS = frozenset({"accuracy", "balanced_accuracy", "auc", "roc_auc", "pr_auc", "f1", "macro_f1",
                           "precision", "recall", "log_loss"})


class ClassificationMetricOnGeneration(Rule):
    """A generation or summarization model is judged on a classification metric such as `accuracy`.

    Stage: metrics

    ## What it does
    Flags the `success` block a `generation` or `summarization` model is
    judged on (its own, or the operator's it inherits) when its metric is
    a classification metric that needs one right label per example:
    `accuracy`, `f1`, `precision`, `recall`, `auc` and their kin. A named
    graded metric (`answer_accuracy`, `summary_correctness`) is not
    flagged: its name says what a grader counts as right.

    ## Why it matters
    A generated text has many right answers, so plain `accuracy` says
    nothing until someone defines what "correct" means: exact match with a
    reference (far too strict), a human grade, an LLM judge. Without it,
    the target cannot be measured the same way twice, and the ladder's
    numbers cannot be compared.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { success accuracy { acceptable >= 0.90 } }
    model m { task generation }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator { success title_accepted { acceptable >= 0.90 } }
    metric title_accepted { better higher; labels yes; description "share of titles sellers keep unedited" }
    model m { task generation }
    ```
    """

    code = "DS511"
    name = "classification-metric-on-generation"
    severity = Severity.WARNING
    stage = "metrics"

    def check(self, spec, ctx):
        seen = set()
        for model in spec.models.values():
            success = success_of(spec, model)
            if model.task is None or model.task.name not in GENERATION_TASKS or success is None or \
                    success.metric.name not in LABEL_METRICS or id(success) in seen:
                continue
            seen.add(id(success))
            name = success.metric.name
            yield Hit(success.header, f"`{model.name.name}` generates text but is judged on `{name}`, which "
                      "needs one right label per example",
                      f"name what a grader counts as right: e.g. `success graded_correct {{ ... }}` with "
                      f"`metric graded_correct {{ better higher; labels yes }}`, graded by people or an LLM judge")
