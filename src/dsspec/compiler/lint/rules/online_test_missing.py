from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.reach import reaches_user, rollout, user_reached


# over a quarter of the traffic a canary exposes too many users to a bug to be one (a 25% cohort,
# one team of four, is the widest still defensible)
CANARY_SHARE = 0.25


class OnlineTestMissing(Rule):
    """A model whose output reaches a user ships with no shadow run, canary or online experiment.

    Stage: operations

    ## What it does
    Flags a model that writes an output going `to` a user when its `rollout`
    (its own, or the product's `rollout` that names no model) has no
    `shadow`, `canary` or `experiment`, or when there is no `rollout` at all.
    Without a rollout the finding starts at the model's `serving` header
    (the model header when it has none). It is an `info`: a design may leave
    the rollout to a later review, but the reader should see that it is open.
    A `canary` over 25% of the traffic, with no shadow run or experiment
    beside it, is flagged too: it is a release to many users, not a test.

    ## Why it matters
    An offline metric is a forecast of the online effect, and often a wrong
    one: the features are served differently, users react to the new
    outputs, the label was a proxy. A shadow run proves the system works on
    live traffic, a canary limits the harm of a bug, and an A/B test is the
    only measure of the change in the goal. Shipping to everyone at once
    leaves a regression to be found by users.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { user app "Shows the estimate" }
    output eta { type value; to app }
    model m { task regression; writes eta }
    serving { mode online }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { user app "Shows the estimate" }
    output eta { type value; to app }
    model m { task regression; writes eta }
    serving { mode online }
    rollout {
      shadow 7d
      canary 5% for 2d
      experiment user { primary on_time_share; guardrails [conversion]; duration 14d }
      rollback when worst
    }
    ```
    """

    code = "DS750"
    name = "online-test-missing"
    severity = Severity.INFO
    stage = "operations"

    def check(self, spec, ctx):
        experiment = self.experiment(spec)
        for model in spec.models.values():
            if not reaches_user(spec, model):
                continue
            plan = rollout(spec, model)
            if plan is not None:
                canary = plan.canary
                if canary is not None and canary.share.value > CANARY_SHARE and not (plan.shadow or plan.experiment):
                    yield Hit(canary.span, f"`canary {canary.share.text}` is not a canary: it sends "
                              f"{canary.share.text} of the traffic to `{model.name.name}` at once",
                              "start small (`canary 5% for 3d`), then widen; or test it as an experiment: "
                              f"`{experiment}`")
                    continue
                if plan.shadow or plan.canary or plan.experiment or \
                        any(k in plan.spans for k in ("shadow", "canary", "experiment")):
                    continue
                yield Hit(plan.header, f"the rollout of `{model.name.name}` has no shadow run, canary or experiment",
                          f"add `shadow 14d`, `canary 5% for 3d` or `{experiment}`")
                continue
            serving = spec.for_model(spec.spec.serving, model)
            yield Hit(serving.header if serving else model.header,
                      f"`{model.name.name}` reaches `{user_reached(spec, model)}` with no rollout plan",
                      f"add `rollout {{ shadow 14d; canary 5% for 3d; {experiment}; rollback when worst }}`, "
                      "or the parts of it that fit")

    @staticmethod
    def experiment(spec) -> str:
        """Return an experiment to suggest: the ecosystem's first moved KPI decides, its `keep` goals guard."""
        goals = [g for g in (spec.spec.ecosystem.goals if spec.spec.ecosystem is not None else [])
                 if g.kpi is not None]
        moved = [g.kpi.name for g in goals if g.direction is not None and g.direction.name != "keep"]
        kept = [g.kpi.name for g in goals if g.direction is not None and g.direction.name == "keep"]
        return (f"experiment user {{ primary {moved[0] if moved else 'KPI'}; "
                f"guardrails [{', '.join(kept) if kept else '...'}] }}")
