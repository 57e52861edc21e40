from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.facts import in_use
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.reach import where


class PostOutcomeFeature(Rule):
    """A model reads a field that is only known after the outcome it predicts.

    Stage: system design

    ## What it does
    Flags an `input` read by a model when the input is `known_at after_outcome`,
    or when its `fields` include a field that the input or one of its `from`
    sources lists under `after_outcome`. One finding per input names every
    such field.

    ## Why it matters
    A field filled in after the outcome (the time the food was ready, the
    date a claim was paid, the diagnosis code written at discharge) is not
    there when the model must answer. Offline it leaks the answer into the
    features and the model looks excellent; in production the field is
    empty or stale and the model fails exactly where it was trusted.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source orders { kind stream; after_outcome [food_ready_at, delivered_at] }
    input order { from orders; fields [basket_size, food_ready_at]; known_at request }
    model m { task regression; reads order }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source orders { kind stream; after_outcome [food_ready_at, delivered_at] }
    input order { from orders; fields [basket_size, kitchen_queue_length]; known_at request }
    model m { task regression; reads order }
    ```
    """

    code = "DS350"
    name = "post-outcome-feature"
    severity = Severity.ERROR
    stage = "system design"

    def check(self, spec, ctx):
        read = {r.name for model in spec.models.values() for r in model.reads}
        for inp in spec.inputs.values():
            place = in_use(spec, "input", inp) if inp.name.name in read else None
            if place is None:
                continue
            if inp.known_at is not None and inp.known_at.name == "after_outcome":
                yield Hit(place.at(inp.spans["known_at"]), "a model reads " + place.named(f"input `{inp.name.name}`")
                          + ", which is only known after the outcome", place.help("replace it with what is known when the model answers "
                          "(`known_at request` or `precomputed`), or drop it"), place.related)
                continue
            late: dict[str, tuple[str, object]] = {}
            for f in inp.after_outcome:
                late.setdefault(f.name, (where(spec, inp), inp.spans["after_outcome"]))
            for ref in inp.from_:
                source = spec.sources.get(ref.name)
                for f in source.after_outcome if source else ():
                    late.setdefault(f.name, (where(spec, source), source.spans["after_outcome"]))
            leaked = [f for f in inp.fields if f.name in late]
            if not leaked:
                continue
            names = ", ".join(f"`{f.name}`" for f in leaked)
            path, span = late[leaked[0].name]
            yield Hit(place.at(inp.spans.get("fields", inp.header)),
                      place.named(f"input `{inp.name.name}`") + f" passes {names}, only known after the outcome",
                      place.help("drop it; use what is known when the model answers instead (a queue length, a "
                                 "historical average)"), (*place.related, Related(path, span, "known after the outcome")))
