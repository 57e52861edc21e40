from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import CLASSIFICATION_TASKS, in_use, label_source, model_inputs
from dsspec.compiler.lint.reach import success, where
from dsspec.compiler.lint.rules.mape_on_intermittent_data import MAPE, mape_use, zero_share_of


def mape_decides(spec, model) -> bool:
    """Tell whether MAPE judges the model where zeros matter: it decides, or a forecast lists it."""
    if mape_use(spec, model) is None:
        return False
    if model.task is not None and model.task.name == "forecasting":
        return True  # intermittent demand: the case where zeros are common
    ev = spec.for_model(spec.spec.evaluation, model)
    goal = success(spec, model)
    return (ev is not None and ev.primary is not None and ev.primary.name in MAPE) or \
        (goal is not None and goal.metric.name in MAPE)


class FactMissing(Rule):
    """A rule needs a fact to judge the design, and the spec leaves it out.

    Stage: system design

    ## What it does
    Reports, once per fact and declaration, a fact that another rule needs
    and the spec does not state:

    - `minority_share` of a label source, when the model is judged on
      `accuracy` (needed by `accuracy-on-imbalanced-labels`);
    - `zero_share` of a label source, when `mape` decides (the evaluation's
      `primary` or the success metric), or a forecast lists it among its
      `metrics` (needed by `mape-on-intermittent-data`); a secondary MAPE
      beside another deciding metric, on a target that is not a forecast
      (a price, a duration), is not worth the question;
    - `label_delay` of a model's label source that is not `kind labels`
      (needed by `label-maturity` and `delayed-labels-tracked-live`);
    - `freshness` of a source read by an input that states the freshness it
      needs (needed by `stale-source`).

    The `label_delay` of a `kind labels` source is `label-delay-unknown`'s,
    and a per-request price with no `load` is the cost rules' concern.

    ## Why it matters
    A design rule can only judge the facts it is given: with the class
    rarity written in prose and no `minority_share`, accuracy on 0.3%
    positives passes. Leaving a fact out must not buy a clean check. Each
    fact is one line, and stating it lets the rule vouch for the design.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source outcomes { kind labels; label_delay 30d; description "about 0.3% are fraud" }
    model m { task binary_classification; labels outcomes }
    evaluation { metrics [accuracy]; primary accuracy }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source outcomes { kind labels; label_delay 30d; minority_share 0.3% }
    model m { task binary_classification; labels outcomes }
    evaluation { metrics [accuracy, recall]; primary recall }
    ```
    """

    code = "DS357"
    name = "fact-missing"
    severity = Severity.INFO
    stage = "system design"

    def check(self, spec, ctx):
        seen: set[tuple[str, int]] = set()
        for hit, key in (*self.label_facts(spec), *self.freshness(spec)):
            if key not in seen:
                seen.add(key)
                yield hit

    def label_facts(self, spec):
        for model in spec.models.values():
            source = label_source(spec, model)
            place = in_use(spec, "source", source) if source is not None else None
            if place is None:
                continue
            ev = spec.for_model(spec.spec.evaluation, model)
            goal = success(spec, model)
            accuracy = (ev is not None and ev.primary is not None and ev.primary.name == "accuracy") or \
                (goal is not None and goal.metric.name == "accuracy")
            if accuracy and model.task is not None and model.task.name in CLASSIFICATION_TASKS and \
                    source.lacks("minority_share"):
                yield Hit(place.span, place.named(f"label source `{source.name.name}`") + " has no `minority_share`, and "
                          f"`{model.name.name}` is judged on `accuracy`",
                          place.help("add `minority_share PERCENT` (the share of the rarest class), so accuracy on "
                                     "rare classes can be judged"), place.related), ("minority_share", id(source))
            if mape_decides(spec, model) and source.lacks("zero_share") and zero_share_of(spec, model) is None:
                yield Hit(place.span, place.named(f"label source `{source.name.name}`") + " has no `zero_share`, and "
                          f"`{model.name.name}` is judged on `mape`",
                          place.help("add `zero_share PERCENT` (the share of outcomes that are zero; `0%` if "
                                     "none), so MAPE can be judged"), place.related), ("zero_share", id(source))
            if source.lacks("label_delay") and (source.kind is None or source.kind.name != "labels"):
                yield Hit(place.span, place.named(f"`{source.name.name}`") + f" gives the labels of "
                          f"`{model.name.name}` but has no `label_delay`",
                          place.help("add `label_delay DURATION`: how long until the true outcome is known (`0s` "
                                     "if at once)"), place.related), ("label_delay", id(source))

    def freshness(self, spec):
        for model in spec.models.values():
            for inp in model_inputs(spec, model):
                if inp.freshness is None:
                    continue
                for ref in inp.from_:
                    source = spec.sources.get(ref.name)
                    if source is None or not source.lacks("freshness"):
                        continue
                    place = in_use(spec, "source", source)
                    if place is None:
                        continue
                    yield Hit(place.span, f"input `{inp.name.name}` needs data fresher than "
                              f"{inp.freshness.text}, but " + place.named(f"source `{source.name.name}`") +
                              " states no `freshness`",
                              place.help("add `freshness DURATION`: how stale its newest data may be"),
                              (*place.related, Related(where(spec, inp), inp.spans["freshness"], "freshness needed"))), \
                        ("freshness", id(source))
