"""Issue 18: nothing wrong passes, nothing right breaks — values, fixes, messages, several models, false alarms.

Each test is a class of mistake or of sound design, tried in several variants
(one line of a clean design changed), so a guard that matches one string
and not its class fails here.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from conftest import compile_text, run_cli
from dsspec.compiler import fixes, pipeline
from dsspec.compiler.syntax.literals import DURATION_WORDS, MAGNITUDE_WORDS

ROOT = Path(__file__).resolve().parents[1]
MISTAKES = sorted((ROOT / "tests" / "mistakes").glob("*.dsspec"))
CLEAN = (ROOT / "tests" / "mistakes" / "comparison_missing.dsspec").read_text(encoding="utf-8") \
    .replace("latency  p99 6h", "latency  p99 <= 6h")


def variant(old: str, new: str) -> str:
    assert CLEAN.count(old) == 1, old
    return CLEAN.replace(old, new)


def findings(tmp_path, text):
    return compile_text(tmp_path, text).diagnostics


def only(tmp_path, text):
    """Return the one finding ``text`` gives (the clean design gives none)."""
    found = findings(tmp_path, text)
    assert len(found) == 1, [f"{d.span.line}:{d.span.column} {d.rule}: {d.message}" for d in found]
    return found[0]


def test_the_clean_design_is_clean(tmp_path):
    assert findings(tmp_path, CLEAN) == []


# -- 6. value shapes that hung or crashed ------------------------------------------------------------

HUGE = ["1e100000000", "1e999", "1e+400", "9" * 400, "9" * 40 + "k", "1" + ",000" * 120, "99999999999999999999B"]


@pytest.mark.parametrize("literal", HUGE)
def test_a_huge_number_is_one_finding_at_once(tmp_path, literal):
    start = time.process_time()
    d = only(tmp_path, variant("rows   14M", f"rows   {literal}"))
    assert time.process_time() - start < 1.0
    assert d.severity.value == "error" and "out of range" in d.message and d.fix is None


@pytest.mark.parametrize("literal", ["$" + "9" * 400 + "/month", "-$3k/month", "$1" + ",000" * 120 + "/month"])
def test_a_huge_or_negative_amount_is_one_finding(tmp_path, literal):
    d = only(tmp_path, variant("budget   $2k/month", f"budget   {literal}"))
    assert d.severity.value == "error" and d.fix is None


def test_an_exponent_hangs_no_command(tmp_path, capsys):
    spec = tmp_path / "x.dsspec"
    spec.write_text("x 1e100000000\n")
    (tmp_path / "dsspec.toml").touch()
    start = time.process_time()
    assert run_cli(capsys, "check", str(spec))[0] == 1
    assert run_cli(capsys, "fmt", "--check", str(spec))[0] == 1
    from dsspec.integrations import mcp
    from dsspec.integrations.lsp.analysis import analyse

    assert mcp.check(text="x 1e100000000\n")["findings"]
    analyse(str(spec), "x 1e100000000\n")
    assert time.process_time() - start < 3.0


@pytest.mark.parametrize("data", [b".\xc2\xb2", "x \u0663\u0664\n".encode(), "rows \uff11\uff12\n".encode(),
                                  "x 1\u00b2\n".encode(), "x .\u0665\n".encode(), "x 1,\u0663\u0663\u0663\n".encode()])
def test_a_digit_of_another_script_is_a_syntax_error_not_a_crash(tmp_path, data):
    found = findings(tmp_path, data)
    assert any(d.rule == "syntax-error" for d in found)


@pytest.mark.parametrize("delay", ["99999999999y", "1001y", "9" * 40 + "d"])
def test_a_huge_duration_is_out_of_range(tmp_path, delay):
    d = only(tmp_path, variant("label_delay    60d", f"label_delay    {delay}"))
    assert d.rule == "invalid-value" and "out of range" in d.message


@pytest.mark.parametrize("train,test,delay", [
    ("2024-01-01 .. 9999-12-01", "9999-12-02 .. 9999-12-31", "999y"),
    ("0001-01-01 .. 0001-01-02", "0001-01-03 .. 9999-12-31", "1000y"),
    ("2024-01-01 .. 9999-12-30", "9999-12-31 .. 9999-12-31", "1d"),
])
def test_label_maturity_holds_at_the_ends_of_the_calendar(tmp_path, train, test, delay):
    text = ('product p { owner "a@b.c" }\n'
            f"source defaults {{ kind labels; label_delay {delay} }}\n"
            "model m { task binary_classification; labels defaults }\n"
            f"training {{ window {train} }}\nevaluation {{ window {test} }}\n")
    found = [d for d in findings(tmp_path, text) if d.rule == "label-maturity"]
    assert len(found) <= 1


@pytest.mark.parametrize("slack", ['"99999999999y"', '"1e999d"', "1e308"])
def test_a_huge_threshold_is_an_invalid_configuration(tmp_path, slack):
    (tmp_path / "pyproject.toml").write_text(f"[tool.dsspec.thresholds]\nlabel-maturity-slack = {slack}\n")
    text = ('product p { owner "a@b.c" }\nsource defaults { kind labels; label_delay 180d }\n'
            "model m { task binary_classification; labels defaults }\n"
            "training { window 2024-01-01 .. 2025-03-31 }\nevaluation { window 2025-04-01 .. 2025-06-30 }\n")
    spec = tmp_path / "spec.dsspec"
    spec.write_text(text)
    result = pipeline.check_file(pipeline.Session(), str(spec))
    assert any(d.rule == "invalid-config" for d in result.diagnostics)


# -- 1. impossible values --------------------------------------------------------------------------

@pytest.mark.parametrize("old,new", [
    ("share      50%", "share      150%"),
    ("minority_share 6%", "minority_share 150%"),
    ("minority_share 6%", "minority_share 100.01%"),
    ("  label_delay    60d\n", "  label_delay    60d\n  exploration 200%\n"),
    ("  label_delay    60d\n", "  label_delay    60d\n  zero_share 101%\n"),
])
def test_a_share_is_at_most_the_whole(tmp_path, old, new):
    d = only(tmp_path, variant(old, new))
    assert d.rule == "invalid-value" and "at most `100%`" in d.message


def test_a_canary_share_is_at_most_the_whole(tmp_path):
    d = only(tmp_path, variant("  rollback when worst", "  canary 150% for 7d\n  rollback when worst"))
    assert d.rule == "invalid-value" and "at most `100%`" in d.message
    assert findings(tmp_path, variant("  rollback when worst", "  canary 100% for 7d\n  rollback when worst")) == []


@pytest.mark.parametrize("old,new,meant", [
    ("{ precision 0.17 }", "{ precision 17 }", "did you mean `0.17` or `17%`?"),
    ("optimal    >= 0.25", "optimal    >= 1.5", "did you mean `0.015` or `1.5%`?"),
    ("acceptable >= 0.18", "acceptable >= 18", "did you mean `0.18` or `18%`?"),
    ("at         list_size <= 4000", "at         fpr <= 150%", "at most 100%"),
    ("{ precision 0.11 }", "{ precision 1100 }", "at most 1 (100%)"),
    ("rollback when worst", "rollback when precision <= 12", "did you mean `0.12` or `12%`?"),
])
def test_a_bounded_metric_over_one_names_what_was_meant(tmp_path, old, new, meant):
    d = only(tmp_path, variant(old, new))
    assert d.rule == "metric-value-out-of-range" and meant in d.message and d.fix is None


def test_an_unbounded_metric_may_be_over_one(tmp_path):
    text = variant("metrics [precision, recall, pr_auc]", "metrics [precision, recall, pr_auc, lift]") \
        .replace("{ precision 0.17 }", "{ precision 0.17; lift 3.2 }")
    assert findings(tmp_path, text) == []


def test_a_configured_metric_may_be_bounded(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.dsspec.metrics]\nhit3 = { better = "higher", bounded = true }\n')
    text = variant("{ precision 0.17 }", "{ precision 0.17; hit3 40 }")
    spec = tmp_path / "spec.dsspec"
    spec.write_text(text)
    result = pipeline.check_file(pipeline.Session(), str(spec))
    assert [d.rule for d in result.diagnostics] == ["metric-value-out-of-range"]


@pytest.mark.parametrize("old,new,fixed", [
    ("optimal    >= 0.25", "optimal    <= 0.25", "write `optimal >= 0.25`"),
    ("acceptable >= 0.18", "acceptable < 0.18", "write `acceptable > 0.18`"),
    ("worst      <= 0.12", "worst      >= 0.12", "write `worst <= 0.12`"),
])
def test_a_level_must_agree_with_its_metrics_direction(tmp_path, old, new, fixed):
    d = only(tmp_path, variant(old, new))
    assert d.rule == "success-levels-inconsistent" and fixed in d.message


def test_a_lower_is_better_metric_is_bounded_from_above(tmp_path):
    text = ('product p { owner "a@b.c" }\n'
            "operator { success mae { optimal >= 3; acceptable <= 5; worst >= 8 } }\n")
    found = [d for d in findings(tmp_path, text) if d.rule == "success-levels-inconsistent"]
    assert [d.message for d in found] == [
        "`optimal >= 3` asks for at least 3, but lower `mae` is better: write `optimal <= 3`"]


@pytest.mark.parametrize("old,new,kind", [
    ("budget   $2k/month", "budget   -$2k/month", "an amount of money"),
    ("timeout  4h", "timeout  -4h", "a duration"),
    ("minority_share 6%", "minority_share -6%", "a percentage"),
    ("load     1.2M/week", "load     -1.2M/week", "a rate"),
    ("cost     $250/month", "cost     \u2212$250/month", "an amount of money"),
])
def test_a_negative_amount_says_to_remove_the_sign(tmp_path, old, new, kind):
    d = only(tmp_path, variant(old, new))
    assert d.message.startswith("remove the `") and f"{kind} is never negative" in d.message and d.fix is None


@pytest.mark.parametrize("old,new,said", [
    ("load     1.2M/week", "load     40/s peak 20/s", "the peak `20/s` is below the load `40/s`"),
    ("load     1.2M/week", "load     40/s peak 3M/day", "the peak `3M/day` is below the load `40/s`"),
    ("goal     monthly_churn  decrease 8%", "goal     monthly_churn  decrease 150%", "cannot fall by more than"),
    ("budget   $2k/month", "budget   $-2k/month", "an amount of money is never negative"),
])
def test_values_that_cannot_both_hold_are_one_finding(tmp_path, old, new, said):
    d = only(tmp_path, variant(old, new))
    assert d.severity.value == "error" and said in d.message


# -- 2. a fix never changes meaning ----------------------------------------------------------------

@pytest.mark.parametrize("written,meant", [("p98", "p99"), ("p97", "p99"), ("p96", "p99"), ("p75", "p90"),
                                           ("p9999", "max"), ("p91", "p95"), ("p100", "max"), ("p9", "p50")])
def test_a_missing_percentile_names_the_nearest_stricter_and_is_never_fixed(tmp_path, written, meant, capsys):
    text = variant("latency  p99 <= 6h", f"latency  {written} <= 6h")
    d = only(tmp_path, text)
    assert f"write `{meant}`, the nearest stricter one" in d.message and d.fix is None
    spec = tmp_path / "spec.dsspec"
    run_cli(capsys, "check", "--fix", str(spec))
    assert spec.read_text() == text


@pytest.mark.parametrize("written,said", [("p99.9", "write `p999`: a percentile is written without its point"),
                                          ("99th", "`99th`: a percentile is written `p99`"),
                                          ("median", "did you mean `p50`?")])
def test_a_percentile_written_another_way_is_named(tmp_path, written, said):
    d = only(tmp_path, variant("latency  p99 <= 6h", f"latency  {written} <= 6h"))
    assert said in d.message


_EXPONENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)[eE]([+-]?[0-9]+)")
_AMOUNT = re.compile(r"([0-9]+(?:\.[0-9]+)?)[ \t]*([A-Za-z%]*)")
_UNIT = {**{w: {"k": 1e3, "M": 1e6, "B": 1e9}[u] for w, u in MAGNITUDE_WORDS.items()},
         **{w: {"ms": 1e-3, "s": 1, "min": 60, "h": 3600, "d": 86400, "w": 604800, "mo": 2592000,
                "y": 31536000}[u] for w, u in DURATION_WORDS.items()}, "%": 0.01, "percent": 0.01, "pct": 0.01}


def meanings(text: str) -> list[float]:
    """Return every number ``text`` states, in base units (``1hr`` and ``3600s``, ``14,000,000`` and ``14M``
    and ``1.4e7`` are the same); digits inside names count as they are (``p98`` is 98)."""
    text = re.sub(r"(?<=[0-9]),(?=[0-9]{3}\b)", "", text)
    text = _EXPONENT.sub(lambda m: repr(float(f"{m.group(1)}e{m.group(2)}")) if abs(int(m.group(2))) < 300
                         else m.group(), text)
    return sorted(round(float(n) * _UNIT.get(u, 1), 6) for n, u in _AMOUNT.findall(text))


@pytest.mark.parametrize("case", MISTAKES, ids=lambda p: p.stem)
def test_fix_never_changes_what_a_number_means(case, tmp_path):
    text = case.read_text(encoding="utf-8")
    (tmp_path / "dsspec.toml").touch()
    spec = tmp_path / "case.dsspec"
    spec.write_text(text, encoding="utf-8")
    result = pipeline.check_file(pipeline.Session(), str(spec))
    found = fixes.attach(result.diagnostics, {str(spec): text, result.path: text})
    for d in found:
        for edit in d.fix.edits if d.fix else ():
            before = text[edit.span.offset:edit.span.end_offset]
            assert meanings(before) == meanings(edit.text), f"{d.message}: `{before}` -> `{edit.text}`"


@pytest.mark.parametrize("case", MISTAKES, ids=lambda p: p.stem)
def test_check_fix_keeps_every_number_of_the_file(case, tmp_path, capsys):
    text = case.read_text(encoding="utf-8")
    (tmp_path / "dsspec.toml").touch()
    spec = tmp_path / "case.dsspec"
    spec.write_text(text, encoding="utf-8")
    run_cli(capsys, "check", "--fix", str(spec))
    assert meanings(spec.read_text(encoding="utf-8")) == meanings(text)


def test_the_meaning_check_can_fail():
    assert meanings("latency p98 <= 2s") != meanings("latency p90 <= 2s")
    assert meanings("rows 14,000,000; x 1hr") == meanings("rows 14M; x 3600s")


# -- 3. messages that sent the user the wrong way ---------------------------------------------------

@pytest.mark.parametrize("old,new,said", [
    ("load     1.2M/week", "load     170/day, peak 400/day", "`peak` belongs to the `load` statement"),
    ("latency  p99 <= 6h", "latency  p99, <= 6h", "separated by spaces"),
    ("goal     monthly_churn  decrease 8%", "goal     monthly_churn, decrease 8%", "separated by spaces"),
    ("goal     monthly_churn  decrease 8%", "goal     monthly_churn decrease, 8%", "separated by spaces"),
    ("review  150 cases by retention_lead", "review  150 cases, by retention_lead", "`by` belongs to the `review`"),
    ("track precision delayed 60d", "track precision, delayed 60d", "`delayed` belongs to the `track`"),
    ("hardware cpu\n  cost     $250", "hardware 2, gpu\n  cost     $250", "`gpu` belongs to the `hardware`"),
])
def test_a_comma_inside_one_statement_is_dropped(tmp_path, old, new, said):
    d = only(tmp_path, variant(old, new))
    assert d.message.startswith("remove the `,`") and said in d.message


def test_a_comma_between_statements_is_still_a_semicolon(tmp_path):
    text = variant("  kind      table\n  freshness 1d\n  volume    1.2M/week",
                   "  kind      table, freshness 1d\n  volume    1.2M/week")
    assert "write `;` instead of `,`" in only(tmp_path, text).message


@pytest.mark.parametrize("section", ["training", "evaluation", "serving", "monitoring"])
def test_a_section_written_inside_the_model_is_moved_out(tmp_path, section):
    start = CLEAN.index(f"\n{section} {{") + 1
    end = CLEAN.index("\n}\n", start) + 3
    block = CLEAN[start:end]
    rest = CLEAN[:start] + CLEAN[end:]
    close = rest.index("\n}\n", rest.index("model churn_scorer {"))
    nested = rest[:close] + "\n" + "\n".join("  " + line for line in block.strip().split("\n")) + rest[close:]
    d = only(tmp_path, nested)
    assert d.message == (f"`{section}` is a top-level section, not part of `model`: move `{section} {{ ... }}` out "
                         "of `model`, after the `}` that closes it")
    assert "close `model`" not in (d.help or "")


def test_a_mistyped_include_gets_a_did_you_mean_and_nothing_more(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "warehouse.dsspec").write_text("source cancellations { kind labels; label_delay 60d }\n")
    text = variant("source cancellations {\n  kind           labels\n  label_delay    60d\n  minority_share 6%\n}\n",
                   "").replace("# Weekly", 'include "lib/warehous.dsspec"\n# Weekly')
    d = only(tmp_path, text)
    assert d.rule == "include-error" and "did you mean `lib/warehouse.dsspec`?" in d.message


def test_a_name_declared_in_a_library_not_included_says_which(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "warehouse.dsspec").write_text("source cancellations { kind labels; label_delay 60d }\n")
    (tmp_path / "other.dsspec").write_text('product other { owner "a@b.c" }\nsource usage_daily { kind table }\n')
    text = variant("source cancellations {\n  kind           labels\n  label_delay    60d\n  minority_share 6%\n}\n", "")
    found = findings(tmp_path, text)
    assert {d.rule for d in found} == {"unknown-reference"}
    assert all("it is declared in `lib/warehouse.dsspec`, which this spec does not include" in d.message
               for d in found)
    assert found[0].help == 'add `include "lib/warehouse.dsspec"` at the top'


def test_two_chosen_steps_have_their_own_rule(tmp_path):
    d = only(tmp_path, variant("{ precision 0.17 }", "{ precision 0.17; chosen }"))
    assert d.rule == "several-chosen-steps" and len(d.related) == 2


@pytest.mark.parametrize("metric,level,op", [("precision", "optimal", ">="), ("precision", "acceptable", ">="),
                                             ("precision", "worst", "<="), ("mae", "optimal", "<="),
                                             ("mae", "worst", ">="), ("ndcg_at_10", "optimal", ">=")])
def test_a_level_without_comparison_gets_the_one_its_direction_needs(tmp_path, metric, level, op):
    text = f'product p {{ owner "a@b.c" }}\noperator {{ success {metric} {{ {level} 0.25 }} }}\n'
    (d,) = [d for d in findings(tmp_path, text) if d.rule == "invalid-value"]
    assert d.message.endswith(f"write `{op} 0.25`")


@pytest.mark.parametrize("old,new,op", [
    ("at         list_size <= 4000", "at         list_size 4000", "<="),
    ("at         list_size <= 4000", "at         recall 0.5", ">="),
    ('rollback when worst "Go back', 'rollback when precision 0.12 "Go back', "<="),
])
def test_an_operating_point_or_trigger_without_comparison_gets_its_direction(tmp_path, old, new, op):
    d = only(tmp_path, variant(old, new))
    assert d.rule == "invalid-value" and f"expected a comparison" in d.message and f": write `{op} " in d.message


def test_a_level_without_comparison_of_an_unknown_metric_offers_both(tmp_path):
    text = 'product p { owner "a@b.c" }\noperator { success zorp { optimal 0.25 } }\n'
    (d,) = [d for d in findings(tmp_path, text) if d.rule == "invalid-value"]
    assert "`<= 0.25` or `>= 0.25`" in d.message


@pytest.mark.parametrize("written,said", [("2023/09/04 .. 2025/02/24", "write `2023-09-04 .. 2025-02-24`"),
                                          ("2023.9.4 .. 2025.2.24", "write `2023-09-04 .. 2025-02-24`"),
                                          ("04/09/2023 .. 24/02/2025", "`04/09/2023 .. 24/02/2025`")])
def test_a_range_of_loose_dates_is_reported_whole(tmp_path, written, said):
    d = only(tmp_path, variant("window   2023-09-04 .. 2025-02-24", f"window   {written}"))
    assert said in d.message


# -- 4. a second model is no trap -------------------------------------------------------------------

TWO = """\
product p { owner "a@b.c" }
source clicks { kind labels; label_delay 1d }
source catalog { kind table; freshness 1d }
input query { from catalog; fields [q]; known_at request }
output candidates { type ranking }
output results { type ranking }
model retriever {
  task retrieval
  reads query
  writes candidates
  labels clicks
  ladder { baseline bm25 { recall_at_100 0.6 }; step two_tower { recall_at_100 0.8; chosen } }
}
model ranker {
  task ranking
  reads [query, candidates]
  writes results
  labels clicks
  ladder { baseline logistic_regression { ndcg_at_10 0.40 }; step lightgbm { ndcg_at_10 0.48; chosen } }
}
training { from [catalog, clicks]; window 2024-01-01 .. 2024-12-31 }
evaluation { from [catalog, clicks]; split time; metrics [ndcg_at_10]; primary ndcg_at_10 }
serving { mode online; hardware cpu }
monitoring { track ndcg_at_10 delayed 1d; alert "oncall" }
"""


def test_unnamed_sections_of_several_models_are_named_for_the_user(tmp_path, capsys):
    found = findings(tmp_path, TWO)
    named = {d.message.split("`")[1]: d for d in found if d.rule == "missing-value"}
    assert set(named) == {"training", "evaluation", "serving", "monitoring"}
    assert "it fits `ranker`; write `evaluation ranker {`" in named["evaluation"].message
    assert "it fits `ranker`" in named["monitoring"].message
    assert named["evaluation"].fix is not None and named["training"].fix is None
    assert "with one of `retriever`, `ranker`" in named["serving"].message
    assert not {"evaluation-missing", "serving-missing", "monitoring-missing"} & {d.rule for d in found}
    spec = tmp_path / "spec.dsspec"
    run_cli(capsys, "check", "--fix", str(spec))
    fixed = spec.read_text()
    assert "evaluation ranker {" in fixed and "monitoring ranker {" in fixed and "\ntraining {" in fixed


def test_the_one_model_left_without_a_section_fits_it(tmp_path):
    text = TWO.replace("serving { mode online; hardware cpu }",
                       "serving retriever { mode online; hardware cpu }\nserving { mode online; hardware cpu }")
    (d,) = [d for d in findings(tmp_path, text) if d.message.startswith("`serving`")]
    assert "it fits `ranker`" in d.message and d.fix.edits[0].text == " ranker"


def test_a_model_writes_several_outputs(tmp_path, capsys):
    text = TWO.replace("output results { type ranking }", 'output results { type ranking }\n'
                       'output explanations { type text }') \
        .replace("writes results", "writes [results, explanations]")
    rules = {d.rule for d in findings(tmp_path, text)}
    assert not {"unknown-reference", "unused-declaration", "invalid-value"} & rules
    spec = tmp_path / "spec.dsspec"
    run_cli(capsys, "build", str(spec), "-o", str(tmp_path / "out"), "--format", "json,dot,md")
    model = json.loads((tmp_path / "out" / "spec.json").read_text())["spec"]["models"][1]
    assert [w["name"] for w in model["writes"]] == ["results", "explanations"]
    dot = (tmp_path / "out" / "spec.dot").read_text()
    assert "model_ranker -> output_results" in dot and "model_ranker -> output_explanations" in dot
    assert "`results`, `explanations`" in (tmp_path / "out" / "spec.md").read_text()


PARALLEL = """\
product p { owner "a@b.c" }
operator { success recall { optimal >= 0.7; acceptable >= 0.6; worst <= 0.5 } }
source chargebacks { kind labels; label_delay 60d }
source outcomes { kind labels; label_delay 2d }
output fraud_score { type score }
output queue { type class }
model scorer {
  task binary_classification
  writes fraud_score
  labels chargebacks
  ladder { baseline logistic_regression { recall 0.6 }; step lightgbm { recall 0.7; chosen } }
}
model router {
  task multiclass_classification
  writes queue
  labels outcomes
  ladder { baseline logistic_regression { macro_f1 0.5 }; step lightgbm { macro_f1 0.6; chosen } }
}
evaluation scorer { metrics [recall]; primary recall }
evaluation router { metrics [macro_f1]; primary macro_f1 }
"""


def test_a_second_model_is_judged_on_its_own_metric(tmp_path):
    found = [d for d in findings(tmp_path, PARALLEL)
             if d.rule in ("complexity-unearned", "success-metric-not-evaluated", "chosen-step-misses-acceptable")]
    assert [(d.rule, d.help) for d in found] == [
        ("complexity-unearned", "judge `router` on its own metric: add `success macro_f1 { optimal >= VALUE; acceptable >= VALUE; "
                                    "worst <= VALUE }` "
                                "to model `router`")]
    text = PARALLEL.replace("  writes queue\n", "  writes queue\n  success macro_f1 { acceptable >= 0.55 }\n")
    assert not [d for d in findings(tmp_path, text) if d.rule in ("complexity-unearned",
                                                                    "success-metric-not-evaluated")]


def test_no_help_asks_a_model_to_report_anothers_metric(tmp_path):
    for d in findings(tmp_path, PARALLEL) + findings(tmp_path, TWO):
        said = (d.message + " " + (d.help or ""))
        assert "add `recall VALUE`" not in said and "add `ndcg_at_10` to" not in said, said


# -- 5. sound designs: no false alarm, no harmful help ----------------------------------------------

STATIC = """\
product p { owner "a@b.c" }
source events { kind stream; freshness 1s }
source benchmark { kind files; description "10k hand-labelled tickets, a fixed benchmark" }
input ticket { from events; fields [text]; known_at request }
model m { task text_classification; reads ticket; labels benchmark }
evaluation { from benchmark; split random; metrics [macro_f1]; primary macro_f1 }
"""


def test_a_static_file_evaluation_may_split_at_random(tmp_path):
    assert "random-split-on-time-data" not in {d.rule for d in findings(tmp_path, STATIC)}
    streamed = STATIC.replace("evaluation { from benchmark;", "evaluation { from [events, benchmark];")
    assert "random-split-on-time-data" in {d.rule for d in findings(tmp_path, streamed)}
    unsaid = STATIC.replace("evaluation { from benchmark;", "evaluation {")
    assert "random-split-on-time-data" in {d.rule for d in findings(tmp_path, unsaid)}


EARLY = """\
product p { owner "a@b.c" }
source defaults { kind labels; label_delay 12mo }
metric early_default_rate { better lower; labels yes; description "30+ days past due within 6 months" }
model m { task binary_classification; labels defaults }
evaluation { metrics [auc, early_default_rate] }
monitoring { track early_default_rate delayed 6mo; track auc delayed 12mo; alert "risk on-call" }
"""


def test_a_declared_early_warning_metric_keeps_its_own_delay(tmp_path):
    assert "delayed-labels-tracked-live" not in {d.rule for d in findings(tmp_path, EARLY)}
    (d,) = [d for d in findings(tmp_path, EARLY.replace("early_default_rate delayed 6mo", "early_default_rate"))
            if d.rule == "delayed-labels-tracked-live"]
    assert "delayed 12mo" not in d.help.split(";")[0].split("(")[0]
    short = EARLY.replace("track auc delayed 12mo", "track auc delayed 6mo")
    assert "delayed-labels-tracked-live" in {d.rule for d in findings(tmp_path, short)}


@pytest.mark.parametrize("window", ["", "window 2025-01-01 .. 2025-03-31; "])
def test_entity_leakage_offers_the_group_split_first(tmp_path, window):
    text = ('product p { owner "a@b.c" }\nsource studies { kind table; entity [patient_id]; label_delay 30d }\n'
            "model m { task image_classification; labels studies }\n"
            f"evaluation {{ from studies; {window}split random }}\n")
    (d,) = [d for d in findings(tmp_path, text) if d.rule == "entity-leakage"]
    assert d.help.startswith("use `split group patient_id`")


REVIEWED = """\
product p { owner "a@b.c" }
ecosystem {
  user merchant "Gets the confirmed decision"
  user review_desk "Analysts who confirm each flag"
}
output fraud_flag { type class; to merchant through review_desk }
model m { task binary_classification; writes fraud_flag }
"""


def test_a_user_reached_through_a_review_step_is_used(tmp_path, capsys):
    assert "unused-declaration" not in {d.rule for d in findings(tmp_path, REVIEWED)}
    (d,) = [d for d in findings(tmp_path, REVIEWED.replace("through review_desk", "through review_dsk"))
            if d.rule == "unknown-reference"]
    assert "did you mean `review_desk`?" in d.message
    spec = tmp_path / "spec.dsspec"
    spec.write_text(REVIEWED)
    run_cli(capsys, "build", str(spec), "-o", str(tmp_path / "out"), "--format", "dot,md")
    dot = (tmp_path / "out" / "spec.dot").read_text()
    assert "output_fraud_flag -> user_review_desk" in dot and "user_review_desk -> user_merchant" in dot
    without = REVIEWED.replace("to merchant through review_desk", "to merchant")
    assert "unused-declaration" in {d.rule for d in findings(tmp_path, without)}


def test_syntax_knows_the_schemas_statement_names_and_keywords():
    """`syntax.mistakes` keeps its own copy of the statement names and their inner words (the schema is a layer
    above it): after a `,` outside a list, a statement name starts another statement, any other word does not."""
    from dsspec.compiler.model.schema import SECTIONS
    from dsspec.compiler.syntax.mistakes import STATEMENT_KEYWORDS, STATEMENTS_NAMED

    names: set[str] = set()
    keywords: dict[str, set[str]] = {}
    todo, seen = [SECTIONS], set()
    while todo:
        block = todo.pop()
        if id(block) in seen:
            continue
        seen.add(id(block))
        for stmt in block.stmts:
            names.add(stmt.name)
            for arg in (a for sig in stmt.sigs for a in sig if a.kind == "kw"):
                keywords.setdefault(stmt.name, set()).add(arg.choices[0])
            if stmt.body is not None:
                todo.append(stmt.body)
    assert STATEMENTS_NAMED == names, f"set mistakes.STATEMENTS_NAMED to {sorted(names)}"
    assert {k: set(v) for k, v in STATEMENT_KEYWORDS.items()} == keywords
