"""The operations sections of a design document: service levels, failure, runbook.

A mixin of ``markdown.Document``. The runbook is built from ``monitoring``:
what is tracked and when it is known, the threshold that pages (the
operator's ``worst`` level), who is paged, the fallback and the safe default.
"""

from __future__ import annotations

from dsspec.compiler.emit import words
from dsspec.compiler.emit import policy
from dsspec.compiler.emit.mdtext import code, md, table as _table
from dsspec.compiler.emit.parts import serving_cost
from dsspec.compiler.lint import reach


class OperationSections:
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
                                          f"{sv.replicas.text} replicas" if sv.replicas else "",
                                          f"hosted by {sv.provider.value}" if sv.provider else "",
                                          serving_cost(self.r, sv)) if x)
            rows.append([f"serving {code(model.name.name) if model else ''}".strip(), md(what) or "—"])
        for mon in self.s.monitoring:
            model = self.r.model_of.get(id(mon))
            if mon.alert:   # one row per monitored model of a pipeline, named
                rows.append([f"alerts of {code(model.name.name)}" if model is not None and len(self.s.models) > 1
                             else "alerts", md(mon.alert.value)])   # a pager, a channel or a report: as written
        return ["## Service levels", ""] + self.figure("request_path") + (
            _table(["item", "value"], rows) if rows else ["*None declared.*", ""])

    def fallback(self) -> list[str]:
        op = self.s.operator
        out = ["## When it fails", ""]
        if op and op.fallback:
            out.append(words.sentence(f"- Fallback: {md(op.fallback.kind.name.replace('_', ' '))}" +
                                      (f" — {md(op.fallback.description.value)}" if op.fallback.description
                                       else "")))
        else:
            out.append("- Fallback: *not decided*.")
        out.append(words.sentence(f"- Safe default: {md(op.default.value)}") if op and op.default
                   else "- Safe default: *not decided*.")
        return out + [""]

    def runbook(self) -> list[str]:
        """What is tracked, the threshold that pages (the ``worst`` level), who is paged, and the fallback."""
        out = ["## Runbook", ""]
        op = self.s.operator
        for mon in self.s.monitoring:
            model = self.r.model_of.get(id(mon))
            sc = reach.success(self.r, model)   # a component pages on its own success metric
            if len(self.s.models) > 1 and model is not None:
                out += [f"### {code(model.name.name)}", ""]
            out.append(f"Alerts go to: {md(mon.alert.value)}." if mon.alert else   # a report, a channel or a pager
                       "Alerts go to: *nobody is named (`alert` is missing)*.")
            out.append("")
            rows = []
            for t in mon.tracks:
                threshold = (f"{md(words.comparison(sc.worst))} (the worst level)" if sc and sc.worst and
                             t.metric.name == sc.metric.name else
                             f"{md(op.latency.percentile.name)} misses {md(words.comparison(op.latency.target))} "
                             "(the latency target)" if t.metric.name == "latency" and op and op.latency else
                             "*no threshold declared*")
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
        triggers = [(rb, self.r.model_of.get(id(plan))) for plan in self.s.rollout for rb in plan.rollbacks]
        out += [f"- Roll back when {policy.trigger(self.r, rb, model)}." for rb, model in triggers]
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
