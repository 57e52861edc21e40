"""The catalogue of newcomers' mistakes: one mistake, one finding, at its place, naming the fix.

Each ``tests/mistakes/NAME.dsspec`` is a complete, clean design with one
mistake made the way a newcomer makes it (its first line says which), and
``# at: LINE:COL`` where the mistake is. Its text report is in ``NAME.txt``
(rewrite them with ``DSSPEC_ACCEPT=1 pytest tests/test_mistakes.py`` and
review the diff). Every case must give exactly one finding, an error, at that
place, whose message says what to write; and the rest of the file must still
be checked: a second mistake appended at the end is found too.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from dsspec.compiler import pipeline
from dsspec.cli import main

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "tests" / "mistakes"
CASES = sorted(FOLDER.glob("*.dsspec"))
ACCEPT = os.environ.get("DSSPEC_ACCEPT") == "1"
FIX_WORDS = re.compile(r"\b(write|add|remove|replace|move|did you mean)\b")
PROBE = "\naudience probe { gets [sumary] }\n"


def _at(text: str) -> tuple[int, int]:
    m = re.search(r"^# at: (\d+):(\d+)$", text, re.M)
    assert m, "a case names the place of its mistake: `# at: LINE:COL`"
    return int(m.group(1)), int(m.group(2))


def _check(tmp_path: Path, text: str) -> list:
    (tmp_path / "dsspec.toml").touch()
    path = tmp_path / "case.dsspec"
    path.write_text(text, encoding="utf-8")
    return pipeline.check_file(pipeline.Session(), str(path)).diagnostics


def test_the_catalogue_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_one_mistake_gives_one_error_at_its_place_naming_the_fix(case, tmp_path):
    text = case.read_text(encoding="utf-8")
    found = _check(tmp_path, text)
    assert [f"{d.span.line}:{d.span.column}" for d in found] == ["%d:%d" % _at(text)], \
        [f"{d.span.line}:{d.span.column} {d.rule}: {d.message}" for d in found]
    (finding,) = found
    assert finding.severity.value == "error"
    assert FIX_WORDS.search(finding.message), finding.message


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_the_rest_of_the_file_is_still_checked(case, tmp_path):
    text = case.read_text(encoding="utf-8")
    found = _check(tmp_path, text + PROBE)
    probe_line = (text + PROBE).count("\n")
    assert [d.span.line for d in found][-1:] == [probe_line]
    assert len(found) == 2 and "`sumary`" in found[1].message


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
