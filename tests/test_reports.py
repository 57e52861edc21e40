"""Report formats for CI and review: SARIF, GitHub, GitLab, JUnit, concise; --output-file."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dsspec.cli import main

ROOT = Path(__file__).resolve().parents[1]
DRAFT = ROOT / "tests" / "fixtures" / "fraud_draft.dsspec"
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"  # the OASIS SARIF 2.1.0 schema, vendored

SPEC = """\
product p {
  title "Demo"
}
operator {
  latency p99 <= 80ms
  timeout 100ms
}
"""


@pytest.fixture
def spec(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / ".git").mkdir()
    path = tmp_path / "specs" / "demo.dsspec"
    path.parent.mkdir()
    path.write_text(SPEC)
    return path


def run(capsys, *argv):
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_sarif_of_the_draft_is_valid_and_complete(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    code, out = run(capsys, "check", "--format", "sarif", str(DRAFT))
    log = json.loads(out)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    (run_,) = log["runs"]
    assert code == 1 and len(run_["results"]) == 22
    described = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run_["results"]} <= described
    for rule in run_["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "dsspec" and driver["version"] and driver["informationUri"].startswith("https://")


def test_sarif_locations_are_repo_relative_with_regions_and_related(spec, capsys):
    _, out = run(capsys, "check", "--format", "sarif", "--select", "timeout-not-below-latency", str(spec))
    (result,) = json.loads(out)["runs"][0]["results"]
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "specs/demo.dsspec", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 6, "startColumn": 3, "endLine": 6, "endColumn": 16}
    assert result["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert result["partialFingerprints"]["dsspecFindingHash/v1"]


def test_fingerprints_survive_line_shifts(spec, capsys):
    _, before = run(capsys, "check", "--format", "sarif", str(spec))
    spec.write_text("# a new comment line\n\n" + SPEC)
    _, after = run(capsys, "check", "--format", "sarif", str(spec))
    fps = [{r["partialFingerprints"]["dsspecFindingHash/v1"] for r in json.loads(x)["runs"][0]["results"]}
           for x in (before, after)]
    assert fps[0] == fps[1] and fps[0]


def test_github_annotations_for_the_draft_and_step_summary(capsys, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out = run(capsys, "check", "--format", "github", str(DRAFT))
    lines = out.splitlines()
    assert code == 1 and len(lines) == 22
    assert all(line.startswith(("::error file=", "::warning file=", "::notice file=")) for line in lines)
    table = summary.read_text()
    assert table.count("\n| ") == 22 + 2  # header and separator rows, then one row per finding


def test_github_escapes_properties_and_messages(spec, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    spec.write_text('product p {\n  owner "a"\n}\noperator {\n  latency p99 <= 80\n}\n')
    _, out = run(capsys, "check", "--format", "github", str(spec))
    line = next(x for x in out.splitlines() if "DS011" in x)
    props, _, message = line[2:].partition("::")
    assert "title=DS011 invalid-value" in props
    assert "%0A" not in props and "\n" not in message
    from dsspec.compiler.report.github import escape_data, escape_property

    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("50%\r\n") == "50%25%0D%0A"


def test_no_step_summary_without_the_variable(spec, capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    run(capsys, "check", "--format", "github", str(spec))
    assert not list(tmp_path.glob("*.md"))


def test_gitlab_code_quality(spec, capsys):
    _, out = run(capsys, "check", "--format", "gitlab", str(spec))
    issues = json.loads(out)
    assert issues and all({"description", "check_name", "fingerprint", "severity", "location"} <= set(i)
                          for i in issues)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}


def test_junit(spec, capsys):
    _, out = run(capsys, "check", "--format", "junit", str(spec))
    root = ET.fromstring(out)
    cases = root.findall(".//testcase")
    assert cases and all(c.find("failure") is not None for c in cases)


def test_concise(spec, capsys):
    _, out = run(capsys, "check", "--format", "concise", "--select", "owner-missing", str(spec))
    assert out.splitlines()[0] == "specs/demo.dsspec:1:1: DS103 [owner-missing] product `p` has no `owner`"


def test_output_file_is_written_atomically(spec, capsys, tmp_path):
    target = tmp_path / "report.sarif"
    code, out = run(capsys, "check", "--format", "sarif", "--output-file", str(target), str(spec))
    assert out == "" and json.loads(target.read_text())["version"] == "2.1.0"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.sarif.")]


def test_folder_with_a_draft_exits_1(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / "a.dsspec").write_text(SPEC)
    code, _ = run(capsys, "check", str(tmp_path))
    assert code == 1


def test_exclude_globs(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.dsspec").write_text("operator {\n  latncy 1\n}\n")
    (tmp_path / "ok.dsspec").write_text("source s {\n  kind stream\n}\n")
    code, out = run(capsys, "check", "--format", "json", "--exclude", "drafts/", str(tmp_path))
    assert code == 0 and [Path(f).name for f in json.loads(out)["files"]] == ["ok.dsspec"]


def test_parallel_output_equals_serial_output(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    for i in range(40):
        (tmp_path / f"s{i:02d}.dsspec").write_text(SPEC if i % 3 else "source s {\n  kind strem\n}\n")
    _, serial = run(capsys, "check", "--format", "json", "--jobs", "1", str(tmp_path))
    _, parallel = run(capsys, "check", "--format", "json", "--jobs", "2", str(tmp_path))
    assert serial == parallel and json.loads(serial)["summary"]["errors"] > 0
