from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule

AUDIENCES = ("pm", "staff_ds", "engineer")
EXAMPLES = {"pm": "[summary, goals, metrics]", "staff_ds": "[model_card, evaluation, ladder]",
            "engineer": "[interface, slo, fallback]"}


class AudienceMissing(Rule):
    """The design does not say what the PM, the staff data scientist or the engineers receive.

    Stage: audience

    ## What it does
    Flags a spec that lacks an `audience` section for any of `pm`,
    `staff_ds` and `engineer`, naming all the missing ones in one finding.

    ## Why it matters
    Each reader needs a different cut of the design: the PM the story and
    the goals, the staff data scientist the ladder and the evaluation, the
    engineers the interface, SLOs and fallback. A design that skips one of
    them leaves that reader to dig it out, or to miss it.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    audience pm { gets [summary, goals, metrics] }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    audience pm       { gets [summary, goals, metrics] }
    audience staff_ds { gets [model_card, evaluation, ladder] }
    audience engineer { gets [interface, slo, fallback] }
    ```
    """

    code = "DS601"
    name = "audience-missing"
    severity = Severity.WARNING
    stage = "audience"

    def check(self, spec, ctx):
        present = {a.name.name for a in spec.spec.audiences}
        missing = [a for a in AUDIENCES if a not in present]
        if not missing:
            return
        names = ", ".join(f"`{a}`" for a in missing)
        yield Hit(spec.spec.product.header, f"no `audience` section for {names}",
                  "add " + "; ".join(f"`audience {a} {{ gets {EXAMPLES[a]} }}`" for a in missing))
