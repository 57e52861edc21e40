"""What an LLM application may do, drawn: its tools with their effects, the trust boundary, the agent loop.

Element makers in the manner of ``parts``: ``tools`` adds the tools a model may call, each with its
effect and who confirms it; ``agent_lines`` and ``vendor_lines`` are the lines a model and its
serving gain; ``mark`` draws the trust boundary over whatever the view holds — untrusted sources,
inputs and tools get ``risk="untrusted"`` and a line that says so, and every edge on a path from
untrusted text to a tool that acts with no person confirming is drawn ``bold`` and labelled, so the
path reads in words and line weight, never by colour alone. ``plain`` gives the same facts as
sentences for the documents.
"""

from __future__ import annotations

from dsspec.compiler.emit import words
from dsspec.compiler.emit.view import Element, View
from dsspec.compiler.lint import llm
from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.resolve import Resolved
from dsspec.compiler.model.schema import SIDE_EFFECTS

UNTRUSTED = "UNTRUSTED: text from outside"
PATH_LABEL = "untrusted → acts alone"
EFFECT_WORDS = {"read": "reads", "write": "writes", "create": "creates", "update": "updates", "delete": "deletes",
                "send": "sends", "share": "shares", "publish": "publishes", "pay": "pays", "purchase": "buys",
                "transfer": "transfers money", "execute": "executes", "deploy": "deploys"}


def who_confirms(tool: n.Tool) -> str:
    """Return who decides each use of ``tool``, in words."""
    if tool.effect is None or tool.effect.name not in SIDE_EFFECTS:
        return "no side effect"
    if llm.confirmed(tool):
        return "a person confirms each use"
    if tool.sandbox is not None and tool.effect.name in llm.CONTAINED:
        return "acts alone, inside a sandbox"
    return "ACTS ALONE: no person confirms"


def tool_lines(tool: n.Tool) -> list[str]:
    """Return the lines a tool is drawn with: its effect, its reach, who confirms it."""
    effect = tool.effect.name if tool.effect else "effect not stated"
    side = " (side effect)" if tool.effect is not None and tool.effect.name in SIDE_EFFECTS else ""
    return [f"effect: {effect.upper()}{side}", *([f"scope: {tool.scope.value}"] if tool.scope else []),
            who_confirms(tool)]


def tools(r: Resolved, v: View, m: n.Model) -> None:
    """Add the tools ``m`` may call, linked from the model."""
    for tool in llm.tools_of(r, m):
        tid = f"tool_{tool.name.name}"
        if tid not in v.elements:
            v.add(Element(tid, "tool", tool.name.name, [x for t in tool_lines(tool) for x in words.wrap(t, 30)],
                          tool.span,
                          subkind=tool.effect.name if tool.effect else ""))
        v.link(f"model_{m.name.name}", tid, "may call", "dashed")


def catalogue_context():
    """Return a rule context with the bundled catalogues (what the drawings price and size models by)."""
    from dsspec.compiler.lint.base import Context
    from dsspec.compiler.lint.catalogue import catalogue

    return Context({}, catalogue("families"), {}, {})


def per_request(r: Resolved, m: n.Model) -> tuple[str, str]:
    """Return one request's cost and latency in words (``""`` when nothing says): `calls` x the
    token price of its family, `calls` x the chosen step's measured latency."""
    from dsspec.compiler.lint.facts import chosen_step

    sv = r.for_model(r.spec.serving, m)
    price = llm.token_price(m, catalogue_context())
    if sv is not None and sv.cost is not None and sv.cost.period:
        cost = f"{words.money(sv.cost)} (stated)"
    else:
        cost = f"~${price.per_request:.4f} in tokens" if price else ""
    step = chosen_step(m)
    k = llm.calls(m)
    seconds = step.latency.value * k if step is not None and step.latency is not None else None
    shown = (f"~{seconds / 60:,.1f}min" if seconds >= 120 else f"~{seconds:,.1f}s") if seconds else ""
    latency = shown + (f" ({k:g} × {step.latency.text})" if k > 1 else "") if seconds else ""
    return cost, latency


def agent_lines(r: Resolved, m: n.Model) -> list[str]:
    """Return what a model's element adds for an LLM application: its loop and one request's cost and latency."""
    out = []
    if m.tools or m.max_steps is not None or m.stop is not None:
        cap = f"≤ {m.max_steps.text} steps" if m.max_steps is not None else "NO step cap"
        stop = f"stops: {m.stop.value}" if m.stop is not None else "NO stop condition"
        out += [f"agent loop: {cap}", stop]
    cost, latency = per_request(r, m)
    calls = (f"{m.calls.text} call" + ("" if m.calls.value == 1 else "s")) if m.calls is not None else ""
    tokens = (f"{m.tokens_in.text} in / {m.tokens_out.text if m.tokens_out else '?'} out tokens per call"
              if m.tokens_in is not None else "")
    if calls or (cost and m.tokens_in is not None) or tokens:
        out.append("per request: " + " · ".join(x for x in (calls, cost, latency) if x))
    if tokens:
        out.append(tokens)
    out += [f"guard on {g.side.name}" + (f": {g.description.value}" if g.description else "") for g in m.guards]
    return out


def vendor_lines(sv: n.Serving) -> list[str]:
    """Return the vendor's terms of a hosted serving in words (empty when none are stated)."""
    out = []
    if sv.version is not None:
        out.append(f"version {sv.version.value}" + ("" if llm.pinned(sv.version.value) else " (NOT pinned)"))
    terms = []
    if sv.retention is not None:
        terms.append("keeps nothing" if sv.retention.value == 0 else f"keeps data {sv.retention.text}")
    if sv.trains_on_data is not None:
        terms.append("trains on data" if sv.trains_on_data.name == "yes" else "no training on data")
    if sv.region is not None:
        terms.append(f"region {sv.region.value}")
    if terms:
        out.append("vendor: " + ", ".join(terms))
    return out


def mark(r: Resolved, v: View) -> None:
    """Draw the trust boundary over the view: untrusted elements marked, the paths from them to a tool
    that acts alone drawn bold and labelled."""
    for kind, table in (("source", r.sources), ("input", r.inputs), ("tool", r.tools)):
        for name, section in table.items():
            el = v.elements.get(f"{kind}_{name}")
            if el is not None and llm.untrusted(section):
                el.risk = "untrusted"
                if UNTRUSTED not in el.lines:
                    el.lines.insert(0, UNTRUSTED)
    for m in r.spec.models:
        acting = llm.acting_tools(r, m)
        origins = llm.untrusted_origins(r, m, hints=False)
        if not acting or not origins:
            continue
        mid = f"model_{m.name.name}"
        if mid in v.elements:
            v.elements[mid].risk = "acts"
        tainted = _tainted_ids(r, m)
        for e in v.edges:
            if (e.tail in tainted and e.head in tainted) or (e.tail == mid and e.head in
                                                             {f"tool_{t.name.name}" for t in acting}):
                e.style = "bold"
                e.label = PATH_LABEL if e.head.startswith("tool_") else (e.label or "untrusted text")


def _tainted_ids(r: Resolved, m: n.Model, seen: frozenset = frozenset()) -> set[str]:
    """Return the element ids on the untrusted paths into ``m``: untrusted sources and inputs, the inputs
    that carry them, the upstream models and outputs they pass through, and ``m``."""
    out = {f"model_{m.name.name}"}
    for ref in m.reads:
        inp = r.inputs.get(ref.name)
        if inp is not None:
            bad = [s for s in inp.from_ if s.name in r.sources and llm.untrusted(r.sources[s.name])]
            if llm.untrusted(inp) or bad:
                out.add(f"input_{inp.name.name}")
                out.update(f"source_{s.name}" for s in bad)
        up = r.writer.get(ref.name)
        if up is not None and up is not m and id(up) not in seen and llm.untrusted_origins(r, up, hints=False):
            out |= _tainted_ids(r, up, seen | {id(m)}) | {f"output_{ref.name}"}
    for tool in llm.tools_of(r, m):
        if llm.untrusted(tool):
            out.add(f"tool_{tool.name.name}")
    return out


def plain(r: Resolved, m: n.Model, esc=str, strong=str) -> list[str]:
    """Return, in plain words for a product manager, what ``m`` may do on its own and what needs a person.

    ``esc`` escapes a text from the spec and ``strong`` marks a name, for the format the sentences go to
    (Markdown in the documents)."""
    out = []
    for tool in llm.tools_of(r, m):
        does = EFFECT_WORDS.get(tool.effect.name, tool.effect.name) if tool.effect else "uses"
        name = strong(tool.name.name)
        reach = f" ({esc(tool.scope.value)})" if tool.scope else ""
        if tool.effect is None or tool.effect.name not in SIDE_EFFECTS:
            out.append(f"It may use {name} on its own: it only {does}{reach}.")
        elif llm.confirmed(tool):
            out.append(f"It may prepare {name}, which {does}{reach}, but a person confirms each use.")
        elif tool.sandbox is not None and tool.effect.name in llm.CONTAINED:
            out.append(f"It may use {name} on its own, which {does}{reach}, inside a sandbox: "
                       f"{esc(tool.sandbox.value)}.")
        else:
            out.append(f"It may use {name} on its own, with no person confirming: it {does}{reach}.")
    if m.tools:
        cap = f"at most {esc(m.max_steps.text)} steps" if m.max_steps is not None else "no limit on its steps"
        stop = f"it stops when {esc(m.stop.value)}" if m.stop is not None else "nothing says when it stops"
        out.append(f"It works in a loop of {cap}; {stop}.")
    origins = llm.untrusted_origins(r, m, hints=False)
    if origins:
        out.append("It reads text from outside (" + ", ".join(esc(_bare(o.what)) for o in origins[:3]) +
                   "), which may carry instructions written by someone else.")
    return out


def _bare(what: str) -> str:
    """Return an origin's words without their code marks: "input `mail`" -> "input mail"."""
    return what.replace("`", "")
