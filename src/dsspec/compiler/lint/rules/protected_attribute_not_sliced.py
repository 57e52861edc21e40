from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import label_source, model_inputs


def protected_of(spec, model) -> list:
    """Return ``(source, ref)`` of each protected attribute of the sources a model reads or learns from."""
    sources = [spec.sources[r.name] for i in model_inputs(spec, model) for r in i.from_ if r.name in spec.sources]
    labels = label_source(spec, model)
    if labels is not None:
        sources.append(labels)
    out, seen = [], set()
    for s in sources:
        for ref in s.protected:
            if ref.name not in seen:
                seen.add(ref.name)
                out.append((s, ref))
    return out


class ProtectedAttributeNotSliced(Rule):
    """The sources declare protected attributes that the evaluation does not slice by.

    Stage: metrics

    ## What it does
    Flags an evaluation with `slices` that leave out a protected attribute
    (`protected [age, sex]`) of the sources its model reads or learns from.
    An evaluation with no `slices` at all is `slices-missing`'s concern.

    ## Why it matters
    Declaring an attribute protected keeps it out of the features, but only
    a slice by it shows whether the model serves each group equally well;
    the ML Test Score asks that the model be tested for inclusion (Model 7).
    Slices chosen for the product (region, device) and not the protected
    attributes leave exactly that question unanswered.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source applicants { kind table; protected [age, sex] }
    input application { from applicants; fields [income] }
    model m { task binary_classification; reads application }
    evaluation { slices [income] }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source applicants { kind table; protected [age, sex] }
    input application { from applicants; fields [income] }
    model m { task binary_classification; reads application }
    evaluation { slices [income, age, sex] }
    ```
    """

    code = "DS561"
    name = "protected-attribute-not-sliced"
    severity = Severity.WARNING
    stage = "metrics"

    def check(self, spec, ctx):
        for ev in spec.spec.evaluation:
            model = spec.model_of.get(id(ev))
            if model is None or not ev.slices:
                continue
            sliced = {r.name for r in ev.slices}
            missing = [(s, ref) for s, ref in protected_of(spec, model) if ref.name not in sliced]
            if missing:
                shown = ", ".join(f"`{ref.name}`" for _, ref in missing)
                yield Hit(ev.spans["slices"], f"the evaluation of `{model.name.name}` does not slice by the "
                          f"protected attribute{'s' if len(missing) > 1 else ''} {shown}",
                          f"add {shown} to `slices`, so quality is measured for each group",
                          tuple(Related(spec.origin.get(id(s), spec.spec.path), ref.span, "declared protected")
                                for s, ref in missing))
