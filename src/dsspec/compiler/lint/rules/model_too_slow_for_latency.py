from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import hosted, model_latency, request_path


class ModelTooSlowForLatency(Rule):
    """The chosen model's typical latency exceeds the operator's latency target.

    Stage: system design

    ## What it does
    Estimates the chosen ladder step's latency per request from the family
    catalogue (`base + per_billion * params / 1e9` milliseconds, for the
    serving hardware: `gpu` when `serving` says so, else `cpu`) and flags
    the step when the estimate does not meet the operator's `latency`
    target. A `latency` measured on the step itself replaces the estimate.
    A model that takes several calls per request (`calls 8`: an agent's
    loop, a chain of prompts) waits for each: the per-call latency is
    multiplied by `calls` (OWASP LLM10 Unbounded Consumption; MAST FM-1.3
    step repetition is the loop that never ends).
    A hosted model (`serving { provider "..." }`) runs on its provider's
    hardware, so it is judged only on a measured `latency`, never estimated,
    and the advice is a smaller hosted tier, streaming or precomputing (its
    hardware is not yours to choose).
    In a pipeline, the stages served online on the path to the user answer
    one request together: when each fits the target alone but their sum
    does not, the last stage is flagged with the sum.

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
    references = ("owasp-llm:LLM10",)

    def check(self, spec, ctx):
        op = spec.spec.operator
        if op is None or op.latency is None:
            return
        target = op.latency.target
        related = (Related(spec.spec.path, op.spans["latency"], "latency target"),)
        shown = f"`{op.latency.percentile.name} {target.show()}`"
        timed = {}
        for model in spec.spec.models:
            found = model_latency(spec, ctx, model)
            if found is None:
                continue
            step, seconds, how = timed[model.name.name] = found
            if not target.holds(seconds):
                label = step.family.name if step.family else step.rung
                written = f" ({step.params.text} params)" if step.params else ""
                advice = ("take fewer calls per request (merge steps, run tool calls in parallel), "
                          "choose a faster tier, or relax the latency target" if model.calls is not None and
                          model.calls.value > 1 else
                          "choose a smaller or faster hosted tier, stream the answer, precompute it, or relax "
                          "the latency target" if hosted(spec, model) else
                          "choose a smaller or faster family, serve it on GPU, or relax the latency target")
                yield Hit(step.header, f"`{label}`{written} {how}, over the latency target {shown}",
                          advice + ("; if the estimate is wrong, measure it: `latency DURATION` on the step"
                             if step.latency is None else ""), related)
        # a pipeline answers one request through every online stage: their latencies add up
        for model in spec.spec.models:
            if not spec.reaches_user(model) or model.name.name not in timed:
                continue
            path = request_path(spec, model)
            if len(path) < 2 or any(m.name.name not in timed for m in path) or \
                    any(not target.holds(timed[m.name.name][1]) for m in path):
                continue  # a stage without a figure cannot be added; one too slow alone is reported above
            total = sum(timed[m.name.name][1] for m in path)
            if target.holds(total):
                continue
            chain = " -> ".join(f"`{m.name.name}`" for m in path)
            parts = " + ".join(f"{timed[m.name.name][1] * 1000:,.0f}ms" for m in path)
            yield Hit(timed[model.name.name][0].header,
                      f"the pipeline {chain} takes about {total * 1000:,.0f}ms ({parts}), over the latency "
                      f"target {shown}",
                      "precompute an upstream stage (`mode batch` with `known_at precomputed` inputs), choose "
                      "faster families, or relax the latency target", related)

