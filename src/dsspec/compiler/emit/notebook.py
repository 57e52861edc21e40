"""The evaluation notebook of a design (``build --format notebook``): Jupyter, nbformat 4.

For each model with an ``evaluation``, the notebook loads a table of
predictions and outcomes (its path is a papermill-style parameter), keeps the
evaluation's window, computes each declared metric overall and per slice,
draws each ladder step against the optimal, acceptable and worst levels, and
draws the manual-review sample. pandas, scikit-learn and matplotlib are the
notebook's dependencies, not dsspec's: the JSON is written here directly.

The table's columns are the contract, said in the notebook's first cell:
``timestamp``, ``prediction``, ``outcome``, ``decision`` (the 0/1 or class the
system acted on, for metrics of decisions when the output is a probability or
score), ``group`` (the query or request a ranked item belongs to) and one
column per slice. A metric whose formula dsspec does not know is a clearly
marked cell to fill in, never a made-up number.
"""

from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING

from dsspec import __version__
from dsspec.compiler.lint import reach

if TYPE_CHECKING:
    from dsspec.compiler.model import nodes as n
    from dsspec.compiler.model.resolve import Resolved

HELPERS = '''\
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from sklearn import metrics as skm


def _binary(y):
    return pd.Series(y).nunique() <= 2


def _avg(d):
    return "binary" if _binary(d["outcome"]) else "macro"


def _decisions(d):
    return d["decision"] if "decision" in d else d["prediction"]


def _rank_groups(d):
    for _, g in d.groupby("group", sort=True):
        yield g.sort_values("prediction", ascending=False, kind="mergesort")["outcome"].to_numpy(dtype=float)


def _dcg(rel, k):
    rel = rel[:k]
    return float(np.sum((2 ** rel - 1) / np.log2(np.arange(2, rel.size + 2))))


def ndcg(d, k=None):
    scores = []
    for rel in _rank_groups(d):
        k_ = k or rel.size
        ideal = _dcg(np.sort(rel)[::-1], k_)
        if ideal > 0:
            scores.append(_dcg(rel, k_) / ideal)
    return float(np.mean(scores)) if scores else float("nan")


def mrr(d, k=None):
    out = []
    for rel in _rank_groups(d):
        hits = np.flatnonzero(rel[: k or rel.size] > 0)
        out.append(1.0 / (hits[0] + 1) if hits.size else 0.0)
    return float(np.mean(out)) if out else float("nan")


def mean_ap(d, k=None):
    out = []
    for rel in _rank_groups(d):
        rel = (rel[: k or rel.size] > 0).astype(float)
        if rel.sum() > 0:
            out.append(float(np.sum(np.cumsum(rel) / np.arange(1, rel.size + 1) * rel) / rel.sum()))
    return float(np.mean(out)) if out else float("nan")


def recall_at(d, k):
    out = []
    for rel in _rank_groups(d):
        total = np.sum(rel > 0)
        if total:
            out.append(float(np.sum(rel[:k] > 0) / total))
    return float(np.mean(out)) if out else float("nan")


def precision_at(d, k):
    return float(np.mean([np.sum(rel[:k] > 0) / k for rel in _rank_groups(d)]))


def hit_rate_at(d, k):
    return float(np.mean([float(np.any(rel[:k] > 0)) for rel in _rank_groups(d)]))


def ece(d, bins=10):
    p, y = d["prediction"].to_numpy(dtype=float), d["outcome"].to_numpy(dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    return float(sum(abs(p[which == b].mean() - y[which == b].mean()) * np.mean(which == b)
                     for b in range(bins) if np.any(which == b)))


def _rates(d):
    tn, fp, fn, tp = skm.confusion_matrix(d["outcome"], _decisions(d), labels=[0, 1]).ravel()
    return tn, fp, fn, tp


def _safe(fn, d):
    try:
        return fn(d)
    except ValueError as err:  # e.g. one class only in a small slice
        print(f"  not computable here: {err}")
        return float("nan")
'''

# metric name -> Python expression of ``d`` (the evaluation rows); ``{k}`` is the cut-off of ``*_at_K`` names
FORMULAS: dict[str, str] = {
    "roc_auc": 'skm.roc_auc_score(d["outcome"], d["prediction"])',
    "auc": 'skm.roc_auc_score(d["outcome"], d["prediction"])',
    "pr_auc": 'skm.average_precision_score(d["outcome"], d["prediction"])',
    "average_precision": 'skm.average_precision_score(d["outcome"], d["prediction"])',
    "log_loss": 'skm.log_loss(d["outcome"], d["prediction"], labels=[0, 1])',
    "cross_entropy": 'skm.log_loss(d["outcome"], d["prediction"], labels=[0, 1])',
    "brier": 'skm.brier_score_loss(d["outcome"], d["prediction"])',
    "ece": "ece(d)",
    "accuracy": 'skm.accuracy_score(d["outcome"], _decisions(d))',
    "balanced_accuracy": 'skm.balanced_accuracy_score(d["outcome"], _decisions(d))',
    "error_rate": '1 - skm.accuracy_score(d["outcome"], _decisions(d))',
    "precision": 'skm.precision_score(d["outcome"], _decisions(d), average=_avg(d), zero_division=0)',
    "recall": 'skm.recall_score(d["outcome"], _decisions(d), average=_avg(d), zero_division=0)',
    "tpr": 'skm.recall_score(d["outcome"], _decisions(d), zero_division=0)',
    "f1": 'skm.f1_score(d["outcome"], _decisions(d), average=_avg(d), zero_division=0)',
    "macro_f1": 'skm.f1_score(d["outcome"], _decisions(d), average="macro", zero_division=0)',
    "micro_f1": 'skm.f1_score(d["outcome"], _decisions(d), average="micro", zero_division=0)',
    "weighted_f1": 'skm.f1_score(d["outcome"], _decisions(d), average="weighted", zero_division=0)',
    "fpr": "(lambda tn, fp, fn, tp: fp / max(fp + tn, 1))(*_rates(d))",
    "false_positive_rate": "(lambda tn, fp, fn, tp: fp / max(fp + tn, 1))(*_rates(d))",
    "fnr": "(lambda tn, fp, fn, tp: fn / max(fn + tp, 1))(*_rates(d))",
    "false_negative_rate": "(lambda tn, fp, fn, tp: fn / max(fn + tp, 1))(*_rates(d))",
    "specificity": "(lambda tn, fp, fn, tp: tn / max(tn + fp, 1))(*_rates(d))",
    "mae": 'skm.mean_absolute_error(d["outcome"], d["prediction"])',
    "mse": 'skm.mean_squared_error(d["outcome"], d["prediction"])',
    "rmse": 'float(np.sqrt(skm.mean_squared_error(d["outcome"], d["prediction"])))',
    "r2": 'skm.r2_score(d["outcome"], d["prediction"])',
    "mape": 'skm.mean_absolute_percentage_error(d["outcome"], d["prediction"])',
    "mdape": 'float(np.median(np.abs((d["prediction"] - d["outcome"]) / d["outcome"].where(d["outcome"] != 0))))',
    "smape": 'float(np.mean(2 * np.abs(d["prediction"] - d["outcome"]) / '
             '(np.abs(d["prediction"]) + np.abs(d["outcome"])).where(lambda x: x != 0)))',
    "wape": 'float(np.sum(np.abs(d["prediction"] - d["outcome"])) / np.sum(np.abs(d["outcome"])))',
    "bias": 'float(np.mean(d["prediction"] - d["outcome"]))',
    "ndcg": "ndcg(d)",
    "ndcg_at": "ndcg(d, {k})",
    "map": "mean_ap(d)",
    "map_at": "mean_ap(d, {k})",
    "mrr": "mrr(d)",
    "mrr_at": "mrr(d, {k})",
    "recall_at": "recall_at(d, {k})",
    "precision_at": "precision_at(d, {k})",
    "hit_rate_at": "hit_rate_at(d, {k})",
}
RANKING = ("ndcg", "map", "mrr", "recall_at", "precision_at", "hit_rate_at")


def formula(metric: str, task: str | None) -> str | None:
    """Return the Python expression that computes ``metric`` on the rows ``d``, or ``None`` when unknown."""
    m = re.fullmatch(r"([a-z0-9_]+?)_at_(\d+)", metric)
    if m and f"{m.group(1)}_at" in FORMULAS:
        return FORMULAS[f"{m.group(1)}_at"].format(k=int(m.group(2)))
    if metric in ("recall", "precision") and task == "ranking":
        return None   # a ranking's recall needs its cut-off (`recall_at_K`)
    return FORMULAS.get(metric)


def _source(text: str) -> list[str]:
    lines = text.rstrip("\n").split("\n")
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


class Notebook:
    def __init__(self, spec: Resolved, stem: str):
        self.r = spec
        self.s = spec.spec
        self.stem = stem
        self.cells: list[dict] = []

    def md(self, text: str) -> None:
        self.cells.append({"cell_type": "markdown", "id": f"c{len(self.cells) + 1:03d}", "metadata": {},
                           "source": _source(text)})

    def code(self, text: str, tags: list[str] | None = None) -> None:
        self.cells.append({"cell_type": "code", "execution_count": None, "id": f"c{len(self.cells) + 1:03d}",
                           "metadata": {"tags": tags} if tags else {}, "outputs": [], "source": _source(text)})

    def build(self) -> dict:
        from dsspec.compiler.emit.mdtext import md

        s = self.s
        title = s.product.title.value if s.product and s.product.title else self.stem
        evaluated = [(m, ev) for m in s.models if (ev := self.r.for_model(s.evaluation, m)) is not None]
        self.md(f"# Evaluation of {md(title)}\n\n"
                f"Generated by dsspec {__version__} from `{os.path.basename(s.path)}`; edit the spec, not this "
                "notebook.\n\n"
                "Each model's table of predictions and outcomes is a CSV with the columns:\n\n"
                "- `timestamp`: when the prediction was made (ISO date or time); the evaluation window keeps its "
                "rows\n"
                "- `prediction`: what the model answered (a probability, score, value or class)\n"
                "- `outcome`: the true outcome (the label, the value, or a ranked item's relevance)\n"
                "- `decision`: the decision the system acted on (0/1 or a class), for metrics of decisions when the "
                "model answers a probability or score; without it, `prediction` is used\n"
                "- `group`: for rankings, the query or request each ranked item belongs to\n"
                "- one column per slice named in the evaluation\n\n"
                "Values are in the units the spec's levels are normalised to (shares as fractions, durations in "
                "seconds), so results read directly against the levels.\n\n"
                "Run it as it is, or with papermill: `papermill notebook.ipynb out.ipynb -p PREDICTIONS_<model> "
                "path.csv`.")
        params = "\n".join(f"PREDICTIONS_{m.name.name} = {json.dumps(f'{self.stem}.{m.name.name}.predictions.csv')}"
                           for m, _ in evaluated)
        self.code("# Parameters: the table of predictions and outcomes of each evaluated model\n" +
                  (params or "# (no model has an evaluation section: nothing to load)"), tags=["parameters"])
        if not evaluated:
            self.md("**No model has an `evaluation` section**, so there is nothing to evaluate: declare its window, "
                    "split and metrics in the spec.")
            return self.finish()
        self.code(HELPERS)
        for model in s.models:
            if not any(m is model for m, _ in evaluated):
                self.md(f"## `{model.name.name}`\n\n**Not evaluated**: the spec has no `evaluation` for this model.")
        for model, ev in evaluated:
            self.model(model, ev)
        return self.finish()

    def model(self, model: n.Model, ev: n.Evaluation) -> None:
        from dsspec.compiler.emit.mdtext import md

        name = model.name.name
        var = f"test_{name}"
        task = model.task.name if model.task else None
        out = next(iter(self.r.outputs_of(model)), None)   # the first output a model writes
        self.md(f"## `{name}`" + (f" ({md(task)})" if task else "") + "\n\n"
                + (f"Output `{out.name.name}`: {md(out.type.name) if out.type else 'type not stated'}."
                   if out else "The model writes no declared output."))
        load = [f"{var} = pd.read_csv(PREDICTIONS_{name})", f"print(len({var}), 'rows read')"]
        if ev.window:
            start, end = ev.window.start.isoformat(), ev.window.end.isoformat()
            load += [f"_when = pd.to_datetime({var}['timestamp'])",
                     f"{var} = {var}[(_when >= {json.dumps(start)}) & "
                     f"(_when < pd.Timestamp({json.dumps(end)}) + pd.Timedelta(days=1))]",
                     f"print(len({var}), 'rows in the evaluation window {start} .. {end}')"]
            window = f"the window {start} .. {end}"
        else:
            window = "no window (the spec states none: every row is kept)"
        split = ev.split.kind.name if ev.split else None
        why = {"time": "a time split: the rows inside the window are the test set",
               "random": "a random split: the table must hold only the held-out rows",
               "group": f"a group split by `{ev.split.group.name if ev.split and ev.split.group else 'group'}`: "
                        "the table must hold only held-out groups, none seen in training"}.get(
            split or "", f"split `{split}`" if split else "no split stated")
        if split == "group" and ev.split.group:
            g = json.dumps(ev.split.group.name)
            load.append(f"if {g} in {var}: print({var}[{g}].nunique(), 'held-out groups of', {g})")
        self.md(f"### Test rows\n\nThe evaluation uses {md(window)}; {md(why)}.")
        self.code("\n".join(load))
        computable, unknown = [], []
        for metric in ev.metrics:
            f = formula(metric.name, task)
            (computable if f else unknown).append((metric.name, f))
        lines = ["METRICS_" + name + " = {"] + [f"    {json.dumps(m)}: lambda d: {f}," for m, f in computable] + ["}"]
        needs_group = any(m.startswith(RANKING) or m in ("ndcg", "map", "mrr") for m, _ in computable)
        self.md("### Metrics, overall and per slice\n\n"
                + (f"Primary metric: `{ev.primary.name}`. " if ev.primary else "")
                + ("Ranking metrics read the `group` column." if needs_group else ""))
        lines += ["", f"def evaluate_{name}(d):",
                  f"    return {{m: _safe(f, d) for m, f in METRICS_{name}.items()}}", "",
                  f"overall_{name} = evaluate_{name}({var}) if len({var}) else {{}}",
                  f"pd.Series(overall_{name}, dtype=float).rename('overall')"]
        self.code("\n".join(lines))
        for metric, _ in unknown:
            self.md(f"**Not computed: `{metric}`.** dsspec knows no formula for it (it is not in the catalogue of "
                    "computable metrics, or needs data beyond predictions and outcomes). Compute it in the next "
                    "cell; no number is made up here.")
            self.code(f"# TODO: compute {metric} on {var}\n{metric}_{name} = None")
        if ev.slices:
            cols = json.dumps([f.name for f in ev.slices])
            self.code("\n".join([
                f"for column in {cols}:",
                f"    if column not in {var}:",
                "        print(f'slice {column}: no such column in the table')",
                "        continue",
                f"    rows = {{value: evaluate_{name}(part) for value, part in {var}.groupby(column, sort=True)}}",
                "    print(f'per {column}:')",
                "    print(pd.DataFrame(rows).T.to_string())"]))
        else:
            self.md("No slices are named in the evaluation.")
        self.ladder(model, name, computable)
        if ev.review:
            cases = int(ev.review.cases.value)
            self.md(f"### Manual review\n\nThe spec asks for **{cases} cases** reviewed by `{ev.review.by.name}`.")
            self.code(f"review_{name} = {var}.sample(n=min({cases}, len({var})), random_state=0)\n"
                      f"print(len(review_{name}), 'of {cases} cases drawn for review by {ev.review.by.name}')")
        else:
            self.md("### Manual review\n\nThe spec asks for no manual review.")

    def ladder(self, model: n.Model, name: str, computable: list[tuple[str, str]]) -> None:
        from dsspec.compiler.emit.policy import metric_of

        if not model.ladder or not model.ladder.steps:
            self.md("### Ladder\n\nThis model has no ladder.")
            return
        metric = metric_of(self.r, model)
        names = [k for step in model.ladder.steps for k in step.results]
        if metric not in names and names:
            metric = names[0]
        steps = [(step.rung + (" (chosen)" if step.chosen else ""), step.results[metric].value)
                 for step in model.ladder.steps if metric and metric in step.results]
        if not steps:
            self.md("### Ladder\n\nNo ladder step states a result, so there is nothing to draw.")
            return
        sc = reach.success(self.r, model)
        levels = {lvl: getattr(sc, lvl).operand.value for lvl in ("optimal", "acceptable", "worst")
                  if sc is not None and sc.metric.name == metric and getattr(sc, lvl) is not None}
        self.md(f"### Ladder on `{metric}`\n\nEach step's declared result, the levels of the spec, and this table's "
                "result (when computed) as the last bar." + ("" if levels else " The spec states no levels for "
                                                                              "this metric."))
        measured = f"overall_{name}.get({json.dumps(metric)})" if any(m == metric for m, _ in computable) else "None"
        self.code("\n".join([
            f"steps = {json.dumps([s for s, _ in steps])}",
            f"values = {json.dumps([v for _, v in steps])}",
            f"levels = {json.dumps(levels)}",
            f"measured = {measured}",
            "if measured is not None and measured == measured:",
            "    steps, values = steps + ['this table'], values + [measured]",
            "fig, ax = plt.subplots(figsize=(7, 3.5))",
            "ax.bar(steps, values, color=['#8da0cb'] * (len(steps) - (measured is not None)) + "
            "['#fc8d62'] * (measured is not None))",
            "for (level, value), colour in zip(levels.items(), ['#1b9e77', '#e6ab02', '#d95f02']):",
            "    ax.axhline(value, linestyle='--', color=colour, label=f'{level} {value:g}')",
            f"ax.set_ylabel({json.dumps(metric)})",
            f"ax.set_title({json.dumps(f'Ladder of {name}')})",
            "if levels:",
            "    ax.legend(loc='best')",
            "plt.tight_layout()",
            "plt.show()"]))

    def finish(self) -> dict:
        return {"cells": self.cells,
                "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                             "language_info": {"name": "python"}},
                "nbformat": 4, "nbformat_minor": 5}


def render(spec: Resolved, stem: str) -> str:
    """Return the evaluation notebook of ``spec`` as ipynb JSON text."""
    return json.dumps(Notebook(spec, stem).build(), indent=1, ensure_ascii=False) + "\n"
