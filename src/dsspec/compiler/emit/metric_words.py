"""What a metric measures, in a few plain words, for readers who are not data scientists.

A product manager reading "`recall_at_1000` 0.83" learns nothing; "the share of the
relevant items found in the top 1,000" tells them what the number is about. Only
the common metric families are explained; an unknown name gets no gloss (the
document then shows the bare name, as before) rather than a guess.
"""

from __future__ import annotations

import re

# base metric -> (gloss without a cut-off, gloss with a top-K cut-off; "{k}" is the cut-off)
_GLOSS: dict[str, tuple[str, str]] = {
    "recall": ("the share of the true cases it finds", "the share of the relevant items found in the top {k}"),
    "precision": ("the share of what it flags that is right", "the share of the top {k} that are relevant"),
    "ndcg": ("how well the results are ordered, best first; 1 is perfect",
             "how well the top {k} are ordered, best first; 1 is perfect"),
    "map": ("how high the relevant results are ranked, averaged; 1 is perfect",
            "how high the relevant results in the top {k} are ranked, averaged; 1 is perfect"),
    "mrr": ("how high the first relevant result is ranked; 1 is first place",
            "how high the first relevant result in the top {k} is ranked; 1 is first place"),
    "hit_rate": ("the share of requests with a relevant result", "the share of requests with a relevant result "
                                                                 "in the top {k}"),
    "accuracy": ("the share of answers that are right", "the share of requests with the right answer in the top {k}"),
    "auc": ("how often a true case is scored above a false one; 0.5 is chance, 1 is perfect", ""),
    "pr_auc": ("precision averaged over all recall levels; higher is better", ""),
    "f1": ("the balance of finding the true cases and being right when it flags; 1 is perfect", ""),
    "macro_f1": ("the balance of finding the true cases and being right when it flags, averaged over the classes "
                 "so rare ones count as much; 1 is perfect", ""),
    "coverage": ("the share of requests or items it serves", "the share of requests with {k} results"),
    "mae": ("the average size of its error; lower is better", ""),
    "rmse": ("the typical size of its error, large misses weighted more; lower is better", ""),
    "mape": ("the average error as a share of the true value; lower is better", ""),
    "wape": ("the total error as a share of the total true value; lower is better", ""),
    "log_loss": ("how confident and right its probabilities are; lower is better", ""),
    "brier": ("how close its probabilities are to what happens; lower is better", ""),
    "answer_accuracy": ("the share of answers graded correct", ""),
    "groundedness": ("how much of each answer its sources support", ""),
    "hallucination_rate": ("the share of answers stating something its sources do not support", ""),
    "refusal_rate": ("the share of requests it declines to answer", ""),
    "latency": ("the time it takes to answer", ""),
    "ctr": ("the share of shown items that are clicked", ""),
}
_SAME = {"roc_auc": "auc", "auc_roc": "auc", "auroc": "auc", "auc_pr": "pr_auc", "auprc": "pr_auc",
         "average_precision": "pr_auc", "ap": "pr_auc", "mean_average_precision": "map", "hits": "hit_rate",
         "hit": "hit_rate", "mean_reciprocal_rank": "mrr", "micro_f1": "f1",
         "weighted_f1": "f1", "top_k_accuracy": "accuracy", "cross_entropy": "log_loss", "nll": "log_loss",
         "sensitivity": "recall", "tpr": "recall", "ppv": "precision", "wmape": "wape", "faithfulness": "groundedness"}
_AT = re.compile(r"^(?P<base>[a-z0-9_]+?)_at_(?P<k>[0-9]+|k)$")


def gloss(name: str) -> str | None:
    """Return what metric ``name`` measures in plain words, or ``None`` for a name outside the glossary."""
    k = None
    if (m := _AT.match(name)) and _SAME.get(m["base"], m["base"]) in _GLOSS:
        name, k = m["base"], m["k"]
    base = _SAME.get(name, name)
    if base not in _GLOSS:
        return None
    plain, at_k = _GLOSS[base]
    if k is None:
        return plain
    if not at_k:   # a cut-off this glossary cannot read: no gloss rather than a wrong one
        return None
    return at_k.format(k="K" if k == "k" else f"{int(k):,}")
