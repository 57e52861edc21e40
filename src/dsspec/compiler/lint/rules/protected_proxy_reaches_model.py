from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import in_use, model_inputs
from dsspec.compiler.lint.rules.protected_attribute_not_sliced import protected_of


class ProtectedProxyReachesModel(Rule):
    """A model reads a field declared a proxy of a protected attribute, and its fairness is not measured.

    Stage: system design

    ## What it does
    Flags a field listed in a source's `proxies` (a field that may stand in
    for a protected attribute: college for gender, graduation year for age,
    postcode for ethnicity) that an input of a model reads, unless the
    model's evaluation slices by the protected attributes of its sources.

    ## Why it matters
    Removing the protected attribute does not remove what a model can learn
    from its proxies: a resume screener penalised the names of women's
    colleges without ever reading the applicant's sex (Dastin 2018). A proxy
    may still be worth its signal, but only where the disparity it can cause
    is measured, slice by slice.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source resumes { kind files; protected [sex, age]; proxies [college, graduation_year] }
    input resume { from resumes; fields [skills, college, graduation_year] }
    model m { task binary_classification; reads resume }
    evaluation { slices [skills] }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source resumes { kind files; protected [sex, age]; proxies [college, graduation_year] }
    input resume { from resumes; fields [skills] }
    model m { task binary_classification; reads resume }
    evaluation { slices [skills, sex, age] }
    ```
    """

    code = "DS362"
    name = "protected-proxy-reaches-model"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        proxies = {ref.name: (src, ref) for src in spec.sources.values() for ref in src.proxies}
        if not proxies:
            return
        for model in spec.models.values():
            ev = spec.for_model(spec.spec.evaluation, model)
            protected = [ref.name for _, ref in protected_of(spec, model)]
            if ev is not None and protected and set(protected) <= {r.name for r in ev.slices}:
                continue
            for inp in model_inputs(spec, model):
                place = in_use(spec, "input", inp)  # an included input the model reads is judged where it is read
                if place is None:
                    continue
                for f in inp.fields:
                    if f.name in proxies:
                        src, ref = proxies[f.name]
                        yield Hit(place.at(f.span), f"`{model.name.name}` reads `{f.name}`" +
                                  (f" (in input `{inp.name.name}`, declared in `{place.declared_in}`)"
                                   if place.declared_in else "") + ", a proxy of a protected attribute, "
                                  "and its fairness is not measured",
                                  "drop the field, or slice the evaluation by the protected attributes it stands in "
                                  "for and state the disparity you accept",
                                  (*place.related,
                                   Related(spec.origin.get(id(src), spec.spec.path), ref.span, "declared a proxy")))
