"""The request-path view: one request through inputs, models and hosted calls to the output.

Each model hop carries its latency as ``model-too-slow-for-latency`` reads
it (``facts.model_latency``: measured on the chosen step, else estimated
from the family catalogue on the serving hardware) and the share of the
latency target it spends; the hops on the request path add up
(``facts.request_path``, the rule's roll-up) against the target in a budget
panel, with the timeout and the fallback branch drawn. A model served in
batch is drawn off the path: the request reads what it precomputed.
"""

from __future__ import annotations

from dsspec.compiler.emit import parts, words
from dsspec.compiler.emit.parts import lines
from dsspec.compiler.emit.view import Element, View
from dsspec.compiler.lint import facts, reach
from dsspec.compiler.model.resolve import Resolved


PATHS = 3
"""Past this many outputs answering requests, the view draws the slowest request's path only."""
INPUTS = 6
"""Past this many inputs of one model, they are drawn as one box."""


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.0f}ms" if ms >= 10 else f"{ms:.1f}ms"


def share(seconds: float, target: float | None) -> str:
    """Return the share of the target a hop spends: ``23%``, ``<1%``, or ``""`` without a target."""
    if not target:
        return ""
    part = seconds / target
    return "<1%" if 0 < part < 0.005 else f"{part:.0%}"


def draw(r: Resolved, v: View) -> None:
    from dsspec.compiler.lint.config import Config
    from dsspec.compiler.lint.engine import context

    s = r.spec
    op = s.operator
    ctx = context(Config()).with_spec(r)
    target = facts.latency_target(r)
    final = [m for m in s.models if reach.reaches_user(r, m)] or s.models[-1:]
    if len(final) > PATHS:   # one request answers one output: draw the slowest path, say how many there are
        def slowest(m):
            return sum(x[1] for x in (facts.model_latency(r, ctx, y) for y in facts.request_path(r, m)) if x)
        chosen = max(final, key=slowest)
        end = chosen.writes[0].name if chosen.writes else chosen.name.name
        v.note = f"the slowest of {len(final)} request paths: the one to {end}"
        final = [chosen]
    on_path: list = []
    for m in final:
        for x in facts.request_path(r, m):
            if x not in on_path:
                on_path.append(x)
    users = {o.name.name: o.to.name for o in s.outputs if o.to}
    v.add(Element("request", "request", "one request", lines(
        f"{op.latency.percentile.name} target {words.comparison(op.latency.target)}" if op and op.latency else
        "no latency target stated", f"timeout {op.timeout.text}" if op and op.timeout else "",
        f"load {op.load.rate.text}" if op and op.load else ""), op.span if op else s.models[0].span))
    rows, total, unknown = [], 0.0, []
    relevant = {id(y) for m in final for y in r.path_to_user(m)}
    for m in s.models:
        if id(m) not in relevant:
            continue
        mid = f"model_{m.name.name}"
        found = facts.model_latency(r, ctx, m)
        hosted = facts.hosted(r, m)
        sv = r.for_model(s.serving, m)
        where = (f"hosted call: {sv.provider.value}" if hosted and sv and sv.provider else
                 "hosted call" if hosted else "")
        if m not in on_path:
            if any(m in facts.request_path(r, x) or m in r.path_to_user(x) for x in final):
                v.add(Element(mid, "model", m.name.name, lines(
                    f"{sv.mode.name if sv and sv.mode else 'batch'}: precomputed, off the request path"), m.span))
            continue
        if found is None:
            latency = "latency not stated: measure it" if hosted else "latency unknown"
            unknown.append(m.name.name)
        else:
            _, seconds, how = found
            total += seconds
            measured = how.startswith("measures")
            latency = (f"{_ms(seconds)} measured" if measured else f"~{_ms(seconds)} estimated") + (
                f", {share(seconds, target)} of target" if target else "")
            rows.append((m.name.name, ("" if measured else "~") + _ms(seconds), share(seconds, target) or "—",
                         "measured" if measured else how.replace("takes about ", "estimate: ")))
        chosen = facts.chosen_step(m)
        v.add(Element(mid, "model", m.name.name, lines(
            where or (chosen.family.name if chosen and chosen.family else (m.task.name.replace("_", " ")
                                                                          if m.task else "model")),
            latency), m.span))
    # what the request reads: inputs of the models on the path
    for m in on_path:
        mid = f"model_{m.name.name}"
        fed = [r.inputs[ref.name] for ref in m.reads if ref.name in r.inputs]
        if len(fed) > INPUTS:   # many inputs: one box naming them
            iid = f"inputs_{m.name.name}"
            v.add(Element(iid, "input", f"{len(fed)} inputs", lines(words.names([i.name.name for i in fed], 4)),
                          fed[0].span, also=[i.span for i in fed[1:]]))
            v.link("request", iid)
            v.link(iid, mid)
            fed = []
        for inp in fed:
            if inp is not None:
                iid = f"input_{inp.name.name}"
                if iid not in v.elements:
                    v.add(Element(iid, "input", inp.name.name, lines(
                        words.known_at(inp.known_at.name if inp.known_at else None)
                        + (f", fresh within {inp.freshness.text}" if inp.freshness else "")), inp.span))
                v.link("request", iid)
                v.link(iid, mid)
        if not any(e.head == mid for e in v.edges):
            v.link("request", mid)
    for m in s.models:
        mid = f"model_{m.name.name}"
        if mid in v.elements and m not in on_path:
            for x in on_path:
                if any(ref.name in {w.name for w in m.writes} for ref in x.reads):
                    v.link(mid, f"model_{x.name.name}", "precomputed", "dotted")
    read = {ref.name for x in on_path for ref in x.reads}
    for m in on_path:
        written = {w.name for w in m.writes}
        for x in on_path:   # a stage whose output the next stage reads: the request goes on to it
            if any(ref.name in written for ref in x.reads):
                v.link(f"model_{m.name.name}", f"model_{x.name.name}", "then")
        for out in m.writes:   # each output that answers the request (a model may write several)
            if out.name in read and m not in final:
                continue
            o = next((o for o in s.outputs if o.name.name == out.name), None)
            if o is None:
                continue
            oid = f"output_{out.name}"
            v.add(Element(oid, "output", o.name.name, lines(o.type.name if o.type else "output"), o.span))
            v.link(f"model_{m.name.name}", oid, "answers")
            eco = s.ecosystem
            u = next((u for u in (eco.users if eco else []) if u.name.name == users.get(out.name)), None)
            if u is not None:
                v.add(Element(f"user_{u.name.name}", "user", u.name.name, [], u.span))
                v.link(oid, f"user_{u.name.name}", "gets the answer")
    if op is not None and op.fallback is not None:
        parts.fallback(r, v)
        v.edges = [e for e in v.edges if not (e.head == "fallback" and e.tail.startswith("model_")
                                              and r.models.get(e.tail[6:]) not in on_path)]
        when = f"over {op.timeout.text} or failing" if op.timeout else "on failure"
        v.edges = [type(e)(e.tail, e.head, when if e.head == "fallback" else e.label, e.style, e.constraint)
                   for e in v.edges]
    budget_rows = [("hop", "latency", "share", "how known"), *rows]
    for name in unknown:
        budget_rows.append((name, "?", "—", "not stated"))
    if rows:
        over = target is not None and total > target
        budget_rows.append(("total", ("~" if any(x[1].startswith("~") for x in rows) else "") + _ms(total),
                            share(total, target) or "—",
                            ("over the target" if over else "within the target") if target else "no target"))
    if op and op.latency:
        budget_rows.append(("target", f"{op.latency.percentile.name} {words.comparison(op.latency.target)}",
                            "100%", ""))
    if op and op.timeout:
        budget_rows.append(("timeout", op.timeout.text, share(op.timeout.value, target) or "—",
                            "then the fallback" if op.fallback else "no fallback stated"))
    panel = Element("budget", "constraints", "latency budget of one request", [], op.span if op else
                    s.models[0].span, head=budget_rows[0], rows=budget_rows[1:] or [("", "no latency stated", "",
                                                                                     "")])
    if rows and target is not None and total > target:
        panel.marked = {len(rows) + len(unknown)}   # the total row
    v.add(panel)
    v.beside.append(["request", "budget"])
