"""Golden files: the text report of every case in tests/golden, error cases included.

Each ``NAME.dsspec`` has its expected report in ``NAME.txt``. After an
intended change, rewrite them all with ``DSSPEC_ACCEPT=1 pytest tests/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dsspec.cli import main

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted((ROOT / "tests" / "golden").glob("*.dsspec"))
ACCEPT = os.environ.get("DSSPEC_ACCEPT") == "1"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_report_matches_golden(case, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    main(["check", "--color", "never", str(case.relative_to(ROOT))])
    got = capsys.readouterr().out
    golden = case.with_suffix(".txt")
    if ACCEPT:
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"no golden file for {case.name}; run with DSSPEC_ACCEPT=1"
    assert got == golden.read_text(encoding="utf-8")


def test_there_are_golden_cases():
    assert len(CASES) >= 4
