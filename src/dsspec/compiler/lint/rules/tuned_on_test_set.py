from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class TunedOnTestSet(Rule):
    """The threshold or hyper-parameters are chosen on the test set.

    Stage: metrics

    ## What it does
    Flags an evaluation whose `tuned_on` says `test`: the data the decision
    threshold and the hyper-parameters are chosen on is the data the result
    is reported on.

    ## Why it matters
    Choosing anything on the test set (a threshold, a number of trees, the
    best of ten runs) fits the test set: the reported score is the best of
    many tries on that sample, optimistic by an amount nobody can state, and
    the launch reads a number no new data will repeat. Kapoor & Narayanan
    count it among the commonest leaks (L1.2, L1.3). Tune on a validation
    slice or by cross-validation on the training data, and read the test set
    once.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    evaluation { split time; tuned_on test "the threshold that maximises F1 on the test month" }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task binary_classification }
    evaluation { split time; tuned_on validation "threshold on the month before the test month; test read once" }
    ```
    """

    code = "DS560"
    name = "tuned-on-test-set"
    severity = Severity.ERROR
    stage = "metrics"

    def check(self, spec, ctx):
        for ev in spec.spec.evaluation:
            if ev.tuned_on is not None and ev.tuned_on.data.name == "test":
                yield Hit(ev.spans["tuned_on"], "the threshold or hyper-parameters are chosen on the test set, "
                          "so its score is optimistic",
                          "choose them on a validation slice or by cross-validation on the training data "
                          "(`tuned_on validation`), and read the test set once")
