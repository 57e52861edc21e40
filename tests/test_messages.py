"""Small messages that teach: rule names suggested wherever they are typed, plurals, build and fmt outcomes."""

from __future__ import annotations

import pytest

from dsspec.cli import main
from dsspec.compiler.report.github import summary_markdown

CLEAN = "product p {\n  title \"t\"\n}\n"


@pytest.mark.parametrize("argv,meant", [
    (["explain", "batch-serving"], "batch-serving-for-realtime-latency"),
    (["explain", "syntax"], "syntax-error"),
    (["check", "--ignore", "huge-model", "x.dsspec"], "huge-model-on-small-budget"),
    (["check", "--select", "baseline-mising", "x.dsspec"], "baseline-missing"),
])
def test_a_misspelt_rule_name_on_the_command_line_gets_a_suggestion(argv, meant, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.dsspec").write_text(CLEAN)
    assert main(argv) == 2
    assert f"did you mean `{meant}`?" in capsys.readouterr().err


def test_an_ambiguous_rule_name_offers_each_candidate(capsys):
    assert main(["explain", "success-levels"]) == 2
    assert "did you mean `success-levels-inconsistent` or `success-levels-missing`?" in capsys.readouterr().err


def test_a_misspelt_rule_in_a_suppression_gets_a_suggestion(check):
    result = check(CLEAN.replace('"t"', '"t"  # dsspec: ignore[owner-mising] shared mailbox'))
    (finding,) = [d for d in result.diagnostics if d.rule == "unused-suppression"]
    assert finding.message.endswith("`owner-mising` is not a rule; did you mean `owner-missing`?")
    assert finding.help == "write `ignore[owner-missing]`"


def test_a_misspelt_rule_in_the_configuration_gets_a_suggestion(tmp_path, capsys, monkeypatch):
    (tmp_path / "dsspec.toml").write_text('ignore = ["huge-model"]\n')
    (tmp_path / "x.dsspec").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    main(["check", "--format", "concise", "x.dsspec"])
    assert "did you mean `huge-model-on-small-budget`?" in capsys.readouterr().out


def test_summaries_count_in_the_singular(tmp_path, capsys):
    assert summary_markdown([], 1).startswith("### dsspec: 0 errors, 0 warnings, 0 infos in 1 file\n")
    path = tmp_path / "s.dsspec"
    path.write_text("source   s {\n kind stream\n}\n")
    assert main(["fmt", "--check", str(path)]) == 1
    assert "1 of 1 file would be reformatted" in capsys.readouterr().err
    main(["fmt", str(path)])
    capsys.readouterr()
    assert main(["fmt", "--diff", str(path)]) == 0
    assert "1 file is already formatted" in capsys.readouterr().err


def test_fmt_diff_exits_1_when_there_are_changes(tmp_path, capsys):
    path = tmp_path / "s.dsspec"
    path.write_text("source   s {\n kind stream\n}\n")
    assert main(["fmt", "--diff", str(path)]) == 1
    assert "+  kind stream" in capsys.readouterr().out


def test_a_build_that_writes_nothing_does_not_say_it_wrote_files(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    spec = tmp_path / "x.dsspec"
    spec.write_text(CLEAN)
    assert main(["build", str(spec), "-o", str(tmp_path / "out"), "--format", "pdf"]) == 2
    captured = capsys.readouterr()
    assert "wrote" not in captured.out
    assert "cannot write pdf" in captured.err and "nothing was written" in captured.err
    assert "the other files were written" not in captured.err
