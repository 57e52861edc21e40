"""Issue 18: `--fix` repairs spelling and nothing else — it never changes what the spec says.

A fix may write the word the user meant to spell (``lightgmb`` -> ``lightgbm``, ``wekly`` -> ``weekly``,
``5mintues`` -> ``5min``); a word that is another thing's name with a qualifier dropped or added
(``gpt_4_1_nano`` -> ``gpt_4_1``, ``biweekly`` -> ``weekly``), another number, an ambiguous unit or another
scale of time stays a suggestion. The property is checked with an oracle of its own (``changed``), over the
mistakes catalogue and over mutations of a clean design: every qualifier mutation gets no fix, every typo
fix gives back the clean design, and its typed model.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import compile_text, run_cli
from dsspec.compiler import fixes, pipeline
from dsspec.base.suggestions import JUDGED, SYNONYMS
from dsspec.compiler.lint.catalogue import catalogue
from dsspec.compiler.model.typed import typed
from test_trust_values import CLEAN, MISTAKES, meanings

SECONDS = {**dict.fromkeys(("ms", "msec", "millis", "millisecond", "milliseconds"), 0.001),
           **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
           **dict.fromkeys(("min", "mins", "minute", "minutes"), 60),
           **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
           **dict.fromkeys(("d", "day", "days"), 86400), **dict.fromkeys(("w", "wk", "week", "weeks"), 604800),
           **dict.fromkeys(("mo", "mon", "month", "months"), 2592000),
           **dict.fromkeys(("y", "yr", "year", "years"), 31536000)}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def changed(before: str, after: str, code: str = "") -> str | None:
    """Return how writing ``after`` for ``before`` changes what it says, or ``None`` when it only respells it.

    An oracle written apart from the compiler: the numbers (in base units) must stay, and the words must not
    be one another with a qualifier dropped or added (two letters or more, or a whole `_` part), nor units of
    time of different scales, nor an ambiguous `m` resolved. A word the language's curated synonyms give
    (``slos`` -> ``slo``) and a statement name written short (``eval``, DS010) are the same meaning."""
    if _WORD.fullmatch(before) and re.sub("_+", "_", before.lower()) == re.sub("_+", "_", after.lower()):
        return None  # a name in another case or with a doubled `_`
    if after.lower() in SYNONYMS.get(before.lower(), ()):  # curated equivalents (`median` is `p50`)
        return "a judgement" if (before.lower(), after.lower()) in JUDGED else None
    if meanings(before) != meanings(after):
        return "a number"
    if re.findall(r"[0-9]+", before) != re.findall(r"[0-9]+", after):
        return "a number in a name"
    if _WORD.fullmatch(before) and re.findall(r"[0-9]+[a-z]*", before.lower()) != \
            re.findall(r"[0-9]+[a-z]*", after.lower()):
        return "the unit of a number in a name"  # `data_gb_30d` is not `data_gb_30m`
    old, new = (" ".join(_WORD.findall(re.sub(r"^[$0-9.]+[kMB]?", "", t.lstrip("/$")))) for t in (before, after))
    a, b = old.lower().strip("_"), new.lower().strip("_")
    if a == b:
        return None
    if a == "m":
        return "a guess between minutes and months"
    if a in SECONDS and b in SECONDS:
        return None if SECONDS[a] == SECONDS[b] else "a unit's scale"
    if code == "DS010" and b.startswith(a) and "_" not in b[len(a):]:
        return None
    short, long = sorted((a, b), key=len)
    if short in long and (len(long) - len(short) > 1 or len(short) < 4):
        return "a qualifier"
    if set(short.split("_")) < set(long.split("_")):
        return "a qualifier"
    return None


def model(result: pipeline.FileResult) -> dict | None:
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("span", "header", "spans", "path")}
        return [strip(v) for v in value] if isinstance(value, list) else value
    return strip(typed(result.spec).model_dump()) if result.spec is not None else None


def fixed(tmp_path: Path, text: str) -> tuple[list, str]:
    """Return the findings of ``text`` that carry a fix, and ``text`` with every fix applied."""
    result = compile_text(tmp_path, text)
    found = [d for d in fixes.attach(result.diagnostics, {result.path: text}) if d.fix is not None]
    return found, fixes.apply(text, [d.fix for d in found])[0]


def test_the_oracle_can_fail():
    assert changed("gpt_4_1_nano", "gpt_4_1") and changed("biweekly", "weekly") and changed("$2k/m", "$2k/mo")
    assert changed("mistral", "mistral_large") and changed("/ms", "/s") and changed("p98", "p90")
    assert changed("bert_large", "bert") and changed("xgboost_ranker", "xgboost")
    assert not changed("lightgmb", "lightgbm") and not changed("wekly", "weekly") and not changed("4hr", "4h")
    assert not changed("freshnes", "freshness") and not changed("$3k/mnth", "$3k/month")
    assert not changed("median", "p50") and changed("done", "approved")


@pytest.mark.parametrize("case", MISTAKES, ids=lambda p: p.stem)
def test_every_fix_of_the_catalogue_only_respells(case, tmp_path):
    text = case.read_text(encoding="utf-8")
    found, after = fixed(tmp_path, text)
    for d in found:
        for edit in d.fix.edits:
            before = text[edit.span.offset:edit.span.end_offset]
            assert changed(before, edit.text, d.code) is None, f"{d.message}: `{before}` -> `{edit.text}`"
    if found:  # the fix repairs the finding it is attached to
        left = {(d.code, d.span.line) for d in compile_text(tmp_path, after).diagnostics}
        assert not left & {(d.code, d.span.line) for d in found}


# -- mutations of a clean design: qualifiers never fixed, typos fixed back to the design ----------------------

STEP = "step     lightgbm {"
FAMILIES = sorted(catalogue("families"))
QUALIFIED = [
    *((STEP, f"step     {f}{q} {{") for f in FAMILIES for q in ("_nano", "_large", "_ranker")),
    *((STEP, f"step     {q}{f} {{") for f in FAMILIES[::4] for q in ("tiny_", "bi")),
    *(("schedule weekly", f"schedule {q}weekly") for q in ("bi", "tri", "semi")),
    *(("schedule monthly", f"schedule {q}monthly") for q in ("bi", "tri", "semi")),
    ("schedule weekly", "schedule weekly_x"), ("schedule monthly", "schedule month_end"),
    ("budget   $2k/month", "budget   $2k/m"), ("budget   $2k/month", "budget   $2k/ms"),
    ("load     1.2M/week", "load     1.2M/m"), ("load     1.2M/week", "load     1.2M/ms"),
    ("latency  p99 <= 6h", "latency  p98 <= 6h"), ("latency  p99 <= 6h", "latency  p99 <= 6m"),
    ("reads  account", "reads  account_daily"), ("reads  account", "reads  acc"),
    ("labels cancellations", "labels cancellations_2024"), ("mode     batch", "mode     microbatch"),
    ("split   time", "split   stratified"),  # judged synonyms: offered (`random`, `approved`), never written
    ("status   draft", "status   done"), ("status   draft", "status   accepted"),
]
TYPOS = [
    (STEP, "step     lightgmb {"), (STEP, "step     lightgbmm {"), (STEP, "step     ligthgbm {"),
    ("schedule weekly", "schedule wekly"), ("schedule weekly", "schedule weeklyy"),
    ("schedule monthly", "schedule montly"), ("budget   $2k/month", "budget   $2k/mnth"),
    ("load     1.2M/week", "load     1.2M/wek"), ("load     1.2M/week", "load     1.2M/weeks"),
    ("reads  account", "reads  acount"), ("labels cancellations", "labels cancelations"),
    ("mode     batch", "mode     bacth"), ("split   time", "split   tme"),
]
SOUND = CLEAN.replace("latency  p99 6h", "latency  p99 <= 6h")


def variant(old: str, new: str) -> str:
    assert SOUND.count(old) == 1, old
    return SOUND.replace(old, new)


@pytest.mark.parametrize("old,new", QUALIFIED, ids=lambda x: x.split()[-1].strip("{") if " " in x else x)
def test_a_qualifier_dropped_or_added_is_never_fixed(tmp_path, old, new):
    found, _ = fixed(tmp_path, variant(old, new))
    assert not found, [(d.message, d.fix.title) for d in found]


@pytest.mark.parametrize("old,new", TYPOS, ids=lambda x: x.split()[-1])
def test_a_typo_is_fixed_back_to_the_design(tmp_path, old, new):
    found, after = fixed(tmp_path, variant(old, new))
    assert len(found) == 1, [d.message for d in compile_text(tmp_path, variant(old, new)).diagnostics]
    assert after == SOUND
    assert model(compile_text(tmp_path, after, "fixed.dsspec")) == model(compile_text(tmp_path, SOUND, "sound.dsspec"))


@pytest.mark.parametrize("unit,meant", [("5mintues", "5min"), ("5minuts", "5min"), ("5hous", "5h"),
                                        ("5secnds", "5s"), ("5hours", "5h"), ("5 mins", "5min")])
def test_a_misspelt_unit_of_time_is_fixed(tmp_path, unit, meant):
    found, after = fixed(tmp_path, variant("schedule weekly", f"schedule {unit}"))
    assert after == variant("schedule weekly", f"schedule {meant}")


@pytest.mark.parametrize("unit", ["5mos", "14 millon", "5m", "5mz", "1Ms"])
def test_a_unit_that_could_be_two_is_not_fixed(tmp_path, unit):
    assert fixed(tmp_path, variant("schedule weekly", f"schedule {unit}"))[0] == []


# -- the red team's cases (items 9, 10, 11, 14, 22) -----------------------------------------------------------

@pytest.mark.parametrize("word,duration", [("biweekly", "2w"), ("bimonthly", "2mo"), ("quarterly", "3mo"),
                                           ("fortnightly", "2w")])
def test_a_cadence_word_is_told_its_duration_and_not_fixed(tmp_path, capsys, word, duration):
    text = variant("schedule monthly", f"schedule {word}")
    (d,) = compile_text(tmp_path, text).diagnostics
    assert f"write the cadence as a duration: `{duration}`" in d.message and d.help == f"write `schedule {duration}`"
    assert "did you mean" not in d.message and d.fix is None
    run_cli(capsys, "check", "--fix", str(tmp_path / "spec.dsspec"))
    assert (tmp_path / "spec.dsspec").read_text() == text


@pytest.mark.parametrize("written,near,size", [
    ("gpt_4_1_nano", "gpt_4_1", "a larger model"), ("gpt_4o_nano", "gpt_4o", "a larger model"),
    ("mistral_large", "mistral", "a smaller model"), ("bert_large", "bert", "a smaller model"),
    ("xgboost_ranker", "xgboost", "another model"), ("gemini_ultra", "gemini", "a smaller model")])
def test_a_family_with_a_qualifier_is_not_another_family(tmp_path, capsys, written, near, size):
    text = variant(STEP, f"step     {written} {{")
    (d,) = compile_text(tmp_path, text).diagnostics
    assert d.rule == "unknown-model-family" and d.fix is None and "did you mean" not in d.message
    assert f"the nearest is `{near}`, {size}" in d.message
    assert f"declare `{written}` in the configuration" in d.help and "write the family you mean" in d.help
    run_cli(capsys, "check", "--fix", str(tmp_path / "spec.dsspec"))
    assert (tmp_path / "spec.dsspec").read_text() == text


def test_an_ambiguous_money_period_is_not_guessed(tmp_path, capsys):
    text = variant("budget   $2k/month", "budget   $2k/m")
    (d,) = compile_text(tmp_path, text).diagnostics
    assert d.fix is None
    run_cli(capsys, "check", "--fix", str(tmp_path / "spec.dsspec"))
    assert (tmp_path / "spec.dsspec").read_text() == text


LIBRARY = """\
source subscriptions { kind table; description "one row per subscription" }
"""


def _project(tmp_path: Path, spec_include: str, lib_include: str = "") -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "warehouse.dsspec").write_text(lib_include + LIBRARY)
    spec = tmp_path / "churn.dsspec"
    spec.write_text(f'include "{spec_include}"\n' + SOUND if spec_include else SOUND)
    return spec


def _include_findings(spec: Path) -> list:
    return [d for d in pipeline.check_file(pipeline.Session(), str(spec)).diagnostics if d.rule == "include-error"]


def test_an_include_did_you_mean_never_offers_the_spec_itself(tmp_path):
    spec = _project(tmp_path, "churm.dsspec")
    (d,) = _include_findings(spec)
    assert "did you mean" not in d.message and "churn.dsspec" not in (d.help or "")


def test_a_wildcard_include_names_the_files_it_matches_not_the_spec(tmp_path):
    spec = _project(tmp_path, "*.dsspec")
    (d,) = _include_findings(spec)
    assert "not expanded" in d.message and "churn.dsspec" not in d.help
    spec = _project(tmp_path / "b", "lib/*.dsspec")
    (d,) = _include_findings(spec)
    assert d.help == 'write one include per file: `include "lib/warehouse.dsspec"`'


def test_an_include_did_you_mean_never_offers_a_file_that_includes_the_spec(tmp_path):
    spec = _project(tmp_path, "lib/warehose.dsspec", lib_include='include "../churn.dsspec"\n')
    (d,) = _include_findings(spec)
    assert "did you mean" not in d.message
    # without the cycle, the same mistake is told the file
    spec = _project(tmp_path / "b", "lib/warehose.dsspec")
    (d,) = _include_findings(spec)
    assert "did you mean `lib/warehouse.dsspec`?" in d.message


def test_add_include_is_never_offered_for_a_file_that_includes_the_spec(tmp_path):
    text = SOUND.replace("source subscriptions", "source subscriptions_inline")
    assert text != SOUND
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / "cw.dsspec").write_text('include "spec.dsspec"\n' + LIBRARY)
    found = compile_text(tmp_path, text).diagnostics
    assert not [d for d in found if "cw.dsspec" in d.message + (d.help or "")]
    (tmp_path / "cw.dsspec").write_text(LIBRARY)  # no cycle: it is offered
    found = compile_text(tmp_path, text).diagnostics
    assert [d for d in found if 'add `include "cw.dsspec"`' in (d.help or "")]


def test_an_unnamed_section_is_never_told_a_model_that_has_one(tmp_path):
    from test_trust_values import TWO
    text = TWO.replace("evaluation { from", "evaluation retriever { from [catalog, clicks]; split time; "
                       "metrics [recall_at_100]; primary recall_at_100 }\nevaluation ranker { from [catalog, "
                       "clicks]; split time; metrics [ndcg_at_10]; primary ndcg_at_10 }\nevaluation { from")
    (d,) = [d for d in compile_text(tmp_path, text).diagnostics if d.message.startswith("`evaluation`")]
    assert "every model already has an `evaluation` section" in d.message and d.fix is None
    assert "`retriever`" not in d.message + d.help and "`ranker`" not in d.message + d.help


_TOKEN = re.compile(r"(?<![\w\"#])[\w$/.]+(?![\w\"])")


def _mutations(word: str) -> set[str]:
    """Return qualifier, number and spelling mutations of ``word`` (a newcomer's and a red team's)."""
    out = {word + "_large", word + "_nano", "bi" + word, "x_" + word, word + "s", word[:-1], word[:-2], word + "2",
           "semi" + word, word.upper(), word[:1] + word[2:], word.rsplit("_", 1)[0] if "_" in word else word + "_x",
           re.sub(r"[0-9]", lambda m: str((int(m.group()) + 1) % 10), word), re.sub(r"[a-z]+$", "m", word)}
    if len(word) > 3:
        out.add(word[:1] + word[2] + word[1] + word[3:])
    return out - {word}


def test_no_fix_of_any_mutation_of_a_design_changes_what_it_says(tmp_path):
    """Every word of the design's statements (not its text), mutated 14 ways; every fix any finding carries
    passes the oracle. The whole design takes a minute; every sixth word is enough to keep it honest."""
    lines = SOUND.splitlines(keepends=True)
    tokens, at = [], 0
    for line in lines:
        if '"' not in line and "#" not in line:
            tokens += [(at + m.start(), m.group()) for m in _TOKEN.finditer(line) if len(m.group()) >= 2]
        at += len(line)
    checked = 0
    for pos, word in tokens[::6]:
        for new in sorted(_mutations(word)):
            text = SOUND[:pos] + new + SOUND[pos + len(word):]
            found, _ = fixed(tmp_path, text)
            for d in found:
                for edit in d.fix.edits:
                    before = text[edit.span.offset:edit.span.end_offset]
                    assert changed(before, edit.text, d.code) is None and before != edit.text, \
                        f"{word} -> {new}: {d.message}: `{before}` -> `{edit.text}`"
                    checked += 1
    assert checked > 50  # typos among the mutations are fixed: the property is not vacuous


def test_a_reference_with_a_qualifier_is_offered_not_written(tmp_path):
    found = compile_text(tmp_path, variant("labels cancellations", "labels cancellations_daily")).diagnostics
    (d,) = [d for d in found if d.rule == "unknown-reference"]
    assert "did you mean `cancellations`?" in d.message and d.fix is None
    assert d.help == "write `cancellations` if it is the one you mean, or declare label source `cancellations_daily`"


def test_a_curated_equivalent_is_still_written(tmp_path):
    """`median` is `p50` and `nightly` is `daily`: the same meaning in the language's word, so fixed."""
    _, after = fixed(tmp_path, variant("latency  p99 <= 6h", "latency  median <= 6h"))
    assert after == variant("latency  p99 <= 6h", "latency  p50 <= 6h")
    _, after = fixed(tmp_path, variant("schedule monthly", "schedule nightly"))
    assert after == variant("schedule monthly", "schedule daily")


def test_a_finding_about_a_right_unit_gets_no_fix(tmp_path):
    """`load 40/s peak 6/s`: the peak is below the load; its unit `s` is right, and nothing is rewritten."""
    found, after = fixed(tmp_path, variant("load     1.2M/week", "load     40/s peak 6/s"))
    assert found == [] and after == variant("load     1.2M/week", "load     40/s peak 6/s")


def test_money_per_an_ambiguous_m_names_both_meanings_and_guesses_neither():
    from dsspec.compiler.pipeline import Session

    _, _, diags = Session().front("t.dsspec", b'product p { owner "a" }\noperator {\n  budget $2k/m\n}\n')
    [d] = [d for d in diags if d.rule == "invalid-value"]
    assert "`/m` is ambiguous" in d.message and "`/min`" in d.message and "`/month`" in d.message
    assert d.fix is None and "did you mean" not in d.message
