from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class BatchScheduleMissing(Rule):
    """Batch serving does not say how often it runs.

    Stage: operations

    ## What it does
    Flags a `serving` section with `mode batch` and no `schedule`.

    ## Why it matters
    The schedule of a batch job is how stale its predictions may be, what
    it costs, and when on-call should expect it to finish; without it the
    design cannot be checked against the latency and freshness it promises.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    serving { mode batch; hardware cpu }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    serving { mode batch; schedule daily; hardware cpu }
    ```
    """

    code = "DS703"
    name = "batch-schedule-missing"
    severity = Severity.WARNING
    stage = "operations"

    def check(self, spec, ctx):
        for model in spec.models.values():
            serving = spec.for_model(spec.spec.serving, model)
            if serving is None or serving.mode is None or serving.mode.name != "batch" \
                    or not serving.lacks("schedule"):
                continue
            yield Hit(serving.spans["mode"], f"batch serving of `{model.name.name}` has no `schedule`",
                      "add `schedule hourly`, `schedule daily` or `schedule DURATION`")
