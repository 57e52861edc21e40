from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule


class ProtectedAttributeReachesModel(Rule):
    """A model reads a field its source marks as `protected`.

    Stage: system design

    ## What it does
    Follows each model's `reads` to its inputs, and each input's `fields`
    to the sources it reads `from`, and flags a field that a source lists
    under `protected` (age, sex, ethnicity, and their close proxies). One
    finding per input names every such field.

    ## Why it matters
    A protected attribute as a feature lets the model decide on who a
    person is: in credit, hiring or insurance that is unlawful disparate
    treatment, and it makes the model's fairness impossible to argue. The
    attribute still belongs in the design: kept out of the features, it is
    what the fairness slices of the evaluation are cut by.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source applications { kind table; protected [age, sex] }
    input applicant { from applications; fields [income, debt_ratio, age] }
    model m { task binary_classification; reads applicant }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source applications { kind table; protected [age, sex] }
    input applicant { from applications; fields [income, debt_ratio] }
    input demographics { from applications; fields [age, sex] }
    model m { task binary_classification; reads applicant }
    evaluation { slices [age, sex] }
    ```
    """

    code = "DS313"
    name = "protected-attribute-reaches-model"
    severity = Severity.ERROR
    stage = "system design"

    def check(self, spec, ctx):
        for model in spec.spec.models:
            for ref in model.reads:
                inp = spec.inputs.get(ref.name)
                if inp is None:
                    continue
                for source_ref in inp.from_:
                    source = spec.sources.get(source_ref.name)
                    protected = {p.name for p in source.protected} if source else set()
                    hit = [f.name for f in inp.fields if f.name in protected]
                    if not hit:
                        continue
                    names = ", ".join(f"`{x}`" for x in hit)
                    yield Hit(ref.span,
                              f"model `{model.name.name}` reads {names} through input `{inp.name.name}`: "
                              f"protected in source `{source.name.name}`",
                              f"remove {names} from the `fields` of `{inp.name.name}` (or `{inp.name.name}` from "
                              f"the `reads` of `{model.name.name}`) and keep the attribute for fairness: "
                              f"an input the model does not read, cut by `slices [{', '.join(hit)}]` in the "
                              "evaluation",
                              (Related(spec.origin.get(id(source), spec.spec.path),
                                       source.spans.get("protected", source.header), "marked protected here"),))
