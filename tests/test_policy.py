"""Team policy as code: custom rules, plugins, extend, preview, accepted risks, references (issue 22)."""

from __future__ import annotations

import dataclasses
import json
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dsspec.compiler import pipeline
from dsspec.compiler.lint import config as configuration

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "examples" / "rule-pack" / "src" / "acme_dsspec_rules" / "dsspec.toml"

SPEC = """\
product p { owner "a@b.c"; within "Card payments" }
source accounts { kind table; pii [email] }
input account { from accounts; fields [tenure_days] }
model scorer { task binary_classification; reads account }
rollout { shadow 3d }
"""

RULE = '''
[rules.TEAM001]
name = "shadow-too-short"
severity = "error"
on = "rollout"
when = {when}
message = "shadow too short"
what-it-does = "Flags a short shadow."
why-it-matters = "Our policy."
example = "product p {{ owner \\"a@b.c\\" }}\\nrollout {{ shadow 3d }}"
use-instead = "product p {{ owner \\"a@b.c\\" }}\\nrollout {{ shadow 14d }}"
'''


def _compile(tmp_path: Path, config: str, spec: str = SPEC, name: str = "spec.dsspec", **options):
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "dsspec.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    (tmp_path / name).write_text(spec, encoding="utf-8")
    configuration.config_at.cache_clear()
    configuration._find.cache_clear()
    return pipeline.check_file(pipeline.Session(), str(tmp_path / name), pipeline.Options(**options))


def _rule(when: str) -> str:
    return RULE.format(when=json.dumps(when))


def found(result, rule=None):
    return [d for d in result.diagnostics if rule is None or d.rule == rule or d.code == rule]


# --- declarative rules -------------------------------------------------------------------------------------

def test_custom_rule_fires_on_the_flaw_and_is_silent_on_a_sound_design(tmp_path):
    config = _rule("rollout.shadow == null || rollout.shadow.value < 14.0 * 86400.0")
    bad = _compile(tmp_path, config)
    [d] = found(bad, "shadow-too-short")
    assert (d.code, d.severity.value, d.span.line, d.message) == ("TEAM001", "error", 5, "shadow too short")
    good = _compile(tmp_path, config, SPEC.replace("shadow 3d", "shadow 21d"))
    assert not found(good, "shadow-too-short") and not found(good, "invalid-rule")


def test_custom_rule_is_selected_ignored_and_suppressed_like_a_built_in_one(tmp_path):
    config = _rule("true")
    assert not found(_compile(tmp_path, 'ignore = ["TEAM"]\n' + config), "TEAM001")
    assert found(_compile(tmp_path, 'select = ["TEAM001"]\n' + config), "TEAM001")
    quiet = _compile(tmp_path, config, SPEC.replace("rollout {", "# dsspec: ignore[shadow-too-short] agreed\nrollout {"))
    assert not found(quiet, "TEAM001") and not found(quiet, "unused-suppression")


def test_misspelt_field_is_a_located_finding_with_did_you_mean(tmp_path):
    result = _compile(tmp_path, _rule("rollout.shadw == null"))
    [d] = found(result, "invalid-rule")
    assert d.code == "DS050" and d.path.endswith("dsspec.toml")
    assert "`shadw`" in d.message and "did you mean `shadow`?" in d.message
    text = (tmp_path / "dsspec.toml").read_text().splitlines()
    assert "shadw" in text[d.span.line - 1][d.span.column - 1:]
    assert not found(result, "TEAM001")  # the broken rule is left out; the built-in rules still ran


@pytest.mark.parametrize("when, words", [
    ("rollout.shadow ==", "does not compile"),
    ("rollot.shadow == null", "did you mean `rollout`?"),
    ("sise(rollout.guardrails) > 0", "did you mean `size`?"),
    ("rollout.shadow.valeu > 1", "did you mean `value`?"),
    ("", "empty"),
    ("(" * 400 + "true" + ")" * 400, "does not compile"),
    ("spec.models.exists(a, spec.models.exists(b, spec.models.exists(c, spec.models.exists(d, true))))",
     "nests comprehensions 4 deep"),
    ("true || " * 600 + "true", "characters long"),
])
def test_conditions_that_cannot_be_used_are_invalid_rule_findings(tmp_path, when, words):
    [d] = found(_compile(tmp_path, _rule(when)), "invalid-rule")
    assert words in d.message, d.message


@pytest.mark.parametrize("toml, words", [
    ('[rules.DS999]\nname = "x"', "not starting with `DS`"),
    ('[rules.TEAM001]\nname = "x"', "lacks"),
    ('[rules.TEAM001]\nname = "Bad Name"\non="spec"\nwhen="true"\nmessage="m"\nwhat-it-does="a"\n'
     'why-it-matters="b"\nexample="c"\nuse-instead="d"', "kebab-case"),
    ('[rules.TEAM001]\nname = "x"\non="modle"\nwhen="true"\nmessage="m"\nwhat-it-does="a"\n'
     'why-it-matters="b"\nexample="c"\nuse-instead="d"', "did you mean `model`?"),
    ('[rules.TEAM001]\nname = "x"\nwehn="true"', "did you mean `when`?"),
    ('[rules.TEAM001]\nname = "baseline-missing"\non="spec"\nwhen="true"\nmessage="m"\nwhat-it-does="a"\n'
     'why-it-matters="b"\nexample="c"\nuse-instead="d"', "taken"),
])
def test_malformed_rule_tables_are_findings(tmp_path, toml, words):
    [d] = found(_compile(tmp_path, toml), "invalid-rule")
    assert words in d.message, d.message


@pytest.mark.parametrize("when, words", [
    ("1 / 0 == 1", "division by zero"),
    ("rollout.canary.share.value > 0", "rollout.canary"),  # canary is null in this design
    ("rollout.shadow.text", "not `true` or `false`"),
])
def test_conditions_that_raise_are_rule_error_findings_not_tracebacks(tmp_path, when, words):
    result = _compile(tmp_path, _rule(when))
    [d] = found(result, "rule-error")
    assert d.code == "DS051" and d.span.line == 5  # at the element it failed on
    assert "could not be checked here" in d.message
    assert found(result, "labels-missing")  # the other rules ran


def test_a_condition_too_costly_for_a_design_is_skipped_with_a_finding(tmp_path):
    many = "".join(f"input i{n} {{ fields [f{n}] }}\n" for n in range(400))
    when = "spec.inputs.exists(a, spec.inputs.exists(b, spec.inputs.exists(c, a == b && b == c && false)))"
    start = time.perf_counter()
    result = _compile(tmp_path, _rule(when), SPEC + many)
    assert time.perf_counter() - start < 30
    [d] = found(result, "rule-error")
    assert "too costly" in d.message


def test_a_huge_pack_ends_in_a_finding_not_a_hang(tmp_path):
    body = "".join(_rule("true").replace("TEAM001", f"TEAM{n}").replace("shadow-too-short", f"r-{n}")
                   for n in range(2100))
    start = time.perf_counter()
    result = _compile(tmp_path, body)
    assert time.perf_counter() - start < 60
    assert any("more than 2,000 custom rules" in d.message for d in found(result, "invalid-rule"))


def test_condition_sees_the_resolved_design_with_includes(tmp_path):
    (tmp_path / "lib.dsspec").write_text('source shared { kind table; pii [email] }\n')
    spec = 'include "lib.dsspec"\n' + SPEC.replace("source accounts", "source own")
    config = _rule("size(spec.sources.filter(s, s.name.name == 'shared')) == 1")
    assert found(_compile(tmp_path, config, spec), "TEAM001")


# --- extend, packs, show-settings ---------------------------------------------------------------------------

def test_extend_reads_a_pack_relative_to_the_file_that_names_it(tmp_path):
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "base.toml").write_text('extend = "more/rules.toml"\nignore = ["DS101"]\n'
                                                 '[thresholds]\nimbalance = "5%"\n')
    (tmp_path / "team" / "more").mkdir()
    (tmp_path / "team" / "more" / "rules.toml").write_text(_rule("true"))
    result = _compile(tmp_path, 'extend = ["team/base.toml"]\n[thresholds]\nhuge-model = "20B"\n')
    assert found(result, "TEAM001") and not found(result, "ecosystem-incomplete")
    cfg = configuration.config_at(tmp_path / "dsspec.toml")
    assert cfg.thresholds == {"imbalance": 0.05, "huge-model": 20e9}
    assert cfg.origins["ignore"].endswith("base.toml") and cfg.origins["thresholds.huge-model"].endswith("dsspec.toml")
    assert cfg.origins["rules.TEAM001"].endswith("rules.toml")


def test_extend_own_lists_replace_the_packs(tmp_path):
    (tmp_path / "base.toml").write_text('ignore = ["DS101"]\n')
    _compile(tmp_path, 'extend = "base.toml"\nignore = ["DS102"]\n')
    assert configuration.config_at(tmp_path / "dsspec.toml").ignore == ("DS102",)


@pytest.mark.parametrize("files, words", [
    ({"dsspec.toml": 'extend = "a.toml"', "a.toml": 'extend = "b.toml"', "b.toml": 'extend = "a.toml"'}, "cycle"),
    ({"dsspec.toml": 'extend = "dsspec.toml"'}, "cycle"),
    ({"dsspec.toml": 'extend = "missing.toml"'}, "does not exist"),
    ({"dsspec.toml": 'extend = "pkg:no_such_pack_anywhere"'}, "no installed package"),
    ({"dsspec.toml": 'extend = "pkg:../evil"'}, "not a top-level package"),
    ({"dsspec.toml": 'extend = 3'}, "must be a path"),
])
def test_broken_extends_are_findings(tmp_path, files, words):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = _compile(tmp_path, files["dsspec.toml"])
    assert any(words in d.message for d in result.diagnostics if d.rule in ("extend-error", "invalid-config")), \
        result.diagnostics


def test_extend_finds_an_installed_pack_without_importing_it(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "acme_rules").mkdir(parents=True)
    (site / "acme_rules" / "__init__.py").write_text("raise RuntimeError('a pack is read, never imported')\n")
    (site / "acme_rules" / "dsspec.toml").write_text(_rule("true"))
    monkeypatch.syspath_prepend(str(site))
    assert found(_compile(tmp_path, 'extend = ["pkg:acme_rules"]\n'), "TEAM001")


def test_show_settings_prints_the_merged_configuration_and_its_origins(tmp_path, monkeypatch, capsys):
    (tmp_path / "base.toml").write_text('select = ["DS1"]\n' + _rule("true"))
    _compile(tmp_path, 'extend = "base.toml"\n[severity]\ngoal-missing = "info"\n')
    monkeypatch.chdir(tmp_path)
    configuration.config_at.cache_clear()
    code, out, _ = run_cli(capsys, "check", "spec.dsspec", "--show-settings")
    assert code == 0
    assert 'select = ["DS1"]  # from base.toml' in out
    assert '"goal-missing" = "info"  # from dsspec.toml' in out
    assert "TEAM001" in out and "ignore = []  # default" in out


# --- preview ----------------------------------------------------------------------------------------------

def test_preview_rules_run_only_in_preview(tmp_path):
    config = _rule("true").replace('severity = "error"', 'severity = "error"\npreview = true')
    assert not found(_compile(tmp_path, config), "TEAM001")
    assert found(_compile(tmp_path, config, preview=True), "TEAM001")
    assert found(_compile(tmp_path, "preview = true\n" + config), "TEAM001")


def test_a_built_in_rule_marked_preview_waits_for_preview(tmp_path, monkeypatch):
    from dsspec.compiler.lint.registry import by_key

    rule = by_key()["labels-missing"]
    monkeypatch.setattr(rule, "preview", True)
    assert not found(_compile(tmp_path, ""), "labels-missing")
    assert found(_compile(tmp_path, "", preview=True), "labels-missing")


# --- plugins ----------------------------------------------------------------------------------------------

PLUGIN = '''
from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class ModelCardMissing(Rule):
    """A model has no description to start its model card.

    Stage: audience

    ## What it does
    Flags a `model` without `description`.

    ## Why it matters
    The model card starts from it.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task ranking }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task ranking; description "Ranks" }
    ```
    """

    code = "ACME901"
    name = "model-description-missing"
    severity = Severity.WARNING
    stage = "audience"
    references = ("rules-of-ml:11",)

    def check(self, spec, ctx):
        for m in spec.spec.models:
            if m.description is None:
                yield Hit(m.header, f"model `{m.name.name}` has no description")


class Crashes(Rule):
    """Crashes.

    ## What it does
    x
    ## Why it matters
    x
    ## Example
    x
    ## Use instead
    x
    """

    code = "ACME902"
    name = "always-crashes"
    severity = Severity.WARNING
    stage = "audience"

    def check(self, spec, ctx):
        raise ValueError("bug in the plugin")
'''


@pytest.fixture
def plugins(tmp_path, monkeypatch):
    """Install plugins by a `.dist-info` folder on sys.path: one good, one that fails to import, one malformed."""
    from dsspec.compiler.lint import registry

    site = tmp_path / "site"
    site.mkdir()
    (site / "acme_plugin.py").write_text(PLUGIN)
    (site / "broken_plugin.py").write_text("raise ImportError('no module named acme_internal')\n")
    (site / "odd_plugin.py").write_text("class NotARule: pass\n")
    dist = site / "acme_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[dsspec.rules]\nacme = acme_plugin:ModelCardMissing\ncrash = acme_plugin:Crashes\n"
        "broken = broken_plugin:RULES\nodd = odd_plugin:NotARule\n")
    monkeypatch.syspath_prepend(str(site))
    registry.loaded.cache_clear()
    yield
    monkeypatch.undo()
    registry.loaded.cache_clear()


def test_plugin_rules_run_like_built_in_ones_and_broken_plugins_cost_only_their_rules(tmp_path, plugins, capsys,
                                                                                     monkeypatch):
    result = _compile(tmp_path, "")
    [d] = found(result, "model-description-missing")
    assert d.code == "ACME901" and d.span.line == 4
    problems = [x.message for x in found(result, "plugin-error")]
    assert any("broken = broken_plugin:RULES" in m and "no module named acme_internal" in m for m in problems)
    assert any("odd = odd_plugin:NotARule" in m and "not a subclass" in m for m in problems)
    [crash] = found(result, "rule-error")
    assert "always-crashes" in crash.message and "bug in the plugin" in crash.message
    assert found(result, "labels-missing")  # the built-in rules ran
    quiet = _compile(tmp_path, "", SPEC.replace("model scorer", "# dsspec: ignore[ACME901] described elsewhere\n"
                                                                "model scorer"))
    assert not found(quiet, "ACME901")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "explain", "ACME901")
    assert code == 0 and "From: plugin acme-plugin" in out and "Rules of ML #11" in out


# --- accepted risks -----------------------------------------------------------------------------------------

ACCEPT = ("# dsspec: accept[shadow-too-short] owner=ana@example.com ticket=RISK-142 until=2027-03-31 "
          "payments committee agreed a 3-day shadow for the pilot\n")


def test_an_accepted_finding_is_a_note_until_its_date_then_returns_with_its_history(tmp_path, monkeypatch):
    config = _rule("true")
    spec = SPEC.replace("rollout {", ACCEPT + "rollout {")
    monkeypatch.setenv("DSSPEC_TODAY", "2027-03-31")
    [note] = found(_compile(tmp_path, config, spec), "accepted-risk")
    assert note.code == "DS055" and note.severity.value == "info" and not found(_compile(tmp_path, config, spec),
                                                                                  "TEAM001")
    assert "ana@example.com" in note.related[0].message and "RISK-142" in note.related[0].message
    monkeypatch.setenv("DSSPEC_TODAY", "2027-04-03")
    [back] = found(_compile(tmp_path, config, spec), "TEAM001")
    assert "expired 3 days ago" in back.message and "payments committee" in back.related[-1].message
    monkeypatch.delenv("DSSPEC_TODAY")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1806451200")  # 2027-03-31T00:00:00Z
    assert found(_compile(tmp_path, config, spec), "accepted-risk")


@pytest.mark.parametrize("comment, words", [
    ("# dsspec: accept[shadow-too-short] owner=a ticket=T-1 until=2027-13-01 why\n", "not a date"),
    ("# dsspec: accept[shadow-too-short] owner=a until=2027-01-01 why\n", "lacks `ticket`"),
    ("# dsspec: accept[shadow-too-short] owner=a ticket=T-1 until=2027-01-01\n", "lacks `reason`"),
])
def test_incomplete_acceptances_accept_nothing(tmp_path, monkeypatch, comment, words):
    monkeypatch.setenv("DSSPEC_TODAY", "2026-01-01")
    result = _compile(tmp_path, _rule("true"), SPEC.replace("rollout {", comment + "rollout {"))
    [d] = found(result, "invalid-acceptance")
    assert words in d.message and found(result, "TEAM001")


def test_the_register_in_the_configuration_accepts_by_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DSSPEC_TODAY", "2026-01-01")
    register = ('[[accept]]\nrule = "shadow-too-short"\nfile = "spec*.dsspec"\nowner = "ana"\nticket = "RISK-1"\n'
                'until = 2026-06-30\nreason = "pilot"\n')
    result = _compile(tmp_path, _rule("true") + register)
    assert found(result, "accepted-risk") and not found(result, "TEAM001")
    bad = _compile(tmp_path, _rule("true") + register.replace('ticket = "RISK-1"\n', ""))
    assert any("lacks `ticket`" in d.message for d in found(bad, "invalid-acceptance"))


def test_accepted_risks_show_in_documents_statistics_and_diff(tmp_path, monkeypatch):
    from dsspec.compiler.emit.markdown import documents
    from dsspec.compiler.report.statistics import render
    from dsspec.review.semdiff.versions import split_accepted

    monkeypatch.setenv("DSSPEC_TODAY", "2027-01-01")
    config = _rule("true")
    before = _compile(tmp_path, config)
    after = _compile(tmp_path, config, SPEC.replace("rollout {", ACCEPT + "rollout {"))
    doc = documents(after.resolved, after.diagnostics, "spec")["spec.md"]
    assert "## Risks we accepted" in doc and "RISK-142" in doc and "until 2027-03-31" in doc
    assert "## Risks we accepted" not in documents(before.resolved, before.diagnostics, "spec")["spec.md"]
    assert "accepted risks: 1 held, 0 expired" in render(after.diagnostics)
    old = [d for d in before.diagnostics if d.code == "TEAM001"]
    new = [d for d in after.diagnostics if d.rule == "accepted-risk"]
    old = [dataclasses.replace(d, span=new[0].span) for d in old]  # the accept comment moved a line
    introduced, fixed, accepted, unaccepted = split_accepted(new, old)
    assert (introduced, fixed, len(accepted), unaccepted) == ([], [], 1, [])


def test_diff_reports_an_accepted_risk(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DSSPEC_TODAY", "2027-01-01")
    _compile(tmp_path, _rule("true"))
    (tmp_path / "new.dsspec").write_text(SPEC.replace("rollout {", ACCEPT + "rollout {"))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "diff", "spec.dsspec", "new.dsspec")
    assert "1 risk accepted" in out and "~ accepted:" in out


# --- references -------------------------------------------------------------------------------------------

def test_every_built_in_rule_cites_a_source_beyond_its_stage_and_every_reference_is_known():
    from dsspec.compiler.lint import references
    from dsspec.compiler.lint.registry import builtin_rules

    table = references.table()["rules"]
    assert set(table) <= {r.name for r in builtin_rules()}, "references.toml names only built-in rules"
    # a rule not in the table (the LLM rules) carries its references on the class; either way it has some
    for rule in builtin_rules():
        refs = references.of(rule)
        assert any(not r.startswith("seed:") for r in refs), rule.name
        assert all(r in references.known() for r in refs), (rule.name, refs)
        assert refs[-1] == references.seed(rule.stage)


def test_references_reach_explain_docs_and_sarif(capsys, tmp_path, monkeypatch):
    from dsspec.compiler.lint.docs import markdown
    from dsspec.compiler.report import sarif

    code, out, _ = run_cli(capsys, "explain", "random-split-on-time-data")
    assert "## References" in out and "`leakage:L3.1`" in out and "`rules-of-ml:33`" in out
    assert "#### References" in markdown()
    result = _compile(tmp_path, "")
    log = json.loads(sarif.render(result.diagnostics, {}, tmp_path))
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    labels = rules["DS306"]
    assert labels["properties"]["tags"] == ["system design", "ml-test-score:data-1", "seed:system-design"]
    assert labels["helpUri"].endswith("#ds306-labels-missing") and "## References" in labels["help"]["markdown"]


def test_rules_by_reference_prints_a_coverage_table(capsys, tmp_path, monkeypatch):
    _compile(tmp_path, "")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "rules", "--by", "ml-test-score", "--format", "markdown", "spec.dsspec")
    assert code == 0
    assert "| `ml-test-score:model-6` | Model quality is sufficient on all important data slices | `slices-missing`" in out
    assert "of 28 items checked by a rule" in out and "1 of 1" in out
    code, out, _ = run_cli(capsys, "rules", "--by", "leakage")
    assert code == 0 and "leakage:L3.1" in out and "random-split-on-time-data" in out
    code, _, err = run_cli(capsys, "rules", "--by", "ml-tst-score")
    assert code == 2 and "did you mean `ml-test-score`?" in err


# --- the worked pack ----------------------------------------------------------------------------------------

def test_the_worked_rule_pack_passes_its_own_examples(capsys):
    code, out, _ = run_cli(capsys, "rules", "--test", str(PACK))
    assert code == 0, out
    assert out.count("ok ") >= 5 and "0 problems" in out


def test_rules_test_fails_a_rule_whose_example_does_not_fire(tmp_path, capsys):
    pack = tmp_path / "pack.toml"
    pack.write_text(_rule("false"))
    code, out, _ = run_cli(capsys, "rules", "--test", str(pack))
    assert code == 1 and "FAIL TEAM001" in out and "the rule does not fire" in out


def test_the_worked_pack_by_extend_on_a_design(tmp_path):
    config = f'extend = [{json.dumps(str(PACK))}]\n'
    spec = SPEC + 'serving { mode online; provider "OpenAI API" }\n'
    result = _compile(tmp_path, config, spec)
    got = {d.rule for d in result.diagnostics if d.code.startswith("ACME")}
    assert got == {"privacy-reviewer-missing", "payments-shadow-too-short", "hosted-vendor-outside-eu"}
    fixed = spec.replace("shadow 3d", "shadow 14d").replace("OpenAI API", "Azure OpenAI, EU Sweden Central") + \
        'ecosystem { stakeholder privacy_reviewer "Dana Ortiz" }\n'
    assert not [d for d in _compile(tmp_path, config, fixed).diagnostics if d.code.startswith("ACME")]


def test_a_condition_that_allocates_without_bound_is_skipped(tmp_path):
    many = "".join(f"input i{n} {{ fields [f{n}] }}\n" for n in range(300))
    when = "size(spec.inputs.map(a, spec.inputs.map(b, spec.inputs))) < 0"
    start = time.perf_counter()
    [d] = found(_compile(tmp_path, _rule(when), SPEC + many), "rule-error")
    assert "too costly" in d.message and time.perf_counter() - start < 30


def test_a_condition_that_is_not_a_string_is_a_finding(tmp_path):
    [d] = found(_compile(tmp_path, _rule("true").replace('when = "true"', "when = 42")), "invalid-rule")
    assert "`when` must be a string" in d.message


def test_an_acceptance_expires_on_time_through_the_result_cache(tmp_path, monkeypatch, capsys):
    _compile(tmp_path, _rule("true"), SPEC.replace("rollout {", ACCEPT + "rollout {"))
    monkeypatch.chdir(tmp_path)
    configuration.config_at.cache_clear()
    monkeypatch.setenv("DSSPEC_TODAY", "2027-03-31")
    code, out, _ = run_cli(capsys, "check", "spec.dsspec", "--select", "TEAM001", "--format", "concise")
    assert code == 0 and "DS055" in out
    monkeypatch.setenv("DSSPEC_TODAY", "2027-04-01")
    code, out, _ = run_cli(capsys, "check", "spec.dsspec", "--select", "TEAM001", "--format", "concise")
    assert code == 1 and "accepted risk expired 1 day ago" in out
