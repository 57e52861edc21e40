from __future__ import annotations

from dsspec.diagnostics import Severity
from dsspec.lint.base import Hit, Rule


class RandomSplitOnTimeData(Rule):
    """The evaluation splits time-ordered data at random.

    Stage: system design

    ## What it does
    Flags `split random` in an `evaluation` that has a `window`, reads a
    `stream` source (directly, or through an input), or concerns a
    `forecasting` model.

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
            names = [r.name for r in ev.from_]
            for ref in ev.from_:
                if ref.name in spec.inputs:
                    names += [r.name for r in spec.inputs[ref.name].from_]
            kinds = {name: spec.sources[name].kind for name in names if name in spec.sources}
            streams = [name for name, kind in kinds.items() if kind is not None and kind.name == "stream"]
            reasons = (["the evaluation has a `window`"] if ev.window else []) + \
                [f"it reads stream `{s}`" for s in streams]
            model = spec.model_of.get(id(ev))
            if model is not None and model.task is not None and model.task.name == "forecasting":
                reasons.append(f"`{model.name.name}` is a forecasting model")
            if reasons:
                yield Hit(ev.spans["split"], f"`split random` on time-ordered data: {' and '.join(reasons)}",
                          "use `split time`, testing on a period after training")
