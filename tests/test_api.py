"""The documented Python API, dsspec.api: check text or paths, build, diff (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dsspec import api

ROOT = Path(__file__).resolve().parents[1]
DRAFT = ROOT / "tests" / "fixtures" / "fraud_draft.dsspec"


def test_check_text_returns_findings_with_fixes(tmp_path):
    (tmp_path / "dsspec.toml").touch()
    found = api.check_text("source s {\n  kind strem\n}\n", path=str(tmp_path / "s.dsspec"))
    note, d = found  # a file without `product` is a library: a note says design rules did not run
    assert note.rule == "library-file"
    assert (d.code, d.span.line, d.span.column) == ("DS011", 2, 8)
    assert d.fix is not None and d.fix.edits[0].text == "stream"
    assert [d.rule for d in api.check_text("source s {\n  kind stream\n}\n")] == ["library-file"]
    assert [d.code for d in api.check_text(DRAFT.read_text(), select=["DS204"])] == ["DS204"]
    with pytest.raises(api.UsageError):
        api.check_text("", select=["no-such-rule"])


def test_check_paths_matches_the_command_line(tmp_path, capsys, monkeypatch):
    from dsspec.cli import main

    monkeypatch.chdir(ROOT)
    report = api.check_paths(["tests/fixtures/fraud_draft.dsspec", "specs"])
    assert report.files[0] == "tests/fixtures/fraud_draft.dsspec" and len(report.files) == 6
    assert len(report.findings) == 22 and report.failed() and report.failed("info")
    main(["check", "--format", "json", "tests/fixtures/fraud_draft.dsspec", "specs"])
    cli = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["line"]) for f in cli["findings"]] == [(d.code, d.span.line) for d in report.findings]
    assert not api.check_paths(["specs"]).failed("info")
    with pytest.raises(api.UsageError):
        api.check_paths(["nowhere"])


def test_build_returns_files_in_memory(tmp_path):
    result = api.build(ROOT / "specs" / "support_intent.dsspec", formats=("dot", "md", "json"))
    assert {"support_intent.dot", "support_intent.md", "support_intent.json"} <= set(result.files)
    assert result.findings == [] and result.problems == []
    assert b"digraph" in result.files["support_intent.dot"]
    with pytest.raises(api.UsageError):
        api.build(ROOT / "specs" / "support_intent.dsspec", formats=("gif",))


def test_diff_files():
    (d,) = api.diff(ROOT / "specs" / "search_ranking.dsspec", ROOT / "tests" / "fixtures" / "search_ranking_v2.dsspec")
    verdicts = {(c.section, c.attribute): c.verdict for c in d.changes}
    assert verdicts[("operator", "latency")] == "tightened" and [f.code for f in d.introduced] == ["DS204", "DS509"]
    assert api.diff(DRAFT, DRAFT) == []


def test_the_api_is_documented_and_typed():
    assert api.__doc__ and all(getattr(api, name).__doc__ for name in api.__all__)
    assert (Path(api.__file__).parent / "py.typed").exists()


def test_packaging_metadata_has_one_version_licence_and_urls():
    from importlib.metadata import metadata, version

    import dsspec

    assert version("dsspec") == dsspec.__version__
    meta = metadata("dsspec")
    assert "License :: OSI Approved :: MIT License" in meta.get_all("Classifier")
    assert any(url.startswith("Repository, https://") for url in meta.get_all("Project-URL"))
    requires = meta.get_all("Requires-Dist")
    assert not any("==" in r for r in requires if "extra ==" not in r), requires  # loose runtime pins
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text()
