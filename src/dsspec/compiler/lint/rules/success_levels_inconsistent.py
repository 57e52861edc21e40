from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import success_blocks
from dsspec.compiler.lint.rules.metric_value_out_of_range import impossible

LEVELS = ("optimal", "acceptable", "worst")


class SuccessLevelsInconsistent(Rule):
    """The `success` levels are out of order for the direction of their metric.

    Stage: operator

    ## What it does
    Orders the thresholds of `optimal`, `acceptable` and `worst` by the
    metric's direction (the metric catalogue says whether higher or lower is
    better; for a metric it does not know, the comparison of `optimal` or
    `acceptable` does) and flags a level that is better than the level
    above it: an `acceptable` beyond `optimal`, or a `worst` beyond
    `acceptable`. For a metric whose direction is known it also flags a
    level whose comparison points the wrong way: `optimal <= 0.70` on
    recall, where higher is better, asks for a recall of at most 0.70.

    ## Why it matters
    Levels out of order cannot all be meant: a model could be "acceptable"
    while better than "optimal", or reach "worst" while still acceptable.
    Usually one threshold has a typo or the direction is the wrong way round,
    and the ship and roll-back decisions built on them would be wrong.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      success recall {
        optimal    >= 0.70
        acceptable >= 0.75
        worst      <= 0.40
      }
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    operator {
      success recall {
        optimal    >= 0.80
        acceptable >= 0.75
        worst      <= 0.40
      }
    }
    ```
    """

    code = "DS206"
    name = "success-levels-inconsistent"
    severity = Severity.ERROR
    stage = "operator"

    def check(self, spec, ctx):
        for _, success in success_blocks(spec):
            yield from self.levels(spec, ctx, success)

    def levels(self, spec, ctx, success):
        metric = success.metric.name
        levels = [(name, getattr(success, name)) for name in LEVELS if getattr(success, name) is not None and
                  not impossible(ctx, metric, getattr(success, name).operand)]  # that is DS520's finding
        higher = ctx.higher_is_better(metric)
        if higher is not None:
            wrong = [(name, c) for name, c in levels if c.op in ("=", "==", "!=") or c.op in ("<", "<=", ">", ">=") and
                     c.op.startswith(">") != (higher if name != "worst" else not higher)]
            for name, c in wrong:
                meant = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(
                    c.op, ">=" if higher == (name != "worst") else "<=")
                way = "higher" if higher else "lower"
                said = "at least" if c.op.startswith(">") else "at most" if c.op.startswith("<") else \
                    ("exactly" if "=" in c.op and c.op != "!=" else "anything but")
                yield Hit(success.spans[name],
                          f"`{name} {c.show()}` asks for {said} {c.operand.text}, but {way} `{metric}` is better: "
                          f"write `{name} {meant} {c.operand.text}`",
                          f"`optimal` and `acceptable` bound the metric from the good side, `worst` from the bad "
                          f"side; if `{metric}` is not what the catalogue says, declare it: "
                          f"`metric {metric} {{ better {'lower' if higher else 'higher'} }}`")
            if wrong:
                return
        if higher is None:
            ops = [c.op for name, c in levels if name != "worst" and c.op in ("<", "<=", ">", ">=")]
            if not ops:
                return
            higher = ops[0].startswith(">")
        for (better, b), (worse, w) in zip(levels, levels[1:]):
            if w.operand.value > b.operand.value if higher else w.operand.value < b.operand.value:
                side = "above" if higher else "below"
                way = "higher" if higher else "lower"
                yield Hit(success.spans[worse],
                          f"`{worse} {w.show()}` is {side} `{better} {b.show()}`, but {way} `{metric}` is better",
                          f"make `{worse}` a worse threshold than `{better}`, or fix the direction of the comparisons",
                          (Related(spec.spec.path, success.spans[better], f"{better} level"),))
