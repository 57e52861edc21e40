"""The model-family catalogue as an editor shows it: a family's size, latency and serving cost."""

from __future__ import annotations


def family(name: str) -> dict | None:
    """Return the catalogue's entry of a model family, or ``None`` for one it does not know."""
    from dsspec.compiler.lint.catalogue import catalogue

    return catalogue("families").get(name)


def latency_ms(entry: dict, kind: str, params: float | None = None) -> float | None:
    """Return the catalogue's typical latency of a family on ``cpu`` or ``gpu``, in ms (as the latency rule estimates it)."""
    figures = entry.get("latency_ms", {}).get(kind)
    size = params if params is not None else entry.get("params")
    if figures is None or size is None:
        return None
    base, per_billion = figures
    return base + per_billion * float(size) / 1e9


def ms_text(ms: float) -> str:
    return f"{ms / 1000:,.3g} s" if ms >= 1000 else f"{ms:,.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


def _count(x: float) -> str:
    for unit, size in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if x >= size:
            return f"{x / size:,.3g}{unit}"
    return f"{x:,.0f}"


def family_facts(name: str) -> str | None:
    """Return a family's size, latency and serving cost from the catalogue, in Markdown, or ``None``."""
    import math

    from dsspec.compiler.lint.catalogue import catalogue

    entry = family(name)
    if entry is None:
        return None
    params = float(entry.get("params", 0))
    lines = [f"**model family** `{name}` (tier {entry.get('tier', '?')} of the catalogue)"]
    if params:
        lines.append(f"- size: about {_count(params)} parameters (typical)")
    cpu, gpu = latency_ms(entry, "cpu"), latency_ms(entry, "gpu")
    if cpu is not None and gpu is not None:
        lines.append(f"- latency: about {ms_text(cpu)} per request on CPU, {ms_text(gpu)} on GPU")
    hw = catalogue("hardware")
    if params:
        memory = params * hw["bytes_per_param"] * hw["memory_overhead"] / 1e9
        gpus = max(1, math.ceil(memory / hw["gpu_memory_gb"]))
        monthly = gpus * hw["gpu_hour_price"] * hw["hours_per_month"]
        if memory >= 1:
            lines.append(f"- cost: needs about {memory:,.0f} GB of GPU memory: {gpus} GPU{'s' if gpus > 1 else ''}, "
                         f"about ${monthly:,.0f}/month served all month at ${hw['gpu_hour_price']:g}/GPU-hour")
        else:
            lines.append(f"- cost: fits in {memory * 1000:,.0f} MB: CPU serving is enough (one GPU all month "
                         f"would be about ${monthly:,.0f}/month)")
    lines.append("\nFigures are the catalogue's round orders of magnitude (`dsspec/compiler/lint/data/families.toml`); "
                 "measure the step (`latency`, `params`) to replace them.")
    return "\n".join(lines)
