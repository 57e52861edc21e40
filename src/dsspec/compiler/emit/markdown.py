"""Design documents in Markdown: the full design, and one per declared audience.

Each audience document holds what its ``gets`` list names, in a fixed order,
and nothing else: its ``diagram`` is the view that fits its reader (the
overview for a reader of summaries and goals, the system view for one who
gets technical sections), and every audience that gets ``summary`` or
``evaluation`` also gets the open risks, and every document lists the open review
questions its reader needs answered (all of them in the full document). Diagrams are image links, or Mermaid
blocks (``build --doc-diagrams mermaid``). Numbers and money are written by
``words``; every string from a spec goes through ``md`` so it cannot open a
link, an HTML tag or break a table.
"""

from __future__ import annotations

import os

from dsspec.base.diagnostics import Diagnostic
from dsspec.base.paths import portable
from dsspec.compiler.emit import md_artifacts, policy, words
from dsspec.compiler.emit.md_agency import AgencySections
from dsspec.compiler.emit.md_operations import OperationSections
from dsspec.compiler.emit.md_product import ProductSections
from dsspec.compiler.emit.metric_words import gloss
from dsspec.compiler.emit.mdtext import code, md, table as _table
from dsspec.compiler.emit.parts import estimated, ladder_metric
from dsspec.compiler.emit.questions import agenda, document_section
from dsspec.compiler.emit.view import VIEW_TITLES
from dsspec.compiler.lint import facts
from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.resolve import Resolved
from dsspec.compiler.report.common import md_message


AUDIENCE_TITLES = {"pm": "Product brief", "staff_ds": "Data-science review", "engineer": "Engineering hand-off"}
TECHNICAL = {"ladder", "model_card", "evaluation", "interface", "slo", "fallback", "runbook"}
ORDER = ("summary", "goals", "metrics", "diagram", "ladder", "model_card", "evaluation", "interface", "slo",
         "fallback", "runbook")


AGENCY = {"summary": "agency_plain", "interface": "agency_detail"}
"""The LLM sections that follow a section: plain words after the summary, the detail after the interface."""


class Document(ProductSections, OperationSections, AgencySections):
    """Renders the sections of one spec's documents."""

    def __init__(self, spec: Resolved, findings: list[Diagnostic], stem: str,
                 embed: dict[str, str] | None = None, mode: str = "image", artifacts: dict[str, str] | None = None):
        self.artifacts = artifacts or {}   # format -> the engineer's artifact file built beside this document
        self.embed = embed or {}   # view -> its picture's file name, or its Mermaid text (mode "mermaid")
        self.mode = mode
        self.view = "system"       # the view the `diagram` section shows
        self.r = spec
        self.s = spec.spec
        self.findings = [d for d in findings if d.path == self.s.path]
        self.stem = stem
        self.metric = facts.success_metric(spec)
        self.questions = agenda(spec)

    def flagged(self, rule: str, section) -> bool:
        """Return whether a finding of ``rule`` stands inside ``section`` (what the documents say of it agrees
        with the linter, thresholds and suppressions included)."""
        if section is None:
            return False
        lo, hi = section.span.offset, section.span.end_offset
        return any(d.rule == rule and lo <= d.span.offset < hi for d in self.findings)

    def title(self) -> str:
        p = self.s.product
        return p.title.value if p and p.title else (p.name.name if p else self.stem)

    # -- sections ----------------------------------------------------------
    def goals(self) -> list[str]:
        eco = self.s.ecosystem
        if not eco or not (eco.goals or eco.non_goals):
            return ["## Goals", "", "*No goals stated.*", ""]
        rows = []
        for g in eco.goals:
            target = g.amount.text if g.amount else (g.guard.show() if g.guard else "")
            kind = "guardrail" if g.direction.name == "keep" else g.direction.name
            rows.append([code(g.kpi.name), kind, md(target)])
        out = ["## Goals", ""] + _table(["KPI", "change", "target"], rows)
        for ng in eco.non_goals:
            out.append(f"- Not a goal: {md(ng.value)}")
        if eco.non_goals:
            out.append("")
        for word, who in (("Users", eco.users), ("Stakeholders (documents, no output)", eco.stakeholders)):
            if who:
                out += [f"{word}: " + ", ".join(f"{code(u.name.name)}" + (f" ({md(u.description.value)})"
                                                                           if u.description else "") for u in who), ""]
        return out

    def metrics(self) -> list[str]:
        op = self.s.operator
        out = ["## Success metric and levels", ""]
        if op and op.success:
            sc = op.success
            plain = gloss(sc.metric.name)
            out.append(f"Success is measured by {code(sc.metric.name)}" +
                       (f" at {code(sc.at.metric.name)} {md(sc.at.bound.show())}" if sc.at else "") +
                       (f": {md(plain)}." if plain else "."))
            out.append("")
            out += _table(["level", "threshold", "meaning"], [
                [lvl, md(getattr(sc, lvl).show()) if getattr(sc, lvl) else "—", meaning]
                for lvl, meaning in (("optimal", "success"), ("acceptable", "worth shipping"),
                                     ("worst", "roll back"))])
        else:
            out += ["*No success metric declared.*", ""]
        out += policy.model_success(self.r)
        out += self.costs()
        return out

    def costs(self) -> list[str]:
        op = self.s.operator
        budget = facts.monthly(op.budget, self.r) if op and op.budget else None
        rows = []
        total = 0.0
        costs = facts.monthly_costs(self.r)
        for c in costs:
            total += c.monthly
            owner = self.r.model_of.get(id(c.section))
            of = f" of {code(owner.name.name)}" if owner is not None and len(self.s.models) > 1 else ""
            what = (f"{c.label.replace(' (estimate)', '')}{of} (estimate: {md(c.written)})" if estimated(c)
                    else c.label + of)
            rows.append([what, md(("~" if estimated(c) else "") + words.monthly(c.monthly)),
                         words.share(c.monthly, budget)])
        if not rows and budget is None:
            return []
        rows.append(["**total**" + (" (with estimates)" if any(estimated(c) for c in costs) else ""),
                     words.monthly(total), words.share(total, budget)])
        if op and op.budget:
            head = f"Budget: {md(words.money(op.budget))}" + ("." if budget is not None else
                                                               ", which has no monthly figure (no load to price it by).")
        else:
            head = "No budget declared."
        return ["### Cost against budget", "", head, ""] + _table(["item", "cost", "of budget"], rows)

    def rollout(self) -> list[str]:
        return policy.rollout_section(self.r)

    def risks(self) -> list[str]:
        out = ["## Open risks", ""]
        open_ = [d for d in self.findings if d.rule not in ("accepted-risk", "question-open")]  # open questions: their own section
        if not open_:
            out += ["dsspec found no open design risks.", ""]
        for d in open_:
            out.append(f"- **{d.severity.value}** {code(d.rule)} (line {d.span.line}): {md_message(d.message)}")
        return (out + [""] if open_ else out) + self.accepted()

    def accepted(self) -> list[str]:
        """Return "Risks we accepted": each accepted finding with who accepted it, why, and until when."""
        held = [d for d in self.findings if d.rule == "accepted-risk"]
        if not held:
            return []
        out = ["## Risks we accepted", "",
               "Findings the team accepted, each with an owner, a ticket and an end date; past it, the finding "
               "is open again.", ""]
        for d in held:
            what = d.message.split("]: ", 1)
            rule = what[0].removeprefix("accepted risk [").split(" ")[-1] if len(what) == 2 else d.rule
            history = d.related[0].message if d.related else ""
            out.append(f"- {code(rule)} (line {d.span.line}): {md_message(what[-1])} — {md_message(history)}")
        return out + [""]

    def diagram(self) -> list[str]:
        heading = "System diagram" if self.view == "system" else VIEW_TITLES.get(self.view, self.view).capitalize()
        return [f"## {heading}", ""] + (self.figure(self.view) or ["*The diagram was not drawn in this build.*", ""])

    def figure(self, view: str) -> list[str]:
        """Return ``view`` embedded: an image link or a Mermaid block; nothing when it was not drawn."""
        from urllib.parse import quote

        drawn = self.embed.get(view)
        if drawn is None:
            return []
        if self.mode == "mermaid":
            return ["```mermaid", drawn.rstrip("\n"), "```", ""]
        what = "System diagram" if view == "system" else VIEW_TITLES.get(view, view).capitalize()
        # the file's own bytes in the link, even where its name is not UTF-8
        return [f"![{md(what)} of {md(self.title())}]({quote(os.fsencode(drawn))})", ""]

    def ladder(self) -> list[str]:
        out = ["## Model ladder: start simple", ""] + self.figure("ladder")
        for model in self.s.models:
            if not model.ladder:
                continue
            metric = ladder_metric(self.r, model)   # as the ladder view draws it
            rows = []
            for step in model.ladder.steps:
                value = step.results.get(metric) if metric else None
                measured = dict(step.results)
                if step.latency:   # `latency` is its own attribute of a step, a measured result all the same
                    measured.setdefault("latency", step.latency)
                others = ", ".join(f"{k} {v.text}" for k, v in measured.items() if k != metric) or "—"
                rung = f"**{step.rung} (chosen)**" if step.chosen else step.rung
                what = code(step.family.name) if step.family else md(step.description.value if step.description
                                                                      else "—")
                rows.append([rung, what, md(value.text) if value else "—", md(others),
                             md(step.params.text) if step.params else "—", md(step.reason.value) if step.reason
                             else "—"])
            out += [f"### {code(model.name.name)}", ""] + _table(
                ["rung", "model", md(metric) if metric else "result", "other results", "parameters", "why"], rows)
        return out

    def model_card(self) -> list[str]:
        out = ["## Model card", ""] + self.figure("pipeline")
        for model in self.s.models:
            step = facts.chosen_step(model)
            rows = [["task", md(model.task.name) if model.task else "—"],
                    ["chosen family", code(step.family.name) if step and step.family else "—"],
                    ["parameters", md(step.params.text) if step and step.params else "—"],
                    ["pretrained", md(step.pretrained.value) if step and step.pretrained else "—"],
                    ["reads", ", ".join(code(r.name) for r in model.reads) or "—"],
                    ["writes", ", ".join(code(ref.name) for ref in model.writes) or "—"],
                    ["labels", code(model.labels.name) if model.labels else "—"],
                    ["labelled rows", md(model.rows.text) if model.rows else "—"]]
            src = facts.label_source(self.r, model)
            if src and src.label_delay:
                rows.append(["label delay", md(src.label_delay.text)])
            if src and src.minority_share:
                rows.append(["minority share", md(src.minority_share.text)])
            out += [f"### {code(model.name.name)}", ""] + _table(["item", "value"], rows)
        return out

    def evaluation(self) -> list[str]:
        out = ["## Data and evaluation", ""] + self.figure("timeline")
        for model in self.s.models:
            tr = self.r.for_model(self.s.training, model)
            ev = self.r.for_model(self.s.evaluation, model)
            rows = []
            if tr:
                rows.append(["training window", md(tr.window.show()) if tr.window else "—"])
                rows.append(["training data", ", ".join(code(f.name) for f in tr.from_) or "—"])
                if tr.schedule:
                    rows.append(["retraining", md(n.show_schedule(tr.schedule))])
            if ev:
                rows.append(["test window", md(ev.window.show()) if ev.window else "—"])
                rows.append(["split", md(ev.split.kind.name) + (f" by {code(ev.split.group.name)}"
                                                              if ev.split and ev.split.group else "")
                             if ev.split else "—"])
                rows.append(["metrics", ", ".join(code(m.name) for m in ev.metrics) or "—"])
                rows.append(["primary metric", code(ev.primary.name) if ev.primary else "—"])
                rows.append(["manual review", f"{md(ev.review.cases.text)} cases by {code(ev.review.by.name)}"
                             if ev.review else "*none*"])
                rows.append(["slices", ", ".join(code(f.name) for f in ev.slices) or "*none*"])
            rows += policy.protected_rows(self.r, model) + policy.label_rows(self.r, model)
            rows += policy.leakage_rows(self.r, model, tr, ev, self.flagged("label-maturity", ev))
            out += [f"### {code(model.name.name)}", ""] + _table(["item", "value"], rows)
            own = policy.metric_of(self.r, model)
            if ev and ev.primary and own:
                why = ("the primary metric is the success metric, so offline results read directly against "
                       "the operating levels." if ev.primary.name == own else
                       f"the primary metric {code(ev.primary.name)} differs from the success metric "
                       f"{code(own)}: report both.")
                out += [f"Why these metrics: {why}", ""]
            mon = self.r.for_model(self.s.monitoring, model)
            if mon:
                watched = ([f"drift on {', '.join(code(f.name) for f in mon.drift)}"] if mon.drift else []) + \
                    [f"tracks {code(t.metric.name)}" + (f" delayed {md(t.delayed.text)}" if t.delayed else " live")
                     for t in mon.tracks]
                out += ["Monitoring: " + "; ".join(watched) + ".", ""]
        return out

    def interface(self) -> list[str]:
        out = ["## Interface", ""] + self.figure("data")
        rows = [[code(i.name.name), ", ".join(code(s.name) for s in i.from_) or "—",
                 ", ".join(code(f.name) for f in i.fields) or "—", md(i.known_at.name) if i.known_at else "request",
                 md(i.freshness.text) if i.freshness else "—"] for i in self.s.inputs]
        if rows:
            out += ["### Inputs", ""] + _table(["input", "from", "fields", "known at", "freshness"], rows)
        rows = [[code(o.name.name), md(o.type.name) if o.type else "—", self._consumers(o),
                 md(o.calibrated.name) if o.calibrated else "—"] for o in self.s.outputs]
        if rows:
            out += ["### Outputs", ""] + _table(["output", "type", "consumer", "calibrated"], rows)
        return out

    def _consumers(self, output: n.Output) -> str:
        """Return who uses ``output``: the user it goes ``to`` and the models that read it, else *nobody*."""
        readers = [f"{code(m.name.name)} (model)" for m in self.s.models
                   if any(r.name == output.name.name for r in m.reads)]
        to = [code(output.to.name) + (f" (through {code(output.through.name)})" if output.through else "")] \
            if output.to else []
        return ", ".join(to + readers) or "*nobody*"

    def full(self) -> str:
        parts = [f"# {md(self.title())}", "", "*Design document generated by dsspec from "
                 f"{code(portable(self.s.path))}; edit the spec, not this file.*", ""]
        for name in ("summary", "goals", "diagram", "metrics", "rollout", "ladder", "model_card", "evaluation",
                     "interface", "slo", "fallback", "runbook"):
            parts += getattr(self, name)() + (getattr(self, AGENCY[name])() if name in AGENCY else [])
        parts += md_artifacts.section(self.artifacts)
        parts += self.risks()
        parts += document_section(self.questions, None)
        return "\n".join(parts).rstrip() + "\n"

    def for_audience(self, audience: n.Audience) -> str:
        name = audience.name.name
        gets = [g.name for g in audience.gets]
        parts = [f"# {md(self.title())}: {md(AUDIENCE_TITLES.get(name, 'for ' + name))}", "",
                 f"*For {code(name)}. Generated by dsspec from {code(portable(self.s.path))}; edit the spec, not this file.*",
                 ""]
        self.view = "system" if TECHNICAL & set(gets) or "overview" not in self.embed else "overview"
        plan = "goals" if "goals" in gets else "summary"   # the rollout plan and guardrails follow the goals
        for g in (g for g in ORDER if g in gets):
            parts += getattr(self, g)() + (getattr(self, AGENCY[g])() if g in AGENCY else []) + \
                (self.rollout() if g == plan else [])
        if md_artifacts.ENGINEERING & set(gets):
            parts += md_artifacts.section(self.artifacts)
        if "summary" in gets or "evaluation" in gets:
            parts += self.risks()
        parts += document_section(self.questions, name if name in AUDIENCE_TITLES else None)
        self.view = "system"
        return "\n".join(parts).rstrip() + "\n"


def documents(spec: Resolved, findings: list[Diagnostic], stem: str, embed: dict[str, str] | None = None,
              mode: str = "image", artifacts: dict[str, str] | None = None) -> dict[str, str]:
    """Return the Markdown documents of ``spec``: ``{file name: text}``.

    ``embed`` maps each drawn view to its picture's file name (``mode`` image)
    or its Mermaid text (``mode`` mermaid); ``artifacts`` maps each engineer's artifact built beside the
    documents (``{format: file name}``) for the documents to link.
    """
    from dsspec.compiler.emit.mdtext import portable as portable_markdown

    doc = Document(spec, findings, stem, embed, mode, artifacts)
    out = {f"{stem}.md": portable_markdown(doc.full())}
    for audience in spec.spec.audiences:
        out[f"{stem}.{audience.name.name}.md"] = portable_markdown(doc.for_audience(audience))
    return out
