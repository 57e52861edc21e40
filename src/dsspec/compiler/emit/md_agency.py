"""The documents' sections on an LLM application: what it may do on its own (plain words, for the
product brief) and its tools, confirmations, caps, guards and vendor terms (for the hand-off).

Both are empty for a design with no tools, no untrusted text, no tokens and no hosted model, so the
documents of other designs do not change.
"""

from __future__ import annotations

from dsspec.compiler.emit import agency
from dsspec.compiler.emit.mdtext import code, md, table as _table
from dsspec.compiler.lint import llm


class AgencySections:
    """Mixed into ``markdown.Document`` (which provides ``r`` and ``s``)."""

    def _llm_models(self) -> list:
        return [m for m in self.s.models
                if m.tools or m.tokens_in is not None or m.calls is not None or llm.untrusted_origins(self.r, m, False)]

    def _hosted(self) -> list:
        return [sv for sv in self.s.serving if llm.hosted_model_of(self.r, sv) is not None]

    def agency_plain(self) -> list[str]:
        """Return "What it may do on its own", in plain words: tools, confirmations, the loop, outside text."""
        out = []
        for m in self._llm_models():
            said = agency.plain(self.r, m, md, lambda name: f"**{md(name)}**")
            if said:
                out += [f"**{md(m.name.name)}**" if len(self.s.models) > 1 else ""] + [f"- {s}" for s in said]
        out = [line for line in out if line != ""]
        if not out:
            return []
        return ["## What it may do on its own", ""] + out + [""]

    def agency_detail(self) -> list[str]:
        """Return the tools with their effects and confirmations, the agents' caps and per-request figures,
        the guards, the outputs' downstream use, the evaluation suites and the vendors' terms."""
        out: list[str] = []
        rows = []
        for tool in self.s.tools:
            users = [code(m.name.name) for m in self.s.models if any(t.name == tool.name.name for t in m.tools)]
            rows.append([code(tool.name.name), md(tool.effect.name) if tool.effect else "—",
                         md(tool.scope.value) if tool.scope else "—", md(agency.who_confirms(tool)),
                         md(tool.trust.name) if tool.trust else "—", ", ".join(users) or "*no model*"])
        if rows:
            out += ["### Tools", ""] + _table(["tool", "effect", "scope", "who decides each use", "returns",
                                               "called by"], rows)
        rows = []
        for m in self._llm_models():
            cost, latency = agency.per_request(self.r, m)
            window = llm.context_window(m, agency.catalogue_context())
            rows.append([code(m.name.name), md(m.max_steps.text) if m.max_steps else ("**none**" if m.tools else "—"),
                         md(m.stop.value) if m.stop else ("**none**" if m.tools else "—"),
                         md(m.calls.text) if m.calls else "1",
                         f"{md(m.tokens_in.text)} / {md(m.tokens_out.text) if m.tokens_out else '—'}"
                         if m.tokens_in else "—", md(f"{window[0]:,.0f}") if window else "—",
                         md(cost) or "—", md(latency) or "—",
                         "; ".join(f"{g.side.name}: {md(g.description.value) if g.description else 'yes'}"
                                   for g in m.guards) or "—"])
        if rows:
            out += ["### Agent loop and one request", ""] + _table(
                ["model", "step cap", "stops when", "calls", "tokens in / out per call", "context window",
                 "cost per request", "latency per request", "guards"], rows)
        origins = [(m, o) for m in self._llm_models() for o in llm.untrusted_origins(self.r, m, False)]
        if origins:
            out += ["### Untrusted text", ""] + [f"- {code(m.name.name)} reads {md(o.what.replace('`', ''))}: its "
                                                 "text may carry instructions." for m, o in origins] + [""]
        rows = [[code(o.name.name), md(o.use.name), md(o.check.value) if o.check else "**none**"]
                for o in self.s.outputs if o.use is not None]
        if rows:
            out += ["### Output downstream", ""] + _table(["output", "use", "checked by"], rows)
        rows = [[code(self.r.model_of[id(ev)].name.name) if id(ev) in self.r.model_of else "—", md(su.kind.name),
                 md(su.description.value) if su.description else "—"] for ev in self.s.evaluation for su in ev.suites]
        if rows:
            out += ["### Evaluation suites", ""] + _table(["model", "suite", "what it holds"], rows)
        rows = []
        for sv in self._hosted():
            m = llm.hosted_model_of(self.r, sv)
            rows.append([code(m.name.name), md(sv.provider.value) if sv.provider else "—",
                         (md(sv.version.value) + ("" if llm.pinned(sv.version.value) else " (**not pinned**)"))
                         if sv.version else "**not stated**",
                         md(sv.retention.text) if sv.retention else "**not stated**",
                         md(sv.trains_on_data.name) if sv.trains_on_data else "**not stated**",
                         md(sv.region.value) if sv.region else "—"])
        if rows:
            out += ["### Vendor terms", ""] + _table(["model", "provider", "version", "retention",
                                                      "trains on data", "region"], rows)
        return ["## Tools, confirmations and vendor terms", ""] + out if out else []
