"""The named views: each a function ``(spec, view, summarise)`` choosing element makers.

``system``   everything: sources, inputs, models with their ladders, loops, outputs, users, constraints
``overview`` context for a PM: the product, what it produces for whom, the KPIs and the success levels
``ladder``   the start-simple story: each step's result against the success levels, the chosen one marked
``data``     sources → inputs → models → outputs, with freshness, volume, PII, retention and label delay
``pipeline`` several models, numbered by stage in the order they run: what each reads and writes, which feeds
             which (models of one stage share a number)
``timeline`` dates on one axis per model: training, labels maturing, gap, test, rollout phases, retraining
``request_path`` one request through inputs and models (hosted calls too) to the output, each hop's latency
             and share of the target, the timeout and the fallback branch
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dsspec.compiler.emit import agency, parts, words
from dsspec.compiler.emit.parts import lines
from dsspec.compiler.emit.view import VIEWS, Element, Group, View, product_title
from dsspec.compiler.lint import facts, reach
from dsspec.compiler.model.resolve import Resolved

if TYPE_CHECKING:
    from dsspec.base.diagnostics import Diagnostic

SUMMARY_MODELS = 12
"""Past this many models a summarised view draws the models as one element too."""


def _group(v: View, gid: str, label: str, kind: str) -> None:
    """Group the elements of ``kind`` in one cluster, on one rank (a label source joins the other sources)."""
    members = [e.id for e in v.elements.values() if e.kind == kind]
    if members:
        v.groups.append(Group(gid, label, members))
        v.beside.append(members)


def system(r: Resolved, v: View, summarise: bool) -> None:
    if summarise:
        return summary(r, v)
    parts.sources(r, v)
    parts.inputs(r, v)
    parts.outputs(r, v)
    parts.users(r, v)
    _group(v, "sources", "data sources", "source")
    _group(v, "inputs", "inputs", "input")
    panel = parts.constraints(r, v)
    single = len(r.spec.models) == 1   # several ladders side by side make the page too wide: the ladder view has them
    if not single and any(m.ladder for m in r.spec.models):
        v.note = "each model shows its chosen step; the ladder view has the ladders"
    for m in r.spec.models:
        mid = parts.model(r, v, m)
        row = [x for x in (parts.ladder_panel(r, v, m) if single else None, mid, panel if single else None) if x]
        v.beside.append(row)
        agency.tools(r, v, m)
        parts.loops(r, v, m)
        parts.rollout(r, v, m)
    parts.fallback(r, v)
    parts.used_apart(r, v)
    agency.mark(r, v)
    if panel and not single:   # no model, or several: a row of its own (beside a model, a row too wide for a page)
        v.beside.append([panel])


def data(r: Resolved, v: View, summarise: bool) -> None:
    if summarise:
        return summary(r, v)
    parts.sources(r, v, data=True)
    parts.inputs(r, v, data=True)
    _group(v, "sources", "data sources", "source")
    _group(v, "inputs", "inputs", "input")
    parts.outputs(r, v, described=True)
    for m in r.spec.models:
        mid = parts.model(r, v, m)   # links its inputs, its output, and another model's output it reads
        src = facts.label_source(r, m)
        if src is not None:
            delay = f", after {src.label_delay.text}" if src.label_delay else ""
            v.link(f"source_{src.name.name}", mid, f"labels{delay}", "dashed")
        agency.tools(r, v, m)
    agency.mark(r, v)


def pipeline(r: Resolved, v: View, summarise: bool) -> None:
    if summarise:
        return summary(r, v)
    parts.inputs(r, v)
    parts.outputs(r, v)
    parts.users(r, v)
    stage = stages(r)
    for m in sorted(r.spec.models, key=lambda m: stage[id(m)]):   # drawn in the order they run
        parts.model(r, v, m)
    linked = {x for e in v.edges for x in (e.tail, e.head)}
    for el in [e for e in v.elements.values() if e.kind in ("input", "user") and e.id not in linked]:
        del v.elements[el.id]   # an input kept for fairness slices, a reviewer: not part of the pipeline
    together: dict[int, list[str]] = {}
    for m in r.spec.models:   # numbered by stage: models of one stage run side by side and share a number
        el = v.elements[f"model_{m.name.name}"]
        el.title = f"{stage[id(m)]}. {m.name.name}"
        together.setdefault(stage[id(m)], []).append(el.id)
    v.beside += [ids for ids in together.values() if len(ids) > 1]
    if any(len(ids) > 1 for ids in together.values()):
        v.note = "models numbered by stage, in the order they run; models of one stage share a number"


def stages(r: Resolved) -> dict[int, int]:
    """Return each model's stage (by ``id``): 1 for a model reading no other model's output, else one past the
    latest stage whose output it reads (a cycle, reported by the resolver, stops the count)."""
    writer = {ref.name: m for m in r.spec.models for ref in m.writes}
    out: dict[int, int] = {}

    def depth(m, seen: frozenset) -> int:
        if id(m) in out:
            return out[id(m)]
        ups = [writer[ref.name] for ref in m.reads if ref.name in writer and writer[ref.name] is not m
               and id(writer[ref.name]) not in seen]
        d = 1 + max((depth(u, seen | {id(m)}) for u in ups), default=0)
        out[id(m)] = d
        return d

    for m in r.spec.models:
        depth(m, frozenset())
    return out


def run_order(r: Resolved) -> list:
    """Return the models in the order they run: a model after every model whose output it reads, otherwise in
    declaration order."""
    writer = {ref.name: m for m in r.spec.models for ref in m.writes}
    after = {m.name.name: {writer[ref.name].name.name for ref in m.reads if ref.name in writer} - {m.name.name}
             for m in r.spec.models}
    order, done, placed = [], set(), set()   # names run; ids placed (a duplicate name is still drawn once each)
    while len(order) < len(r.spec.models):
        left = [m for m in r.spec.models if id(m) not in placed]
        ready = [m for m in left if after[m.name.name] <= done]
        nxt = ready[0] if ready else left[0]   # a cycle: reported by the resolver, drawn in declaration order
        order.append(nxt)
        placed.add(id(nxt))
        done.add(nxt.name.name)
    return order


def overview(r: Resolved, v: View, summarise: bool) -> None:
    s = r.spec
    p = s.product
    if p is not None:
        v.add(Element("product", "product", v.title, lines(
            f"improves {p.improves.value}" if p.improves else "", f"for {p.for_.value}" if p.for_ else "",
            f"within {p.within.value}" if p.within else "",
            f"status: {p.status.name}" if p.status else ""), p.span))
    beside = [x for x in ("product" if p else "", goals(r, v)) if x]
    if len(beside) > 1:
        v.beside.append(beside)
    levels = success(r, v)
    if summarise and len(s.outputs) > SUMMARY_MODELS:
        _count(v, "outputs", "output", s.outputs)
        v.link("product", "outputs", "produces")
        if s.ecosystem and s.ecosystem.users:   # no view loses the users
            _count(v, "users", "user", s.ecosystem.users)
            v.link("outputs", "users", "used by")
        return
    parts.outputs(r, v, described=True)
    read = {ref.name for m in s.models for ref in m.reads}
    shown = [o for o in s.outputs if o.to or o.name.name not in read] or s.outputs
    for out in s.outputs:
        if out not in shown:   # a stage's output another model reads: inside the product, not what it produces
            del v.elements[f"output_{out.name.name}"]
    parts.users(r, v)
    for out in shown:
        v.link("product", f"output_{out.name.name}", "produces")
    parts.stakeholders(r, v, "product")
    for el in [e for e in v.elements.values() if e.kind == "user"]:
        if not any(e.head == el.id for e in v.edges):   # the overview shows who receives what, no one else
            del v.elements[el.id]
    if levels and shown:
        v.beside.append([f"output_{shown[0].name.name}", levels])


def goals(r: Resolved, v: View) -> str | None:
    eco = r.spec.ecosystem
    if eco is None or not eco.goals:
        return None
    rows = []
    for g in eco.goals:
        target = words.quantity(g.amount) if g.amount else (words.comparison(g.guard) if g.guard else "")
        rows.append((g.kpi.name, "guardrail" if g.direction.name == "keep" else g.direction.name, target))
    v.add(Element("goals", "goals", "goals (KPIs)", [], eco.span, head=("KPI", "change", "target"), rows=rows))
    return "goals"


def success(r: Resolved, v: View, m=None) -> str | None:
    """Add the success levels ``m`` is judged on (its own ``success``), or the product's when ``m`` is None."""
    sc = m.success if m is not None else (r.spec.operator.success if r.spec.operator else None)
    if sc is None:
        return None
    rows = [(level, getattr(sc, level).show(), meaning) for level, meaning in
            (("optimal", "success"), ("acceptable", "worth shipping"), ("worst", "roll back"))
            if getattr(sc, level) is not None]
    title = f"success: {sc.metric.name}" + (f" at {sc.at.metric.name} {sc.at.bound.show()}" if sc.at else "")
    lid = f"levels_{m.name.name}" if m is not None else "levels"
    whose = m.name.name if m is not None else ("product" if any(x.success for x in r.spec.models) else "")
    v.add(Element(lid, "levels", title + (f" ({whose})" if whose else ""), [], sc.span,
                  head=("level", "threshold", "meaning"), rows=rows or [("", "no levels", "")]))
    return lid


def ladder(r: Resolved, v: View, summarise: bool) -> None:
    laddered = [m for m in r.spec.models if m.ladder and m.ladder.steps]
    if summarise and len(laddered) > SUMMARY_MODELS:   # one row per model: its first rung against its chosen one
        rows, marked = [], set()
        for m in laddered:
            metric = parts.ladder_metric(r, m)
            first, chosen = m.ladder.steps[0], facts.chosen_step(m) or m.ladder.steps[-1]
            a = first.results.get(metric) if metric else None
            b = chosen.results.get(metric) if metric else None
            judged_on = reach.success(r, m) is not None and reach.success(r, m).metric.name == metric
            rows.append((m.name.name, metric or "—", f"{first.rung} {a.text}" if a else first.rung,
                         f"{parts.step_name(chosen)} {b.text}" if b else parts.step_name(chosen),
                         parts.gain(r, m, metric, a, b) if a and b and chosen is not first else "",
                         parts.verdict(r, b.value, m) if b and judged_on else ""))
        v.add(Element("ladders", "ladder", f"ladders of {len(laddered)} models: first rung to chosen step", [],
                      laddered[0].ladder.span, head=("model", "metric", "first rung", "chosen", "gain",
                                                     "against levels"), rows=rows, marked=marked,
                      also=[m.ladder.span for m in laddered[1:]]))
        v.note = "summarised: one row per model; the documents have every step"
        return
    judged = [m for m in r.spec.models if m.ladder and m.ladder.steps and m.success is None]
    levels = success(r, v) if judged else None   # the product's levels, when a ladder is read against them
    # a levels table inside a ladder's box belongs to that ladder alone: a model's own levels, or the product's
    # when one ladder is read against them; shared by several ladders, the product's stand outside, beside the first
    alone = judged[0] if len(judged) == 1 else None
    for m in r.spec.models:
        if not m.ladder or not m.ladder.steps:
            continue
        sc = reach.success(r, m)   # a model with its own success metric is judged on it, with its own levels
        metric = parts.ladder_metric(r, m)   # a stage measured on a metric of its own is drawn on that
        judged_on = sc is not None and metric == sc.metric.name
        own = success(r, v, m) if m.success is not None else None
        previous, first = None, None
        for i, step in enumerate(m.ladder.steps):
            value = step.results.get(metric) if metric else None
            sid = f"step_{m.name.name}_{i}"
            v.add(Element(sid, "step", f"{step.rung}: {parts.step_name(step)}" if step.family else step.rung, lines(
                step.description.value if step.description and step.family is None else "",
                (f"{metric} {value.text}" + (f", {parts.verdict(r, value.value, m)}"
                                             if judged_on and parts.verdict(r, value.value, m) else ""))
                if value else (f"no {metric} result" if metric else ""),
                ", ".join(x for x in (words.params(step.params.value) if step.params else "",
                                      f"latency {step.latency.text}" if step.latency else "") if x),
                ("chosen: " + step.reason.value) if step.chosen and step.reason else ("chosen" if step.chosen else "")),
                step.span, subkind=step.rung, emphasis=step.chosen))
            if previous is not None:
                before = m.ladder.steps[i - 1].results.get(metric) if metric else None
                v.link(previous, sid, parts.gain(r, m, metric, before, value) if value and before else "")
            previous, first = sid, first or sid
        inside = own or (levels if m is alone else None)
        v.groups.append(Group(f"ladder_{m.name.name}", f"ladder of {m.name.name}", [
            *([inside] if inside else []), *(e for e in v.elements if e.startswith(f"step_{m.name.name}_"))]))
        if own:
            v.beside.append([own, first])
        elif levels:
            v.beside.append([levels, first])
            levels = None


def summary(r: Resolved, v: View) -> None:
    """The system view of a large design: sources, inputs, outputs and users counted by kind."""
    s = r.spec
    v.summarised = True
    v.note = (f"summarised: {len(s.sources)} sources, {len(s.inputs)} inputs, {len(s.models)} models, "
              f"{len(s.outputs)} outputs; the documents and the JSON model list every declaration")
    kinds: dict[str, list] = {}
    for src in s.sources:
        kinds.setdefault(src.kind.name if src.kind else "source", []).append(src)
    for kind, members in sorted(kinds.items()):
        _count(v, f"sources_{kind}", "source", members, kind)
    if s.inputs:
        _count(v, "inputs", "input", s.inputs)
        for kind in kinds:
            v.link(f"sources_{kind}", "inputs")
    if len(s.models) > SUMMARY_MODELS:
        _count(v, "models", "model", s.models)
        targets = ["models"]
    else:
        targets = [parts.model(r, v, m) for m in s.models]
    if s.outputs:
        _count(v, "outputs", "output", s.outputs)
    for t in targets:
        v.link("inputs", t)
        v.link(t, "outputs", "writes")
    eco = s.ecosystem
    if eco and eco.users:
        _count(v, "users", "user", eco.users)
        v.link("outputs", "users", "used by")
    panel = parts.constraints(r, v)
    if panel:
        v.beside.append([panel, targets[0]] if targets else [panel])
    parts.fallback(r, v)
    for m in s.models:
        if m.writes:
            v.link("fallback", "outputs", style="dashed")
            break


def _count(v: View, eid: str, kind: str, members: list, subkind: str = "") -> None:
    """Add one element standing for ``members`` (declarations with a name and a span), counted; their findings
    are its findings."""
    names = [m.name.name for m in members]
    word = {"source": f"{subkind} sources" if subkind else "sources"}.get(kind, kind + "s")
    v.add(Element(eid, kind, f"{len(names):,} {word}" if len(names) != 1 else names[0],
                  lines(words.names(names, 3)) if len(names) != 1 else [], members[0].span, subkind=subkind,
                  also=[m.span for m in members[1:]]))


def timeline(r: Resolved, v: View, summarise: bool) -> None:
    from dsspec.compiler.emit import timeline as tl

    tl.lanes(r, v, lambda rule, section: _flagged(v.findings, rule, section))
    v.note = "dates from the training and evaluation windows; rollout phases placed after the test"


def request_path(r: Resolved, v: View, summarise: bool) -> None:
    from dsspec.compiler.emit import reqpath

    reqpath.draw(r, v)


def _flagged(findings: list, rule: str, section) -> bool:
    """Return whether a finding of ``rule`` stands inside ``section`` (views and documents mark what the linter
    found, never a second opinion)."""
    if section is None:
        return False
    return any(d.rule == rule and section.span.offset <= d.span.offset < section.span.end_offset for d in findings)


MAKERS = {name: globals()[name] for name in VIEWS}
"""Each registered view's element maker (a view in ``emit.view.REGISTRY`` without one fails at import)."""


def build_view(spec: Resolved, findings: list[Diagnostic], name: str = "system", summarise: bool = False) -> View:
    """Return view ``name`` of ``spec`` with ``findings`` attached to their elements.

    ``summarise`` draws sources, inputs and outputs as one element per kind
    with counts (see ``parts.summary``): the layout of a large design costs
    seconds, its summary milliseconds.
    """
    own = [d for d in findings if d.path == spec.spec.path]
    view = View(name, product_title(spec), spec.spec.path, {}, [], [], own)
    MAKERS[name](spec, view, summarise)
    _attach(view)
    _mark_questions(spec, view)
    return view


def _mark_questions(spec: Resolved, view: View) -> None:
    """Add a "? N open questions" line to each drawn element with open review questions: a mark in the text
    every backend draws, not a colour alone (``dsspec questions`` lists them)."""
    from dsspec.compiler.emit.locate import innermost
    from dsspec.compiler.emit.questions import default_context
    from dsspec.compiler.lint.questions import open_questions

    opens = [o for o in open_questions(spec, default_context(), None) if o.level != "off"]
    if not opens or view.summarised:
        return
    spans = [(span, el) for el in view.elements.values() for span in (el.span, *el.also)]
    counts: dict[str, int] = {}
    for el in innermost(spans, [o.span.offset for o in opens]):
        if el is not None:
            counts[el.id] = counts.get(el.id, 0) + 1
    for eid, count in counts.items():
        el = view.elements[eid]
        mark = f"? {count} open question{'s' if count > 1 else ''}"
        if el.panel:  # a table: the mark goes in its title row
            el.title = f"{el.title} ({mark})"
        else:
            el.lines.append(mark)


def _attach(view: View) -> None:
    """Attach each finding to the smallest drawn element whose span holds it (a sweep, not a scan per finding)."""
    from dsspec.compiler.emit.locate import innermost

    spans = [(span, el) for el in view.elements.values() for span in (el.span, *el.also)]
    for d, el in zip(view.findings, innermost(spans, [d.span.offset for d in view.findings])):
        if el is not None:
            el.findings.append(d)
