"""Prometheus alerting rules from a design's monitoring and success levels (``build --format alerts``).

One rule per tracked metric that has a level to cross: the success metric at
its ``worst`` level, ``latency`` at the operator's target. A metric whose
labels arrive late (``track m delayed 2d``) is judged over a window as long
as its delay (``avg_over_time(...[2d])``): its value only exists once the
outcomes are in. Latency is ``histogram_quantile`` at the target's
percentile; each drift feature gets a rule on its population stability
index; each rollback trigger of a rollout gets its own rule. The file opens
with the contract: the metric names the serving code (or the job that joins
predictions to outcomes) must export. What the spec does not state (a
tracked metric with no level, a drift threshold) is said in a comment, not
invented.

The YAML is written by hand: every string is a JSON string, which YAML reads
as a double-quoted scalar, so no YAML library is needed and no text from a
spec can break the file.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dsspec import __version__
from dsspec.compiler.lint import reach

if TYPE_CHECKING:
    from dsspec.compiler.model import nodes as n
    from dsspec.compiler.model.resolve import Resolved
    from dsspec.compiler.model.values import Comparison

QUANTILES = {"p50": "0.5", "p90": "0.9", "p95": "0.95", "p99": "0.99", "p999": "0.999", "max": "1"}
RATE_WINDOW = "5m"
"""The window of ``rate()`` for the latency histogram: the spec states none; 5m is Prometheus's usual choice."""
PSI_LIMIT = 0.2
"""A population stability index above 0.2 is the usual rule of thumb for a significant shift (Siddiqi, "Credit
Risk Scorecards", 2006); the language states no drift threshold, so the file says where this comes from."""
PROMQL_OPS = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "==", "==": "==", "!=": "!="}


@dataclass
class Rule:
    group: str
    alert: str
    expr: str
    labels: dict[str, str]
    summary: str
    description: str


def ident(text: str) -> str:
    """Return ``text`` as a Prometheus metric-name part."""
    out = re.sub(r"[^a-zA-Z0-9_]", "_", text)
    return out if re.match(r"[a-zA-Z_]", out) else "_" + out


def camel(*parts: str) -> str:
    return "".join(w[:1].upper() + w[1:] for p in parts for w in ident(p).split("_") if w)


def duration(seconds: float) -> str:
    """Return ``seconds`` as a Prometheus duration (``2d``, ``90m``)."""
    s = max(int(round(seconds)), 1)
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if s % size == 0:
            return f"{s // size}{unit}"
    return f"{s}s"


def number(value: float) -> str:
    """Return ``value`` as PromQL writes it, without float noise (8.2min is 492 s, not 491.99999999999994)."""
    return f"{float(value):.12g}"


def unit_note(cmp: Comparison) -> str:
    kind = cmp.operand.kind
    return {"percent": " (a share, exported as a fraction: 1.5% is 0.015)",
            "duration": " (a duration, exported in seconds)", "money": " (money, exported in dollars)"}.get(kind, "")


class Alerts:
    def __init__(self, spec: Resolved):
        self.r = spec
        self.s = spec.spec
        self.prefix = ident(self.s.product.name.name if self.s.product else os.path.splitext(
            os.path.basename(self.s.path))[0])
        self.rules: list[Rule] = []
        self.contract: dict[str, str] = {}
        self.notes: list[str] = []

    def metric(self, name: str, model: n.Model | None, what: str) -> str:
        """Return the selector of metric ``name`` of ``model`` and record it in the contract."""
        full = f"{self.prefix}_{ident(name)}"
        self.contract.setdefault(full, what)
        return full + (f'{{model="{model.name.name}"}}' if model is not None else "")

    def windowed(self, name: str, model: n.Model | None, delay: n.Quantity | None) -> str:
        what = f"gauge: `{name}`" + (f" of model `{model.name.name}` (label `model`)" if model else "")
        sel = self.metric(name, model, what + (", computed once the outcomes are in" if delay else ", live"))
        return f"avg_over_time({sel}[{duration(delay.value)}])" if delay else sel

    def build(self) -> None:
        s = self.s
        several = len(s.models) > 1
        tracked: dict[tuple[int, str], n.Quantity | None] = {}
        for mon in s.monitoring:
            model = self.r.model_of.get(id(mon))
            who = model if several else None
            group = f"{self.prefix}.{model.name.name}" if model is not None else self.prefix
            sc = reach.success(self.r, model)
            for t in mon.tracks:
                tracked[(id(model), t.metric.name)] = t.delayed
                if t.metric.name == "latency":   # the latency rule below, at the operator's target
                    if not (s.operator and s.operator.latency):
                        self.notes.append("`latency` is tracked but the operator states no latency target: no rule")
                    continue
                if sc is not None and sc.worst is not None and t.metric.name == sc.metric.name:
                    expr = f"{self.windowed(t.metric.name, who, t.delayed)} {self.cmp(sc.worst)}"
                    late = (f" over the last {t.delayed.text} of scored outcomes (labels arrive {t.delayed.text} "
                            "late)") if t.delayed else ""
                    self.rules.append(Rule(group, camel(model.name.name if model else "", t.metric.name,
                                                        "worst_level"), expr,
                                           {"severity": "page"} | ({"model": model.name.name} if model else {}),
                                           f"{t.metric.name} is at its worst level ({sc.worst.show()})",
                                           f"{t.metric.name}{late} is {sc.worst.show()}{unit_note(sc.worst)}, "
                                           f"the worst level: roll back to the fallback." + self.page(mon)))
                else:
                    self.notes.append(f"`{t.metric.name}`" + (f" of `{model.name.name}`" if model and several else "")
                                      + " is tracked but has no level in the spec: no rule")
            for feature in mon.drift:
                sel = self.metric("feature_drift_psi", who,
                                  "gauge: population stability index of each drift feature (label `feature`) "
                                  "between the training data and recent requests")
                sel = sel[:-1] + f',feature="{feature.name}"}}' if sel.endswith("}") else \
                    sel + f'{{feature="{feature.name}"}}'
                self.rules.append(Rule(group, camel(model.name.name if model else "", feature.name, "drift"),
                                       f"{sel} > {number(PSI_LIMIT)}",
                                       {"severity": "ticket", "feature": feature.name} |
                                       ({"model": model.name.name} if model else {}),
                                       f"{feature.name} has drifted from the training data",
                                       f"The population stability index of {feature.name} is above "
                                       f"{number(PSI_LIMIT)} (a rule of thumb; the spec states no drift threshold): "
                                       "check the sources, consider retraining." + self.page(mon)))
            if not mon.tracks and not mon.drift:
                self.notes.append("a `monitoring` section tracks nothing: no rule")
        if not s.monitoring:
            self.notes.append("no `monitoring` section: no tracked metric or drift rule")
        op = s.operator
        if op and op.latency:
            q = QUANTILES.get(op.latency.percentile.name, "0.99")
            self.contract[f"{self.prefix}_request_duration_seconds"] = (
                "histogram: seconds to answer one request (its `_bucket` series with a bucket edge at the target)")
            expr = (f"histogram_quantile({q}, sum by (le) (rate({self.prefix}_request_duration_seconds_bucket"
                    f"[{RATE_WINDOW}]))) {_negate(op.latency.target.op)} {number(op.latency.target.operand.value)}")
            self.rules.append(Rule(f"{self.prefix}.service", camel("latency", op.latency.percentile.name, "target"),
                                   expr, {"severity": "page"},
                                   f"{op.latency.percentile.name} latency misses {op.latency.target.show()}",
                                   f"The {op.latency.percentile.name} latency over the last {RATE_WINDOW} (a usual "
                                   f"rate window; the spec states none) misses the target "
                                   f"{op.latency.target.show()}." + (f" Past {op.timeout.text} the fallback answers."
                                                                     if op.timeout and op.fallback else "")))
        for plan in s.rollout:
            model = self.r.model_of.get(id(plan))
            who = model if several else None
            sc = reach.success(self.r, model)
            group = f"{self.prefix}.{model.name.name}.rollout" if model is not None else f"{self.prefix}.rollout"
            for rb in plan.rollbacks:
                if rb.trigger is not None:
                    if sc is None or sc.worst is None:
                        self.notes.append("a rollback `when worst` has no worst level stated: no rule")
                        continue
                    name, cmp = sc.metric.name, sc.worst
                else:
                    name, cmp = rb.metric.name, rb.bound
                delay = tracked.get((id(model), name))
                expr = f"{self.windowed(name, who, delay)} {self.cmp(cmp)}"
                self.rules.append(Rule(group, camel(model.name.name if model else "", "rollback_on", name), expr,
                                       {"severity": "page", "action": "rollback"} |
                                       ({"model": model.name.name} if model else {}),
                                       f"roll back: {name} is {cmp.show()}",
                                       f"The rollout's rollback trigger: {name} is {cmp.show()}{unit_note(cmp)}"
                                       + (f" — {rb.description.value}" if rb.description else "") + "."))

    def page(self, mon: n.Monitoring) -> str:
        return f" Page: {mon.alert.value}." if mon.alert else " Nobody is named to page (`alert` is missing)."

    @staticmethod
    def cmp(c: Comparison) -> str:
        return f"{PROMQL_OPS.get(c.op, c.op)} {number(c.operand.value)}"

    def text(self) -> str:
        title = self.s.product.title.value if self.s.product and self.s.product.title else self.prefix
        out = [f"# Prometheus alerting rules for {_comment(title)}, generated by dsspec {__version__}",
               f"# from {_comment(os.path.basename(self.s.path))}; edit the spec, not this file.",
               "# Check with: promtool check rules FILE",
               "#",
               "# The contract: the serving code (or the job that joins predictions to outcomes)",
               "# exports these metrics; shares as fractions, durations in seconds."]
        out += [f"#   {name}  {_comment(what)}" for name, what in sorted(self.contract.items())] or \
            ["#   (none: the spec tracks nothing these rules could read)"]
        if self.notes:
            out += ["#", "# Not alerted:"] + [f"#   {_comment(n_)}" for n_ in self.notes]
        if any("avg_over_time" in rule.expr for rule in self.rules):
            out += ["#", "# A delayed metric is averaged over its label delay: a window longer than the server's",
                    "# retention (15d by default) needs a longer --storage.tsdb.retention.time or a long-term store."]
        out.append("#")
        out.append("# No `for:` duration is set: the spec states none (a delayed metric is already averaged "
                   "over its delay).")
        groups: dict[str, list[Rule]] = {}
        for rule in self.rules:
            groups.setdefault(rule.group, []).append(rule)
        if not groups:
            return "\n".join(out + ["groups: []"]) + "\n"
        out.append("groups:")
        for name, rules in groups.items():
            out += [f"  - name: {_q(name)}", "    rules:"]
            seen: dict[str, int] = {}
            for rule in rules:
                seen[rule.alert] = seen.get(rule.alert, 0) + 1
                alert = rule.alert + (str(seen[rule.alert]) if seen[rule.alert] > 1 else "")
                out += [f"      - alert: {_q(alert)}", f"        expr: {_q(rule.expr)}", "        labels:"]
                out += [f"          {k}: {_q(v)}" for k, v in rule.labels.items()]
                out += ["        annotations:", f"          summary: {_q(rule.summary)}",
                        f"          description: {_q(rule.description)}"]
        return "\n".join(out) + "\n"


def _negate(op: str) -> str:
    return {"<": ">=", "<=": ">"}.get(op, ">")


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)


def _comment(text: str) -> str:
    """Return ``text`` on one line of printable characters (YAML forbids control characters, even in comments)."""
    return " ".join("".join(c if c.isprintable() else "?" for c in text).split())


def render(spec: Resolved) -> str:
    """Return the alerting rules of ``spec`` as YAML text."""
    a = Alerts(spec)
    a.build()
    return a.text()
