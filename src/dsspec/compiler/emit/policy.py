"""The rollout plan and the label policy, in words, for the diagram and the design documents.

``policy_lines``, ``timing_lines`` and ``rollout_lines`` are the lines the
element makers of ``parts`` draw (a label source's policy, entity keys and
late fields, a rollout's stages); ``rollout_section``, ``label_rows``,
``leakage_rows`` and ``trigger`` feed the Markdown documents (the PM brief's
rollout plan and guardrails, the staff-DS review's label policy and leakage
guards, the engineer runbook's rollback triggers).
"""

from __future__ import annotations

from dsspec.compiler.emit.mdtext import code, md, table
from dsspec.compiler.emit import words
from dsspec.compiler.emit.metric_words import gloss
from dsspec.compiler.emit.words import names as _fields
from dsspec.compiler.lint import facts, reach
from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.resolve import Resolved


def policy_lines(src: n.Source) -> list[str]:
    """Return how a source's labels came about, one short line each."""
    lines = []
    if src.logged_by:
        how = [f"{src.exploration.text} explored"] if src.exploration else []
        how += ["propensities logged"] if src.propensities and src.propensities.name == "yes" else []
        lines.append(f"logged by {src.logged_by.name}")
        lines.append(", ".join(how) if how else "no exploration")
    for word, bias in (("censored by", src.censored_by), ("selected by", src.selected_by)):
        if bias is not None:
            lines.append(f"{word} {bias.cause.name}")
    if src.proxy_for:
        lines.append(f"proxy for {src.proxy_for.name}")
    if src.corrections:
        lines.append("corrected: " + ", ".join(c.cause.name for c in src.corrections))
    if src.zero_share:
        lines.append(f"zero {src.zero_share.text} of the time")
    return lines


def timing_lines(section: n.Source | n.Input) -> list[str]:
    """Return a source's or input's entity keys and fields known only after the outcome."""
    lines = [f"entity: {_fields(section.entity, 3)}"] if section.entity else []
    if section.after_outcome:
        lines.append(f"after outcome: {_fields(section.after_outcome, 3)}")
    return lines


def rollout_lines(plan: n.Rollout, success: n.Success | None) -> list[str]:
    """Return a rollout's stages, guardrails and rollback triggers, one short line each."""
    lines = [f"shadow {plan.shadow.text}"] if plan.shadow else []
    if plan.canary:
        lines.append(f"canary {plan.canary.share.text}" + (f" for {plan.canary.duration.text}"
                                                           if plan.canary.duration else ""))
    exp = plan.experiment
    if exp is not None:
        parts = [x for x in (exp.share.text if exp.share else "", exp.duration.text if exp.duration else "") if x]
        lines.append(f"A/B by {exp.unit.name}" + (f" · {' · '.join(parts)}" if parts else ""))
        if exp.primary:
            lines.append(f"decides on {exp.primary.name}")
    guards = [g for g in (*plan.guardrails, *(exp.guardrails if exp else ())) if g is not None]
    if guards:
        lines.append(f"guardrails: {_fields(guards, 3)}")
    for rb in plan.rollbacks:
        if rb.trigger is not None and success is not None and success.worst is not None:
            lines.append(f"rollback: {success.metric.name} {success.worst.show()}")
        else:
            lines.append(f"rollback: {rb.show()}")
    return lines


def rollout_section(spec: Resolved) -> list[str]:
    """Return the rollout plan: shadow run, canary, experiment, guardrails and rollback triggers."""
    out = ["## Rollout plan", ""]
    if not spec.spec.rollout:
        return out + ["*No rollout plan: the model would reach everyone at once.*", ""]
    for plan in spec.spec.rollout:
        model = spec.model_of.get(id(plan))
        if model is not None and len(spec.spec.models) > 1:
            out += [f"### {code(model.name.name)}", ""]
        steps = [f"Shadow run for {md(plan.shadow.text)}: outputs are logged, not used."] if plan.shadow else []
        if plan.canary:
            steps.append(f"Canary: {md(plan.canary.share.text)} of traffic" +
                         (f" for {md(plan.canary.duration.text)}." if plan.canary.duration else "."))
        exp = plan.experiment
        if exp is not None:
            size = ", ".join(x for x in (f"{md(exp.share.text)} in treatment" if exp.share else "",
                                         f"for {md(exp.duration.text)}" if exp.duration else "") if x)
            steps.append(f"Online experiment randomised by {code(exp.unit.name)}" + (f", {size}" if size else "")
                         + (f", deciding on {code(exp.primary.name)}." if exp.primary else "."))
            if exp.decide:
                steps.append(words.sentence(f"Decision rule: {md(exp.decide.value)}"))
        guards = list(dict.fromkeys(g.name for g in (*plan.guardrails, *(exp.guardrails if exp else ()))))
        steps.append("Guardrails: " + (", ".join(code(g) for g in guards) if guards else "*none stated*") + ".")
        steps += [f"Roll back when {trigger(spec, rb, model)}." for rb in plan.rollbacks] or \
            ["Roll back: *no trigger stated*."]
        out += [f"{i}. {step}" for i, step in enumerate(steps, 1)] + [""]
    return out


def trigger(spec: Resolved, rb: n.Rollback, model: n.Model | None) -> str:
    """Return a rollback trigger in words, with the `worst` level it stands for."""
    goal = reach.success(spec, model)
    if rb.trigger is not None and goal is not None and goal.worst is not None:
        what = f"{code(goal.metric.name)} is {md(goal.worst.show())} (its worst level)"
    elif rb.trigger is not None:
        what = "the success metric reaches its worst level (*not stated*)"
    else:
        what = f"{code(rb.metric.name)} is {md(rb.bound.show())}"
    return what + (f": {md(rb.description.value)}" if rb.description else "")


def label_rows(spec: Resolved, model: n.Model) -> list[list[str]]:
    """Return the label policy of the model's label source as table rows."""
    src = facts.label_source(spec, model)
    if src is None:
        return []
    rows = []
    if src.logged_by:
        how = [f"{md(src.exploration.text)} explored"] if src.exploration else []
        how += ["propensities logged"] if src.propensities and src.propensities.name == "yes" else []
        rows.append(["labels logged by", code(src.logged_by.name) + (f" ({', '.join(how)})" if how
                                                                      else " (no exploration)")])
    for label, bias in (("labels censored by", src.censored_by), ("labels selected by", src.selected_by)):
        if bias is not None:
            rows.append([label, code(bias.cause.name) + (f": {md(bias.description.value)}"
                                                         if bias.description else "")])
    if src.proxy_for:
        rows.append(["labels stand in for", code(src.proxy_for.name)])
    for c in src.corrections:
        rows.append(["label correction", code(c.cause.name) + (f": {md(c.description.value)}"
                                                               if c.description else "")])
    if src.zero_share:
        rows.append(["zero outcomes", md(src.zero_share.text)])
    return rows


def leakage_rows(spec: Resolved, model: n.Model, tr, ev, immature: bool = False) -> list[list[str]]:
    """Return the guards against leakage: entity keys and the split, late fields, the label-maturity gap
    (said to be still maturing when ``immature``: `label-maturity` found it, so document and linter agree)."""
    rows = []
    labels = facts.label_source(spec, model)
    sources = reach.model_sources(spec, model) + ([labels] if labels else [])
    keys = reach.entity_keys(spec, sources, facts.model_inputs(spec, model))
    if keys:
        split = ev.split if ev is not None else None
        if split is not None and split.group is not None and split.group.name in {k.name for _, k in keys}:
            how = " — the split groups by it"
        elif split is not None and split.kind.name == "random":
            how = " — *split at random: one entity's rows fall on both sides*"
        else:
            how = f" — split by {md(split.kind.name)}" if split is not None else " — *no split stated*"
        rows.append(["entity keys", ", ".join(code(k.name) for _, k in keys) + how])
    late = [f.name for s in (*sources, *facts.model_inputs(spec, model)) for f in s.after_outcome]
    if late:
        rows.append(["known only after the outcome", ", ".join(code(f) for f in dict.fromkeys(late))])
    if tr and ev and tr.window and ev.window and labels and labels.label_delay:
        gap = (ev.window.start - tr.window.end).days - 1
        between = (f"{words.days(gap)} between training and test" if gap >= 0 else
                   f"*the test window overlaps training by {words.days(-gap)}*")
        timing = facts.label_timing(spec, model)
        final = ("" if not timing else f"; the last training day's labels are final on {timing.ready}"
                 if not timing.beyond else f"; the last training day's labels are final after {timing.ready}, "
                 "beyond the calendar")
        rows.append(["gap before the test", f"{between}; labels final after {md(labels.label_delay.text)}{final}" +
                     (", so the last training days' labels were still maturing when the test started"
                      if immature and timing else "")])
    return rows



def metric_of(spec: Resolved, model: n.Model) -> str | None:
    """Return the name of the success metric ``model`` is judged on: its own, else the product's."""
    sc = reach.success(spec, model)
    return sc.metric.name if sc else None


def model_success(spec: Resolved) -> list[str]:
    """Return the table of the models judged on their own success metric (a component of a pipeline)."""
    rows = [[code(m.name.name), code(m.success.metric.name) + (f" at {code(m.success.at.metric.name)} "
                                                               f"{md(m.success.at.bound.show())}" if m.success.at else ""),
             md(gloss(m.success.metric.name) or "—"),
             *(md(getattr(m.success, lvl).show()) if getattr(m.success, lvl) else "—"
               for lvl in ("optimal", "acceptable", "worst"))]
            for m in spec.spec.models if m.success is not None]
    if not rows:
        return []
    return ["Models judged on their own success metric (the product's metric above stays the end-to-end one):",
            ""] + table(["model", "success metric", "what it measures", "optimal", "acceptable", "worst"], rows)


def protected_rows(spec: Resolved, model: n.Model) -> list[list[str]]:
    """Return the protected fields of the model's sources, to keep for fairness slices and out of ``reads``."""
    tr = spec.for_model(spec.spec.training, model)
    sources = [*reach.model_sources(spec, model), facts.label_source(spec, model),
               *reach.sources_of(spec, list(tr.from_) if tr else [])]
    fields = [f.name for s in sources if s is not None for f in s.protected]
    if not fields:
        return []
    ev = spec.for_model(spec.spec.evaluation, model)
    sliced = {f.name for f in ev.slices} if ev else set()
    return [["protected fields", ", ".join(code(f) + (" (sliced)" if f in sliced else "")
                                           for f in dict.fromkeys(fields))]]


def rollout_summary(spec: Resolved) -> str:
    """Return the rollout plans in one product sentence: the stages, the guardrails, when it rolls back."""
    said = []
    for plan in spec.spec.rollout:
        model = spec.model_of.get(id(plan))
        stages = [f"a {md(plan.shadow.text)} shadow run"] if plan.shadow else []
        if plan.canary:
            stages.append(f"a canary on {md(plan.canary.share.text)} of traffic")
        exp = plan.experiment
        if exp is not None:
            stages.append(f"an experiment by {code(exp.unit.name)}" + (f" deciding on {code(exp.primary.name)}"
                                                                       if exp.primary else ""))
        guards = list(dict.fromkeys(g.name for g in (*plan.guardrails, *(exp.guardrails if exp else ()))))
        text = (f"{code(model.name.name)} ships" if model is not None else "It ships") + " after " + (
            ", then ".join(stages) if stages else "*no stated stage*")
        text += (", guarded by " + words.names_and([code(g) for g in guards])) if guards else ", with no guardrail"
        goal = reach.success(spec, model)
        if any(rb.trigger is not None for rb in plan.rollbacks) and goal is not None and goal.worst is not None:
            text += f", and rolls back at {code(goal.metric.name)} {md(goal.worst.show())}"
        said.append(text + ".")
    return " ".join(said) if said else "*No rollout plan is stated.*"
