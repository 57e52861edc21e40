from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.facts import in_use
from dsspec.compiler.lint.base import Hit, Rule


class LabelDelayUnknown(Rule):
    """A label source does not say how late its labels arrive.

    Stage: system design

    ## What it does
    Flags a `source` of `kind labels` without a `label_delay`.

    ## Why it matters
    Outcomes arrive late: chargebacks after weeks, churn after a billing
    cycle. The delay decides how recent the training data can be, how the
    test window is cut, and how long monitoring waits before a metric means
    anything. Unknown, each of those is guessed.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source chargebacks { kind labels }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source chargebacks { kind labels; label_delay 60d }
    ```
    """

    code = "DS311"
    name = "label-delay-unknown"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        for source in spec.sources.values():
            if source.kind is not None and source.kind.name == "labels" and source.lacks("label_delay"):
                place = in_use(spec, "source", source)
                if place is None:
                    continue
                yield Hit(place.span, place.named(f"label source `{source.name.name}`") + " has no `label_delay`",
                          place.help("add `label_delay DURATION`: how long until the true outcome is known "
                                     "(`0s` if at once)"), place.related)
