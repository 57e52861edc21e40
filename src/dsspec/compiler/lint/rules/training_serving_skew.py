from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import label_source
from dsspec.compiler.lint.reach import model_sources


def is_labels(spec, name: str) -> bool:
    """Return whether ``name`` holds outcomes, not features, so serving never reads it.

    A `kind labels` source does, and so does any source that states a
    `label_delay`: a stream of courier pickups whose delay says when the
    outcome is known is where the labels come from, even when the model
    forgot to name it in `labels` (which `labels-missing` reports).
    """
    source = spec.sources.get(name)
    return source is not None and ((source.kind is not None and source.kind.name == "labels")
                                   or source.label_delay is not None)


class TrainingServingSkew(Rule):
    """Training reads data that the model's inputs never read when it serves.

    Stage: system design

    ## What it does
    Flags a `training` section whose `from` names a source that the model's
    inputs do not read (other than a source of outcomes: `kind labels`, or
    one that states a `label_delay`), or an input the model does not read.
    One finding per section names them all.

    ## Why it matters
    Features computed from a warehouse table for training and from a live
    stream for serving differ in their joins, their freshness and their
    bugs. The model learns the training version and meets the serving one:
    offline metrics hold, online ones do not, and nothing in the logs shows
    why. Train on the same sources serving reads, ideally on features
    logged as they were served: naming the model's inputs in `from` says
    so (`from [request, outcomes]`), where a separate log table would read
    as another source.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source events { kind stream }
    source warehouse { kind table }
    source outcomes { kind labels; label_delay 1d }
    input request { from events; fields [amount] }
    model m { task regression; reads request; labels outcomes }
    training { from [warehouse, outcomes] }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source events { kind stream }
    source warehouse { kind table }
    source outcomes { kind labels; label_delay 1d }
    input request { from events; fields [amount] }
    model m { task regression; reads request; labels outcomes }
    training { from [events, outcomes] }
    ```
    """

    code = "DS356"
    name = "training-serving-skew"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        for model in spec.models.values():
            train = spec.for_model(spec.spec.training, model)
            if train is None or not train.from_:
                continue
            served = {s.name.name for s in model_sources(spec, model)}
            labels = label_source(spec, model)
            allowed = served | {r.name for r in model.reads} | ({labels.name.name} if labels else set())
            known = set(spec.sources) | set(spec.inputs)
            skewed = [r.name for r in train.from_
                      if r.name in known and r.name not in allowed and not is_labels(spec, r.name)]
            if not skewed or not served:
                continue
            names = ", ".join(f"`{x}`" for x in skewed)
            reads = [r.name for r in model.reads if r.name in spec.inputs]
            served_as = f"`from [{', '.join(reads + ([labels.name.name] if labels else []))}]`" if reads else \
                "its inputs in `from`"
            yield Hit(train.spans["from"],
                      f"`{model.name.name}` trains on {names}, which its inputs do not read when it serves",
                      f"train on what serving reads: {served_as}, the features as served (logged at serving "
                      "time, if that is how they are kept), or the sources the inputs read; or add an input "
                      "that reads it at serving time")
