from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule


class TimeoutNotBelowLatency(Rule):
    """The operator's `timeout` is not below its latency target.

    Stage: operator

    ## What it does
    Compares the operator's `timeout` with the value of its `latency`
    target and flags a timeout at or above it.

    ## Why it matters
    The timeout is when the caller gives up on the model and turns to the
    fallback. If it is not shorter than the latency target, a slow model
    uses up the whole budget before the fallback even starts, and the target
    is missed on exactly the requests that needed the fallback.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      latency p99 <= 80ms
      timeout 100ms
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      latency p99 <= 80ms
      timeout 60ms
    }
    ```
    """

    code = "DS204"
    name = "timeout-not-below-latency"
    severity = Severity.WARNING
    stage = "operator"

    def check(self, spec, ctx):
        op = spec.spec.operator
        if op is None or op.timeout is None or op.latency is None:
            return
        target = op.latency.target
        if op.timeout.value >= target.operand.value:
            yield Hit(op.spans["timeout"],
                      f"`timeout {op.timeout.text}` is not below the latency target "
                      f"`{op.latency.percentile.name} {target.show()}`",
                      "set the timeout under the latency target, leaving time for the fallback to answer",
                      (Related(spec.spec.path, op.spans["latency"], "latency target"),))
