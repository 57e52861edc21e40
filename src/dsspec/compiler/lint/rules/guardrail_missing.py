from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class GuardrailMissing(Rule):
    """Nothing says what must not get worse: no guardrail goal, or an experiment without guardrails.

    Stage: operations

    ## What it does
    Flags an `experiment` in a `rollout` when neither it nor its rollout
    lists `guardrails`. Without any experiment, flags an `ecosystem` whose
    goals all `increase` or `decrease` a KPI, none `keep` one, when no
    rollout lists `guardrails` either.

    ## Why it matters
    Every model that moves a KPI can move another one the wrong way: fewer
    fraud losses through more false declines, more clicks through more
    returns, faster replies through wrong ones. A guardrail names what must
    hold, so the launch decision weighs it and a regression stops the
    rollout instead of surfacing in next quarter's numbers.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { goal fraud_losses decrease 30% }
    model m { task binary_classification }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem {
      goal fraud_losses   decrease 30%
      goal false_declines keep <= 0.8%
    }
    model m { task binary_classification }
    ```
    """

    code = "DS751"
    name = "guardrail-missing"
    severity = Severity.WARNING
    stage = "operations"

    def check(self, spec, ctx):
        eco = spec.spec.ecosystem
        keeps = [g.kpi.name for g in eco.goals if g.direction.name == "keep"] if eco else []
        hint = f"`guardrails [{', '.join(keeps)}]` (the ecosystem's `keep` goals)" if keeps else \
            "`guardrails [KPI, ...]`: what must not get worse"
        experiments = [(r, r.experiment) for r in spec.spec.rollout if r.experiment is not None]
        for plan, exp in experiments:
            if exp.guardrails or plan.guardrails or "guardrails" in exp.spans or "guardrails" in plan.spans:
                continue
            yield Hit(exp.header, f"the experiment by `{exp.unit.name}` has no guardrails: nothing says what "
                      "must not get worse", f"add {hint}")
        if experiments or eco is None or keeps or any(r.guardrails for r in spec.spec.rollout):
            return
        if any(g.direction.name in ("increase", "decrease") for g in eco.goals):
            yield Hit(eco.header, "no goal says what must not get worse: every goal moves a KPI, none `keep`s one",
                      "add `goal KPI keep <= LIMIT` for what the change must not harm (false declines, "
                      "returns, complaints, latency)")
