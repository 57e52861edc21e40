"""The command line: exit codes, formats, standard input, usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dsspec.cli import main

GOOD = 'product p {\n  owner "a@b.c"\n}\n'


@pytest.fixture
def spec(tmp_path):
    (tmp_path / "dsspec.toml").touch()

    def write(text, name="s.dsspec"):
        path = tmp_path / name
        path.write_text(text)
        return str(path)

    return write


def run(capsys, *argv, stdin=None, monkeypatch=None):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("dsspec ")


def test_help_and_version_load_no_compiler_and_no_command_options():
    """`--version` answers at once and `--help` lists the commands from their one-line help: neither builds a
    command's options (``build``'s would load the diagram emitters) nor loads a compiler stage."""
    import subprocess
    import sys

    probe = ("import sys, io, contextlib; from dsspec.cli import main\n"
             "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
             "    code = main(['--version'])\n"
             "    try:\n        main(['--help'])\n    except SystemExit as e:\n        help_code = e.code\n"
             "print(code, help_code, 'COMMAND' in out.getvalue(), "
             "sorted(m for m in sys.modules if m.startswith(('dsspec.compiler', 'dsspec.review.scaffold', 'shutil'))))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout == "0 0 True []\n", out.stdout + out.stderr


def test_a_command_after_an_option_still_gets_its_own_options(capsys):
    """Without a plain first word the parser is the light one; a command found there is parsed again whole."""
    with pytest.raises(SystemExit) as exc:
        main(["--bogus", "check", "--statistics", "--fix", "x.dsspec"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "unrecognized arguments: --bogus\n" in err  # --fix is check's own
    with pytest.raises(SystemExit) as exc:
        main(["--bogus", "check", "--help"])  # the command's help, as before: it acts while parsing
    assert exc.value.code == 0 and capsys.readouterr().out.startswith("usage: dsspec check")


def test_unknown_flag_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--bogus", "x"])
    assert exc.value.code == 2


def test_missing_file_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "check", str(tmp_path / "nope.dsspec"))
    assert code == 2 and "no such file" in err


def test_unknown_rule_in_select_is_a_usage_error(capsys, spec):
    code, _, err = run(capsys, "check", "--select", "owner-mising", spec(GOOD))
    assert code == 2 and "did you mean `owner-missing`" in err


def test_errors_exit_1_with_rustc_style_text(capsys, spec):
    path = spec("operator {\n  latncy p99 <= 80ms\n}\n")
    code, out, _ = run(capsys, "check", "--color", "never", path)
    assert code == 1
    assert "error[DS010]: unknown attribute `latncy` in `operator`; did you mean `latency`?" in out
    assert f"  --> {path}:2:3" in out
    assert "2 |   latncy p99 <= 80ms" in out
    assert "^^^^^^ unknown-statement" in out
    assert "= help: write `latency`" in out


def test_json_report_shape(capsys, spec):
    path = spec("operator {\n  budget 6000\n}\n")
    code, out, _ = run(capsys, "check", "--format", "json", path)
    doc = json.loads(out)
    assert code == 1
    assert doc["version"] == 1 and doc["files"] == ["s.dsspec"]  # relative to the project root (dsspec.toml)
    note, f = doc["findings"]  # a file without `product` is a library: one note says design rules did not run
    assert note["rule"] == "library-file" and note["severity"] == "info"
    assert {k: f[k] for k in ("path", "line", "column", "end_line", "end_column", "code", "rule", "severity")} == {
        "path": "s.dsspec", "line": 2, "column": 10, "end_line": 2, "end_column": 14, "code": "DS011",
        "rule": "invalid-value", "severity": "error"}
    assert doc["summary"] == {"errors": 1, "warnings": 0, "infos": 1}


def test_folders_are_searched_recursively(capsys, tmp_path):
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.dsspec").write_text("source s {\n  kind stream\n}\n")
    (tmp_path / "a" / "y.dsspec").write_text("source t {\n  kind table\n}\n")
    code, out, _ = run(capsys, "check", "--format", "json", str(tmp_path))
    assert code == 0
    assert [Path(f).name for f in json.loads(out)["files"]] == ["y.dsspec", "x.dsspec"]


def test_stdin_with_stdin_filename(capsys, monkeypatch, tmp_path):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"operator {\n  latncy 1\n}\n")))
    code, out, _ = run(capsys, "check", "-", "--stdin-filename", "design.dsspec", "--format", "json")
    assert code == 1
    assert json.loads(out)["findings"][0]["path"] == "design.dsspec"


def test_warnings_only_exit_0_unless_fail_level_warning(capsys, spec):
    path = spec('product p {\n  title "t"\n}\n')
    code, _, _ = run(capsys, "check", "--select", "owner-missing", path)
    assert code == 0
    code, _, _ = run(capsys, "check", "--select", "owner-missing", "--fail-level", "warning", path)
    assert code == 1


def test_exit_zero(capsys, spec):
    code, _, _ = run(capsys, "check", "--exit-zero", spec("operator {\n  budget 1\n}\n"))
    assert code == 0


def test_hostile_strings_cannot_drive_the_terminal(capsys, spec):
    path = spec('operator {\n  budget "\x1b[2J\u202e"\n}\n')
    code, out, _ = run(capsys, "check", "--color", "never", path)
    assert code == 1 and "\x1b" not in out and "\u202e" not in out and "\\u001b" in out


def test_python_dash_m_and_console_script_agree(tmp_path):
    path = tmp_path / "s.dsspec"
    path.write_text("operator {\n  budget 1\n}\n")
    (tmp_path / "dsspec.toml").touch()
    proc = subprocess.run([sys.executable, "-m", "dsspec", "check", "--format", "json", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and json.loads(proc.stdout)["summary"]["errors"] == 1
    assert proc.stderr == ""


@pytest.mark.parametrize("data", [b"\xff\xfe\x00junk", b"a {\n" * 5000, b'title "unterminated\n'])
def test_bad_input_never_gives_a_traceback(tmp_path, data):
    path = tmp_path / "bad.dsspec"
    path.write_bytes(data)
    proc = subprocess.run([sys.executable, "-m", "dsspec", "check", str(path)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert f"--> {path}:" in proc.stdout and "error[DS00" in proc.stdout


def test_rules_lists_every_rule_and_explain_works_by_code_and_name(capsys):
    code, out, _ = run(capsys, "rules", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len([r for r in rows if r["kind"] == "rule"]) >= 35
    _, by_code, _ = run(capsys, "explain", "DS401")
    _, by_name, _ = run(capsys, "explain", "baseline-missing")
    assert by_code == by_name and "## Why it matters" in by_code


def test_explain_unknown_rule_is_a_usage_error(capsys):
    code, _, err = run(capsys, "explain", "baseline-mising")
    assert code == 2 and "did you mean `baseline-missing`" in err


BAD_INPUTS = {
    "unterminated string": (b'product p {\n  title "open\n}\n', "syntax-error", 2, "unterminated string"),
    "unclosed block": (b'product p {\n  title "t"\n', "syntax-error", 1, "unclosed `{`"),
    "misspelt attribute": (b'operator {\n  latncy p99 <= 80ms\n}\n', "unknown-statement", 2, "did you mean `latency`"),
    "wrong kind": (b'operator {\n  budget 80ms\n}\n', "invalid-value", 2, "money"),
    "include outside root": (b'include "../../elsewhere.dsspec"\n', "include-error", 1, "outside the project root"),
    "include cycle": (b'include "cycle.dsspec"\n', "include-error", 1, "include cycle"),
    "non-UTF-8 bytes": (b'product p {\n  title "caf\xe9"\n}\n', "encoding-error", 2, "not valid UTF-8"),
    "5,000 levels of nesting": (b"a {\n" * 5000 + b"}\n" * 5000, "nesting-too-deep", 65, "nested more than 64"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_each_bad_input_gives_its_named_finding(case, tmp_path):
    data, rule, line, words = BAD_INPUTS[case]
    project = tmp_path / "project"
    project.mkdir()
    (project / "dsspec.toml").touch()
    path = project / ("cycle.dsspec" if case == "include cycle" else "bad.dsspec")
    path.write_bytes(data)
    proc = subprocess.run([sys.executable, "-m", "dsspec", "check", "--format", "json", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert [(f["rule"], f["line"]) for f in findings if f["rule"] == rule][:1] == [(rule, line)]
    assert any(words in f["message"] for f in findings if f["rule"] == rule)


def test_main_called_again_in_one_process_freezes_no_garbage(tmp_path, capsys):
    """The collector is tuned once per process: freezing on every call kept each run's garbage for good
    (an in-process fuzz campaign grew to 12 GB)."""
    import gc

    from dsspec.cli import main

    spec = tmp_path / "s.dsspec"
    spec.write_text('product p { owner "a" }\n')
    main(["check", "--no-cache", str(spec)])
    frozen = gc.get_freeze_count()
    for _ in range(3):
        main(["check", "--no-cache", str(spec)])
    assert gc.get_freeze_count() == frozen
    capsys.readouterr()
