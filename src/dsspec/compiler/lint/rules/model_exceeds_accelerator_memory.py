from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import chosen_with_size

BYTES = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}


class ModelExceedsAcceleratorMemory(Rule):
    """The chosen model's weights do not fit the memory of the GPUs it is served on.

    Stage: system design

    ## What it does
    Estimates the memory the chosen step needs to serve, parameters x bytes
    per parameter x overhead (`quantisation` sets the bytes: 4 for fp32, 2
    for fp16/bf16, 1 for int8/fp8, 0.5 for int4; else the hardware
    catalogue's `bytes_per_param`, 2; the overhead for activations and the
    KV cache is `memory_overhead`, 1.2), and compares it with the memory of
    the serving `accelerator` (the hardware catalogue's `accelerators`
    table: `l4` 24 GB, `a100_80gb` 80 GB, ...) times the number of GPUs
    (`hardware 4 gpu`). With `hardware gpu` and no `accelerator`, each GPU
    is taken to hold the catalogue's `gpu_memory_gb` (80 GB, the largest
    common card), so only a model too large for any single card is flagged.
    Hosted models (`provider`) are not ours to fit.

    ## Why it matters
    A 70B-parameter model needs about 168 GB at fp16 and still about 42 GB at
    int4: it does not fit one 24 GB GPU at any common precision. A design
    that says so has no serving plan, and its cost and latency figures are
    for hardware it cannot run on.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task generation; ladder { step llm { params 70B; chosen } } }
    serving { mode online; hardware gpu; accelerator rtx_4090 }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task generation; ladder { step llm { params 8B; chosen } } }
    serving { mode online; hardware gpu; accelerator rtx_4090; quantisation int8 }
    ```
    """

    code = "DS364"
    name = "model-exceeds-accelerator-memory"
    severity = Severity.ERROR
    stage = "system design"

    def check(self, spec, ctx):
        gpus = ctx.hardware.get("accelerators", {})
        for serving in spec.spec.serving:
            model = spec.model_of.get(id(serving))
            if model is None or serving.provider is not None:
                continue
            on_gpu = serving.hardware is not None and serving.hardware.kind == "gpu"
            if serving.accelerator is None and not on_gpu:
                continue
            # no accelerator named: the catalogue's data-centre GPU (80 GB), the most a single card holds
            memory_gb = gpus.get(serving.accelerator.name) if serving.accelerator else ctx.hardware["gpu_memory_gb"]
            sized = chosen_with_size(model, ctx)
            if memory_gb is None or sized is None or sized[2] is None:
                continue
            step, _, size = sized
            per = BYTES.get(serving.quantisation.name) if serving.quantisation else None
            per = per or ctx.hardware["bytes_per_param"]
            need = size * per * ctx.hardware["memory_overhead"] / 1e9
            count = serving.hardware.count if on_gpu else 1
            have = memory_gb * count
            if need > have:
                shown = f"{count} x " if count > 1 else ""
                gpu = f"`{serving.accelerator.name}`" if serving.accelerator else \
                    f"{'' if count > 1 else 'one '}GPU{'s' if count > 1 else ''} of {memory_gb:g} GB (the largest " \
                    "common card; name yours with `accelerator`)"
                yield Hit(serving.spans["accelerator" if serving.accelerator else "hardware"],
                          f"`{model.name.name}` needs about {need:,.0f} GB to serve ({size / 1e9:,.3g}B parameters "
                          f"x {per:g} bytes x {ctx.hardware['memory_overhead']:g}), more than {shown}{gpu} "
                          f"holds ({have:,.0f} GB)",
                          "serve on more or larger GPUs, quantise (`quantisation int4`), or choose a smaller step",
                          (Related(spec.spec.path, step.header, "chosen step"),))
