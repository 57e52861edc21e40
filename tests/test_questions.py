"""Review questions (issue 19): the catalogue, explicit answers, status weights, prose hints, the rules
that check answers, and where open questions show (command, documents, diagram, init, LSP, diff)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import compile_text, run_cli

from dsspec.compiler.lint import questions as q
from dsspec.compiler.lint.catalogue import catalogue

ROOT = Path(__file__).resolve().parents[1]

DESIGN = """
product p {{ owner "a@b.c"{status} }}
ecosystem {{ problem "x"; today "y"; user svc "Calls it"; goal k increase 5% }}
operator {{ success recall {{ optimal >= 0.7; acceptable >= 0.6; worst <= 0.4 }}; latency p99 <= 80ms; budget $1k/month; fallback rules "r"; default "d" }}
source outcomes {{ kind labels; label_delay 30d; minority_share 5%{label} }}
source apps {{ kind table; description "{prose}" }}
input app {{ from apps; fields [amount]; known_at request }}
output score {{ type probability; to svc; calibrated yes }}
model m {{
  task binary_classification; reads app; writes score; labels outcomes
  ladder {{ manual "rules" {{ recall 0.4 }}; baseline logistic_regression {{ recall 0.6; chosen }} }}
}}
training {{ from [apps, outcomes]; window 2024-01-01 .. 2024-06-30; hardware cpu }}
evaluation {{ from [apps, outcomes]; window 2024-08-01 .. 2024-09-30; split time; metrics [recall]; primary recall }}
serving {{ mode online; hardware cpu; cost $100/month }}
"""


def design(status="", label="", prose="applications"):
    return DESIGN.format(status=f"; status {status}" if status else "", label=label, prose=prose)


def opens(tmp_path, text, name="spec.dsspec"):
    result = compile_text(tmp_path, text, name)
    return [d for d in result.diagnostics if d.rule == "question-open"]


# ---- the catalogue ----------------------------------------------------------------------------------

def test_catalogue_rows_are_sound_and_cover_the_issue():
    rows = catalogue("questions")["question"]
    assert q.validate(rows) == []
    ids = {r["id"] for r in rows}
    assert len(ids) >= 25
    assert {"label-delay", "label-selection", "label-proxy", "after-outcome", "protected-proxies", "test-size",
            "uncertainty", "tuning-data", "duplicates", "population-trained", "population-served", "cold-start",
            "review-capacity", "error-costs", "accelerator-memory"} <= ids
    for r in rows:
        assert r["sources"] and r["audiences"] and r["why"]


def test_validate_names_what_is_wrong_with_a_row():
    bad = [{"id": "x", "element": "nowhere", "when": "never", "audiences": ["cfo"], "sources": [], "hints": ["(", r"\d+ GB\b", r"\x41"],
            "reported_by": "no-such-rule", "colour": "red"}]
    problems = " ".join(q.validate(bad))
    for word in ("unknown key `colour`", "unknown element", "unknown `when`", "audiences", "no source",
                 "not a regular expression", "names no rule", "missing `ask`", "hint `\\d+ GB\\b` has a capital",
                 "hint `\\x41` spells a capital letter by its code"):
        assert word in problems
    assert q.validate([{**bad[0], "hints": [r"\bstock-?outs?\b\S\W\B"]}]) == [p for p in q.validate(bad)
                                                                        if "hint" not in p]  # escapes are not letters


def test_a_hint_matches_prose_in_any_case_and_quotes_it_as_written(tmp_path):
    """Hints are lower case and searched in the prose lower-cased; the quote keeps the writer's case, also where
    a letter's lower case is longer (the prose is then searched as written)."""
    for prose in ("Repayment, For FUNDED plans only", "İstanbul office: repayment, for funded plans ONLY",
                  "Repayment, for approved applıcants only", "Repayment, for approved claimſ only"):
        (hit,) = opens(tmp_path, design(prose="x").replace('kind labels;', f'kind labels; description "{prose}";'))
        assert hit.severity.value == "warning" and prose.split(": ")[-1].split(", ")[-1] in hit.message, hit.message


def test_docs_questions_md_is_current(capsys):
    code, out, _ = run_cli(capsys, "questions", "--catalogue", "--format", "markdown")
    assert code == 0
    assert (ROOT / "docs" / "questions.md").read_text() == out, \
        "regenerate: dsspec questions --catalogue --format markdown > docs/questions.md"


# ---- answers ----------------------------------------------------------------------------------------

def test_none_with_a_reason_answers_and_leaves_the_model_as_before(tmp_path):
    r = compile_text(tmp_path, design(label='; selected_by none "every application receives an outcome"'))
    source = r.resolved.sources["outcomes"]
    assert source.selected_by is None and source.nones["selected_by"].value.startswith("every application")
    assert not [d for d in r.diagnostics if d.rule == "selective-labels-uncorrected"]


def test_none_needs_its_reason_and_cannot_stand_beside_a_value(tmp_path):
    bare = compile_text(tmp_path, design(label="; selected_by none"))
    assert any(d.rule == "missing-value" and "takes one reason" in d.message for d in bare.diagnostics)
    both = compile_text(tmp_path, design(label='; selected_by approvals "x"; selected_by none "y"'), "b.dsspec")
    assert any(d.rule == "duplicate-statement" for d in both.diagnostics)


def test_a_cause_named_as_before_keeps_its_meaning(tmp_path):
    r = compile_text(tmp_path, design(label='; selected_by approvals "only approved loans"'))
    assert [d.rule for d in r.diagnostics if d.rule == "selective-labels-uncorrected"]


# ---- status weights ---------------------------------------------------------------------------------

def test_status_sets_the_weight_and_no_status_is_a_draft(tmp_path):
    assert opens(tmp_path, design()) == []
    assert opens(tmp_path, design("draft"), "d.dsspec") == []
    review = opens(tmp_path, design("review"), "r.dsspec")
    assert review and {d.severity.value for d in review} == {"warning"}
    approved = opens(tmp_path, design("approved"), "a.dsspec")
    assert approved and {d.severity.value for d in approved} == {"error"}


def test_configuration_changes_levels_forces_a_status_and_ignores_questions(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "dsspec.toml").write_text('[questions]\nreview = "info"\n')
    (tmp_path / "sub" / "x.dsspec").write_text(design("review"))
    from dsspec.compiler import pipeline

    r = pipeline.check_file(pipeline.Session(), str(tmp_path / "sub" / "x.dsspec"))
    assert not [d for d in r.diagnostics if d.rule == "question-open"]
    (tmp_path / "sub" / "dsspec.toml").write_text('[questions]\nstatus = "approved"\nignore = ["test-size"]\n')
    from dsspec.compiler.lint import config

    config.config_at.cache_clear()
    r = pipeline.check_file(pipeline.Session(), str(tmp_path / "sub" / "x.dsspec"))
    found = [d for d in r.diagnostics if d.rule == "question-open"]
    assert found and all(d.severity.value == "error" for d in found)
    assert not any("test-size" in d.message for d in found)


def test_configuration_mistakes_are_findings(tmp_path):
    from dsspec.compiler.lint.config import load

    path = tmp_path / "dsspec.toml"
    path.write_text('[questions]\nreveiw = "warning"\ndraft = "loud"\nignore = ["tuning-dat"]\n')
    messages = " ".join(d.message for d in load(path).diagnostics)
    assert "did you mean `review`" in messages and "`questions.draft` must be one of" in messages
    assert "did you mean `tuning-data`" in messages


def test_prose_raises_a_draft_question_to_a_warning_and_quotes_it_but_never_to_an_error(tmp_path):
    prose = "repayment, for funded plans only"
    (hit,) = opens(tmp_path, design(prose="x").replace('kind labels;', f'kind labels; description "{prose}";'))
    assert hit.severity.value == "warning" and "funded plans only" in hit.message
    review = opens(tmp_path, design("review").replace('kind labels;', f'kind labels; description "{prose}";'),
                   "r.dsspec")
    assert all(d.severity.value == "warning" for d in review)


def test_prose_that_says_nothing_raises_nothing(tmp_path):
    assert opens(tmp_path, design(prose="Loan applications, one row each; approved within a day")) == []


def test_explain_shows_the_level_at_each_status(capsys):
    code, out, _ = run_cli(capsys, "explain", "question-open")
    assert code == 0 and "`review`: warning" in out and "`approved`: error" in out and "no `status`" in out


# ---- where open questions show ----------------------------------------------------------------------

def test_questions_command_prints_the_agenda_by_section_and_audience(tmp_path, capsys):
    path = tmp_path / "x.dsspec"
    (tmp_path / "dsspec.toml").touch()
    path.write_text(design())
    code, out, _ = run_cli(capsys, "questions", str(path))
    assert code == 0 and "status draft" in out and "label source `outcomes`" in out and "[info] label-selection" in out
    code, out, _ = run_cli(capsys, "questions", str(path), "--status", "review", "--format", "markdown",
                           "--audience", "pm")
    assert "## For the product manager" in out and "(`label-proxy`, warning)" in out and "## For the staff" not in out
    code, out, _ = run_cli(capsys, "questions", str(path), "--format", "json")
    data = json.loads(out)
    assert data["status"] == "draft" and {r["id"] for r in data["questions"]} >= {"label-selection", "test-size"}


def test_questions_command_refuses_what_cannot_be_reviewed(tmp_path, capsys):
    code, _, err = run_cli(capsys, "questions")
    assert code == 2 and "--catalogue" in err
    code, _, err = run_cli(capsys, "questions", str(tmp_path / "missing.dsspec"))
    assert code == 2 and "does not exist" in err


def test_documents_list_the_open_questions_for_their_reader(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    path = tmp_path / "x.dsspec"
    path.write_text(design() + "audience pm { gets [summary] }\naudience staff_ds { gets [evaluation] }\n")
    code, _, err = run_cli(capsys, "build", str(path), "-o", str(tmp_path / "out"), "--format", "md,dot")
    assert code == 0, err
    pm = (tmp_path / "out" / "x.pm.md").read_text()
    staff = (tmp_path / "out" / "x.staff_ds.md").read_text()
    assert "## Open questions" in pm and "`label-proxy`" in pm and "`test-size`" not in pm
    assert "`test-size`" in staff
    dot = (tmp_path / "out" / "x.dot").read_text()
    assert "? 2 open questions" in dot  # the label source: selection and proxy


def test_a_design_that_answers_every_question_has_no_section_and_no_mark(tmp_path, capsys):
    spec = ROOT / "specs" / "search_ranking.dsspec"
    code, _, _ = run_cli(capsys, "build", str(spec), "-o", str(tmp_path), "--format", "md,dot")
    assert code == 0
    assert "## Open questions" not in (tmp_path / "search_ranking.md").read_text()
    assert "open question" not in (tmp_path / "search_ranking.dot").read_text()


def test_init_scaffolds_every_answer():
    import re

    from dsspec.review.scaffold import render

    text = render("x")
    for question in q.questions():
        assert any(re.search(rf"^\s*#?\s*{a}\b", text, re.M) for a in question.answers), question.id


def test_the_language_server_offers_each_answer_as_an_edit(tmp_path):
    from dsspec.integrations.lsp.actions import answers

    import re

    text = re.sub(r"\{ ([^{}]*) \}", lambda m: "{\n  " + m.group(1).replace("; ", "\n  ") + "\n}",
                  design("review"))  # blocks on their own lines, as people write them
    r = compile_text(tmp_path, text)
    edits = {qid: e for d in r.diagnostics for qid, e in answers(d, r.text)}
    assert {"label-selection", "label-proxy", "test-size", "protected-attributes"} <= set(edits)
    start, end, new = edits["label-proxy"]
    fixed = r.text[:start] + new + r.text[end:]
    again = compile_text(tmp_path, fixed, "fixed.dsspec")
    assert not any("label-proxy" in d.message for d in again.diagnostics if d.rule == "question-open")
    assert "TODO" in new


def test_diff_says_a_none_is_a_new_claim(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    old, new = tmp_path / "old.dsspec", tmp_path / "new.dsspec"
    old.write_text(design(label='; selected_by approvals "only approved"; correction ri "bureau"'))
    new.write_text(design(label='; selected_by none "every application receives an outcome"'))
    _, out, _ = run_cli(capsys, "diff", str(old), str(new))
    assert "now claims no selection bias" in out and "[relaxed]" in out


# ---- the rules that check answers: edges the docstring examples do not cover -----------------------

CASES = [
    ("population-not-covered", False, """
        model m { task binary_classification }
        training { population [site_a] }
        evaluation { population [site_b] }
        serving { mode online; population [site_a, site_b] }
        """),
    ("protected-attribute-not-sliced", False, """
        source people { kind table; protected [age] }
        input person { from people; fields [income] }
        model m { task binary_classification; reads person }
        evaluation { split time }
        """),
    ("protected-proxy-reaches-model", False, """
        source people { kind table; protected [sex]; proxies [first_name] }
        input person { from people; fields [first_name, income] }
        model m { task binary_classification; reads person }
        evaluation { slices [sex] }
        """),
    ("duplicates-across-split", False, """
        model m { task text_classification }
        evaluation { split group thread_id; duplicates kept "grouped by thread" }
        source s { kind table; entity [thread_id] }
        """),
    ("model-exceeds-accelerator-memory", False, """
        model m { task generation; ladder { step llm { params 70B; chosen } } }
        serving { mode online; hardware 4 gpu; accelerator a100_80gb }
        """),
    ("model-exceeds-accelerator-memory", True, """
        model m { task generation; ladder { step llm { params 70B; chosen } } }
        serving { mode online; hardware gpu; accelerator l4; quantisation int4 }
        """),
    ("model-exceeds-accelerator-memory", False, """
        model m { task generation; ladder { step llm { params 70B; chosen } } }
        serving { mode online; provider "Hosted API"; cost $0.002/request }
        """),
    ("ladder-gain-within-noise", False, """
        operator { success accuracy { optimal >= 0.9 } }
        model m { task multiclass_classification; ladder { baseline logistic_regression { accuracy 0.80 }; step bert { accuracy 0.86; chosen } } }
        evaluation { test_size 2000 }
        """),
    ("ladder-gain-within-noise", False, """
        operator { success accuracy { optimal >= 0.9 } }
        model m { task multiclass_classification; ladder { baseline logistic_regression { accuracy 0.871 }; step bert { accuracy 0.872; chosen } } }
        evaluation { test_size 2000; uncertainty paired_test "McNemar on the same cases" }
        """),
    # recall on 0.5% positives of 40k cases: 200 positives, so +0.05 is noise
    ("ladder-gain-within-noise", True, """
        operator { success recall { optimal >= 0.9 } }
        source l { kind labels; label_delay 1d; minority_share 0.5% }
        model m { task binary_classification; labels l; ladder { baseline logistic_regression { recall 0.60 }; step lightgbm { recall 0.65; chosen } } }
        evaluation { test_size 40k }
        """),
    ("review-over-capacity", True, """
        ecosystem { goal review_volume keep <= 300/day }
        operator { load 30k/day; review_share 2% }
        """),
    ("review-over-capacity", False, """
        operator { load 30k/day; review_share 1%; review_capacity 400/day }
        """),
    ("threshold-without-error-costs", False, """
        operator { success recall { at fpr <= 1% }; error_cost false_negative $90; error_cost false_positive $3 }
        model m { task binary_classification }
        """),
    ("threshold-without-error-costs", False, """
        operator { success recall { optimal >= 0.7 }; error_cost false_negative $90 }
        model m { task regression }
        """),
    ("cold-start-without-path", True, """
        model m { task ranking; cold_start none "no new items" }
        training { population [apparel] }
        serving { mode online; population [apparel, home] }
        """),
    ("cold-start-without-path", False, """
        model m { task ranking }
        training { population [apparel, home] }
        serving { mode online; population [apparel, home] }
        """),
    ("tuned-on-test-set", False, """
        model m { task binary_classification }
        evaluation { tuned_on cross_validation "5 folds of the training window" }
        """),
]


@pytest.mark.parametrize("rule,fires,body", CASES, ids=[f"{r}-{'fires' if f else 'silent'}-{i}"
                                                       for i, (r, f, _) in enumerate(CASES)])
def test_answer_rule_case(tmp_path, rule, fires, body):
    import textwrap

    text = 'product p { owner "a@b.c" }\n' + textwrap.dedent(body)
    rules = {d.rule for d in compile_text(tmp_path, text).diagnostics}
    assert (rule in rules) == fires, sorted(rules)


def test_memory_rule_explains_its_estimate(tmp_path):
    text = ('product p { owner "a@b.c" }\nmodel m { task generation; ladder { step llm { params 70B; chosen } } }\n'
            'serving { mode online; hardware gpu; accelerator rtx_4090 }\n')
    (hit,) = [d for d in compile_text(tmp_path, text).diagnostics if d.rule == "model-exceeds-accelerator-memory"]
    assert "168 GB" in hit.message and "`rtx_4090`" in hit.message and "(24 GB)" in hit.message


def test_noise_band_follows_the_binomial_formula():
    from dsspec.compiler.lint.rules.ladder_gain_within_noise import noise

    assert noise(0.5, 10_000) == pytest.approx(1.96 * (2 * 0.25 / 10_000) ** 0.5)
    assert noise(0.9, 100) > noise(0.9, 10_000)
