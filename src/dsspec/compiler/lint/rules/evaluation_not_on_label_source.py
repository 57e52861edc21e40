from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import label_source
from dsspec.compiler.lint.reach import model_sources, sources_of, where


class EvaluationNotOnLabelSource(Rule):
    """The evaluation never reads the source the model's labels come from.

    Stage: metrics

    ## What it does
    Flags an `evaluation` whose `from` reaches neither the model's `labels`
    source nor any source the model reads when it serves: the test data is
    another data set altogether (a synthetic file, a vendor's sample).

    ## Why it matters
    A test set built from another source (a synthetic file, a hand-made
    sample, last year's benchmark) measures the model against outcomes it
    was not built to predict. The number can be high and still say nothing
    about the labels, the population or the period the product depends on.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source outcomes { kind labels; label_delay 1d }
    source synthetic { kind files }
    model m { task binary_classification; labels outcomes }
    evaluation { from synthetic }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source outcomes { kind labels; label_delay 1d }
    source synthetic { kind files }
    model m { task binary_classification; labels outcomes }
    evaluation { from [synthetic, outcomes] }
    ```
    """

    code = "DS551"
    name = "evaluation-not-on-label-source"
    severity = Severity.WARNING
    stage = "metrics"

    def check(self, spec, ctx):
        for model in spec.models.values():
            ev = spec.for_model(spec.spec.evaluation, model)
            labels = label_source(spec, model)
            if ev is None or labels is None or not ev.from_:
                continue
            tested = sources_of(spec, list(ev.from_))
            if labels in tested or any(s in tested for s in model_sources(spec, model)):
                continue
            yield Hit(ev.spans["from"], f"the evaluation of `{model.name.name}` reads neither its label source "
                      f"`{labels.name.name}` nor the data it serves on", f"test on `{labels.name.name}` and the "
                      "sources the inputs read: the outcomes and the population the model is built for",
                      (Related(where(spec, model), model.spans["labels"], "label source"),))
