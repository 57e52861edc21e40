"""The facts of a design a reviewer compares: one value per (section, attribute), with how to judge a change.

A fact's ``judge`` says what a change means:

* ``cmp``: a bound written as a comparison (``p99 <= 80ms``, ``>= 0.70``): a
  smaller upper bound or a larger lower bound is *tightened*, the reverse *relaxed*;
* ``rollback``: the ``worst`` level, where the product rolls back: moving it
  towards the acceptable level (rolling back sooner) is tightened;
* ``cap``: a limit given as an amount (budget, timeout, freshness): smaller is tightened;
* ``floor``: an amount that should be large (review cases): larger is tightened;
* ``guarded``: a set of protected items (PII fields): more is tightened;
* ``set``: a set of names, reported as items added and removed;
* ``plain``: any other value, reported as changed;
* ``claim``: an answer to a review question, a value or ``none "why"``: an
  answer that becomes ``none`` is a new claim ("now claims no selection bias").

Every declaration also has a ``presence`` fact, so a section added or removed
is one change, not one per attribute.
"""

from __future__ import annotations

from dataclasses import dataclass

from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.values import Comparison, Quantity, Ref, Text


@dataclass(frozen=True)
class Fact:
    """One comparable value: what it shows as, its number or items, and how a change is judged."""

    judge: str
    shown: str
    value: float | None = None
    op: str | None = None
    items: frozenset[str] = frozenset()


def _text(x) -> str | None:
    if x is None:
        return None
    if isinstance(x, Ref):
        return x.name
    if isinstance(x, Text):
        return x.value
    if isinstance(x, (Quantity, Comparison)):
        return x.show()
    if hasattr(x, "show"):
        return x.show()
    return str(x)


class _Facts:
    def __init__(self):
        self.out: dict[tuple[str, str], Fact] = {}

    def plain(self, where: str, what: str, x) -> None:
        shown = _text(x)
        if shown is not None:
            self.out[(where, what)] = Fact("plain", shown)

    def bound(self, where: str, what: str, c: Comparison | None, judge: str = "cmp", prefix: str = "") -> None:
        if c is not None:
            self.out[(where, what)] = Fact(judge, (prefix + " " if prefix else "") + c.show(), c.operand.value, c.op)

    def amount(self, where: str, what: str, q: Quantity | None, judge: str) -> None:
        if q is not None:
            value = q.per_month if q.per_month is not None else q.value
            self.out[(where, what)] = Fact(judge, q.text, value)

    def names(self, where: str, what: str, refs, judge: str = "set") -> None:
        items = frozenset(_text(r) for r in refs)
        if items:
            self.out[(where, what)] = Fact(judge, ", ".join(sorted(items)), items=items)

    def flag(self, where: str, what: str, x, safe: str) -> None:
        """A yes/no (or two-word) fact whose ``safe`` value is the careful one: moving to it is tightened,
        away from it relaxed (``confirm yes``, ``trust untrusted``, ``trains_on_data no``)."""
        shown = _text(x)
        if shown is not None:
            self.out[(where, what)] = Fact("floor", shown, 1.0 if shown == safe else 0.0)

    def answers(self, where: str, node, names: tuple[str, ...]) -> None:
        """Add the review-question answers of ``node``: each written value, or ``none "why"`` (a claim)."""
        nones = getattr(node, "nones", {}) or {}
        for name in names:
            if name in nones:
                self.out[(where, name)] = Fact("claim", f'none "{nones[name].value}"', value=0.0)
                continue
            x = getattr(node, {"error_cost": "error_costs"}.get(name, name), None)
            if isinstance(x, list):
                items = frozenset(_text(getattr(r, "cause", None) or getattr(r, "error", None) or r) for r in x)
                if items:
                    self.out[(where, name)] = Fact("claim", ", ".join(sorted(items)), value=1.0, items=items)
            elif x is not None:
                shown = _text(getattr(x, "cause", None) or getattr(x, "data", None) or getattr(x, "method", None) or x)
                self.out[(where, name)] = Fact("claim", shown, value=1.0)

    def presence(self, where: str) -> None:
        self.out[(where, "")] = Fact("presence", where)


def facts(spec: n.Spec) -> dict[tuple[str, str], Fact]:
    """Return the facts of ``spec`` keyed by ``(section, attribute)``, e.g. ``("operator", "latency")``."""
    f = _Facts()
    if spec.product:
        p = spec.product
        f.plain("product", "name", p.name)
        f.plain("product", "owner", p.owner)
        f.plain("product", "status", p.status)
    if spec.ecosystem:
        for goal in spec.ecosystem.goals:
            where = f"{'guardrail' if goal.guard else 'goal'} {goal.kpi.name}"
            f.presence(where)
            f.plain(where, "direction", " ".join(x for x in (goal.direction.name, _text(goal.amount)) if x))
            f.bound(where, "bound", goal.guard)
    if spec.operator:
        _operator(f, spec.operator)
    for s in spec.sources:
        where = f"source {s.name.name}"
        f.presence(where)
        f.plain(where, "kind", s.kind)
        f.amount(where, "freshness", s.freshness, "cap")
        f.amount(where, "label delay", s.label_delay, "plain")
        f.amount(where, "retention", s.retention, "plain")
        f.names(where, "pii", s.pii, "guarded")
        f.flag(where, "trust", s.trust, "untrusted")
        f.plain(where, "provenance", s.provenance)
        f.answers(where, s, ("selected_by", "logged_by", "censored_by", "proxy_for", "after_outcome", "protected",
                             "proxies"))
    for i in spec.inputs:
        where = f"input {i.name.name}"
        f.presence(where)
        f.names(where, "from", i.from_)
        f.names(where, "fields", i.fields)
        f.plain(where, "known at", i.known_at)
        f.amount(where, "freshness", i.freshness, "cap")
        f.flag(where, "trust", i.trust, "untrusted")
        f.answers(where, i, ("after_outcome",))
    for o in spec.outputs:
        where = f"output {o.name.name}"
        f.presence(where)
        for what in ("type", "to", "through", "calibrated", "use", "check"):
            f.plain(where, what, getattr(o, what))
    for t in spec.tools:   # what an agent may do: a confirmation dropped is relaxed
        where = f"tool {t.name.name}"
        f.presence(where)
        f.plain(where, "effect", t.effect)
        f.plain(where, "scope", t.scope)
        f.flag(where, "confirm", t.confirm, "yes")
        f.plain(where, "sandbox", t.sandbox)
        f.flag(where, "trust", t.trust, "untrusted")
    for m in spec.models:
        _model(f, m)
    for section, items in (("training", spec.training), ("evaluation", spec.evaluation),
                           ("serving", spec.serving), ("monitoring", spec.monitoring)):
        for item in items:
            where = f"{section} of {item.model.name}" if item.model else section
            f.presence(where)
            _operations(f, where, item)
            f.answers(where, item, ("test_size", "uncertainty", "tuned_on", "duplicates", "population",
                                    "accelerator", "quantisation"))
    for a in spec.audiences:
        f.presence(f"audience {a.name.name}")
        f.names(f"audience {a.name.name}", "gets", a.gets)
    return f.out


def _operator(f: _Facts, op: n.Operator) -> None:
    f.presence("operator")
    f.answers("operator", op, ("error_cost", "review_capacity", "review_share"))
    if op.latency:
        f.bound("operator", "latency", op.latency.target, prefix=op.latency.percentile.name)
    f.amount("operator", "budget", op.budget, "cap")
    f.amount("operator", "timeout", op.timeout, "cap")
    if op.load:
        f.plain("operator", "load", op.load.rate.text + (f" peak {op.load.peak.text}" if op.load.peak else ""))
    if op.fallback:
        f.plain("operator", "fallback", op.fallback.kind)
    f.plain("operator", "default", op.default)
    for cost in op.error_costs:
        f.plain("operator", f"cost of {cost.error.name}", cost.cost)
    s = op.success
    if s:
        f.plain("operator", "success metric", s.metric)
        if s.at:
            f.bound("operator", "operating point", s.at.bound, prefix=s.at.metric.name)
        # the metric leads each level: levels of another metric are not comparable (``changed``)
        f.bound("operator", "optimal level", s.optimal, prefix=s.metric.name)
        f.bound("operator", "acceptable level", s.acceptable, prefix=s.metric.name)
        f.bound("operator", "worst level", s.worst, "rollback", prefix=s.metric.name)


def _model(f: _Facts, m: n.Model) -> None:
    f.answers(f"model {m.name.name}", m, ("cold_start",))
    where = f"model {m.name.name}"
    f.presence(where)
    for what in ("task", "labels"):
        f.plain(where, what, getattr(m, what))
    f.names(where, "reads", m.reads)
    f.names(where, "writes", m.writes)
    f.amount(where, "rows", m.rows, "plain")
    f.names(where, "tools", m.tools)
    f.amount(where, "step cap", m.max_steps, "cap")
    f.plain(where, "stop", m.stop)
    for what in ("calls", "tokens_in", "tokens_out"):
        f.amount(where, what.replace("_", " "), getattr(m, what), "plain")
    f.names(where, "guards", [g.side.name + (f": {g.description.value}" if g.description else "") for g in m.guards])
    f.names(where, "prompt secrets", m.prompt_secrets)
    steps = m.ladder.steps if m.ladder else []
    if steps:
        f.plain(where, "ladder", " → ".join(_step_name(s) for s in steps))
        chosen = [s for s in steps if s.chosen]
        if len(chosen) == 1:
            step = chosen[0]
            f.plain(where, "chosen step", _step_name(step) + (f" ({step.params.text} params)" if step.params else ""))
        for i, step in enumerate(steps, 1):  # by position: a family swapped shows once, in `ladder`
            for metric, q in step.results.items():
                f.plain(where, f"step {i} {metric}", q)


def _step_name(step: n.Step) -> str:
    return step.family.name if step.family else step.rung


def _operations(f: _Facts, where: str, item) -> None:
    if isinstance(item, n.Training):
        f.plain(where, "window", item.window)
        f.plain(where, "schedule", n.show_schedule(item.schedule) if item.schedule else None)
        f.plain(where, "hardware", item.hardware)
        f.plain(where, "cost", item.cost)
    elif isinstance(item, n.Evaluation):
        f.plain(where, "window", item.window)
        f.plain(where, "split", item.split.kind if item.split else None)
        f.names(where, "metrics", item.metrics)
        f.plain(where, "primary metric", item.primary)
        if item.review:
            f.amount(where, "review cases", item.review.cases, "floor")
        f.names(where, "slices", item.slices)
        f.names(where, "suites", [s.kind.name for s in item.suites])
    elif isinstance(item, n.Serving):
        f.plain(where, "mode", item.mode)
        f.plain(where, "schedule", n.show_schedule(item.schedule) if item.schedule else None)
        f.plain(where, "hardware", item.hardware)
        f.plain(where, "replicas", item.replicas)
        f.plain(where, "cost", item.cost)
        f.plain(where, "provider", item.provider)
        f.plain(where, "version", item.version)
        f.amount(where, "vendor retention", item.retention, "cap")
        f.flag(where, "trains on data", item.trains_on_data, "no")
        f.plain(where, "region", item.region)
    else:
        f.names(where, "drift", item.drift)
        f.names(where, "tracks", [t.metric.name + (f" delayed {t.delayed.text}" if t.delayed else " live")
                                  for t in item.tracks])
        f.plain(where, "alert", item.alert)
