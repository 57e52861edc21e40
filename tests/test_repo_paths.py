"""Reports name files relative to the repository, whatever folder dsspec runs from (issue 13)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dsspec.cli import main

ROOT = Path(__file__).resolve().parents[1]
SPEC = "product p {\n  title \"Demo\"\n}\noperator {\n  latency p99 <= 80ms\n  timeout 100ms\n}\n"


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "dsspec.toml").touch()
    (root / "specs" / "team").mkdir(parents=True)
    (root / "specs" / "team" / "demo.dsspec").write_text(SPEC)
    (tmp_path / "elsewhere").mkdir()
    return root


def report(capsys, monkeypatch, folder: Path, path: str, fmt: str) -> str:
    monkeypatch.chdir(folder)
    main(["check", "--format", fmt, path])
    return capsys.readouterr().out


def places(repo: Path):
    """The three ways to name the same spec: from the root, from a subfolder, from outside the repository."""
    spec = repo / "specs" / "team" / "demo.dsspec"
    return [(repo, "specs/team/demo.dsspec"), (repo / "specs" / "team", "demo.dsspec"),
            (repo.parent / "elsewhere", str(spec))]


def test_sarif_paths_and_fingerprints_do_not_depend_on_the_folder(repo, capsys, monkeypatch):
    seen = set()
    for folder, path in places(repo):
        run = json.loads(report(capsys, monkeypatch, folder, path, "sarif"))["runs"][0]
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.as_uri() + "/"
        seen.add(tuple((r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                        r["partialFingerprints"]["dsspecFindingHash/v1"]) for r in run["results"]))
    (only,) = seen
    assert only and {uri for uri, _ in only} == {"specs/team/demo.dsspec"}


@pytest.mark.parametrize("fmt", ["gitlab", "github", "json", "junit"])
def test_other_machine_formats_are_repo_relative_from_anywhere(fmt, repo, capsys, monkeypatch):
    outs = {report(capsys, monkeypatch, folder, path, fmt) for folder, path in places(repo)}
    (out,) = outs
    assert "specs/team/demo.dsspec" in out and "../" not in out and str(repo) not in out


def test_a_spec_outside_any_repository_is_relative_to_its_configuration(tmp_path, capsys, monkeypatch):
    project = tmp_path / "project"
    (project / "designs").mkdir(parents=True)
    (project / "dsspec.toml").touch()
    (project / "designs" / "d.dsspec").write_text(SPEC)
    out = report(capsys, monkeypatch, tmp_path, str(project / "designs" / "d.dsspec"), "gitlab")
    assert {i["location"]["path"] for i in json.loads(out)} == {"designs/d.dsspec"}


def test_fingerprints_stay_when_unrelated_lines_move(repo, capsys, monkeypatch):
    folder, path = places(repo)[0]
    before = json.loads(report(capsys, monkeypatch, folder, path, "gitlab"))
    (repo / path).write_text("# moved down\n\n" + SPEC.replace("operator {", "operator {\n  budget $1k/month"))
    after = json.loads(report(capsys, monkeypatch, folder, path, "gitlab"))
    kept = {i["fingerprint"] for i in before} & {i["fingerprint"] for i in after}
    assert any("timeout" in i["description"] for i in before)
    assert {i["fingerprint"] for i in before if "DS204" in i["description"]} <= kept


def test_text_report_stays_relative_to_the_current_folder(repo, capsys, monkeypatch):
    out = report(capsys, monkeypatch, repo / "specs", "team/demo.dsspec", "concise")
    assert out.startswith("team/demo.dsspec:")


def test_every_help_uri_has_its_anchor_in_docs_rules_md(repo, capsys, monkeypatch):
    anchors = {h.lower().replace(" ", "-") for h in re.findall(r"^### (.+)$", (ROOT / "docs" / "rules.md").read_text(),
                                                              re.M)}
    (repo / "specs" / "bad.dsspec").write_text("product p {\n  titel \"x\"\n}\n")
    log = json.loads(report(capsys, monkeypatch, repo, "specs", "sarif"))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"DS010", "DS204"}
    for rule in rules:
        base, _, anchor = rule["helpUri"].partition("#")
        assert base.endswith("/docs/rules.md") and anchor in anchors, rule["helpUri"]
