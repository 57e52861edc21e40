"""Element makers: one function per concept of the language, shared by every view.

A view (``views``) is a choice of these. Each maker adds its elements to a
``View`` and links them to what is already drawn (``View.link`` drops an
edge whose other end is not in the view), so views can combine makers in
any order. A new concept of the language gets a maker here and a line in the
views that should show it. Text is wrapped here (``WIDTH``), so every
drawing wraps it the same way.
"""

from __future__ import annotations

from dsspec.compiler.emit import agency, policy, words
from dsspec.compiler.emit.view import Element, View
from dsspec.compiler.lint import facts, reach
from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.resolve import Resolved

WIDTH = 30
COST_ROWS = 8
"""Past this many costs the constraints panel sums them by kind (training, serving) instead of one row each."""


def lines(*texts: str, width: int = WIDTH) -> list[str]:
    """Return the non-empty ``texts``, each wrapped to ``width`` characters."""
    return [line for t in texts if t for line in words.wrap(t, width)]


def sources(r: Resolved, v: View, data: bool = False) -> None:
    """Add the sources: kind, freshness, volume, label delay, PII and protected fields, the label policy;
    in the data view also retention, entity keys and fields known only after the outcome."""
    for src in r.spec.sources:
        kind = src.kind.name if src.kind else "source"
        kind = "label source" if kind == "labels" else kind
        limit = 12 if data else 3
        v.add(Element(f"source_{src.name.name}", "source", src.name.name, lines(
            kind + (f", fresh within {src.freshness.text}" if src.freshness else ""),
            f"{src.volume.text}" if src.volume else "",
            f"labels after {src.label_delay.text}" if src.label_delay else "",
            f"PII: {words.names(src.pii, limit)}" if src.pii else "",
            f"protected: {words.names(src.protected, limit)}" if src.protected else "",
            *policy.policy_lines(src), *(policy.timing_lines(src) if data else ()),
            f"kept {src.retention.text}" if data and src.retention else ""), src.span, subkind=src.kind.name if src.kind else ""))


def inputs(r: Resolved, v: View, data: bool = False) -> None:
    for inp in r.spec.inputs:
        iid = f"input_{inp.name.name}"
        fresh = f", fresh within {inp.freshness.text}" if inp.freshness else ""
        v.add(Element(iid, "input", inp.name.name, lines(
            words.names(inp.fields, 12 if data else 4), words.known_at(inp.known_at.name if inp.known_at else None)
            + fresh, *(policy.timing_lines(inp) if data else ())), inp.span))
        for ref in inp.from_:
            v.link(f"source_{ref.name}", iid)


def outputs(r: Resolved, v: View, described: bool = False) -> None:
    for out in r.spec.outputs:
        kind = out.type.name if out.type else "output"
        calibrated = {"yes": "calibrated", "no": "not calibrated"}.get(out.calibrated.name) if out.calibrated else ""
        v.add(Element(f"output_{out.name.name}", "output", out.name.name, lines(
            ", ".join(x for x in (kind, calibrated) if x),
            out.description.value if described and out.description else ""), out.span))


def users(r: Resolved, v: View) -> None:
    eco = r.spec.ecosystem
    for user in eco.users if eco else []:
        v.add(Element(f"user_{user.name.name}", "user", user.name.name,
                      lines(user.description.value if user.description else ""), user.span))
    for out in r.spec.outputs:
        if out.to and out.through:  # checked by a person first: the user receives what they confirmed
            v.link(f"output_{out.name.name}", f"user_{out.through.name}", "reviewed by")
            v.link(f"user_{out.through.name}", f"user_{out.to.name}", f"confirmed {out.name.name}")
        elif out.to:
            v.link(f"output_{out.name.name}", f"user_{out.to.name}", "used by")


def stakeholders(r: Resolved, v: View, origin: str) -> None:
    """Add the stakeholders (they receive documents or sign off, and consume no output), each linked from
    ``origin`` by what its audience gets."""
    eco = r.spec.ecosystem
    gets = {a.name.name: [g.name.replace("_", " ") for g in a.gets] for a in r.spec.audiences}
    for user in eco.stakeholders if eco else []:
        name = user.name.name
        v.add(Element(f"user_{name}", "user", name, lines(
            user.description.value if user.description else "", "stakeholder: no output"), user.span,
            subkind="stakeholder"))
        v.link(origin, f"user_{name}", f"documents: {words.names(gets[name], 2)}" if gets.get(name)
               else "informs", "dotted")


def model(r: Resolved, v: View, m: n.Model) -> str:
    mid = f"model_{m.name.name}"
    chosen = facts.chosen_step(m)
    family = ""
    if chosen is not None and chosen.family:
        family = " · ".join(x for x in (chosen.family.name, words.params(chosen.params.value if chosen.params
                                                                          else None)) if x)
    own = f"judged on {m.success.metric.name}" if m.success else ""   # the product's metric is the default
    v.add(Element(mid, "model", m.name.name, lines(m.task.name.replace("_", " ") if m.task else "model", family,
                                                   own, *agency.agent_lines(r, m)), m.span))
    for ref in m.reads:
        v.link(f"input_{ref.name}", mid)
        v.link(f"output_{ref.name}", mid, "feeds")   # a model reading another model's output
    for ref in m.writes:
        v.link(mid, f"output_{ref.name}", "writes")
    return mid


def verdict(r: Resolved, value: float, m: n.Model | None = None) -> str:
    """Return where ``value`` of the success metric stands against the levels ``m`` is judged on (its own
    success, else the operator's)."""
    sc = reach.success(r, m)
    if sc is None:
        return ""
    for level, word in (("optimal", "optimal"), ("acceptable", "acceptable")):
        c = getattr(sc, level)
        if c is not None and c.holds(value):
            return word
    if sc.worst is not None and sc.worst.holds(value):
        return "at or past worst"
    return "below acceptable" if sc.acceptable is not None else ""


def ladder_metric(r: Resolved, m: n.Model) -> str | None:
    """Return the metric ``m``'s ladder is drawn on: the success metric it is judged on when its steps report
    it, else the one every step with results reports (a retriever's `recall_at_5` under a product metric it
    never measures), else the first reported."""
    sc = reach.success(r, m)
    judged = sc.metric.name if sc else None
    steps = [s for s in (m.ladder.steps if m.ladder else []) if s.results]
    if judged is None or not steps or any(judged in s.results for s in steps):
        return judged if judged is not None or not steps else next(iter(steps[0].results))
    common = [k for k in steps[0].results if all(k in s.results for s in steps)]
    return (common or list(steps[0].results))[0]


def higher_is_better(r: Resolved, m: n.Model, metric: str) -> bool | None:
    """Return whether larger values of ``metric`` are better: by the levels ``m`` is judged on when they
    concern it, else by the metric catalogue; ``None`` when neither says."""
    sc = reach.success(r, m)
    if sc is not None and sc.metric.name == metric:
        for c in (sc.optimal, sc.acceptable):
            if c is not None and c.op in (">", ">=", "<", "<="):
                return c.op in (">", ">=")
        if sc.worst is not None and sc.worst.op in (">", ">=", "<", "<="):
            return sc.worst.op in ("<", "<=")
    from dsspec.compiler.lint.config import Config
    from dsspec.compiler.lint.engine import context

    return context(Config()).higher_is_better(metric)


def gain(r: Resolved, m: n.Model, metric: str, before: n.Quantity, after: n.Quantity) -> str:
    """Return the change between two rungs in the metric's unit: ``+14 pts better`` for percentages (points),
    ``-0.05 better`` for a lower-is-better score, ``+0.07`` when the direction is unknown."""
    delta = after.value - before.value
    if delta == 0:
        return "no change"
    if after.kind == "percent" or after.text.endswith("%"):
        text = f"{delta * 100:+.3g} pts"
    else:
        text = f"{delta:+.3g}"
    up = higher_is_better(r, m, metric)
    if up is None:
        return text
    return text + (" better" if (delta > 0) == up else " worse")


def step_name(step: n.Step) -> str:
    if step.family:
        return step.family.name
    return step.description.value if step.description else step.rung


def ladder_panel(r: Resolved, v: View, m: n.Model) -> str | None:
    """Add the ladder of ``m`` as one table (rung, model, success metric, verdict); the chosen row marked."""
    if not m.ladder or not m.ladder.steps:
        return None
    sc = reach.success(r, m)
    metric = ladder_metric(r, m)
    judged = sc is not None and sc.metric.name == metric
    rows, marked = [], set()
    for i, step in enumerate(m.ladder.steps):
        value = step.results.get(metric) if metric else None
        name = words.wrap(step_name(step), 26)[0] + ("…" if len(step_name(step)) > 26 else "")
        rows.append((step.rung + (" (chosen)" if step.chosen else ""), name, value.text if value else "—",
                     verdict(r, value.value, m) if value and judged else ""))
        if step.chosen:
            marked.add(i)
    lid = f"ladder_{m.name.name}"
    v.add(Element(lid, "ladder", f"ladder of {m.name.name}: start simple", [], m.ladder.span,
                  head=("rung", "model", metric or "result", "against levels"), rows=rows, marked=marked))
    return lid


def loops(r: Resolved, v: View, m: n.Model) -> None:
    """Add the serving, training, evaluation and monitoring of ``m``."""
    s, mid, name = r.spec, f"model_{m.name.name}", m.name.name
    of = f" of {name}" if len(s.models) > 1 else ""
    sv = r.for_model(s.serving, m)
    if sv is not None:
        hw = " · ".join(x for x in (sv.hardware.show() if sv.hardware else "",
                                    f"×{sv.replicas.text}" if sv.replicas else "") if x)
        v.add(Element(f"serving_{name}", "serving", "serving" + of, lines(
            " · ".join(x for x in (sv.mode.name if sv.mode else "", hw) if x), words.schedule(sv.schedule),
            f"hosted by {sv.provider.value}" if sv.provider else "", serving_cost(r, sv),
            *agency.vendor_lines(sv)), sv.span))
        v.link(mid, f"serving_{name}", "served", "dotted")
    tr = r.for_model(s.training, m)
    if tr is not None:
        v.add(Element(f"training_{name}", "training", "training" + of, lines(
            tr.window.show() if tr.window else "", words.schedule(tr.schedule),
            tr.hardware.show() if tr.hardware else ""), tr.span))
        for ref in tr.from_:   # not ranking the training: it stands just above its model, not by the sources
            v.link(f"source_{ref.name}", f"training_{name}", style="dashed", constraint=False)
            v.link(f"input_{ref.name}", f"training_{name}", style="dashed", constraint=False)
        v.link(f"training_{name}", mid, "trains", "dashed")
    ev = r.for_model(s.evaluation, m)
    if ev is not None:
        split = (f"split by {ev.split.kind.name}" + (f" ({ev.split.group.name})" if ev.split.group else "")
                 if ev.split else "")
        metrics = (words.names(ev.metrics, 4) + (f"; primary {ev.primary.name}" if ev.primary else "")
                   if ev.metrics else "")
        v.add(Element(f"evaluation_{name}", "evaluation", "evaluation" + of, lines(
            ev.window.show() if ev.window else "", split, metrics,
            f"review {ev.review.cases.text} cases by {ev.review.by.name}" if ev.review else "",
            f"slices: {words.names(ev.slices, 4)}" if ev.slices else ""), ev.span))
        v.link(mid, f"evaluation_{name}", "scored by", "dashed")
        if ev.review:
            v.link(f"evaluation_{name}", f"user_{ev.review.by.name}", "review", "dotted")
    mon = r.for_model(s.monitoring, m)
    if mon is not None:
        v.add(Element(f"monitoring_{name}", "monitoring", "monitoring" + of, lines(
            f"drift: {words.names(mon.drift, 3)}" if mon.drift else "",
            *(f"track {t.metric.name}" + (f" (known after {t.delayed.text})" if t.delayed else "")
              for t in mon.tracks),
            f"alerts: {mon.alert.value}" if mon.alert else ""), mon.span))
        v.link(mid, f"monitoring_{name}", "watched by", "dotted")


def used_apart(r: Resolved, v: View) -> None:
    """Link each source or input drawn feeding nothing to the evaluation or monitoring that uses it: a grader's
    labels only an evaluation reads (`from`), an input kept for fairness `slices` or watched for `drift`.
    Drawn as a dead end, it would look unused; drawn for every section, the edges would cross the page."""
    feeding = {e.tail for e in v.edges}
    alone = {e.id for e in v.elements.values() if e.kind in ("source", "input") and e.id not in feeding}
    for attr, names, word in (("evaluation", lambda s: s.from_, "tested on"), ("evaluation", lambda s: s.slices, "slices"),
                              ("monitoring", lambda s: s.drift, "drift")):
        for section in getattr(r.spec, attr):
            model = r.model_of.get(id(section))
            if model is None:
                continue
            target = f"{attr}_{model.name.name}"
            for ref in names(section):
                holders = [h for h, _ in r.fields.get(ref.name, ())] if word != "tested on" else \
                    [h for h in (r.sources.get(ref.name), r.inputs.get(ref.name)) if h is not None]
                for h in holders:
                    eid = f"{'source' if isinstance(h, n.Source) else 'input'}_{h.name.name}"
                    if eid in alone:
                        v.link(eid, target, word, "dotted")


def estimated(cost: facts.Cost) -> bool:
    """Return whether a monthly cost is priced from the hardware catalogue rather than stated."""
    return cost.label.endswith("(estimate)")


def serving_cost(r: Resolved, sv: n.Serving) -> str:
    """Return a serving section's monthly cost as stated, or priced from the hardware catalogue and marked
    ``(estimate)``; ``""`` when it has neither."""
    cost = next((c for c in facts.monthly_costs(r) if c.section is sv), None)
    if cost is None:
        return words.money(sv.cost) if sv.cost else ""
    return f"~{words.monthly(cost.monthly)} (estimate)" if estimated(cost) else words.monthly(cost.monthly)


def rollout(r: Resolved, v: View, m: n.Model) -> None:
    """Add the rollout ``m`` ships by (its own, or the product's when ``m``'s output reaches a user): shadow,
    canary, experiment, guardrails and rollback triggers."""
    plan = reach.rollout(r, m)
    if plan is None or not (r.model_of.get(id(plan)) is m or reach.reaches_user(r, m)):
        return
    owner = r.model_of.get(id(plan))
    rid = f"rollout_{owner.name.name}" if owner is not None else "rollout"
    if rid not in v.elements:
        of = f" of {owner.name.name}" if owner is not None and len(r.spec.models) > 1 else ""
        v.add(Element(rid, "rollout", "rollout" + of, lines(*policy.rollout_lines(plan, reach.success(r, owner))),
                      plan.span))
    v.link(f"model_{m.name.name}", rid, "rolled out by", "dotted")


def fallback(r: Resolved, v: View) -> None:
    op = r.spec.operator
    if op is None or op.fallback is None:
        return
    v.add(Element("fallback", "fallback", "fallback", lines(
        op.fallback.kind.name.replace("_", " ") + (f": {op.fallback.description.value}"
                                                   if op.fallback.description else ""),
        f"default: {op.default.value}" if op.default else ""), op.fallback.span))
    final = [m for m in r.spec.models if reach.reaches_user(r, m)] or r.spec.models
    for m in r.spec.models:
        v.link(f"model_{m.name.name}", "fallback", "on failure", "dashed")
        for ref in m.writes if m in final else ():   # in a pipeline the fallback answers for what reaches a user
            v.link("fallback", f"output_{ref.name}", style="dashed")


def constraints(r: Resolved, v: View) -> str | None:
    """Add the operating constraints as one table, each cost weighed against the budget."""
    op = r.spec.operator
    if op is None:
        return None
    rows: list[tuple[str, str]] = []
    if op.success:
        sc = op.success
        rows.append(("success metric", sc.metric.name + (f" at {sc.at.metric.name} {sc.at.bound.show()}"
                                                         if sc.at else "")))
        rows += [(f"{k} level", getattr(sc, k).show()) for k in ("optimal", "acceptable", "worst") if getattr(sc, k)]
    if op.latency:
        rows.append(("latency", f"{op.latency.percentile.name} {words.comparison(op.latency.target)}"))
    if op.timeout:
        rows.append(("timeout", op.timeout.text))
    if op.load:
        rows.append(("load", op.load.rate.text + (f", peak {op.load.peak.text}" if op.load.peak else "")))
    budget = facts.monthly(op.budget, r) if op.budget else None
    if op.budget:
        rows.append(("budget", words.money(op.budget)))
    total = 0.0
    costs = facts.monthly_costs(r)
    if len(costs) > COST_ROWS:   # many models: one row per kind of cost, summed
        kinds: dict[str, list] = {}
        for c in costs:
            kinds.setdefault(c.label.replace(" (estimate)", ""), []).append(c)
        for what, group in kinds.items():
            amount = sum(c.monthly for c in group)
            guess = any(estimated(c) for c in group)
            rows.append((f"{what} cost ({len(group)} sections)" if len(group) > 1 else f"{what} cost",
                         ("~" if guess else "") + words.monthly(amount) +
                         (f", {words.share(amount, budget)} of budget" if budget else "")))
    for c in costs if len(costs) <= COST_ROWS else ():
        owner = r.model_of.get(id(c.section))
        who = f" ({owner.name.name})" if owner is not None and len(r.spec.models) > 1 else ""
        what = c.label.replace(" (estimate)", "")
        rows.append((f"{what}{who} cost", ("~" if estimated(c) else "") + words.monthly(c.monthly) +
                     (" (estimate)" if estimated(c) else "") +
                     (f", {words.share(c.monthly, budget)} of budget" if budget else "")))
    total = sum(c.monthly for c in costs)
    if costs and budget:
        rows.append(("total cost", ("~" if any(estimated(c) for c in costs) else "") +
                     f"{words.monthly(total)}, {words.share(total, budget)} of budget" +
                     (" (over)" if total > budget else "")))
    if not rows:
        return None
    v.add(Element("constraints", "constraints", "operating constraints", [], op.span, head=("", ""), rows=rows))
    return "constraints"
