from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.facts import in_use
from dsspec.compiler.lint.base import Hit, Rule


class PiiReachesModel(Rule):
    """An input passes a field its source marks as `pii` to the model.

    Stage: system design

    ## What it does
    Flags an `input` whose `fields` include a field that one of its `from`
    sources lists under `pii`; one finding per source names all such fields.

    ## Why it matters
    Personal data in the features spreads into training sets, logs and the
    model itself, where it is hard to delete and easy to leak; it also lets
    the model learn who a person is rather than what they did. Usually a
    derived field (a domain, a country, a count) carries the signal without
    the risk.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source tickets { kind stream; pii [email, phone] }
    input ticket { from tickets; fields [subject, body, email] }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source tickets { kind stream; pii [email, phone] }
    input ticket { from tickets; fields [subject, body, email_domain] }
    ```
    """

    code = "DS307"
    name = "pii-reaches-model"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        for inp in spec.inputs.values():
            place = in_use(spec, "input", inp)
            if place is None:
                continue
            for ref in inp.from_:
                source = spec.sources.get(ref.name)
                pii = {p.name for p in source.pii} if source else set()
                leaked = [f.name for f in inp.fields if f.name in pii]
                if not leaked:
                    continue
                names = ", ".join(f"`{x}`" for x in leaked)
                yield Hit(place.at(inp.spans.get("fields", inp.header)),
                          place.named(f"input `{inp.name.name}`") + f" passes {names}, marked `pii` in source `{ref.name}`",
                          place.help("drop the field, or replace it with a derived non-identifying one"),
                          (*place.related, Related(spec.origin.get(id(source), spec.spec.path), source.spans["pii"],
                                   "marked pii here"),))
