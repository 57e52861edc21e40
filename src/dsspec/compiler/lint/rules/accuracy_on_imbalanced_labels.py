from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import label_source


class AccuracyOnImbalancedLabels(Rule):
    """The primary metric is `accuracy` although the labels are imbalanced.

    Stage: metrics

    ## What it does
    Flags an `evaluation` whose `primary` is `accuracy` when the model's
    label source has a `minority_share` at or under the `imbalance`
    threshold (10% by default: from there, always predicting the majority scores 90%
    or more, so a churn rate of 6% or a 9% rare class is already hidden).

    ## Why it matters
    With a 2% minority, predicting the majority every time scores 98%
    accuracy and finds nothing. Accuracy hides exactly the errors that
    matter on imbalanced data; recall, precision, PR-AUC or macro-F1 do not.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source outcomes { kind labels; minority_share 2% }
    model m { task binary_classification; labels outcomes }
    evaluation { metrics [accuracy, recall]; primary accuracy }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source outcomes { kind labels; minority_share 2% }
    model m { task binary_classification; labels outcomes }
    evaluation { metrics [accuracy, recall]; primary recall }
    ```
    """

    code = "DS503"
    name = "accuracy-on-imbalanced-labels"
    severity = Severity.WARNING
    stage = "metrics"

    def check(self, spec, ctx):
        limit = ctx.thresholds["imbalance"]
        for model in spec.models.values():
            ev = spec.for_model(spec.spec.evaluation, model)
            if ev is None or ev.primary is None or ev.primary.name != "accuracy":
                continue
            source = label_source(spec, model)
            share = source.minority_share if source else None
            if share is None or share.value > limit:
                continue
            yield Hit(ev.spans["primary"],
                      f"primary metric `accuracy` on labels `{source.name.name}` whose minority share "
                      f"is {share.text}",
                      "use a metric that sees the minority class: `recall`, `precision`, `pr_auc` or `macro_f1`",
                      (Related(spec.origin.get(id(source), spec.spec.path),
                               source.spans.get("minority_share", share.span), "minority share"),))
