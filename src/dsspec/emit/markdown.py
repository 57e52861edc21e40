"""Design documents in Markdown: the full design, and one per declared audience.

Each audience document holds what its ``gets`` list names, in a fixed order,
and always embeds the diagram. Every string from a spec goes through ``md``
so it cannot open a link, an HTML tag or break a table.
"""

from __future__ import annotations

import os

from dsspec.diagnostics import Diagnostic
from dsspec.lint import facts
from dsspec.model import nodes as n
from dsspec.model.resolve import Resolved
from dsspec.report.common import md_message


AUDIENCE_TITLES = {"pm": "Product brief", "staff_ds": "Data-science review", "engineer": "Engineering hand-off"}
ORDER = ("summary", "goals", "metrics", "diagram", "ladder", "model_card", "evaluation", "interface", "slo",
         "fallback", "runbook")


def md(text: str) -> str:
    """Return ``text`` on one line (whitespace collapsed), with Markdown and HTML specials escaped."""
    from dsspec.report.common import md_cell

    return md_cell(" ".join(str(text).split()))


def code(text: str) -> str:
    """Return ``text`` as a code span on one line (a file name may hold newlines or backticks)."""
    from dsspec.report.common import safe

    return "`" + safe(str(text)).replace("`", "'") + "`"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


class Document:
    """Renders the sections of one spec's documents."""

    def __init__(self, spec: Resolved, findings: list[Diagnostic], stem: str):
        self.r = spec
        self.s = spec.spec
        self.findings = [d for d in findings if d.path == self.s.path]
        self.stem = stem
        self.metric = facts.success_metric(spec)

    def title(self) -> str:
        p = self.s.product
        return p.title.value if p and p.title else (p.name.name if p else self.stem)

    # -- sections ----------------------------------------------------------
    def summary(self) -> list[str]:
        p, eco = self.s.product, self.s.ecosystem
        def val(x, fallback):
            return md(x.value) if x is not None else f"*{fallback} (not stated)*"
        story = (f"{md(self.title())} aims to improve {val(p.improves if p else None, 'the feature')} for "
                 f"{val(p.for_ if p else None, 'the product')} in {val(p.within if p else None, 'the system')}.")
        if eco and eco.problem:
            story += f" The problem: {md(eco.problem.value)}"
        if eco and eco.today:
            story += f" Today: {md(eco.today.value)}"
        chosen = [(m, facts.chosen_step(m)) for m in self.s.models]
        for model, step in chosen:
            if step and step.family:
                story += f" The design ships {code(step.family.name)} for {code(model.name.name)}"
                value = step.results.get(self.metric) if self.metric else None
                story += f", at {md(self.metric)} {md(value.text)}." if value else "."
        lines = ["## Summary", "", story, ""]
        if p and (p.owner or p.status):
            lines += [f"Owner: {md(p.owner.value) if p.owner else '—'} · status: "
                      f"{md(p.status.name) if p.status else 'draft'}", ""]
        return lines

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
        if eco.users:
            out += ["Users: " + ", ".join(f"{code(u.name.name)}" + (f" ({md(u.description.value)})" if u.description
                                                                     else "") for u in eco.users), ""]
        return out

    def metrics(self) -> list[str]:
        op = self.s.operator
        out = ["## Success metric and levels", ""]
        if op and op.success:
            sc = op.success
            out.append(f"Success is measured by {code(sc.metric.name)}" +
                       (f" at {code(sc.at.metric.name)} {md(sc.at.bound.show())}" if sc.at else "") + ".")
            out.append("")
            out += _table(["level", "threshold", "meaning"], [
                [lvl, md(getattr(sc, lvl).show()) if getattr(sc, lvl) else "—", meaning]
                for lvl, meaning in (("optimal", "success"), ("acceptable", "worth shipping"),
                                     ("worst", "roll back"))])
        else:
            out += ["*No success metric declared.*", ""]
        out += self.costs()
        return out

    def costs(self) -> list[str]:
        op = self.s.operator
        budget = facts.monthly(op.budget, self.r) if op and op.budget else None
        rows = []
        total = 0.0
        for label, sec, monthly in facts.monthly_costs(self.r):
            total += monthly
            rows.append([label, md(sec.cost.text), f"{monthly:,.0f}", f"{monthly / budget:.0%}" if budget else "—"])
        if not rows and budget is None:
            return []
        rows.append(["**total**", "", f"{total:,.0f}", f"{total / budget:.0%}" if budget else "—"])
        if op and op.budget:
            head = f"Budget: {md(op.budget.text)}" + ("." if budget is not None else
                                                      ", which has no monthly figure (no load to price it by).")
        else:
            head = "No budget declared."
        return ["### Cost against budget", "", head, ""] + _table(["item", "as written", "$/month", "of budget"], rows)

    def risks(self) -> list[str]:
        out = ["## Open risks", ""]
        if not self.findings:
            return out + ["dsspec found no open design risks.", ""]
        for d in self.findings:
            out.append(f"- **{d.severity.value}** {code(d.rule)} (line {d.span.line}): {md_message(d.message)}")
        return out + [""]

    def diagram(self) -> list[str]:
        from urllib.parse import quote

        link = quote(os.fsencode(self.stem))  # the file's own bytes, even where they are not UTF-8
        return ["## System diagram", "", f"![System diagram of {md(self.title())}]({link}.svg)", ""]

    def ladder(self) -> list[str]:
        out = ["## Model ladder: start simple", ""]
        for model in self.s.models:
            if not model.ladder:
                continue
            rows = []
            for step in model.ladder.steps:
                name = step.family.name if step.family else (step.description.value if step.description else step.rung)
                results = ", ".join(f"{k} {v.text}" for k, v in step.results.items()) or "—"
                rows.append([step.rung, md(name), md(results), md(step.params.text) if step.params else "—",
                             "**chosen**" if step.chosen else "", md(step.reason.value) if step.reason else ""])
            out += [f"### {code(model.name.name)}", ""] + _table(
                ["rung", "family", "results", "params", "", "reason"], rows)
        return out

    def model_card(self) -> list[str]:
        out = ["## Model card", ""]
        for model in self.s.models:
            step = facts.chosen_step(model)
            rows = [["task", md(model.task.name) if model.task else "—"],
                    ["chosen family", code(step.family.name) if step and step.family else "—"],
                    ["parameters", md(step.params.text) if step and step.params else "—"],
                    ["pretrained", md(step.pretrained.value) if step and step.pretrained else "—"],
                    ["reads", ", ".join(code(r.name) for r in model.reads) or "—"],
                    ["writes", code(model.writes.name) if model.writes else "—"],
                    ["labels", code(model.labels.name) if model.labels else "—"],
                    ["labelled rows", md(model.rows.text) if model.rows else "—"]]
            src = facts.label_source(self.r, model)
            if src and src.label_delay:
                rows.append(["label delay", md(src.label_delay.text)])
            if src and src.minority_share:
                rows.append(["minority share", md(src.minority_share.text)])
            out += [f"### {code(model.name.name)}", ""] + _table(["", ""], rows)
        return out

    def evaluation(self) -> list[str]:
        out = ["## Data and evaluation", ""]
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
            out += [f"### {code(model.name.name)}", ""] + _table(["", ""], rows)
            if ev and ev.primary and self.metric:
                why = ("the primary metric is the success metric, so offline results read directly against "
                       "the operating levels." if ev.primary.name == self.metric else
                       f"the primary metric {code(ev.primary.name)} differs from the success metric "
                       f"{code(self.metric)}: report both.")
                out += [f"Why these metrics: {why}", ""]
            mon = self.r.for_model(self.s.monitoring, model)
            if mon:
                watched = ([f"drift on {', '.join(code(f.name) for f in mon.drift)}"] if mon.drift else []) + \
                    [f"tracks {code(t.metric.name)}" + (f" delayed {md(t.delayed.text)}" if t.delayed else " live")
                     for t in mon.tracks]
                out += ["Monitoring: " + "; ".join(watched) + ".", ""]
        return out

    def interface(self) -> list[str]:
        out = ["## Interface", ""]
        rows = [[code(i.name.name), ", ".join(code(s.name) for s in i.from_) or "—",
                 ", ".join(code(f.name) for f in i.fields) or "—", md(i.known_at.name) if i.known_at else "request",
                 md(i.freshness.text) if i.freshness else "—"] for i in self.s.inputs]
        if rows:
            out += ["### Inputs", ""] + _table(["input", "from", "fields", "known at", "freshness"], rows)
        rows = [[code(o.name.name), md(o.type.name) if o.type else "—", code(o.to.name) if o.to else "*nobody*",
                 md(o.calibrated.name) if o.calibrated else "—"] for o in self.s.outputs]
        if rows:
            out += ["### Outputs", ""] + _table(["output", "type", "consumer", "calibrated"], rows)
        return out

    def slo(self) -> list[str]:
        op = self.s.operator
        rows = []
        if op:
            if op.latency:
                rows.append(["latency", md(f"{op.latency.percentile.name} {op.latency.target.show()}")])
            if op.timeout:
                rows.append(["timeout", md(op.timeout.text)])
            if op.load:
                rows.append(["load", md(op.load.rate.text) + (f", peak {md(op.load.peak.text)}" if op.load.peak else "")])
        for sv in self.s.serving:
            model = self.r.model_of.get(id(sv))
            what = " · ".join(x for x in (sv.mode.name if sv.mode else "", sv.hardware.show() if sv.hardware else "",
                                          f"{sv.replicas.text} replicas" if sv.replicas else "") if x)
            rows.append([f"serving {code(model.name.name) if model else ''}".strip(), md(what) or "—"])
        for mon in self.s.monitoring:
            if mon.alert:
                rows.append(["alerts", f"page {md(mon.alert.value)}"])
        return ["## Service levels", ""] + (_table(["", ""], rows) if rows else ["*None declared.*", ""])

    def fallback(self) -> list[str]:
        op = self.s.operator
        out = ["## When it fails", ""]
        if op and op.fallback:
            out.append(f"- Fallback: {md(op.fallback.kind.name)}" +
                       (f" — {md(op.fallback.description.value)}" if op.fallback.description else ""))
        else:
            out.append("- Fallback: *not decided*")
        out.append(f"- Safe default: {md(op.default.value)}" if op and op.default else "- Safe default: *not decided*")
        return out + [""]

    def runbook(self) -> list[str]:
        out = ["## Runbook", ""]
        for mon in self.s.monitoring:
            if mon.alert:
                out.append(f"- Page {md(mon.alert.value)} when an alert fires.")
            for t in mon.tracks:
                out.append(f"- Watch {code(t.metric.name)}" +
                           (f"; its true value is known after {md(t.delayed.text)}." if t.delayed else "."))
            if mon.drift:
                out.append("- Check drift of " + ", ".join(code(f.name) for f in mon.drift) + ".")
        op = self.s.operator
        if op and op.success and op.success.worst:
            out.append(f"- Roll back when {code(op.success.metric.name)} is {md(op.success.worst.show())}.")
        if op and op.fallback:
            out.append(f"- On model failure, the {md(op.fallback.kind.name)} fallback takes over.")
        return (out if len(out) > 2 else out + ["*No monitoring declared.*"]) + [""]

    # -- documents -----------------------------------------------------------
    def full(self) -> str:
        parts = [f"# {md(self.title())}", "", "*Design document generated by dsspec from "
                 f"{code(self.s.path)}; edit the spec, not this file.*", ""]
        for name in ("summary", "goals", "diagram", "metrics", "ladder", "model_card", "evaluation", "interface",
                     "slo", "fallback", "runbook"):
            parts += getattr(self, name)()
        parts += self.risks()
        return "\n".join(parts).rstrip() + "\n"

    def for_audience(self, audience: n.Audience) -> str:
        name = audience.name.name
        gets = [g.name for g in audience.gets]
        parts = [f"# {md(self.title())}: {md(AUDIENCE_TITLES.get(name, 'for ' + name))}", "",
                 f"*For {code(name)}. Generated by dsspec from {code(self.s.path)}; edit the spec, not this file.*",
                 ""]
        wanted = [g for g in ORDER if g in gets]
        if "diagram" not in wanted:
            wanted.append("diagram")
        for g in wanted:
            parts += getattr(self, g)()
        if name == "pm" or "summary" in gets:
            parts += self.risks()
        return "\n".join(parts).rstrip() + "\n"


def documents(spec: Resolved, findings: list[Diagnostic], stem: str) -> dict[str, str]:
    """Return the Markdown documents of ``spec``: ``{file name: text}``."""
    doc = Document(spec, findings, stem)
    out = {f"{stem}.md": doc.full()}
    for audience in spec.spec.audiences:
        out[f"{stem}.{audience.name.name}.md"] = doc.for_audience(audience)
    return out
