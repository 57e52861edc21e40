from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule


class PopulationNotCovered(Rule):
    """The model is served to a population that neither its training nor its evaluation covers.

    Stage: system design

    ## What it does
    Compares the `population` of a model's `serving` (regions, sites,
    segments, periods) with those of its `training` and `evaluation`, and
    flags each served group that neither of them names. It needs the served
    population and at least one of the other two.

    ## Why it matters
    A sepsis model trained and tested on one hospital's patients met other
    hospitals' coding habits, case mix and lab panels, and its quality fell
    far below what was reported (Wong et al. 2021). A model trained on one
    city meets streets it has never seen. A group that is at least in the
    evaluation has been measured; one in neither is served blind.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    training { population [hospital_a] }
    evaluation { population [hospital_a] }
    serving { mode online; population [hospital_a, hospital_b, hospital_c] }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    training { population [hospital_a] }
    evaluation { population [hospital_a, hospital_b, hospital_c] }
    serving { mode online; population [hospital_a, hospital_b, hospital_c] }
    ```
    """

    code = "DS361"
    name = "population-not-covered"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        for serving in spec.spec.serving:
            model = spec.model_of.get(id(serving))
            if model is None or not serving.population:
                continue
            tr = spec.for_model(spec.spec.training, model)
            ev = spec.for_model(spec.spec.evaluation, model)
            known = [s for s in (tr, ev) if s is not None and s.population]
            if not known:
                continue
            covered = {r.name for s in known for r in s.population}
            blind = [r.name for r in serving.population if r.name not in covered]
            if blind:
                shown = ", ".join(f"`{x}`" for x in blind)
                yield Hit(serving.spans["population"],
                          f"`{model.name.name}` is served to {shown}, which neither its training nor its "
                          "evaluation covers",
                          "evaluate on the served groups before serving them (add them to the evaluation's "
                          "`population`), or serve only the groups it was trained or tested on",
                          tuple(Related(spec.spec.path, s.spans["population"], "covered here") for s in known))
