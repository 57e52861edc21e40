from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import TEXT_TASKS, chosen_step


class SmallTextDataWithoutPretrained(Rule):
    """A neural text model is trained on few labelled rows without a pretrained checkpoint.

    Stage: start simple

    ## What it does
    Flags a text task (`text_classification`, `sequence_labeling`,
    `summarization`, `generation`) whose model has fewer labelled `rows`
    than the `small-text-data` threshold (10k by default) and whose chosen
    step is a neural family (tier 3, e.g. `bert`, `transformer`) without a
    `pretrained` checkpoint.

    ## Why it matters
    A neural text model trained from scratch needs far more labelled text
    than a few thousand rows; on small data it overfits and loses to a
    TF-IDF baseline. Fine-tuning a pretrained encoder is what makes small
    text data enough.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m {
      task text_classification
      rows 4k
      ladder {
        baseline tfidf_logistic_regression { macro_f1 0.61 }
        step transformer { macro_f1 0.66; chosen }
      }
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m {
      task text_classification
      rows 4k
      ladder {
        baseline tfidf_logistic_regression { macro_f1 0.61 }
        step distilbert { macro_f1 0.72; pretrained "distilbert-base-uncased"; chosen }
      }
    }
    ```
    """

    code = "DS404"
    name = "small-text-data-without-pretrained"
    severity = Severity.WARNING
    stage = "start simple"

    def check(self, spec, ctx):
        limit = ctx.thresholds["small_text_data"]
        for model in spec.spec.models:
            if model.task is None or model.task.name not in TEXT_TASKS:
                continue
            if model.rows is None or model.rows.value >= limit:
                continue
            step = chosen_step(model)
            if step is None or step.family is None or step.pretrained is not None:
                continue
            family = ctx.family(step.family.name)
            if family is None or family["tier"] != 3:
                continue
            yield Hit(step.header,
                      f"`{step.family.name}` is trained on {model.rows.text} labelled rows without a "
                      f"`pretrained` checkpoint",
                      'fine-tune a pretrained encoder: add `pretrained "CHECKPOINT"`, or collect more labels',
                      (Related(spec.spec.path, model.spans["rows"], "labelled rows"),))
