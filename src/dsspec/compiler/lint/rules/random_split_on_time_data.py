from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import split_entities, time_order


class RandomSplitOnTimeData(Rule):
    """The evaluation splits time-ordered data at random.

    Stage: system design

    ## What it does
    Flags `split random` in an `evaluation` that has a `window`, reads a
    `stream` source (through its `from`, directly or through an input; when
    it names no `from`, or only label sources joined to the model's
    features, through its model's inputs too), reads labels that
    arrive `label_delay` after the event (an outcome log), or concerns a
    `forecasting` model. An evaluation whose `from` is a static file is
    judged on that file, not on the stream its model serves from. Leaving the `window`
    out does not hide the flaw: the sources still say the rows are ordered
    in time. When the only sign is the label delay and the rows also share
    an `entity`, `entity-leakage` reports the split once, advising
    `split group KEY` and a later test period.

    ## Why it matters
    On data that arrives over time, a random split puts tomorrow's examples
    in the training set and yesterday's in the test set. The model gets to
    learn from the future it is tested on, and the offline metric promises
    more than production delivers. Test on a later period than training.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source payments { kind stream }
    model m { task regression }
    evaluation { from payments; split random }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source payments { kind stream }
    model m { task regression }
    evaluation { from payments; split time }
    ```
    """

    code = "DS310"
    name = "random-split-on-time-data"
    severity = Severity.ERROR
    stage = "system design"

    def check(self, spec, ctx):
        for ev in spec.spec.evaluation:
            if ev.split is None or ev.split.kind.name != "random":
                continue
            # a delayed label log with a shared entity is reported once, by entity-leakage (DS352),
            # whose advice then adds a later test period to `split group KEY`
            reasons = time_order(spec, ev, strong=bool(split_entities(spec, ev)))
            if reasons:
                yield Hit(ev.spans["split"], f"`split random` on time-ordered data: {' and '.join(reasons)}",
                          "use `split time`, testing on a period after training")
