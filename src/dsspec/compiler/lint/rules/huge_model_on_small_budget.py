from __future__ import annotations

import math

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import chosen_with_size, hosted, monthly, serving_hardware, statements_template


class HugeModelOnSmallBudget(Rule):
    """The chosen model is too big for the operator's budget.

    Stage: system design

    ## What it does
    Flags the chosen ladder step when its parameter count (as written, else
    the family's typical size) is at least `huge-model` (default 10B) and
    the monthly budget at most `small-budget` (default $5k/month), or when
    the estimated cost of serving it on GPUs exceeds the budget. The
    estimate, for neural families (tier 3 and up) served online or
    nearline, not on `cpu`, and whose serving states no `cost`, holds the
    weights in GPU memory (`params * bytes_per_param * memory_overhead`),
    rounds up to whole GPUs of `gpu_memory_gb`, and prices them around the
    clock at `gpu_hour_price` (all from the hardware catalogue); when the
    serving names at least that many GPUs, their price is already in the
    budget roll-up of `cost-over-budget`, which judges it. Batch and
    edge serving, and a stated serving cost, are left to
    `cost-over-budget`. A hosted model (`serving { provider "..." }`) is
    judged by what it costs, not by its size: its price per request times the
    operator's `load` is weighed against the budget by `cost-over-budget`.

    ## Why it matters
    A huge model needs several data-centre GPUs running all month just to
    stay loaded, whatever the traffic. On a small budget that cost cannot be
    paid, and the design falls apart at the first invoice.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator { budget $1.5k/month }
    model m {
      task text_classification
      ladder { step llm { params 70B; chosen } }
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator { budget $1.5k/month }
    model m {
      task text_classification
      ladder { step distilbert { params 66M; chosen } }
    }
    serving { mode online; hardware cpu }
    ```
    """

    code = "DS302"
    name = "huge-model-on-small-budget"
    severity = Severity.ERROR
    stage = "system design"

    def check(self, spec, ctx):
        op = spec.spec.operator
        budget = monthly(op.budget, spec) if op else None
        if budget is None:
            return
        hw = ctx.hardware
        for model in spec.spec.models:
            if hosted(spec, model):
                continue  # priced per request by its provider: cost-over-budget judges what it costs
            chosen = chosen_with_size(model, ctx)
            if chosen is None or chosen[2] is None:
                continue
            step, family, size = chosen
            label = step.family.name if step.family else step.rung
            written = f" ({step.params.text} params)" if step.params else ""
            related = (Related(spec.spec.path, op.spans["budget"], "budget"),)
            hardware = serving_hardware(spec, model)
            serving = spec.for_model(spec.spec.serving, model)
            fix = ("choose a smaller family (a fine-tuned encoder, a small LLM), use a hosted model priced per "
                   "request (" + statements_template(spec, "serving", model, serving,
                                                     'provider "..."; cost $X/request') + "), or raise the budget")
            mode = serving.mode.name if serving is not None and serving.mode is not None else "online"
            # the estimate prices GPUs held all month: it applies to online serving on GPUs whose cost
            # the design does not state (a stated cost is cost-over-budget's to judge)
            estimate = (family and family.get("tier", 0) >= 3 and mode in ("online", "nearline")
                        and not (hardware and hardware.kind == "cpu")
                        and (serving is None or serving.cost is None))
            if estimate:
                memory = size * hw["bytes_per_param"] * hw["memory_overhead"]
                gpus = math.ceil(memory / (hw["gpu_memory_gb"] * 1e9))
                cost = gpus * hw["gpu_hour_price"] * hw["hours_per_month"]
                priced = hardware is not None and hardware.kind == "gpu" and hardware.count >= gpus
                if cost > budget and not priced:  # GPUs enough for it are priced by cost-over-budget
                    if size < ctx.thresholds["huge_model"]:  # small enough that CPUs or a shared GPU may do
                        fix = ("state where it runs and what that costs (" +
                               statements_template(spec, "serving", model, serving, "hardware cpu; cost $X/month") +
                               " if CPUs are fast enough), choose a smaller family, or raise the budget")
                    yield Hit(step.header,
                              f"`{label}`{written} needs {gpus} GPU{'s' if gpus > 1 else ''} to serve, "
                              f"about ${cost:,.0f}/month, over the budget `{op.budget.text}`", fix, related)
                    continue
            if size >= ctx.thresholds["huge_model"] and budget <= ctx.thresholds["small_budget"]:
                yield Hit(step.header, f"`{label}`{written} is a huge model for the budget `{op.budget.text}`",
                          fix, related)
