"""`check --set` (review item 13) and `check --diff` of a unit written after a space (item 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsspec.cli import main

SPEC = Path(__file__).resolve().parents[1] / "specs" / "search_ranking.dsspec"


@pytest.mark.parametrize("setting, message", [
    ("operator.latncy=p99 <= 5ms", "`operator` has no `latncy` statement; did you mean `latency`?"),
    ("model.ranker.rowz=5M", "`model.ranker` has no `rowz` statement; did you mean `rows`?"),
    ("operator.success.optimall=>= 0.6", "`operator.success` has no `optimall` statement; did you mean `optimal`?"),
])
def test_a_misspelt_attribute_is_a_usage_error(capsys, setting, message):
    assert main(["check", "--set", setting, str(SPEC)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and message in err


def test_a_statement_the_section_lacks_but_may_hold_is_still_added(capsys):
    assert main(["check", "--quiet", "--set", "operator.latency=p99 <= 5ms", str(SPEC)]) == 0
    assert main(["check", "--set", "model.ranker.rows=5M", "--format", "concise", str(SPEC)]) == 0
    capsys.readouterr()


def test_a_unit_after_a_space_has_a_certain_fix(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dsspec.toml").touch()
    spec = tmp_path / "u.dsspec"
    spec.write_text('product p { owner "a@b.c" }\noperator {\n  latency p99 <= 50 ms\n  timeout 20 secs\n}\n')
    main(["check", "--diff", "u.dsspec"])
    out, err = capsys.readouterr()
    assert "+  latency p99 <= 50ms\n" in out and "+  timeout 20s\n" in out and "1 file would be fixed" in out + err
