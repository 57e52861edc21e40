"""`dsspec fmt` and `dsspec init`."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsspec.cli import main
from dsspec.compiler.model.typed import typed
from dsspec.compiler.pipeline import Session
from dsspec.compiler.syntax import parse
from dsspec.compiler.syntax.format import format_document

from conftest import SHARED

ROOT = Path(__file__).resolve().parents[1]
OWN = sorted((ROOT / "specs").rglob("*.dsspec")) + sorted((ROOT / "tests" / "golden").glob("design_*.dsspec"))
SHARED_SPECS = sorted((SHARED / "examples").glob("*.dsspec")) if (SHARED / "examples").is_dir() else []


def fmt(text: str) -> str:
    doc, diags = parse("t.dsspec", text)
    assert diags == []
    return format_document(doc)


def model_of(text: str) -> dict:
    _, spec, diags = Session().front("t.dsspec", text.encode())
    assert [d for d in diags if d.rule == "syntax-error"] == []
    return _strip(typed(spec).model_dump())


def _strip(value):
    """Drop spans: formatting moves text, and must change nothing else."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("span", "header", "spans")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def comments(text: str) -> list[str]:
    doc, _ = parse("t.dsspec", text)
    return [c.strip() for _, c in doc.comments]


@pytest.mark.parametrize("path", OWN + SHARED_SPECS, ids=lambda p: p.name)
def test_fmt_is_idempotent_keeps_comments_and_the_model(path):
    text = path.read_text(encoding="utf-8")
    once = fmt(text)
    assert fmt(once) == once
    assert comments(once) == comments(text)
    assert model_of(once) == model_of(text)


def test_canonical_layout():
    messy = ('source   s{kind stream;freshness   1s\n pii [a,b ,  c]}\n'
             'model m {\n        ladder {\n step lightgbm { recall 0.5; chosen }\n}\n}\n')
    assert fmt(messy) == (
        "source s {\n"
        "  kind      stream\n"
        "  freshness 1s\n"
        "  pii       [a, b, c]\n"
        "}\n"
        "model m {\n"
        "  ladder {\n"
        "    step lightgbm { recall 0.5; chosen }\n"
        "  }\n"
        "}\n")


def test_comments_inside_a_multiline_list_survive():
    text = "input i {\n  fields [a,  # first\n    b,\n    # own line\n    c]\n}\n"
    out = fmt(text)
    assert comments(out) == ["# first", "# own line"]
    assert fmt(out) == out
    assert model_of(out) == model_of(text)


def test_fmt_check_and_diff_exit_1_and_write_nothing(tmp_path, capsys):
    path = tmp_path / "s.dsspec"
    path.write_text("source   s {\n kind stream\n}\n")
    assert main(["fmt", "--check", str(path)]) == 1
    assert f"would reformat {path}" in capsys.readouterr().out
    assert main(["fmt", "--diff", str(path)]) == 1
    assert "+  kind stream" in capsys.readouterr().out
    assert path.read_text() == "source   s {\n kind stream\n}\n"
    assert main(["fmt", str(path)]) == 0
    assert path.read_text() == "source s {\n  kind stream\n}\n"
    assert main(["fmt", "--check", str(path)]) == 0


def test_fmt_refuses_a_file_that_does_not_parse(tmp_path, capsys):
    path = tmp_path / "s.dsspec"
    path.write_text('title "open\n')
    assert main(["fmt", str(path)]) == 1
    assert "syntax-error" in capsys.readouterr().err
    assert path.read_text() == 'title "open\n'


def test_init_then_check_lists_what_is_left_to_decide(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dsspec.toml").touch()
    assert main(["init", "demo"]) == 0
    capsys.readouterr()
    text = (tmp_path / "demo.dsspec").read_text()
    for question in ("how long may one wait", "What is the budget", "What happens when the model fails",
                     "What exact problem", "How is it solved today", "Who uses", "What does better look like"):
        assert question.lower() in text.lower(), question
    code = main(["check", "--format", "json", "demo.dsspec"])
    import json

    findings = json.loads(capsys.readouterr().out)["findings"]
    rules = {f["rule"] for f in findings}
    assert code == 1
    assert {"owner-missing", "ecosystem-incomplete", "fallback-missing", "safe-default-missing"} <= rules
    assert not rules & {"syntax-error", "unknown-statement", "invalid-value", "missing-value"}
    assert main(["fmt", "--check", "demo.dsspec"]) == 0


def test_init_never_overwrites(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "demo.dsspec").write_text("keep me\n")
    assert main(["init", "demo"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "demo.dsspec").read_text() == "keep me\n"


def test_multiline_strings_stay_blocks_and_escapes_read_back():
    text = ('ecosystem {\n  problem """\n    Line one.\n      Indented.\n\n    Has "quotes" and \\"\\"\\" too.\n    """\n'
            '  today "caf\\u00e9, a tab\\there"\n}\n')
    out = fmt(text)
    assert '  problem """\n    Line one.\n      Indented.\n\n' in out
    assert 'café' in out
    assert fmt(out) == out
    assert model_of(out) == model_of(text)
    assert model_of(text)["ecosystem"]["today"]["value"] == "café, a tab\there"
