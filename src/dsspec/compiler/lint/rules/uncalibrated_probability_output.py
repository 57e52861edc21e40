from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.facts import in_use
from dsspec.compiler.lint.base import Hit, Rule


class UncalibratedProbabilityOutput(Rule):
    """A probability output is not declared `calibrated yes`.

    Stage: system design

    ## What it does
    Flags an `output` of `type probability` that says `calibrated no`, or
    says nothing about calibration.

    ## Why it matters
    Consumers read a probability as a probability: they multiply it by
    costs, compare it with fixed thresholds, show it to people. Raw model
    scores (boosted trees, neural nets) are rarely calibrated, so those
    decisions are off by an unknown factor. Calibrate it, or call it a
    `score`.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    output fraud_score { type probability }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    output fraud_score { type probability; calibrated yes }
    ```
    """

    code = "DS312"
    name = "uncalibrated-probability-output"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        for output in spec.outputs.values():
            place = in_use(spec, "output", output)
            if place is None or output.type is None or output.type.name != "probability":
                continue
            fix = place.help("calibrate it on held-out data (Platt or isotonic) and write `calibrated yes`; if its consumers only "
                   "rank or threshold it, declare it `type score`")
            if output.lacks("calibrated"):
                yield Hit(place.span, place.named(f"probability output `{output.name.name}`") +
                          " does not say it is calibrated", fix, place.related)
            elif output.calibrated is not None and output.calibrated.name != "yes":
                yield Hit(place.at(output.spans["calibrated"]),
                          place.named(f"probability output `{output.name.name}`") + " is not calibrated", fix,
                          place.related)
