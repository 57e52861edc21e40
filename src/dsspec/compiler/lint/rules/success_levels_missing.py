from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import success_blocks

LEVELS = ("optimal", "acceptable", "worst")


class SuccessLevelsMissing(Rule):
    """The operator's `success` lacks an `optimal`, `acceptable` or `worst` level.

    Stage: operator

    ## What it does
    Flags a `success` block that does not give all three levels of its
    metric; one finding names the missing ones.

    ## Why it matters
    The three levels turn a metric into decisions: `optimal` is the target,
    `acceptable` the level worth shipping, `worst` the level at which to roll
    back. With one missing, nobody agreed in advance when to ship or when to
    pull the model, and the decision gets made under pressure.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      success recall { optimal >= 0.70 }
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      success recall {
        optimal    >= 0.70
        acceptable >= 0.55
        worst      <= 0.40
      }
    }
    ```
    """

    code = "DS201"
    name = "success-levels-missing"
    severity = Severity.WARNING
    stage = "operator"

    def check(self, spec, ctx):
        for _, success in success_blocks(spec):
            yield from self.gaps(success)

    def gaps(self, success):
        missing = [f"`{level}`" for level in LEVELS if success.lacks(level)]
        if missing:
            listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " or " + missing[-1]
            yield Hit(success.header, f"`success {success.metric.name}` has no {listed} level",
                      "give all three: `optimal` (the target), `acceptable` (worth shipping), "
                      "`worst` (roll back)")
