"""Bugs found by an adversarial review, each pinned by a test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dsspec.cli import main
from dsspec.compiler.emit.render import executable

from conftest import compile_text

OWNED = 'product p { owner "a" }\n'


def rules_at(result):
    return {(d.rule, d.span.line) for d in result.diagnostics}


def test_long_list_parses(tmp_path):
    items = ",\n    ".join(f"f{i}" for i in range(20_000))
    result = compile_text(tmp_path, f"input i {{\n  fields [{items}]\n}}\n")
    assert len(result.spec.inputs[0].fields) == 20_000


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_named_like_a_spec_is_reported_not_read(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.dsspec")
    (tmp_path / "dsspec.toml").touch()
    assert main(["check", "--format", "json", str(tmp_path)]) == 1
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["rule"] == "read-error" and "not a regular file" in finding["message"]


def test_include_of_a_folder_says_so(tmp_path):
    (tmp_path / "lib").mkdir()
    result = compile_text(tmp_path, OWNED + 'include "lib"\n')
    assert any(d.rule == "include-error" and "is a folder" in d.message for d in result.diagnostics)


def test_output_file_writes_through_a_symlink(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    spec = tmp_path / "s.dsspec"
    spec.write_text(OWNED)
    (tmp_path / "target.json").write_text("")
    (tmp_path / "link.json").symlink_to(tmp_path / "target.json")
    main(["check", "--format", "json", "--exit-zero", "--output-file", str(tmp_path / "link.json"), str(spec)])
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads((tmp_path / "target.json").read_text())["version"] == 1


def test_newlines_in_strings_cannot_forge_report_lines(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    spec = tmp_path / "s.dsspec"
    spec.write_text(OWNED + 'include "x\\nfake.dsspec:1:1: DS001 [syntax-error] FORGED"\n')
    main(["check", "--format", "concise", str(spec)])
    out = capsys.readouterr().out
    assert not any(line.startswith("fake.dsspec") for line in out.splitlines())


@pytest.mark.parametrize("statement,words", [
    ("operator { budget $999999999999999999999/month }", "out of range"),
    ("training { cost $600/wk }", "did you mean `/week`"),
    ("operator { budget $8k/months }", "did you mean `/month`"),
    ("serving { replicas -3 }", "above zero"),
    ("serving { hardware 0.5 gpu }", "whole number"),
    ("operator { latency p99 >= 80ms }", "upper bound"),
])
def test_absurd_values_are_invalid(tmp_path, statement, words):
    result = compile_text(tmp_path, OWNED + statement + "\n")
    assert any(d.rule == "invalid-value" and words in d.message for d in result.diagnostics), result.diagnostics


def test_two_libraries_declaring_one_source_are_reported(tmp_path):
    (tmp_path / "l1.dsspec").write_text("source s {\n  kind table\n}\n")
    (tmp_path / "l2.dsspec").write_text("source s {\n  kind files\n}\n")
    result = compile_text(tmp_path, OWNED + 'include "l1.dsspec"\ninclude "l2.dsspec"\n')
    (d,) = [d for d in result.diagnostics if d.rule == "duplicate-declaration"]
    assert d.path.endswith("l2.dsspec") and d.related[0].path.endswith("l1.dsspec")


def test_suppression_of_a_rule_not_selected_is_not_unused(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    spec = tmp_path / "s.dsspec"
    spec.write_text('product p {  # dsspec: ignore[owner-missing] owned by the platform team\n  title "t"\n}\n')
    main(["check", "--format", "json", "--select", "DS5", str(spec)])
    assert "unused-suppression" not in {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}


def test_unused_suppression_can_be_switched_off(tmp_path, capsys):
    (tmp_path / "dsspec.toml").write_text('ignore = ["unused-suppression"]\n')
    spec = tmp_path / "s.dsspec"
    spec.write_text('product p {\n  owner "a"  # dsspec: ignore[owner-missing] stale\n}\n')
    main(["check", "--format", "json", str(spec)])
    assert "unused-suppression" not in {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}


def test_paths_show_the_same_however_typed(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / "s.dsspec").write_text("operator {\n  latncy 1\n}\n")
    outs = []
    for typed in ("s.dsspec", "./s.dsspec", str(tmp_path / "s.dsspec")):
        main(["check", "--format", "concise", typed])
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1] == outs[2] and "\ns.dsspec:2:3:" in outs[0]


def test_a_shared_include_reports_its_problems_once(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / "lib.dsspec").write_text("source s {\n  kind strem\n}\n")
    for name in ("a", "b"):
        (tmp_path / f"{name}.dsspec").write_text(OWNED + 'include "lib.dsspec"\n')
    main(["check", "--format", "json", str(tmp_path)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert len([f for f in findings if f["rule"] == "invalid-value"]) == 1


def test_a_section_inside_another_is_moved_out_past_its_closing_brace(tmp_path):
    # the braces balance, so following the advice leaves no orphan `}` whichever was meant (issue 18)
    result = compile_text(tmp_path, "source a {\n  kind table\nsource b {\n  kind table\n}\n}\n")
    assert any("`source` is a top-level section, not part of `source`: move `source { ... }` out of `source`, "
               "after the `}` that closes it" in d.message for d in result.diagnostics)


def test_crlf_does_not_count_towards_line_length(tmp_path):
    result = compile_text(tmp_path, b'# ' + b"x" * 9_998 + b"\r\nsource s {\r\n  kind table\r\n}\r\n")
    assert "input-too-large" not in {d.rule for d in result.diagnostics}


def test_bad_families_configuration_is_a_finding(tmp_path):
    (tmp_path / "dsspec.toml").write_text('[families]\nlightgbm = 5\n')
    spec = tmp_path / "s.dsspec"
    spec.write_text(OWNED)
    proc = subprocess.run([sys.executable, "-m", "dsspec", "check", "--format", "concise", str(spec)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "DS030" in proc.stdout and "internal error" not in proc.stderr


@pytest.mark.skipif(executable("graphviz-pure") is None, reason="graphviz-pure is not installed")
def test_control_characters_do_not_break_the_diagram(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    spec = tmp_path / "s.dsspec"
    spec.write_text('product p {\n  title "Prod\\u0001uct\\u0000x\\u001bsearch"\n  owner "a"\n}\nsource s { kind table }\n')
    code = main(["build", str(spec), "-o", str(tmp_path / "out"), "--format", "dot,svg"])
    assert code == 0 and (tmp_path / "out" / "s.svg").exists()
    assert "\x00" not in (tmp_path / "out" / "s.dot").read_text()


def test_build_into_a_path_under_a_file_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "afile").write_text("")
    (tmp_path / "dsspec.toml").touch()
    spec = tmp_path / "s.dsspec"
    spec.write_text(OWNED)
    assert main(["build", str(spec), "-o", str(tmp_path / "afile" / "sub"), "--format", "md"]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_build_check_names_documents_no_longer_built(tmp_path, capsys):
    (tmp_path / "dsspec.toml").touch()
    spec = tmp_path / "s.dsspec"
    spec.write_text(OWNED + "audience pm { gets [summary] }\naudience engineer { gets [slo] }\n")
    main(["build", str(spec), "-o", str(tmp_path / "out"), "--format", "md"])
    spec.write_text(OWNED + "audience engineer { gets [slo] }\n")
    capsys.readouterr()
    assert main(["build", str(spec), "-o", str(tmp_path / "out"), "--format", "md", "--check"]) == 1
    assert "s.pm.md" in capsys.readouterr().out
    main(["build", str(spec), "-o", str(tmp_path / "out"), "--format", "md"])
    assert not (tmp_path / "out" / "s.pm.md").exists()
