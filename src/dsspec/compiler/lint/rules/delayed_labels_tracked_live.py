from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import label_source, success_of


class DelayedLabelsTrackedLive(Rule):
    """A metric is tracked live although its labels arrive late.

    Stage: operations

    ## What it does
    Flags a monitoring `track METRIC` without `delayed DURATION` when the
    model's label source has a `label_delay` over the `live-label-delay`
    threshold (1 hour by default) and the metric needs labels. The metric
    catalogue (and `metric NAME { labels no }` declarations) says which
    metrics need labels: `recall` does; `block_rate`, `approval_rate`,
    `latency` or an LLM-judge `groundedness` score do not and are never
    flagged. A metric the catalogue does not know counts as needing labels
    when it is the success metric or one of the evaluation's `metrics`.
    A `track METRIC delayed D` whose D is shorter than the label delay is
    flagged too: it waits, but not long enough. A metric the design
    declares itself (`metric early_default_rate { ... }`) may be read from
    other, earlier outcomes than the model's labels, so its own `delayed`
    is trusted; tracked live, it is asked for a delay of its own.

    ## Why it matters
    A metric computed before the labels arrive is computed on the few
    labels that came early, which are rarely typical: a live fraud recall
    over chargebacks that take 60 days looks fine until it is too late.
    Saying `delayed` makes the dashboard wait for complete labels and tells
    on-call how stale the number is.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source outcomes { kind labels; label_delay 30d }
    model m { task binary_classification; labels outcomes }
    evaluation { metrics [recall] }
    monitoring { track recall }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source outcomes { kind labels; label_delay 30d }
    model m { task binary_classification; labels outcomes }
    evaluation { metrics [recall] }
    monitoring { track recall delayed 30d }
    ```
    """

    code = "DS702"
    name = "delayed-labels-tracked-live"
    severity = Severity.WARNING
    stage = "operations"

    def check(self, spec, ctx):
        limit = ctx.thresholds["live_label_delay"]
        for model in spec.models.values():
            mon = spec.for_model(spec.spec.monitoring, model)
            source = label_source(spec, model)
            delay = source.label_delay if source else None
            if mon is None or delay is None or delay.value <= limit:
                continue
            related = (Related(spec.origin.get(id(source), spec.spec.path),
                               source.spans.get("label_delay", delay.span), "label delay"),)
            ev = spec.for_model(spec.spec.evaluation, model)
            # metrics the catalogue does not know need labels when they are the success metric or the
            # evaluation's: what the model is judged on is measured against outcomes
            labelled = {m.name for m in ev.metrics} if ev is not None else set()
            success = success_of(spec, model)
            if success is not None:
                labelled.add(success.metric.name)
            for track in mon.tracks:
                needs = ctx.needs_labels(track.metric.name)
                if not (needs or (needs is None and track.metric.name in labelled)):
                    continue
                # a metric the design declares itself may read other, earlier outcomes than the model's labels
                # (a 6-month early-warning default rate beside 12-month defaults): its own delay is the author's
                declared = track.metric.name in spec.metrics
                if declared and track.delayed is not None:
                    continue
                if declared:
                    yield Hit(track.span, f"`{track.metric.name}` is tracked live but needs labels, which arrive "
                              "late", f"write `track {track.metric.name} delayed D`, D the time its outcomes take "
                              f"to be known (the model's labels `{source.name.name}` take {delay.text}); if it "
                              f"needs none, declare it `metric {track.metric.name} {{ labels no }}`", related)
                    continue
                if track.delayed is not None and track.delayed.value < delay.value:
                    yield Hit(track.span,
                              f"`{track.metric.name}` is tracked `delayed {track.delayed.text}` but labels "
                              f"`{source.name.name}` arrive {delay.text} late: it is computed on the few "
                              "labels that came early",
                              f"write `track {track.metric.name} delayed {delay.text}`, and watch a signal that "
                              "needs no labels meanwhile (`drift [...]` on inputs or scores)", related)
                if track.delayed is None:
                    yield Hit(track.span,
                              f"`{track.metric.name}` is tracked live but labels `{source.name.name}` "
                              f"arrive {delay.text} late",
                              f"write `track {track.metric.name} delayed {delay.text}`, and watch a signal that "
                              "needs no labels meanwhile (`drift [...]` on inputs or scores)"
                              + ("" if needs else f"; only if `{track.metric.name}` is computed without outcomes, "
                                 f"declare it: `metric {track.metric.name} {{ labels no }}`"),
                              related)
