"""`dsspec build`: diagrams, documents, JSON, determinism, escaping, --check, renderers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dsspec.cli import main
from dsspec.compiler.emit.render import executable

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "specs" / "support_intent.dsspec"
DRAFT = ROOT / "tests" / "fixtures" / "fraud_draft.dsspec"
OWN = ROOT / "specs" / "search_ranking.dsspec"
needs_pure = pytest.mark.skipif(executable("graphviz-pure") is None, reason="graphviz-pure is not installed")
needs_dot = pytest.mark.skipif(executable("dot") is None, reason="system Graphviz is not installed")
ACCEPT = os.environ.get("DSSPEC_ACCEPT") == "1"


def build(capsys, *argv):
    code = main(["build", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@needs_pure
def test_build_own_spec_writes_every_default_file(tmp_path, capsys):
    code, out, _ = build(capsys, str(OWN), "-o", str(tmp_path))
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert {"search_ranking.dot", "search_ranking.svg", "search_ranking.md", "search_ranking.json"} <= set(names)
    assert {"search_ranking.pm.md", "search_ranking.staff_ds.md", "search_ranking.engineer.md"} <= set(names)
    assert not [n for n in names if n.startswith(".") and n != ".dsspec-build.json"], "temporary files left behind"


@needs_pure
def test_svg_shows_sources_model_output_latency_and_budget(tmp_path, capsys):
    code, _, _ = build(capsys, str(CLEAN), "-o", str(tmp_path))
    assert code == 0
    svg = (tmp_path / "support_intent.svg").read_text()
    ET.fromstring(svg)  # well-formed XML
    for text in ("chat_messages", "qa_labels", "intent_classifier", "chat_router", "p95 &lt;= 300ms",
                 "$1,500/month"):
        assert text in svg, text
    assert "findings (" not in svg  # a clean spec has no legend of findings


@needs_dot
def test_system_dot_accepts_the_dot(tmp_path, capsys):
    build(capsys, str(CLEAN), "-o", str(tmp_path), "--format", "dot")
    proc = subprocess.run(["dot", "-Tsvg", str(tmp_path / "support_intent.dot")], capture_output=True)
    assert proc.returncode == 0, proc.stderr


@needs_pure
def test_two_builds_are_byte_identical(tmp_path, capsys):
    build(capsys, str(CLEAN), "-o", str(tmp_path / "a"), "--format", "svg,png,dot,md,json")
    build(capsys, str(CLEAN), "-o", str(tmp_path / "b"), "--format", "svg,png,dot,md,json")
    a = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert a == b and len(a) >= 8


@needs_pure
def test_draft_builds_and_its_diagram_shows_its_findings(tmp_path, capsys):
    code, _, err = build(capsys, str(DRAFT), "-o", str(tmp_path))
    assert code == 0 and "owner-missing" in err
    dot = (tmp_path / "fraud_draft.dot").read_text()
    assert "findings (22)" in dot
    assert "#b2182b" in dot and "error DS" in dot  # outlined in the error colour, and badged in words
    assert "baseline-missing" in dot
    code, _, _ = build(capsys, str(DRAFT), "-o", str(tmp_path), "--strict")
    assert code == 1


HOSTILE = '''\
product evil {
  title    "Evil \\" ]; injected [shape=box]; x -> y; <b>bold</b> {braces} \\\\N"
  improves "a -> b; c [label=x]"
  for      "<script>alert(1)</script> | table | break"
  within   "]]; }} digraph z { a }"
  owner    "o@example.com"
}
ecosystem {
  user app "x\\"; evil_node [label=\\"pwned\\"]; \\""
}
source s {
  kind stream
}
output o {
  type score
  to   app
}
'''


@needs_pure
def test_strings_cannot_inject_into_dot_html_or_markdown(tmp_path, capsys):
    spec = tmp_path / "evil.dsspec"
    spec.write_text(HOSTILE)
    (tmp_path / "dsspec.toml").touch()
    code, _, err = build(capsys, str(spec), "-o", str(tmp_path / "out"), "--format", "dot,svg,md")
    assert code == 0, err
    dot = (tmp_path / "out" / "evil.dot").read_text()
    plain = subprocess.run([executable("graphviz-pure"), "-Tplain"], input=dot.encode(), capture_output=True)
    assert plain.returncode == 0, plain.stderr
    nodes = [line.split()[1] for line in plain.stdout.decode().splitlines() if line.startswith("node ")]
    assert "injected" not in nodes and "x" not in nodes and "evil_node" not in nodes and "y" not in nodes
    assert set(nodes) - {"findings_legend", "constraints"} == {"source_s", "output_o", "user_app"}
    others = sorted((tmp_path / "out").glob("evil.*.dot"))
    assert [p.name for p in others] == ["evil.data.dot", "evil.overview.dot"]
    for view in others:   # every other view
        plain = subprocess.run([executable("graphviz-pure"), "-Tplain"], input=view.read_bytes(), capture_output=True)
        assert plain.returncode == 0, (view.name, plain.stderr)
        names = {line.split()[1] for line in plain.stdout.decode().splitlines() if line.startswith("node ")}
        assert not names & {"injected", "x", "y", "evil_node", "z", "a"}, view.name
    md = (tmp_path / "out" / "evil.md").read_text()
    assert "<script>" not in md and "<b>" not in md


@needs_pure
def test_check_reports_stale_files(tmp_path, capsys):
    out = tmp_path / "out"
    code, _, _ = build(capsys, str(CLEAN), "-o", str(out), "--check")
    assert code == 1
    build(capsys, str(CLEAN), "-o", str(out))
    code, stdout, _ = build(capsys, str(CLEAN), "-o", str(out), "--check")
    assert code == 0 and stdout == ""
    (out / "support_intent.md").write_text("edited by hand\n")
    code, stdout, _ = build(capsys, str(CLEAN), "-o", str(out), "--check")
    assert code == 1 and "support_intent.md" in stdout and "support_intent.svg" not in stdout


def test_missing_renderer_says_how_to_install_and_still_writes_the_rest(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("dsspec.compiler.emit.render.executable", lambda renderer: None)
    code, _, err = build(capsys, str(OWN), "-o", str(tmp_path))
    assert code == 2 and "pip install graphviz-pure" in err
    assert (tmp_path / "search_ranking.md").exists() and (tmp_path / "search_ranking.dot").exists()
    assert not (tmp_path / "search_ranking.svg").exists()


@needs_pure
def test_pdf_needs_the_system_renderer(tmp_path, capsys):
    code, _, err = build(capsys, str(OWN), "-o", str(tmp_path), "--format", "pdf")
    assert code == 2 and "--renderer dot" in err


@needs_dot
def test_pdf_with_system_dot(tmp_path, capsys):
    code, _, _ = build(capsys, str(OWN), "-o", str(tmp_path), "--format", "pdf", "--renderer", "dot")
    assert code == 0 and (tmp_path / "search_ranking.pdf").read_bytes().startswith(b"%PDF")


def test_json_validates_against_dsspec_schema(tmp_path, capsys):
    jsonschema = pytest.importorskip("jsonschema")
    build(capsys, str(OWN), "-o", str(tmp_path), "--format", "json")
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    doc = json.loads((tmp_path / "search_ranking.json").read_text())
    jsonschema.validate(doc, schema)
    assert doc["spec"]["product"]["name"]["name"] == "search_ranking"


def test_unknown_format_is_a_usage_error(tmp_path, capsys):
    code, _, err = build(capsys, str(OWN), "-o", str(tmp_path), "--format", "svg,gif")
    assert code == 2 and "`gif`" in err


def test_audience_documents_hold_what_gets_names(tmp_path, capsys):
    build(capsys, str(OWN), "-o", str(tmp_path), "--format", "md")
    pm = (tmp_path / "search_ranking.pm.md").read_text()
    assert "**What changes.**" in pm and "## Goals" in pm and "## Open risks" in pm
    assert "## Model card" not in pm and "## Runbook" not in pm
    assert ".svg)" not in pm, "pm does not get `diagram`: no picture"
    eng = (tmp_path / "search_ranking.engineer.md").read_text()
    assert "## Interface" in eng and "## Runbook" in eng and "## Summary" not in eng
    assert "## Open risks" not in eng, "engineer gets neither summary nor evaluation"
    staff = (tmp_path / "search_ranking.staff_ds.md").read_text()
    assert "## Open risks" in staff, "staff_ds gets evaluation, so the open risks"


GOLDEN = ROOT / "tests" / "golden_build"
GOLDEN_SPECS = [ROOT / "specs" / "search_ranking.dsspec", ROOT / "specs" / "support_intent.dsspec",
                ROOT / "tests" / "golden" / "design_review.dsspec"]


@pytest.mark.parametrize("spec", GOLDEN_SPECS, ids=lambda p: p.stem)
def test_dot_and_markdown_match_goldens(spec, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    build(capsys, str(spec.relative_to(ROOT)), "-o", str(tmp_path), "--format", "dot,md,svg")
    made = sorted(p for p in tmp_path.iterdir() if p.suffix in (".dot", ".md"))
    assert made
    for path in made:
        golden = GOLDEN / path.name
        if ACCEPT:
            GOLDEN.mkdir(exist_ok=True)
            shutil.copyfile(path, golden)
        assert golden.exists(), f"no golden {golden.name}; run with DSSPEC_ACCEPT=1"
        assert path.read_text() == golden.read_text(), f"{path.name} differs from its golden"


@needs_pure
def test_icon_backend_svg_is_deterministic_and_self_contained(tmp_path, capsys):
    pytest.importorskip("diagrams")
    for name in ("a", "b"):
        code, _, err = build(capsys, str(OWN), "-o", str(tmp_path / name), "--backend", "diagrams",
                             "--format", "svg,dot")
        assert code == 0, err
    a, b = (tmp_path / "a" / "search_ranking.svg").read_bytes(), (tmp_path / "b" / "search_ranking.svg").read_bytes()
    assert a == b
    assert b"<image" in a and b"data:image/png;base64," in a
    dot = (tmp_path / "a" / "search_ranking.dot").read_text()
    assert "site-packages" not in dot and 'SRC="resources/' in dot
    assert "source_" in dot  # ids from declared names, not uuid4


@needs_pure
def test_icon_png_with_graphviz_pure_falls_back_to_the_default_backend_with_a_note(tmp_path, capsys):
    pytest.importorskip("diagrams")
    code, _, err = build(capsys, str(OWN), "-o", str(tmp_path), "--backend", "diagrams", "--format", "png,dot")
    assert code == 0 and "drawn with the default backend" in err and "--renderer dot" in err
    assert (tmp_path / "search_ranking.png").read_bytes().startswith(b"\x89PNG")
    assert "<IMG" not in (tmp_path / "search_ranking.dot").read_text()


@needs_dot
def test_icon_backend_png_with_system_dot(tmp_path, capsys):
    pytest.importorskip("diagrams")
    code, _, err = build(capsys, str(OWN), "-o", str(tmp_path), "--backend", "diagrams", "--format", "png",
                         "--renderer", "dot")
    assert code == 0, err
    assert (tmp_path / "search_ranking.png").read_bytes().startswith(b"\x89PNG")


@needs_pure
def test_readme_diagram_is_current(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = build(capsys, "specs/search_ranking.dsspec", "-o", "docs/images", "--format", "svg", "--check")
    assert code == 0, "regenerate: dsspec build specs/search_ranking.dsspec -o docs/images --format svg\n" + out + err
