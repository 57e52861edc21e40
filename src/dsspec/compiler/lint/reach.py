"""What a model, a section or a rollout reaches: facts the leakage, label-policy and rollout rules share.

Kept apart from ``dsspec.compiler.lint.facts`` so these rules read one small module; each
function returns plain lists in declaration order, so findings stay deterministic.
"""

from __future__ import annotations

from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.resolve import Resolved


def sources_of(spec: Resolved, refs: list[n.Ref]) -> list[n.Source]:
    """Return the sources ``refs`` (names of sources or inputs) read, directly or through an input."""
    out: list[n.Source] = []
    for ref in refs:
        names = [r.name for r in spec.inputs[ref.name].from_] if ref.name in spec.inputs else [ref.name]
        for name in names:
            source = spec.sources.get(name)
            if source is not None and source not in out:
                out.append(source)
    return out


def model_sources(spec: Resolved, model: n.Model, seen: frozenset = frozenset()) -> list[n.Source]:
    """Return the sources the model's inputs read (what serving sees), and those of any model
    whose output it reads, transitively."""
    out = sources_of(spec, list(model.reads))
    writers = {ref.name: m for m in spec.models.values() for ref in m.writes}
    for ref in model.reads:
        upstream = writers.get(ref.name)
        if upstream is not None and upstream is not model and id(upstream) not in seen:
            out += [s for s in model_sources(spec, upstream, seen | {id(model)}) if s not in out]
    return out


def rollout(spec: Resolved, model: n.Model) -> n.Rollout | None:
    """Return the model's ``rollout`` section, or the product's (one that names no model), if any."""
    own = spec.for_model(spec.spec.rollout, model)
    if own is not None:
        return own
    return next((r for r in spec.spec.rollout if r.model is None and id(r) not in spec.model_of), None)


def reaches_user(spec: Resolved, model: n.Model) -> bool:
    """Return whether the model writes an output that goes to a user."""
    return user_reached(spec, model) is not None


def user_reached(spec: Resolved, model: n.Model) -> str | None:
    """Return the name of the first user an output of the model goes to, or ``None``."""
    for ref in model.writes:
        out = spec.outputs.get(ref.name)
        if out is not None and out.to is not None:
            return out.to.name
    return None


def success(spec: Resolved, model: n.Model | None) -> n.Success | None:
    """Return the success metric the model is judged on: its own when it declares one, else the operator's
    (the product's end-to-end metric, also what ``model=None`` gives)."""
    own = getattr(model, "success", None)
    if own is not None:
        return own
    if model is not None and stage_metric(spec, model) is not None:
        return None  # a stage or second model with a metric of its own: never judged on the product's
    op = spec.spec.operator
    return op.success if op else None


def is_adversarial(spec: Resolved, model: n.Model) -> n.Section | None:
    """Return the section that declares the model's domain adversarial (the model or the ecosystem), if any."""
    def declared(value) -> bool:
        return value is not None and not (isinstance(value, n.Ref) and value.name == "no")

    if declared(model.adversarial):
        return model
    if model.adversarial is not None:
        return None  # `adversarial no` on the model overrides the ecosystem
    eco = spec.spec.ecosystem
    return eco if eco is not None and declared(eco.adversarial) else None


def entity_keys(spec: Resolved, sources: list[n.Source], inputs: list[n.Input]) -> list[tuple[n.Section, n.Ref]]:
    """Return ``(declaring section, key)`` for every `entity` key of ``sources`` and ``inputs``, first mention only."""
    out: list[tuple[n.Section, n.Ref]] = []
    seen: set[str] = set()
    for section in (*sources, *inputs):
        for key in section.entity:
            if key.name not in seen:
                seen.add(key.name)
                out.append((section, key))
    return out


def where(spec: Resolved, node) -> str:
    """Return the path of the file that declared ``node``."""
    return spec.origin.get(id(node), spec.spec.path)


def reports(spec: Resolved, model: n.Model, metric: str) -> bool:
    """Return whether a ladder step of ``model`` or its evaluation reports ``metric``."""
    ev = spec.for_model(spec.spec.evaluation, model)
    return any(metric in s.results for s in (model.ladder.steps if model.ladder else ())) or \
        (ev is not None and metric in {m.name for m in ev.metrics})


def stage_metric(spec: Resolved, model: n.Model) -> str | None:
    """Return the metric a pipeline stage, or a second model, is measured on when it inherits a product
    success metric it never reports (a retriever's `recall_at_1000` under the product's `auc`; a routing
    model's `macro_f1` beside the fraud model that reports the product's `recall`), else ``None``.

    Such a stage needs a `success` of its own, not the product's metric forced onto its ladder: the
    metric suggested is the one every ladder result reports, else the evaluation's `primary`, else ``""``
    for a pipeline stage whose metric nothing names yet.
    """
    memo = spec.memo.setdefault("stage_metric", {})
    if id(model) not in memo:
        memo[id(model)] = _stage_metric(spec, model)
    return memo[id(model)]


def _stage_metric(spec: Resolved, model: n.Model) -> str | None:
    op = spec.spec.operator
    if model.success is not None or op is None or op.success is None:
        return None
    product = op.success.metric.name
    if "reporting" not in spec.memo:  # once per spec: who reads each output, which models report the metric
        readers: dict[str, set[int]] = {}
        for m in spec.models.values():
            for ref in m.reads:
                readers.setdefault(ref.name, set()).add(id(m))
        spec.memo["readers"] = readers
        spec.memo["reporting"] = {id(m) for m in spec.models.values() if reports(spec, m, product)}
    if id(model) in spec.memo["reporting"]:
        return None
    stage = not spec.reaches_user(model) and any(spec.memo["readers"].get(ref.name, set()) - {id(model)}
                                                 for ref in model.writes)
    # a second model beside the one measured on the product's metric is judged on its own metric too
    second = not stage and bool(spec.memo["reporting"])
    if not (stage or second):
        return None
    steps = [s for s in (model.ladder.steps if model.ladder else []) if s.results]
    ev = spec.for_model(spec.spec.evaluation, model)
    common = [name for name in (steps[0].results if steps else {}) if all(name in s.results for s in steps)]
    if common:
        return common[0]
    if ev is not None and ev.primary is not None:
        return ev.primary.name
    if ev is not None and len(ev.metrics) == 1:
        return ev.metrics[0].name
    return "" if stage else None  # a stage whose own metric nothing names yet: still never the product's
