from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class DuplicatesAcrossSplit(Rule):
    """Duplicates or near-duplicates are kept on both sides of the split.

    Stage: system design

    ## What it does
    Flags an evaluation that says `duplicates kept` while its split does not
    group rows (`split random` or `split time`, no `split group`): the same
    or nearly the same example can stand in training and in the test set.

    ## Why it matters
    A re-posted comment, a copied listing or a forked file in both sets is
    recalled, not predicted: the test score measures memory. Duplicates
    inflate results in code models (Allamanis 2019) and language models
    (Lee et al. 2022), and Kapoor & Narayanan list them as leakage L1.4.
    Remove them before splitting, or give near-duplicates one cluster id and
    split by it.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task text_classification }
    evaluation { split random; duplicates kept "re-posted comments stay as they are" }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task text_classification }
    evaluation { split random; duplicates removed "exact and MinHash near-duplicates dropped before the split" }
    ```
    """

    code = "DS363"
    name = "duplicates-across-split"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        for ev in spec.spec.evaluation:
            if ev.duplicates is None or ev.duplicates.data.name != "kept":
                continue
            if ev.split is not None and ev.split.kind.name == "group":
                continue
            yield Hit(ev.spans["duplicates"], "duplicates are kept and the split does not group them, so the same "
                      "example can be in training and in the test set",
                      "remove duplicates before splitting (`duplicates removed`), or give near-duplicates one "
                      "cluster id and split by it (`duplicates grouped`, `split group cluster_id`)")
