"""Configuration, suppressions and related locations."""

from __future__ import annotations

import json
import textwrap

from dsspec.compiler import pipeline
from dsspec.cli import main

REVIEW = """\
product p {
  owner "a@b.c"
}
model m {
  task binary_classification
}
evaluation {
  review 50 cases by analyst
}
ecosystem {
  user analyst "Reviews"
}
"""


def compile_in(folder, text, name="spec.dsspec"):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return pipeline.check_file(pipeline.Session(), str(path))


def rules(result):
    return {d.rule for d in result.diagnostics}


def test_threshold_in_pyproject_changes_the_outcome(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert "manual-review-too-small" in rules(compile_in(tmp_path, REVIEW))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "pyproject.toml").write_text("[tool.dsspec.thresholds]\nreview-cases = 40\n")
    assert "manual-review-too-small" not in rules(compile_in(tmp_path / "other", REVIEW))


def test_select_and_ignore_accept_codes_names_and_prefixes(tmp_path):
    (tmp_path / "dsspec.toml").write_text('select = ["DS5"]\nignore = ["manual-review-too-small"]\n')
    found = rules(compile_in(tmp_path, REVIEW))
    assert found and all(r.startswith(("manual", "slices", "success-metric", "primary", "accuracy", "metric"))
                         for r in found)
    assert "manual-review-too-small" not in found
    assert "owner-missing" not in found


def test_severity_override(tmp_path):
    (tmp_path / "dsspec.toml").write_text('[severity]\nmanual-review-too-small = "error"\n')
    (d,) = [d for d in compile_in(tmp_path, REVIEW).diagnostics if d.rule == "manual-review-too-small"]
    assert d.severity.value == "error"


def test_per_file_ignores(tmp_path):
    (tmp_path / "dsspec.toml").write_text('[per-file-ignores]\n"drafts/*.dsspec" = ["DS506"]\n')
    assert "manual-review-too-small" in rules(compile_in(tmp_path, REVIEW, "final/spec.dsspec"))
    assert "manual-review-too-small" not in rules(compile_in(tmp_path, REVIEW, "drafts/spec.dsspec"))


def test_unknown_keys_are_findings_with_did_you_mean(tmp_path):
    (tmp_path / "dsspec.toml").write_text('selct = ["DS1"]\n\n[thresholds]\nreview-case = 40\n')
    found = [d for d in compile_in(tmp_path, REVIEW).diagnostics if d.rule == "invalid-config"]
    assert [(d.span.line, d.message) for d in found] == [
        (1, "unknown configuration key `selct`; did you mean `select`?"),
        (4, "unknown threshold `review-case`; did you mean `review-cases`?"),
    ]
    assert all(d.path.endswith("dsspec.toml") for d in found)


def test_nearest_configuration_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.dsspec]\nignore = ["owner-missing"]\n')
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "dsspec.toml").write_text("")
    no_owner = "product p {\n  title \"t\"\n}\n"
    assert "owner-missing" not in rules(compile_in(tmp_path, no_owner))
    assert "owner-missing" in rules(compile_in(tmp_path / "team", no_owner))


SUPPRESSED = """\
product p {  # dsspec: ignore[owner-missing] the owner is set by the platform team
  title "t"
}
"""


def test_suppression_with_reason_silences(tmp_path):
    (tmp_path / "dsspec.toml").touch()
    assert "owner-missing" not in rules(compile_in(tmp_path, SUPPRESSED))


def test_suppression_on_the_line_above_works_by_code(tmp_path):
    (tmp_path / "dsspec.toml").touch()
    text = "# dsspec: ignore[DS103] owned by the platform team\nproduct p {\n  title \"t\"\n}\n"
    found = rules(compile_in(tmp_path, text))
    assert "owner-missing" not in found and "unused-suppression" not in found


def test_suppression_without_reason_is_reported_and_does_not_silence(tmp_path):
    (tmp_path / "dsspec.toml").touch()
    found = rules(compile_in(tmp_path, "product p {  # dsspec: ignore[owner-missing]\n  title \"t\"\n}\n"))
    assert {"owner-missing", "suppression-missing-reason"} <= found


def test_unused_suppression_is_reported(tmp_path):
    (tmp_path / "dsspec.toml").touch()
    text = "product p {\n  owner \"a\"  # dsspec: ignore[owner-missing] not needed any more\n}\n"
    (d,) = [d for d in compile_in(tmp_path, text).diagnostics if d.rule == "unused-suppression"]
    assert d.span.line == 2


def test_schema_errors_cannot_be_suppressed(tmp_path):
    (tmp_path / "dsspec.toml").touch()
    text = 'product p {\n  owner "a"\n}\noperator {\n  latncy 1  # dsspec: ignore[unknown-statement] typo is fine\n}\n'
    found = rules(compile_in(tmp_path, text))
    assert {"unknown-statement", "unused-suppression"} <= found


TIMEOUT = """\
product p {
  owner "a"
}
operator {
  latency p99 <= 80ms
  timeout 100ms
}
"""


def test_text_report_shows_related_locations_as_notes(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    path = tmp_path / "s.dsspec"
    path.write_text(TIMEOUT)
    main(["check", "--color", "never", "--select", "timeout-not-below-latency", str(path)])
    out = capsys.readouterr().out
    assert f"--> {path}:6:3" in out
    assert "note:" in out and f"--> {path}:5:3" in out


def test_json_report_carries_related_locations(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    path = tmp_path / "s.dsspec"
    path.write_text(TIMEOUT)
    main(["check", "--format", "json", "--select", "timeout-not-below-latency", str(path)])
    (f,) = json.loads(capsys.readouterr().out)["findings"]
    assert f["line"] == 6 and f["related"][0]["line"] == 5


def test_which_pyproject_configures_dsspec_is_read_from_its_text_where_that_is_certain(tmp_path, monkeypatch):
    """A ``pyproject.toml`` that never says ``dsspec``, or that has a ``[tool.dsspec]`` header outside any
    multi-line string, is judged without a TOML parser; every other spelling is parsed, as before."""
    from dsspec.compiler.lint import config_files

    parsed = []
    real_parse = config_files.parse
    monkeypatch.setattr(config_files, "parse", lambda text: parsed.append(text) or real_parse(text))
    cases = [
        ("[project]\nname = 'x'\n", False, False),                      # never says dsspec
        ("[tool.dsspec]\nselect = ['DS5']\n", True, False),             # the header: dsspec's
        ("[ tool . dsspec . thresholds ]\nreview-cases = 40\n", True, False),
        ("[tool.\"dsspec\".thresholds]\nreview-cases = 40\n", True, True),  # quoted: parsed
        ('[tool."\\u0064sspec"]\nignore = ["DS7"]\n', True, True),         # spelt by an escape: parsed
        ('[tool."dsspec"]\nselect = [\n', False, True),                     # no TOML, quoted: not claimed
        ("[tool]\ndsspec = { select = ['DS5'] }\n", True, True),         # other spellings: parsed
        ("tool.dsspec.select = ['DS5']\n", True, True),
        ("[tool.black]\nx = 'dsspec'\n", False, True),                   # says dsspec, no table
        ('[project]\nreadme = """\n[tool.dsspec]\n"""\n', False, True),  # the header inside a string
        ("[tool.dsspec]\nselect = [\n", True, False),                   # no TOML, but dsspec's to report
        ('x = """\n[tool.dsspec]\n', True, True),                      # no TOML either way: dsspec's
        ("x = [\nbroken dsspec", False, True),                           # no TOML, and not dsspec's
    ]
    for i, (text, configures, parses) in enumerate(cases):
        folder = tmp_path / f"case{i}"
        folder.mkdir()
        (folder / "pyproject.toml").write_text(text)
        parsed.clear()
        found = config_files._here(folder)
        assert (found == folder / "pyproject.toml", bool(parsed)) == (configures, parses), text


def test_a_configuration_that_extends_nothing_is_keyed_by_its_bytes_unloaded(tmp_path, monkeypatch):
    """The cache keys a spec by its configuration's bytes; only a file that may set `extend` is loaded to find
    the packs it extends (whose edits must miss too). `extend-select`, say, is not `extend`."""
    from dsspec.compiler.lint import config as configuration
    from dsspec.review import cache

    loaded = []
    real = configuration.config_at
    monkeypatch.setattr(configuration, "config_at", lambda path: loaded.append(path) or real(path))
    plain = tmp_path / "plain.toml"
    plain.write_text("[tool.ruff]\nextend-select = ['E']\n[tool.dsspec]\nselect = ['DS5']\n")
    assert cache._config_hash(plain) == cache._file_hash(plain) and loaded == []
    for i, line in enumerate(("extend = ['pack.toml']", "\"extend\" = ['pack.toml']", "\"\\u0065xtend\" = ['pack.toml']",
                              "[tool.dsspec]\nextend = ['pack.toml']", "tool.dsspec.extend = ['pack.toml']")):
        team = tmp_path / f"team{i}" / ("pyproject.toml" if "tool" in line else "dsspec.toml")
        team.parent.mkdir()
        team.write_text(line + "\n")
        (team.parent / "pack.toml").write_text("select = ['DS5']\n")
        before = cache._config_hash(team)
        assert loaded[-1] == team and before.count("+") == 1, line
        (team.parent / "pack.toml").write_text("select = ['DS5']\n# edited\n")
        assert cache._config_hash(team) != before  # an edit of the pack it extends changes the key
