"""The system view: what the diagram shows, independent of how it is drawn.

``build_view`` turns a resolved spec and its findings into elements (sources,
inputs, the model, outputs, users, the training and evaluation loops, the
serving mode, the fallback path, the constraints panel, the ladder), edges
and groups. Both drawing backends (Graphviz DOT and the ``diagrams`` icons)
render this one view, so they cannot disagree about what a design contains.

Every element keeps the span of the statement it comes from; a finding is
attached to the innermost element whose statement contains the finding's
start. Ids are derived from kinds and declared names, never random.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dsspec.diagnostics import Diagnostic
from dsspec.emit import policy
from dsspec.lint import facts, reach
from dsspec.model import nodes as n
from dsspec.model.resolve import Resolved
from dsspec.span import Span


@dataclass
class Element:
    id: str
    kind: str          # source | input | model | output | user | training | evaluation | serving | fallback |
                       # monitoring | constraints | step | rollout
    title: str
    lines: list[str]
    span: Span
    subkind: str = ""  # a source's kind, a step's rung
    emphasis: bool = False
    findings: list[Diagnostic] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)  # (label, value) for panels


@dataclass
class Edge:
    tail: str
    head: str
    label: str = ""
    style: str = "solid"   # solid | dashed | dotted | invis


@dataclass
class Group:
    id: str
    label: str
    members: list[str]


@dataclass
class View:
    title: str
    path: str
    elements: dict[str, Element]
    edges: list[Edge]
    groups: list[Group]
    findings: list[Diagnostic]


def _fields(fields: list[n.Ref], limit: int = 4) -> str:
    names = [f.name for f in fields]
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f", +{len(names) - limit} more"


def _money(q: n.Quantity | None) -> str:
    return q.text if q is not None else "—"


def _monthly(value: float | None) -> str:
    if value is None:
        return "—"
    return f"${value / 1000:,.1f}k/month" if value >= 1000 else f"${value:,.0f}/month"


def _params(value: float | None) -> str:
    if value is None:
        return ""
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return f"{value / size:g}{unit} params"
    return f"{value:g} params"


def _estimate(serving: n.Serving) -> str:
    """Return the serving cost priced from the hardware catalogue, marked as an estimate, or ``""``."""
    from dsspec.lint.catalogue import catalogue

    dollars = facts.gpu_estimate(serving, catalogue("hardware"))
    return f"cost ~{_monthly(dollars)} (estimate)" if dollars is not None else ""


def build_view(spec: Resolved, findings: list[Diagnostic]) -> View:
    """Return the system view of ``spec`` with ``findings`` attached to their elements."""
    s = spec.spec
    els: dict[str, Element] = {}
    edges: list[Edge] = []
    groups: list[Group] = []
    metric = facts.success_metric(spec)

    def add(el: Element) -> Element:
        els[el.id] = el
        return el

    for src in s.sources:
        lines = [f"{src.kind.name if src.kind else 'source'}"]
        if src.freshness:
            lines.append(f"fresh within {src.freshness.text}")
        if src.volume:
            lines.append(f"{src.volume.text}")
        if src.label_delay:
            lines.append(f"labels after {src.label_delay.text}")
        if src.pii:
            lines.append(f"PII: {_fields(src.pii, 3)}")
        lines += policy.policy_lines(src)
        add(Element(f"source_{src.name.name}", "source", src.name.name, lines, src.span,
                    subkind=src.kind.name if src.kind else ""))
    for inp in s.inputs:
        lines = [_fields(inp.fields)] if inp.fields else []
        known = inp.known_at.name if inp.known_at else "request"
        lines.append(f"known at {known}" + (f", fresh within {inp.freshness.text}" if inp.freshness else ""))
        lines += policy.timing_lines(inp)
        add(Element(f"input_{inp.name.name}", "input", inp.name.name, lines, inp.span))
        for ref in inp.from_:
            if ref.name in spec.sources and f"source_{ref.name}" in els:
                edges.append(Edge(f"source_{ref.name}", f"input_{inp.name.name}"))
    for out in s.outputs:
        lines = [out.type.name if out.type else "output"]
        if out.calibrated:
            lines.append("calibrated" if out.calibrated.name == "yes" else "not calibrated")
        add(Element(f"output_{out.name.name}", "output", out.name.name, lines, out.span))
    if s.ecosystem:
        for user in s.ecosystem.users:
            add(Element(f"user_{user.name.name}", "user", user.name.name,
                        [user.description.value] if user.description else [], user.span))
    for out in s.outputs:
        if out.to and f"user_{out.to.name}" in els:
            edges.append(Edge(f"output_{out.name.name}", f"user_{out.to.name}"))

    for model in s.models:
        mid = f"model_{model.name.name}"
        chosen = facts.chosen_step(model)
        lines = [model.task.name.replace("_", " ") if model.task else "model"]
        if chosen is not None and chosen.family:
            lines.append(" · ".join(x for x in (chosen.family.name, _params(chosen.params.value if chosen.params
                                                                             else None)) if x))
        serving = spec.for_model(s.serving, model)
        if serving is not None and serving.mode:
            extra = [serving.mode.name]
            if serving.hardware:
                extra.append(serving.hardware.show())
            if serving.replicas:
                extra.append(f"×{serving.replicas.text}")
            lines.append("serving: " + " · ".join(extra))
        add(Element(mid, "model", model.name.name, lines, model.span))
        if serving is not None:
            add(Element(f"serving_{model.name.name}", "serving", "serving",
                        [x for x in (serving.mode.name if serving.mode else "",
                                     f"schedule {n.show_schedule(serving.schedule)}"
                                     if serving.schedule else "",
                                     f"hosted by {serving.provider.value}" if serving.provider else "",
                                     f"cost {_money(serving.cost)}" if serving.cost else
                                     _estimate(serving)) if x],
                        serving.span))
            edges.append(Edge(mid, f"serving_{model.name.name}", "served", "dotted"))
        for ref in model.reads:
            if f"input_{ref.name}" in els:
                edges.append(Edge(f"input_{ref.name}", mid))
            elif f"output_{ref.name}" in els:  # a pipeline: this model reads another model's output
                edges.append(Edge(f"output_{ref.name}", mid))
        if model.writes and f"output_{model.writes.name}" in els:
            edges.append(Edge(mid, f"output_{model.writes.name}"))

        own = model.success.metric.name if model.success else metric
        if model.ladder and model.ladder.steps:
            members = []
            previous = None
            for i, step in enumerate(model.ladder.steps):
                sid = f"step_{model.name.name}_{i}"
                name = step.family.name if step.family else (step.description.value if step.description else step.rung)
                value = step.results.get(own) if own else None
                lines = [f"{own} {value.text}" if value else (f"no {own} result" if own else "")]
                lines = [x for x in lines if x]
                if step.params:
                    lines.append(_params(step.params.value))
                title = f"{step.rung}: {name}" if step.rung != "manual" else "manual"
                if step.rung == "manual" and step.description:
                    lines.insert(0, step.description.value)
                add(Element(sid, "step", title, lines, step.span, subkind=step.rung, emphasis=step.chosen))
                members.append(sid)
                if previous:
                    edges.append(Edge(previous, sid))
                previous = sid
            groups.append(Group(f"ladder_{model.name.name}", f"ladder of {model.name.name}: start simple", members))
            chosen_ids = [m for m in members if els[m].emphasis]
            for cid in chosen_ids:
                edges.append(Edge(cid, mid, "chosen", "dotted"))

        training = spec.for_model(s.training, model)
        if training is not None:
            tid = f"training_{model.name.name}"
            lines = []
            if training.window:
                lines.append(training.window.show())
            if training.schedule:
                lines.append("every " + n.show_schedule(training.schedule))
            if training.hardware:
                lines.append(training.hardware.show())
            if training.cost:
                lines.append(f"cost {training.cost.text}")
            add(Element(tid, "training", "training", lines, training.span))
            for ref in training.from_:
                if f"source_{ref.name}" in els:
                    edges.append(Edge(f"source_{ref.name}", tid, style="dashed"))
            edges.append(Edge(tid, mid, "trains", "dashed"))
            groups.append(Group(f"loop_training_{model.name.name}", "training loop", [tid]))
        evaluation = spec.for_model(s.evaluation, model)
        if evaluation is not None:
            eid = f"evaluation_{model.name.name}"
            lines = []
            if evaluation.window:
                lines.append(evaluation.window.show())
            if evaluation.split:
                lines.append(f"split {evaluation.split.kind.name}" +
                             (f" by {evaluation.split.group.name}" if evaluation.split.group else ""))
            if evaluation.metrics:
                lines.append(_fields(evaluation.metrics, 5) +
                             (f" (primary {evaluation.primary.name})" if evaluation.primary else ""))
            if evaluation.review:
                lines.append(f"review {evaluation.review.cases.text} cases by {evaluation.review.by.name}")
            if evaluation.slices:
                lines.append(f"slices: {_fields(evaluation.slices, 4)}")
            add(Element(eid, "evaluation", "evaluation", lines, evaluation.span))
            if evaluation.review and f"user_{evaluation.review.by.name}" in els:
                edges.append(Edge(eid, f"user_{evaluation.review.by.name}", "manual review", "dotted"))
            edges.append(Edge(mid, eid, "scored by", "dashed"))
            groups.append(Group(f"loop_evaluation_{model.name.name}", "evaluation loop", [eid]))
        monitoring = spec.for_model(s.monitoring, model)
        if monitoring is not None:
            lines = []
            if monitoring.drift:
                lines.append(f"drift: {_fields(monitoring.drift, 3)}")
            for track in monitoring.tracks:
                lines.append(f"track {track.metric.name}" + (f" (delayed {track.delayed.text})" if track.delayed else ""))
            if monitoring.alert:
                lines.append(f"alerts {monitoring.alert.value}")
            add(Element(f"monitoring_{model.name.name}", "monitoring", "monitoring", lines, monitoring.span))
            edges.append(Edge(mid, f"monitoring_{model.name.name}", "watched by", "dotted"))
        plan = reach.rollout(spec, model)
        if plan is not None and (spec.model_of.get(id(plan)) is model or reach.reaches_user(spec, model)):
            rid = f"rollout_{spec.model_of[id(plan)].name.name}" if id(plan) in spec.model_of else "rollout"
            if rid not in els:
                add(policy.rollout_element(plan, reach.success(spec, spec.model_of.get(id(plan))), rid))
            edges.append(Edge(mid, rid, "rolled out by", "dotted"))

    op = s.operator
    if op is not None:
        if op.fallback is not None:
            lines = [op.fallback.kind.name.replace("_", " ")]
            if op.fallback.description:
                lines.append(op.fallback.description.value)
            if op.default:
                lines.append(f"default: {op.default.value}")
            add(Element("fallback", "fallback", "fallback", lines, op.fallback.span))
            for model in s.models:
                edges.append(Edge(f"model_{model.name.name}", "fallback", "on failure", "dashed"))
                if model.writes and f"output_{model.writes.name}" in els:
                    edges.append(Edge("fallback", f"output_{model.writes.name}", style="dashed"))
        rows: list[tuple[str, str]] = []
        if op.success:
            levels = [f"{k} {getattr(op.success, k).show()}" for k in ("optimal", "acceptable", "worst")
                      if getattr(op.success, k)]
            rows.append((f"success: {op.success.metric.name}", ", ".join(levels) or "no levels"))
        if op.latency:
            rows.append(("latency", f"{op.latency.percentile.name} {op.latency.target.show()}"))
        if op.timeout:
            rows.append(("timeout", op.timeout.text))
        if op.load:
            rows.append(("load", op.load.rate.text + (f", peak {op.load.peak.text}" if op.load.peak else "")))
        budget = facts.monthly(op.budget, spec) if op.budget else None
        if op.budget:
            rows.append(("budget", op.budget.text))
        total = 0.0
        for label, _, cost, _ in facts.monthly_costs(spec):
            total += cost
            share = f" ({cost / budget:.0%} of budget)" if budget else ""
            rows.append((f"{label} cost", _monthly(cost) + share))
        if total and budget:
            rows.append(("total cost", f"{_monthly(total)} of {_monthly(budget)}" +
                         (" — over budget" if total > budget else "")))
        add(Element("constraints", "constraints", "operating constraints", [], op.span, rows=rows))

    own = [d for d in findings if d.path == s.path]
    from dsspec.emit.locate import innermost

    for d, el in zip(own, innermost([(el.span, el) for el in els.values()], [d.span.offset for d in own])):
        if el is not None:
            el.findings.append(d)
    title = s.product.title.value if s.product and s.product.title else (s.product.name.name if s.product else s.path)
    return View(title, s.path, els, edges, groups, own)
