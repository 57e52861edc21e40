from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.facts import in_use
from dsspec.compiler.lint.base import Hit, Rule


class SelectiveLabelsUncorrected(Rule):
    """Outcomes are known only for selected cases and the design applies no correction.

    Stage: system design

    ## What it does
    Flags a source with `selected_by CAUSE` (outcomes exist only for the
    cases a past decision let through: approved loans, opened tickets,
    audited claims) that states no `correction`.

    ## Why it matters
    Repayment is only known for applicants who were approved. A model
    trained on them never sees the rejected ones, so it is scored on the
    easy part of the population and is overconfident on the rest, which is
    exactly where the new model changes decisions. Reject inference, a
    randomised approval band, or outcomes from a bureau for the rejected
    applicants give the model the missing side.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source repayments { kind labels; label_delay 365d; selected_by approvals }
    model m { task binary_classification; labels repayments }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source repayments {
      kind        labels
      label_delay 365d
      selected_by approvals "outcomes only for approved applicants"
      correction  reject_inference "Bureau outcomes of rejected applicants who borrowed elsewhere"
    }
    model m { task binary_classification; labels repayments }
    ```
    """

    code = "DS355"
    name = "selective-labels-uncorrected"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        for source in spec.sources.values():
            if source.selected_by is None or source.corrections or "correction" in source.spans:
                continue
            place = in_use(spec, "source", source)
            if place is None:
                continue
            cause = source.selected_by.cause.name
            yield Hit(place.at(source.spans["selected_by"]),
                      place.named(f"labels `{source.name.name}`") + f" exist only for cases selected by `{cause}`, with no correction",
                      place.help("add outcomes for the unselected cases: `correction reject_inference \"...\"`, a "
                      "randomised band, or outcomes from another source"), place.related)
