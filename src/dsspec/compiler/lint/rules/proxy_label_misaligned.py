from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.facts import in_use
from dsspec.compiler.lint.base import Hit, Rule


def measured(spec) -> set[str]:
    """Return the names measured on live traffic: experiment primaries, guardrails and tracked metrics."""
    out: set[str] = set()
    for rollout in spec.spec.rollout:
        out.update(g.name for g in rollout.guardrails)
        exp = rollout.experiment
        if exp is not None:
            out.update(g.name for g in exp.guardrails)
            if exp.primary is not None:
                out.add(exp.primary.name)
    for mon in spec.spec.monitoring:
        out.update(t.metric.name for t in mon.tracks)
    return out


class ProxyLabelMisaligned(Rule):
    """The label is a proxy for the goal, and the goal itself is never measured.

    Stage: metrics

    ## What it does
    Flags a source with `proxy_for KPI` when `KPI` is neither an online
    experiment's `primary` or `guardrails` (or a rollout's `guardrails`)
    nor a monitored `track`. A `correction` does not excuse it: weights for
    position or selection make the proxy less biased, not equal to the
    goal, so the goal must still be measured.

    ## Why it matters
    Clicks stand in for watch time because they arrive at once, but the two
    part ways: a model that maximises clicks learns click-bait, and the
    offline gain turns into a loss on the goal. A proxy is fine for
    training only when the goal itself decides the launch and is watched
    afterwards.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source clicks { kind labels; label_delay 1h; proxy_for watch_time }
    model m { task ranking; labels clicks }
    rollout { experiment user { primary ctr } }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source clicks { kind labels; label_delay 1h; proxy_for watch_time }
    model m { task ranking; labels clicks }
    rollout { experiment user { primary watch_time } }
    ```
    """

    code = "DS550"
    name = "proxy-label-misaligned"
    severity = Severity.WARNING
    stage = "metrics"

    def check(self, spec, ctx):
        live = None
        for source in spec.sources.values():
            if source.proxy_for is None:
                continue
            place = in_use(spec, "source", source)
            if place is None:
                continue
            live = measured(spec) if live is None else live
            goal = source.proxy_for.name
            if goal in live:
                continue
            yield Hit(place.at(source.spans["proxy_for"]),
                      place.named(f"labels `{source.name.name}`") + f" stand in for `{goal}`, but nothing measures `{goal}`",
                      f"make `{goal}` the experiment's `primary` (in `rollout`) and `track {goal}` in "
                      "monitoring, so the launch is judged on the goal, not the proxy", place.related)
