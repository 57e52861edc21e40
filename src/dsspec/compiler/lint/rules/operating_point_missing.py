from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.reach import success, where

THRESHOLD_FREE = frozenset({"auc", "roc_auc", "auc_roc", "auroc", "pr_auc", "auc_pr", "average_precision", "auprc"})
# not `gini` or `ks`: a regulated scorecard reports them by convention, with the cut-off set by credit policy
DECIDING = frozenset({"class", "probability", "score"})


class OperatingPointMissing(Rule):
    """The success metric averages over every threshold, but a threshold drives the decision.

    Stage: metrics

    ## What it does
    Flags a success metric that is threshold-free (`auc`, `roc_auc`,
    `pr_auc`, `average_precision` and their spellings `auroc`, `auc_roc`,
    `auc_pr`, `auprc`) with no `at` operating point, when a model judged on
    it writes a `class`, `probability` or `score` output that goes to a
    user. `gini` and `ks` are left alone: they are the regulated
    credit-scorecard measures, and a scorecard's cut-offs are set by
    policy from its calibrated probability.

    ## Why it matters
    AUC summarises every possible threshold, yet the product runs at one:
    block above 0.8, review the top 2%, call 4,000 customers. Two models
    with the same AUC can differ by half their recall at that point, and an
    AUC gain can come entirely from thresholds nobody uses. Read the metric
    at the operating point, or make the metric one that has it.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { user checkout "Blocks a payment above the threshold" }
    operator { success roc_auc { acceptable >= 0.90 } }
    output risk { type probability; to checkout }
    model m { task binary_classification; writes risk }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { user checkout "Blocks a payment above the threshold" }
    operator { success recall { at fpr <= 0.5%; acceptable >= 0.60 } }
    output risk { type probability; to checkout }
    model m { task binary_classification; writes risk }
    ```
    """

    code = "DS552"
    name = "operating-point-missing"
    severity = Severity.WARNING
    stage = "metrics"

    def check(self, spec, ctx):
        seen: set[int] = set()
        for model in spec.models.values():
            goal = success(spec, model)
            out = next((o for o in (spec.outputs.get(ref.name) for ref in model.writes) if o is not None and
                        o.to is not None and o.type is not None and o.type.name in DECIDING), None)
            if goal is None or id(goal) in seen or goal.at is not None or "at" in goal.spans:
                continue
            if goal.metric.name not in THRESHOLD_FREE or out is None:
                continue
            seen.add(id(goal))
            yield Hit(goal.header, f"success metric `{goal.metric.name}` has no operating point, but "
                      f"`{out.name.name}` ({out.type.name}) drives a decision at one threshold",
                      "read it at the operating point (`at fpr <= 1%`, `at list_size <= 4000`), or choose a "
                      "metric taken there (`recall` at a fixed precision)",
                      (Related(where(spec, out), out.spans.get("type", out.header), "decision output"),))
