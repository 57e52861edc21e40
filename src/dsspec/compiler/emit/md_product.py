"""The product-facing sections of a design document: the summary, in product terms.

A mixin of ``markdown.Document``: what changes for whom, the goal, the
success levels and where the chosen model stands, the rollout.
"""

from __future__ import annotations

from dsspec.compiler.emit import words
from dsspec.compiler.emit.metric_words import gloss
from dsspec.compiler.emit.mdtext import code, md
from dsspec.compiler.emit.policy import rollout_summary
from dsspec.compiler.lint import facts
from dsspec.compiler.model import nodes as n

STATUS = {"draft": "a draft, not yet reviewed", "review": "in review", "approved": "approved"}
STANDING = {"optimal": "at the success level", "acceptable": "worth shipping, short of the success level",
            "below acceptable": "not yet worth shipping", "at or past worst": "at the roll-back level"}


MANY_MODELS = 6
"""Past this many models the summary states their offline results in one sentence."""


class ProductSections:
    def summary(self) -> list[str]:
        """What changes for whom, the goal, the success level and the rollout, in product terms."""
        p, eco, s = self.s.product, self.s.ecosystem, self.s
        def val(x, fallback):
            return md(x.value) if x is not None else f"*{fallback} (not stated)*"
        story = (f"**What changes.** {md(self.title())} changes {val(p.improves if p else None, 'the feature')} "
                 f"for {val(p.for_ if p else None, 'the product')}"
                 + (f", in {md(p.within.value)}." if p and p.within else "."))   # no "in the system (not stated)"
        if eco and eco.today:
            story += " " + words.sentence(f"Today: {md(eco.today.value)}")
        if eco and eco.problem:
            story += " " + words.sentence(f"The problem: {md(eco.problem.value)}")
        out = ["## Summary", "", story, ""]
        users = {u.name.name: u for u in (eco.users if eco else [])}
        gets: dict[str, list[str]] = {}   # each user once, with everything it receives
        for o in s.outputs:
            if o.to:
                what = f" ({md(o.description.value)})" if o.description else ""
                through = f", as {code(o.through.name)} confirmed it" if o.through else ""
                gets.setdefault(o.to.name, []).append(f"{code(o.name.name)}{what}{through}")
        receivers = []
        for name, items in gets.items():
            who = users.get(name)
            shown = items if len(items) <= 4 else [*items[:3], f"{len(items) - 3} more outputs"]
            receivers.append(f"{code(name)}" + (f" ({md(who.description.value)})" if who and who.description
                                                 else "") + f" receives {words.names_and(shown)}")
        if len(receivers) > 6:   # a large design: the first few, and how many more the interface lists
            receivers = [*receivers[:5], f"{len(receivers) - 5} more users receive an output each "
                                         "(see the interface)"]
        if receivers:
            out += ["**For whom.** " + words.sentence("; ".join(receivers)), ""]
        if eco and eco.goals:
            goals = "; ".join(self._goal(g) for g in eco.goals)
            out += ["**The goal.** " + goals[:1].upper() + goals[1:] + ".", ""]
        out += self._success_story()
        status = STATUS.get(p.status.name, md(p.status.name)) if p and p.status else STATUS["draft"]
        out += [f"**Rollout.** {rollout_summary(self.r)} The design is {status}" + (f"; its owner is {md(p.owner.value)}" if p and p.owner
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
        explained: set[str] = set()
        at = f" at {code(sc.at.metric.name)} {md(sc.at.bound.show())}" if sc.at else ""
        text = f"**Success.** Measured by {code(sc.metric.name)}{at}{_gloss(sc.metric.name, explained)}"
        if levels["optimal"]:
            text += f": a success at {md(words.comparison(levels['optimal']))}"
        if levels["acceptable"]:
            text += f", worth shipping at {md(words.comparison(levels['acceptable']))}"
        if levels["worst"]:
            text += f", rolled back at {md(words.comparison(levels['worst']))}"
        text += "."
        from dsspec.compiler.emit.parts import verdict

        if len(self.s.models) > MANY_MODELS:   # one sentence for all, not one per model
            reached = [(m, facts.chosen_step(m)) for m in self.s.models]
            values = [(m, st.results.get((m.success or sc).metric.name)) for m, st in reached if st is not None]
            values = [(m, v) for m, v in values if v is not None]
            if values:
                standings = [verdict(self.r, v.value, m) for m, v in values]
                counts = {w: standings.count(w) for w in dict.fromkeys(standings) if w}
                low, high = min(v.value for _, v in values), max(v.value for _, v in values)
                span = md(next(v.text for _, v in values if v.value == low)) + (
                    "" if low == high else " to " + md(next(v.text for _, v in values if v.value == high)))
                text += (f" Its {len(values)} models reach {span} offline" +
                         (": " + ", ".join(f"{k} {STANDING.get(w, md(w))}" for w, k in counts.items())
                          if counts else "") + ".")
            return [text, ""]
        for model in self.s.models:
            step = facts.chosen_step(model)
            own = model.success or sc   # a component is judged on its own success metric
            value = step.results.get(own.metric.name) if step else None
            feeds = [code(m.name.name) for m in self.r.downstream(model)]
            if value is None and step is not None and step.results and feeds:
                # a pipeline stage measured on a metric of its own with no levels: say what it reached
                metric, value = next(iter(step.results.items()))
                text += (f" {code(model.name.name)} reaches {code(metric)} {md(value.text)} offline"
                         f"{_gloss(metric, explained)}; it feeds {words.names_and(feeds)}, and no success level is "
                         "set for it.")
                continue
            if value is None:
                continue
            where = verdict(self.r, value.value, model)
            text += (f" {code(model.name.name)} reaches {code(own.metric.name)} {md(value.text)} offline"
                     + _gloss(own.metric.name, explained))
            standing = STANDING.get(where, md(where)) if where else ""
            if own is not sc:   # a component: say what it is for, and that its levels are its own
                text += f"; it feeds {words.names_and(feeds)}" if feeds else ""
                standing = standing.replace("the success level", "its own success level").replace(
                    "the roll-back level", "its own roll-back level")
            text += f": {standing}." if standing else "."
        return [text, ""]


def _gloss(metric: str, explained: set[str]) -> str:
    """Return what ``metric`` measures in plain words, in brackets, the first time the summary names it."""
    plain = gloss(metric) if metric not in explained else None
    explained.add(metric)
    return f" ({md(plain)})" if plain else ""
