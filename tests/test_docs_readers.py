"""The audience documents read by their readers: a PM, a staff data scientist, an engineer.

The fixture (tests/fixtures/docs/pin_visual_search.dsspec) is a two-stage pipeline:
an embedder writes `neighbours`, which the reranker reads. A senior reviewer found
the engineer told nobody consumed `neighbours`, the PM shown a bare "0.50" and an
unexplained `recall_at_1000`, and the ladder hiding the reranker's measured latency.
"""

from __future__ import annotations

import json

from pathlib import Path

import pytest

from dsspec.cli import main
from dsspec.compiler.emit import words
from dsspec.compiler.emit.metric_words import gloss

SPEC = Path(__file__).resolve().parent / "fixtures" / "docs" / "pin_visual_search.dsspec"


def build_docs(spec: Path, out: Path) -> dict[str, str]:
    assert main(["build", str(spec), "-o", str(out), "--format", "md"]) == 0
    return {p.name.split(".")[1]: p.read_text(encoding="utf-8") for p in out.glob("*.*.md")}


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, str]:
    return build_docs(SPEC, tmp_path_factory.mktemp("pin"))


def test_an_output_read_by_a_later_model_names_that_model_as_its_consumer(docs):
    assert "| `neighbours` | ranking | `reranker` (model) | — |" in docs["engineer"]
    assert "*nobody*" not in docs["engineer"]
    assert "| `visual_results` | ranking | `lens_service` | — |" in docs["engineer"]


def test_an_output_nobody_reads_is_still_said_to_have_no_consumer(tmp_path):
    text = SPEC.read_text(encoding="utf-8").replace("reads  [neighbours, query_crop, index_pins]",
                                                    "reads  [query_crop, index_pins]")
    assert "reads  [query_crop, index_pins]" in text
    spec = tmp_path / "unread.dsspec"
    spec.write_text(text, encoding="utf-8")
    assert "| `neighbours` | ranking | *nobody* | — |" in build_docs(spec, tmp_path / "out")["engineer"]


def test_pm_summary_names_each_models_metric_with_its_number_and_explains_it(docs):
    pm = docs["pm"]
    assert "Measured by `ndcg_at_25` (how well the top 25 are ordered, best first; 1 is perfect):" in pm
    # a component: its metric explained, what it is for, judged on its own levels
    assert ("`embedder` reaches `recall_at_1000` 0.83 offline (the share of the relevant items found in the "
            "top 1,000); it feeds `reranker`: worth shipping, short of its own success level.") in pm
    # the last stage: the metric named with the number, explained once already
    assert "`reranker` reaches `ndcg_at_25` 0.50 offline: worth shipping, short of the success level." in pm
    assert "| `embedder` | `recall_at_1000` | the share of the relevant items found in the top 1,000 |" in pm


def test_pm_rollout_lists_guardrails_as_a_sentence(docs):
    assert "guarded by `unsafe_result_rate` and `saves_per_visual_search`, and rolls back" in docs["pm"]
    assert words.names_and(["a"]) == "a"
    assert words.names_and(["a", "b", "c"]) == "a, b and c"


def test_ladder_shows_a_measured_latency_under_other_results(docs):
    assert "| **step (chosen)** | `gradient_boosting` | 0.50 | latency 15ms | 3M |" in docs["staff_ds"]
    assert "| baseline | `logistic_regression` | 0.45 | — |" in docs["staff_ds"]


def test_runbook_pages_on_latency_against_the_declared_target(docs):
    eng = docs["engineer"]
    assert "| `latency` | live | p99 misses &lt;= 250ms (the latency target) | investigate |" in eng
    assert "| `coverage` | live | *no threshold declared* | investigate |" in eng
    assert "- Fallback: previous model — Cosine-ordered" in eng and "previous\\_model" not in eng


@pytest.mark.parametrize(("name", "plain"), [
    ("recall_at_1000", "the share of the relevant items found in the top 1,000"),
    ("precision_at_k", "the share of the top K that are relevant"),
    ("roc_auc", "how often a true case is scored above a false one; 0.5 is chance, 1 is perfect"),
    ("note_accuracy", None),          # a design's own metric: no guess
    ("auc_at_10", None),              # no top-K reading of AUC
])
def test_gloss_explains_common_metrics_and_guesses_nothing(name, plain):
    assert gloss(name) == plain


def test_build_without_md_or_json_says_what_it_left_out(tmp_path, capsys):
    assert main(["build", str(SPEC), "-o", str(tmp_path / "a"), "--format", "dot"]) == 0
    err = capsys.readouterr().err
    assert err.count("dsspec: note:") == 1
    assert "design documents and JSON not written: add `md` and `json` to --format" in err
    assert not list((tmp_path / "a").glob("*.md"))
    assert main(["build", str(SPEC), "-o", str(tmp_path / "b"), "--format", "md"]) == 0
    assert "JSON not written: add `json` to --format" in capsys.readouterr().err
    assert main(["build", str(SPEC), "-o", str(tmp_path / "c")]) == 0
    assert "not written" not in capsys.readouterr().err


def test_build_help_says_format_replaces_the_default_set(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    assert "replaces the default set" in " ".join(capsys.readouterr().out.split())


def test_gap_before_the_test_counts_days_and_says_when_labels_are_still_maturing(docs, tmp_path):
    """The document says labels were still maturing exactly when `label-maturity` finds it (one computation,
    `facts.label_timing`, with the rule's slack): a gap a few days short of the delay is within the slack."""
    assert ("| gap before the test | 7 days between training and test; labels final after 7d; the last training "
            "day's labels are final on") in docs["staff_ds"]
    text = SPEC.read_text(encoding="utf-8")
    for start, delay, said, maturing in (
            ("2025-09-02", "7d", "1 day between training and test; labels final after 7d; the last training day's "
             "labels are final on 2025-09-07 |", False),
            ("2025-09-02", "60d", "1 day between training and test; labels final after 60d; the last training "
             "day's labels are final on 2025-10-30, so the last training days' labels were still maturing when "
             "the test started", True),
            ("2025-08-20", "7d", "*the test window overlaps training by 12 days*", False)):
        spec = tmp_path / f"gap_{start}_{delay}.dsspec"
        spec.write_text(text.replace("window  2025-09-08 .. 2025-09-30\n  split   time\n  metrics [recall_at_1000",
                                     f"window  {start} .. 2025-09-30\n  split   time\n  metrics [recall_at_1000")
                        .replace("label_delay    7d", f"label_delay    {delay}"), encoding="utf-8")
        out = tmp_path / f"{start}_{delay}"
        assert main(["build", str(spec), "-o", str(out), "--format", "md,json"]) == 0
        staff = (out / f"{spec.stem}.staff_ds.md").read_text(encoding="utf-8")
        assert said in staff
        found = json.loads((out / f"{spec.stem}.json").read_text(encoding="utf-8"))
        rules = {f["rule"] for f in found.get("findings", [])}
        assert ("label-maturity" in rules) == maturing == ("still maturing" in staff)


def test_free_text_from_the_spec_ends_as_a_sentence_once(docs):
    assert "4. Decision rule: Ship when engaged sessions rise at 95% confidence and no guardrail worsens.\n" in docs["pm"]
    assert "- Safe default: Popular pins from the query pin's board topic.\n" in docs["engineer"]
    assert ".." not in docs["pm"].replace("...", "")
    assert words.sentence("Done.") == "Done." and words.sentence("*not stated*") == "*not stated*."


def test_pm_summary_keeps_the_cut_off_of_the_success_metric(tmp_path):
    churn = Path(__file__).resolve().parents[1] / "specs" / "churn_outreach.dsspec"
    pm = build_docs(churn, tmp_path)["pm"]
    assert ("**Success.** Measured by `precision` at `list_size` &lt;= 4000 (the share of what it flags that is "
            "right): a success at") in pm


def test_pm_summary_reports_a_pipeline_stage_with_no_levels_of_its_own(tmp_path):
    text = SPEC.read_text(encoding="utf-8")
    start = text.index("  success recall_at_1000 {")
    spec = tmp_path / "no_levels.dsspec"
    spec.write_text(text[:start] + text[text.index("  ladder {", start):], encoding="utf-8")
    pm = build_docs(spec, tmp_path / "out")["pm"]
    assert ("`embedder` reaches `recall_at_1000` 0.83 offline (the share of the relevant items found in the top "
            "1,000); it feeds `reranker`, and no success level is set for it.") in pm


def test_ladder_of_a_stage_with_no_levels_shows_its_own_metric_as_the_column(tmp_path):
    text = SPEC.read_text(encoding="utf-8")
    start = text.index("  success recall_at_1000 {")
    spec = tmp_path / "no_levels.dsspec"
    spec.write_text(text[:start] + text[text.index("  ladder {", start):], encoding="utf-8")
    staff = build_docs(spec, tmp_path / "out")["staff_ds"]
    assert "| rung | model | recall\\_at\\_1000 | other results |" in staff
    assert "| **step (chosen)** | `resnet` | 0.83 | — | 25M |" in staff
