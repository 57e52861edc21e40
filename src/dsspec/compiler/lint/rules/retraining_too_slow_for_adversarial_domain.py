from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.reach import is_adversarial, where
from dsspec.compiler.model import nodes as n

EVERY = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400, "monthly": 30 * 86400}


class RetrainingTooSlowForAdversarialDomain(Rule):
    """A model in an adversarial domain is retrained rarely, on demand, or never.

    Stage: operations

    ## What it does
    For a model whose domain is declared `adversarial` (in the model or in
    the `ecosystem`), flags a `training` `schedule` of `on_demand` or longer
    than the `adversarial-retraining` threshold (14 days by default), and a
    `training` section with no `schedule`.

    ## Why it matters
    Fraudsters, spammers and phishers probe a model and change tactics as
    soon as it blocks them; its recall decays in weeks, not quarters.
    Retraining "when needed" means retraining after the losses show up.
    A fixed, short cadence (and a label feed fast enough to support it)
    keeps the model on the current attacks.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { adversarial "phishing kits change within days" }
    model m { task binary_classification }
    training { schedule on_demand }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { adversarial "phishing kits change within days" }
    model m { task binary_classification }
    training { schedule daily }
    ```
    """

    code = "DS754"
    name = "retraining-too-slow-for-adversarial-domain"
    severity = Severity.WARNING
    stage = "operations"

    def check(self, spec, ctx):
        limit = ctx.thresholds["adversarial_retraining"]
        for model in spec.models.values():
            declared = is_adversarial(spec, model)
            train = spec.for_model(spec.spec.training, model)
            if declared is None or train is None:
                continue
            related = (Related(where(spec, declared), declared.spans.get("adversarial", declared.header),
                               "adversarial domain"),)
            if train.schedule is None:
                if "schedule" not in train.spans:
                    yield Hit(train.header, f"`{model.name.name}` faces an adversary but has no retraining `schedule`",
                              "add `schedule daily` or `weekly`: attacks change faster than an ad-hoc retrain",
                              related)
                continue
            shown = n.show_schedule(train.schedule)
            seconds = train.schedule.value if isinstance(train.schedule, n.Quantity) else EVERY.get(shown)
            if seconds is not None and seconds <= limit:
                continue
            yield Hit(train.spans["schedule"],
                      f"`{model.name.name}` faces an adversary but is retrained `{shown}`",
                      "retrain on a fixed short cadence (`schedule daily` or `weekly`), with labels that arrive "
                      "fast enough to feed it", related)
