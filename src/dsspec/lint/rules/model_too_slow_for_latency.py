from __future__ import annotations

from dsspec.diagnostics import Related, Severity
from dsspec.lint.base import Hit, Rule
from dsspec.lint.facts import chosen_with_size, hosted, serving_hardware


class ModelTooSlowForLatency(Rule):
    """The chosen model's typical latency exceeds the operator's latency target.

    Stage: system design

    ## What it does
    Estimates the chosen ladder step's latency per request from the family
    catalogue (`base + per_billion * params / 1e9` milliseconds, for the
    serving hardware: `gpu` when `serving` says so, else `cpu`) and flags
    the step when the estimate does not meet the operator's `latency`
    target. A `latency` measured on the step itself replaces the estimate.
    A hosted model (`serving { provider "..." }`) runs on its provider's
    hardware, so it is judged only on a measured `latency`, never estimated.

    ## Why it matters
    Latency is set by the product, not by the model: a model that answers
    in two seconds behind a 300 ms target times out on every request, and
    the fallback serves all the traffic. The mismatch is cheap to see in the
    design and expensive to find in a load test.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { latency p95 <= 300ms }
    model m {
      task text_classification
      ladder { step llm { params 70B; chosen } }
    }
    serving { mode online; hardware 4 gpu }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator { latency p95 <= 300ms }
    model m {
      task text_classification
      ladder { step distilbert { params 66M; chosen } }
    }
    serving { mode online; hardware cpu }
    ```
    """

    code = "DS303"
    name = "model-too-slow-for-latency"
    severity = Severity.ERROR
    stage = "system design"

    def check(self, spec, ctx):
        op = spec.spec.operator
        if op is None or op.latency is None:
            return
        target = op.latency.target
        for model in spec.spec.models:
            chosen = chosen_with_size(model, ctx)
            if chosen is None:
                continue
            step, family, size = chosen
            hardware = serving_hardware(spec, model)
            kind = hardware.kind if hardware else "cpu"
            if step.latency is None and hosted(spec, model):
                continue  # the provider's hardware: only a measured latency says anything
            if step.latency is not None:
                seconds, how = step.latency.value, f"measures {step.latency.text}"
            elif family and kind in family.get("latency_ms", {}) and size is not None:
                base, per_billion = family["latency_ms"][kind]
                ms = base + per_billion * size / 1e9
                seconds, how = ms / 1000, f"takes about {ms:,.0f}ms on {kind}" if ms >= 10 else \
                    f"takes about {ms:.1f}ms on {kind}"
            else:
                continue
            if not target.holds(seconds):
                label = step.family.name if step.family else step.rung
                written = f" ({step.params.text} params)" if step.params else ""
                yield Hit(step.header,
                          f"`{label}`{written} {how}, over the latency target "
                          f"`{op.latency.percentile.name} {target.show()}`",
                          "choose a smaller or faster family, serve it on GPU, or relax the latency target"
                          + ("; if the estimate is wrong, measure it: `latency DURATION` on the step"
                             if step.latency is None else ""),
                          (Related(spec.spec.path, op.spans["latency"], "latency target"),))
