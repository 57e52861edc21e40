from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import model_inputs


class BatchServingForRealtimeLatency(Rule):
    """A model is served in batch although its latency target is real-time and it reads request-time inputs.

    Stage: system design

    ## What it does
    Flags a `serving` section with `mode batch` when the operator's latency
    target is at or under the real-time threshold (`realtime-latency`,
    default 1s) and the model reads an input that is only known when the
    request arrives (`known_at request`, which is also what an input without
    `known_at` means).

    ## Why it matters
    A batch job scores what it knows in advance. An input that only exists
    at request time cannot be in yesterday's batch, so the prediction either
    ignores it or is not there when the request needs it; the latency target
    can only be met by serving online.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { latency p95 <= 300ms }
    input ticket { fields [subject, body]; known_at request }
    model m { task text_classification; reads ticket }
    serving { mode batch; schedule hourly }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator { latency p95 <= 300ms }
    input ticket { fields [subject, body]; known_at request }
    model m { task text_classification; reads ticket }
    serving { mode online }
    ```
    """

    code = "DS301"
    name = "batch-serving-for-realtime-latency"
    severity = Severity.ERROR
    stage = "system design"

    def check(self, spec, ctx):
        op = spec.spec.operator
        if op is None or op.latency is None or op.latency.target.operand.value > ctx.thresholds["realtime_latency"]:
            return
        for serving in spec.spec.serving:
            model = spec.model_of.get(id(serving))
            if model is None or serving.mode is None or serving.mode.name != "batch":
                continue
            live = [i.name.name for i in model_inputs(spec, model)
                    if i.known_at is None or i.known_at.name == "request"]
            if live:
                names = ", ".join(f"`{x}`" for x in live)
                yield Hit(serving.spans["mode"],
                          f"batch serving of `{model.name.name}` cannot meet "
                          f"`latency {op.latency.percentile.name} {op.latency.target.show()}`: "
                          f"{'input' if len(live) == 1 else 'inputs'} {names} "
                          f"{'is' if len(live) == 1 else 'are'} only known at request time",
                          "serve `mode online`; only if a prediction from the last batch is good enough, "
                          "relax the latency target to the batch schedule",
                          (Related(spec.spec.path, op.spans["latency"], "latency target"),))
