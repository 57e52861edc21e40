from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.facts import in_use
from dsspec.compiler.lint.base import Hit, Rule


class CensoredLabelsUncorrected(Rule):
    """The labels are censored and the design applies no correction.

    Stage: system design

    ## What it does
    Flags a source with `censored_by CAUSE` (the observed value is capped:
    sales stop at the stock on the shelf, a wait ends when the user leaves)
    that states no `correction`.

    ## Why it matters
    Sales are not demand: on a day the shelf ran empty, the true demand was
    higher than the units sold. A forecast trained on censored sales learns
    to predict the stockouts it causes, orders less, and causes more of
    them. Mark or drop the censored days, or model the censoring (unconstrain
    demand, a Tobit or survival loss), and say which.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source sales { kind labels; label_delay 1d; censored_by stockouts }
    model m { task forecasting; labels sales }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source sales {
      kind        labels
      label_delay 1d
      censored_by stockouts "no sales once the shelf is empty"
      correction  unconstrain "Days with a stockout are re-estimated from the hours before it"
    }
    model m { task forecasting; labels sales }
    ```
    """

    code = "DS354"
    name = "censored-labels-uncorrected"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        for source in spec.sources.values():
            if source.censored_by is None or source.corrections or "correction" in source.spans:
                continue
            place = in_use(spec, "source", source)
            if place is None:
                continue
            cause = source.censored_by.cause.name
            yield Hit(place.at(source.spans["censored_by"]),
                      place.named(f"labels `{source.name.name}`") + " are censored by `{cause}` and the design does not correct them",
                      place.help(f"state how: drop or flag the `{cause}` cases, or model them "
                      "(`correction unconstrain \"...\"`, a censored loss)"), place.related)
