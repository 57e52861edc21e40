"""`check --set`: a statement the section cannot hold is a usage error with did-you-mean (review item 13)."""

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
