"""Design documents in Markdown: the full design, and one per declared audience.

Each audience document holds what its ``gets`` list names, in a fixed order,
and nothing else: its ``diagram`` is the view that fits its reader (the
overview for a reader of summaries and goals, the system view for one who
gets technical sections), and every audience that gets ``summary`` or
``evaluation`` also gets the open risks. Diagrams are image links, or Mermaid
blocks (``build --doc-diagrams mermaid``). Numbers and money are written by
``words``; every string from a spec goes through ``md`` so it cannot open a
link, an HTML tag or break a table.
"""

from __future__ import annotations


from dsspec.diagnostics import Diagnostic
from dsspec.emit import words
from dsspec.emit.view import VIEW_TITLES
from dsspec.lint import facts
from dsspec.model import nodes as n
from dsspec.model.resolve import Resolved


AUDIENCE_TITLES = {"pm": "Product brief", "staff_ds": "Data-science review", "engineer": "Engineering hand-off"}
TECHNICAL = {"ladder", "model_card", "evaluation", "interface", "slo", "fallback", "runbook"}
ORDER = ("summary", "goals", "metrics", "diagram", "ladder", "model_card", "evaluation", "interface", "slo",
         "fallback", "runbook")


def md(text: str) -> str:
    """Return ``text`` on one line (whitespace collapsed), with Markdown and HTML specials escaped."""
    from dsspec.report.common import md_cell

    return md_cell(" ".join(str(text).split()))


def code(text: str) -> str:
    return "`" + str(text).replace("`", "'") + "`"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


class Document:
    """Renders the sections of one spec's documents."""

    def __init__(self, spec: Resolved, findings: list[Diagnostic], stem: str,
                 embed: dict[str, str] | None = None, mode: str = "image"):
        self.embed = embed or {}   # view -> its picture's file name, or its Mermaid text (mode "mermaid")
        self.mode = mode
        self.view = "system"       # the view the `diagram` section shows
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
        """What changes for whom, the goal, the success level and the rollout, in product terms."""
        p, eco, s = self.s.product, self.s.ecosystem, self.s
        def val(x, fallback):
            return md(x.value) if x is not None else f"*{fallback} (not stated)*"
        story = (f"**What changes.** {md(self.title())} changes {val(p.improves if p else None, 'the feature')} "
                 f"for {val(p.for_ if p else None, 'the product')}, in {val(p.within if p else None, 'the system')}.")
        if eco and eco.today:
            story += f" Today: {md(eco.today.value)}"
        if eco and eco.problem:
            story += f" The problem: {md(eco.problem.value)}"
        out = ["## Summary", "", story, ""]
        users = {u.name.name: u for u in (eco.users if eco else [])}
        receivers = []
        for o in s.outputs:
            if o.to:
                who = users.get(o.to.name)
                what = f": {md(o.description.value)}" if o.description else ""
                receivers.append(f"{code(o.to.name)}" + (f" ({md(who.description.value)})" if who and who.description
                                                          else "") + f" receives {code(o.name.name)}{what}")
        if receivers:
            out += ["**For whom.** " + "; ".join(receivers) + ".", ""]
        if eco and eco.goals:
            goals = "; ".join(self._goal(g) for g in eco.goals)
            out += ["**The goal.** " + goals[:1].upper() + goals[1:] + ".", ""]
        out += self._success_story()
        status = md(p.status.name) if p and p.status else "draft"
        out += [f"**Rollout.** The design is {status}" + (f"; its owner is {md(p.owner.value)}" if p and p.owner
                                                         else "; no owner is named") + ".", ""]
        return out

    @staticmethod
    def _goal(g: n.Goal) -> str:
        if g.direction.name == "keep":
            return f"keep {code(g.kpi.name)} {md(words.comparison(g.guard))}" if g.guard else f"keep {code(g.kpi.name)}"
        return f"{md(g.direction.name)} {code(g.kpi.name)}" + (f" by {md(words.quantity(g.amount))}" if g.amount else "")

    def _success_story(self) -> list[str]:
        op = self.s.operator
        sc = op.success if op else None
        if sc is None:
            return ["**Success.** *No success metric is declared.*", ""]
        levels = {k: getattr(sc, k) for k in ("optimal", "acceptable", "worst")}
        text = f"**Success.** Measured by {code(sc.metric.name)}"
        if levels["optimal"]:
            text += f": a success at {md(words.comparison(levels['optimal']))}"
        if levels["acceptable"]:
            text += f", worth shipping at {md(words.comparison(levels['acceptable']))}"
        if levels["worst"]:
            text += f", rolled back at {md(words.comparison(levels['worst']))}"
        text += "."
        from dsspec.emit.parts import verdict

        for model in self.s.models:
            step = facts.chosen_step(model)
            value = step.results.get(sc.metric.name) if step else None
            if value is not None:
                where = verdict(self.r, value.value)
                text += (f" The chosen model for {code(model.name.name)} reaches {md(value.text)} offline"
                         + (f" ({md(where)})." if where else "."))
        return [text, ""]

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
            owner = self.r.model_of.get(id(sec))
            rows.append([label + (f" of {code(owner.name.name)}" if owner is not None and len(self.s.models) > 1
                                  else ""), words.monthly(monthly), words.share(monthly, budget)])
        if not rows and budget is None:
            return []
        rows.append(["**total**", words.monthly(total), words.share(total, budget)])
        if op and op.budget:
            head = f"Budget: {md(words.money(op.budget))}" + ("." if budget is not None else
                                                               ", which has no monthly figure (no load to price it by).")
        else:
            head = "No budget declared."
        return ["### Cost against budget", "", head, ""] + _table(["item", "cost", "of budget"], rows)

    def risks(self) -> list[str]:
        out = ["## Open risks", ""]
        if not self.findings:
            return out + ["dsspec found no open design risks.", ""]
        for d in self.findings:
            out.append(f"- **{d.severity.value}** {code(d.rule)} (line {d.span.line}): {md(d.message)}")
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
        return [f"![{md(what)} of {md(self.title())}]({quote(drawn)})", ""]

    def ladder(self) -> list[str]:
        out = ["## Model ladder: start simple", ""] + self.figure("ladder")
        metric = self.metric
        for model in self.s.models:
            if not model.ladder:
                continue
            rows = []
            for step in model.ladder.steps:
                value = step.results.get(metric) if metric else None
                others = ", ".join(f"{k} {v.text}" for k, v in step.results.items() if k != metric) or "—"
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
        out = ["## Interface", ""] + self.figure("data")
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
        """What is tracked, the threshold that pages (the ``worst`` level), who is paged, and the fallback."""
        out = ["## Runbook", ""]
        op = self.s.operator
        sc = op.success if op else None
        for mon in self.s.monitoring:
            model = self.r.model_of.get(id(mon))
            if len(self.s.models) > 1 and model is not None:
                out += [f"### {code(model.name.name)}", ""]
            out.append(f"Who is paged: {md(mon.alert.value)}." if mon.alert else
                       "Who is paged: *nobody is named (`alert` is missing)*.")
            out.append("")
            rows = []
            for t in mon.tracks:
                threshold = (f"{md(words.comparison(sc.worst))} (the worst level)" if sc and sc.worst and
                             t.metric.name == sc.metric.name else "*no threshold declared*")
                action = "roll back to the fallback" if "worst level" in threshold else "investigate"
                rows.append([code(t.metric.name), f"after {md(t.delayed.text)} (labels arrive late)" if t.delayed
                             else "live", threshold, action])
            if mon.drift:
                rows.append(["drift of " + ", ".join(code(f.name) for f in mon.drift), "live",
                             "*a shift from training data*", "check the sources, consider retraining"])
            if rows:
                out += _table(["tracked", "known", "alert when", "then"], rows)
        if len(out) == 2:
            out += ["*No monitoring declared.*", ""]
        if op and op.latency:
            out.append(f"- Latency target: {md(op.latency.percentile.name)} {md(words.comparison(op.latency.target))}"
                       + (f"; past the {md(op.timeout.text)} timeout the fallback answers." if op.timeout and
                          op.fallback else "."))
        if op and op.fallback:
            out.append(f"- Fallback: {md(op.fallback.kind.name.replace('_', ' '))}" +
                       (f" — {md(op.fallback.description.value)}" if op.fallback.description else "") + ".")
        else:
            out.append("- Fallback: *not decided*.")
        if op and op.default:
            out.append(f"- When the fallback fails too: {md(op.default.value)}.")
        return out + [""]

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
        self.view = "system" if TECHNICAL & set(gets) or "overview" not in self.embed else "overview"
        for g in (g for g in ORDER if g in gets):
            parts += getattr(self, g)()
        if "summary" in gets or "evaluation" in gets:
            parts += self.risks()
        self.view = "system"
        return "\n".join(parts).rstrip() + "\n"


def documents(spec: Resolved, findings: list[Diagnostic], stem: str, embed: dict[str, str] | None = None,
              mode: str = "image") -> dict[str, str]:
    """Return the Markdown documents of ``spec``: ``{file name: text}``.

    ``embed`` maps each drawn view to its picture's file name (``mode`` image)
    or its Mermaid text (``mode`` mermaid).
    """
    doc = Document(spec, findings, stem, embed, mode)
    out = {f"{stem}.md": doc.full()}
    for audience in spec.spec.audiences:
        out[f"{stem}.{audience.name.name}.md"] = doc.for_audience(audience)
    return out
