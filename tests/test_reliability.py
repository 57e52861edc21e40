"""Reliability: no crash, no hang (issue #8).

One test per defect the adversarial review found; the inputs are the ones
it reported. "No crash" means: a finding or a usage error that says what is
wrong, never ``internal-error`` (the conftest makes the guard re-raise, so a
crash fails these tests with its traceback).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dsspec.cli import main
from hostile import GOOD, OWNED, loop, project, run


# -- configuration ------------------------------------------------------------

@pytest.mark.parametrize("pyproject, message", [
    ("[tool]\ndsspec = 5\n", "must be a table, not a number"),
    ("[tool]\ndsspec = [1, 2]\n", "must be a table, not a list"),
    ('[tool]\ndsspec = "x"\n', "must be a table, not a string"),
    ('tool = "x"\n', None),
    ('tool = "dsspec"\n', None),
    ('tool = ["dsspec"]\n', None),
])
def test_odd_pyproject_tool_tables_are_findings_not_crashes(tmp_path, capsys, pyproject, message):
    spec = project(tmp_path)
    (tmp_path / "pyproject.toml").write_text(pyproject)
    code, out, err = run(capsys, "check", "--format", "concise", str(spec))
    assert "internal error" not in out + err
    if message is None:  # no [tool.dsspec] table: not a dsspec configuration at all
        assert "invalid-config" not in out
    else:
        assert code == 1 and message in out and "pyproject.toml:2:1" in out


def test_a_huge_configuration_is_refused_unread(tmp_path, capsys):
    spec = project(tmp_path)
    (tmp_path / "dsspec.toml").write_text("# padding\n" * 200_000)
    code, out, _ = run(capsys, "check", "--format", "concise", str(spec))
    assert code == 1 and "dsspec.toml:1:1: DS030 [invalid-config]" in out and "over 1,048,576 bytes" in out


def test_deeply_nested_configuration_is_a_finding(tmp_path, capsys):
    spec = project(tmp_path)
    (tmp_path / "dsspec.toml").write_text("select = " + "[" * 5000 + "]" * 5000 + "\n")
    code, out, _ = run(capsys, "check", "--format", "concise", str(spec))
    assert code == 1 and "nested too deeply" in out


def test_deeply_nested_inline_tables_in_pyproject_are_not_a_crash(tmp_path, capsys):
    spec = project(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.dsspec]\nx = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n")
    code, out, _ = run(capsys, "check", "--format", "concise", str(spec))
    assert code == 1 and "nested too deeply" in out


def test_unreadable_configuration_is_a_finding(tmp_path, capsys, monkeypatch):
    spec = project(tmp_path)
    config = tmp_path / "dsspec.toml"
    config.write_text("select = []\n")
    import builtins

    real = builtins.open

    def denied(file, *args, **kwargs):
        if str(file).endswith("dsspec.toml"):
            raise PermissionError(13, "Permission denied", str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denied)
    code, out, _ = run(capsys, "check", "--format", "concise", str(spec))
    assert code == 1
    assert "dsspec.toml:1:1: DS030 [invalid-config] configuration file" in out and "Permission denied" in out

# -- files: symbolic link loops, unreadable folders, includes ----------------------

@pytest.mark.parametrize("command", [["check"], ["fmt"], ["build", "-o", "OUT", "--format", "md"]])
def test_symlink_loop_under_a_folder_is_a_read_error(tmp_path, capsys, command):
    project(tmp_path, OWNED)
    loop(tmp_path)
    argv = [a if a != "OUT" else str(tmp_path / "out") for a in command]
    code, out, err = run(capsys, *argv, str(tmp_path))
    assert code == 1
    assert "Too many levels of symbolic links" in out + err
    assert "internal error" not in out + err


@pytest.mark.parametrize("fmt", ["sarif", "gitlab", "junit", "json", "github", "text"])
def test_symlink_loop_in_every_report_format(tmp_path, capsys, monkeypatch, fmt):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    project(tmp_path)
    loop(tmp_path)
    code, out, _ = run(capsys, "check", "--format", fmt, str(tmp_path))
    assert code == 1 and "a.dsspec" in out


def test_symlink_loop_named_on_the_command_line_is_a_read_error(tmp_path, capsys):
    project(tmp_path)
    loop(tmp_path)
    code, out, _ = run(capsys, "check", "--format", "concise", str(tmp_path / "a.dsspec"))
    assert code == 1 and "DS005 [read-error]" in out


def test_unreadable_folder_is_reported_not_skipped(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "x.dsspec").write_text(GOOD)
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("secret"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, _ = run(capsys, "check", "--format", "concise", str(tmp_path))
    assert code == 1
    assert "DS005 [read-error] folder" in out and "secret" in out and "Permission denied" in out


def test_include_of_a_symlink_loop_is_an_include_error(tmp_path, capsys):
    spec = project(tmp_path, 'include "a.dsspec"\n' + GOOD)
    loop(tmp_path)
    code, out, _ = run(capsys, "check", "--format", "concise", "--select", "DS0", str(spec))
    assert code == 1 and "include-error] included file `a.dsspec` cannot be read" in out


def test_include_of_a_nul_path_is_an_include_error(tmp_path, capsys):
    spec = project(tmp_path, 'include "\\u0000"\n' + GOOD)
    code, out, _ = run(capsys, "check", "--format", "concise", "--select", "DS0", str(spec))
    assert code == 1 and "include path holds a NUL character" in out


def test_a_thousand_deep_include_chain_stops_at_the_limit(tmp_path, capsys):
    from dsspec.compiler.model.resolve import MAX_INCLUDE_DEPTH

    spec = project(tmp_path, 'include "f0.dsspec"\n' + GOOD)
    for i in range(1000):
        (tmp_path / f"f{i}.dsspec").write_text(f'include "f{i + 1}.dsspec"\n')
    (tmp_path / "f1000.dsspec").write_text("source s { kind stream }\n")
    code, out, _ = run(capsys, "check", "--format", "concise", "--select", "DS0", str(spec))
    assert code == 1
    assert f"includes are nested more than {MAX_INCLUDE_DEPTH} files deep" in out
    assert out.count("include-error") == 1


def test_an_include_chain_under_the_limit_is_followed(tmp_path, capsys):
    spec = project(tmp_path, 'include "f0.dsspec"\n' + GOOD + "input i { from s }\n")
    for i in range(40):
        (tmp_path / f"f{i}.dsspec").write_text(f'include "f{i + 1}.dsspec"\n')
    (tmp_path / "f40.dsspec").write_text("source s { kind stream }\n")
    code, out, _ = run(capsys, "check", "--format", "concise", "--select", "DS0", str(spec))
    assert code == 0, out

# -- streams and names --------------------------------------------------------------

def test_check_stdin_closed_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    code, _, err = run(capsys, "check", "-")
    assert code == 2 and "standard input is closed" in err
    code, _, err = run(capsys, "fmt", "-")
    assert code == 2 and "standard input is closed" in err


def test_init_with_a_300_character_name_is_a_usage_error(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "init", "a" * 300)
    assert code == 2 and "dsspec: error:" in err and "internal" not in err


def cli(*args: str, stdout=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dsspec", *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, env={k: v for k, v in os.environ.items() if k != "DSSPEC_RAISE_INTERNAL"})


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_report_to_a_full_disk_is_a_clear_error(tmp_path):
    spec = project(tmp_path)
    with open("/dev/full", "w") as full:
        done = cli("check", str(spec), stdout=full)
    assert done.returncode == 2
    assert "dsspec: error: cannot write to standard output: No space left on device" in done.stderr
    assert "Traceback" not in done.stderr


def test_report_to_a_closed_stdout_is_a_clear_error(tmp_path):
    spec = project(tmp_path)
    code = ("import os, sys, subprocess; os.close(1); "
            f"sys.exit(subprocess.run([sys.executable, '-m', 'dsspec', 'check', {str(spec)!r}]).returncode)")
    done = subprocess.run([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True,
                          env={k: v for k, v in os.environ.items() if k != "DSSPEC_RAISE_INTERNAL"})
    assert done.returncode == 2
    assert "dsspec: error: cannot write to standard output: it is closed" in done.stderr
    assert "Traceback" not in done.stderr


def test_jobs_is_capped_at_the_core_count(tmp_path, capsys, monkeypatch):
    import concurrent.futures

    for i in range(40):
        project(tmp_path, GOOD, f"s{i}.dsspec")
    seen = []
    real = concurrent.futures.ProcessPoolExecutor

    class Recording(real):
        def __init__(self, max_workers=None, **kw):
            seen.append(max_workers)
            super().__init__(max_workers=max_workers, **kw)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr("dsspec.compiler.pipeline.available_cores", lambda: 2)
    code, out, _ = run(capsys, "check", "-j", "100000", "--format", "concise", str(tmp_path))
    assert code == 1 and "checked 40 files" in out
    assert seen == [2]

# -- the guard ------------------------------------------------------------------

def test_a_bug_in_a_rule_is_a_located_internal_error_and_exit_2(tmp_path, capsys, monkeypatch):
    from dsspec.compiler.lint.rules.owner_missing import OwnerMissing

    monkeypatch.delenv("DSSPEC_RAISE_INTERNAL")
    monkeypatch.setattr(OwnerMissing, "check", lambda self, spec, ctx: 1 / 0)
    spec = project(tmp_path)
    code, out, _ = run(capsys, "check", "--format", "concise", str(spec))
    assert code == 2
    assert f"{spec}:1:1: DS999 [internal-error] internal error while running rule `owner-missing`: " \
           "ZeroDivisionError" in out


def test_a_bug_in_a_stage_names_the_file_and_the_others_are_still_checked(tmp_path, capsys, monkeypatch):
    from dsspec.compiler.model import resolve

    monkeypatch.delenv("DSSPEC_RAISE_INTERNAL")
    spec = project(tmp_path)
    other = project(tmp_path, GOOD.replace("owner", "ownr"), "t.dsspec")
    real = resolve._Resolver.references

    def crash(self):
        if self.r.spec.path.endswith("s.dsspec"):
            raise RecursionError("deep")
        return real(self)

    monkeypatch.setattr(resolve._Resolver, "references", crash)
    code, out, _ = run(capsys, "check", "--format", "json", str(spec), str(other))
    assert code == 2
    assert "internal error while checking this file: RecursionError: deep" in out
    assert "unknown attribute" in out or "ownr" in out  # the other file's finding is still reported


def test_a_bug_in_fmt_and_build_is_an_internal_error_not_a_traceback(tmp_path, capsys, monkeypatch):
    from dsspec.compiler.syntax import format as formatter

    monkeypatch.delenv("DSSPEC_RAISE_INTERNAL")
    spec = project(tmp_path, OWNED)
    monkeypatch.setattr(formatter, "format_document", lambda doc: [][1])
    code, _, err = run(capsys, "fmt", str(spec))
    assert code == 2 and "internal error while formatting this file: IndexError" in err
    monkeypatch.setattr("dsspec.compiler.emit.artefacts.make", lambda *a, **k: {}[0])
    code, _, err = run(capsys, "build", str(spec), "-o", str(tmp_path / "out"), "--format", "md")
    assert code == 2 and "internal error while building this file: KeyError" in err


def test_an_unexpected_error_outside_the_stages_names_the_command(capsys, monkeypatch):
    from dsspec.compiler.lint import docs

    monkeypatch.delenv("DSSPEC_RAISE_INTERNAL")
    monkeypatch.setattr(docs, "catalogue", lambda: {}["boom"])
    code, _, err = run(capsys, "rules", "--format", "json")
    assert code == 2 and "dsspec: internal error in `dsspec rules --format json`: " in err


FIXTURES = sorted(p for folder in ("tests", "specs", "docs") for p in (Path(__file__).parents[1] / folder).rglob("*.dsspec"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_no_fixture_reaches_the_guard(fixture, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DSSPEC_RAISE_INTERNAL")  # the finding, not the exception, is what users would see
    code, out, err = run(capsys, "check", "--format", "concise", str(fixture))
    assert code in (0, 1) and "DS999" not in out
    code, out, err = run(capsys, "fmt", "--diff", str(fixture))
    assert code in (0, 1) and "internal" not in err
    code, out, err = run(capsys, "build", str(fixture), "-o", str(tmp_path), "--format", "md,json,dot")
    assert code in (0, 1) and "internal" not in err

# -- hostile paths --------------------------------------------------------------------

def test_a_path_too_long_is_a_read_error_or_usage_error(tmp_path, capsys):
    spec = project(tmp_path)
    code, out, err = run(capsys, "check", "--format", "concise", "a" * 5000)
    assert code == 1 and "File name too long" in out
    code, _, err = run(capsys, "build", str(spec), "-o", "a" * 5000)
    assert code == 2 and "cannot use" in err and "File name too long" in err


def test_a_folder_tree_thousands_deep_is_searched_without_recursion(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    os.mkdir("deep")
    os.chdir("deep")
    for _ in range(1100):
        os.mkdir("a")
        os.chdir("a")
    Path("x.dsspec").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    try:
        code, out, _ = run(capsys, "check", "--format", "concise", "--select", "DS0", "deep")
        assert code == 0 and "checked 1 file" in out
    finally:  # shutil.rmtree recurses once per level: take the tree down from the bottom
        os.chdir(Path("deep", *["a"] * 1100))
        os.unlink("x.dsspec")
        for _ in range(1100):
            os.chdir("..")
            os.rmdir("a")
        monkeypatch.chdir(tmp_path)


def test_a_stdin_filename_thousands_of_folders_deep_is_not_a_crash(tmp_path, capsys, monkeypatch):
    import io

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GOOD.encode())))
    code, out, _ = run(capsys, "check", "--format", "concise", "--select", "DS0",
                       "--stdin-filename", "a/" * 3000 + "x.dsspec", "-")
    assert code == 0 and "checked 1 file" in out


def test_an_internal_error_message_stays_short(capsys, monkeypatch):
    from dsspec.compiler.lint import docs as rules

    monkeypatch.delenv("DSSPEC_RAISE_INTERNAL")
    monkeypatch.setattr(rules, "catalogue", lambda: (_ for _ in ()).throw(ValueError("x" * 10_000)))
    code, _, err = run(capsys, "rules", "--format", "json")
    assert code == 2 and len(err) < 1000


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_messages_to_a_full_stderr_are_dropped_not_a_traceback(tmp_path):
    spec = project(tmp_path, OWNED)
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "dsspec", "build", str(spec), "-o", str(tmp_path / "out"),
                               "--format", "md"], stdout=subprocess.PIPE, stderr=full, text=True)
    assert done.returncode == 0 and "wrote" in done.stdout


def test_an_output_file_that_is_a_symlink_loop_is_not_replaced(tmp_path, capsys):
    spec = project(tmp_path)
    loop(tmp_path)
    code, _, err = run(capsys, "check", "--output-file", str(tmp_path / "a.dsspec"), str(spec))
    assert code == 2 and "Too many levels of symbolic links" in err
    assert (tmp_path / "a.dsspec").is_symlink()


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "-1"])
def test_non_finite_or_negative_numbers_in_configuration_are_findings(tmp_path, capsys, value):
    spec = project(tmp_path)
    (tmp_path / "dsspec.toml").write_text(f"[thresholds]\nrealtime-latency = {value}\n[hardware]\n"
                                          f"gpu_hour_price = {value}\n[families.lightgbm]\nparams = {value}\n")
    code, out, _ = run(capsys, "check", "--format", "concise", str(spec))
    assert code == 1 and out.count("invalid-config") == 3

# -- the 5,000-model build: linear matching (speed is measured in bench/bench_hostile.py) -----------

def test_innermost_matches_the_pairwise_rule_it_replaced():
    import random

    from dsspec.compiler.emit.locate import innermost
    from dsspec.base.span import Span

    rng = random.Random(8)
    for _ in range(200):
        spans = []
        for k in range(rng.randint(0, 30)):
            a = rng.randint(0, 100)
            b = a + rng.choice([0, 0, 1, 5, 30, 80])
            spans.append((Span(1, 1, 1, 1, a, b), k))
        offsets = [rng.randint(0, 120) for _ in range(rng.randint(0, 30))]
        ordered = sorted(spans, key=lambda p: p[0].end_offset - p[0].offset)
        naive = [next((k for s, k in ordered if s.offset <= at < max(s.end_offset, s.offset + 1)), None)
                 for at in offsets]
        assert innermost(spans, offsets) == naive


def test_sections_are_bound_to_their_models_by_index(tmp_path):
    from dsspec.compiler.pipeline import Session, check_file

    models = "".join(f"model m{k} {{ task regression }}\ntraining m{k} {{ hardware cpu }}\n" for k in range(300))
    spec = project(tmp_path, GOOD + models + "training m7 { hardware gpu }\n")
    result = check_file(Session(), str(spec))
    r = result.resolved
    assert all(r.for_model(r.spec.training, m).hardware.kind == "cpu" for m in r.spec.models)
    dups = [d for d in result.diagnostics if d.rule == "duplicate-declaration"]
    assert len(dups) == 1 and "model `m7` has two `training` sections" in dups[0].message


@pytest.mark.skipif(sys.platform != "linux", reason="file names of arbitrary bytes")
def test_a_file_name_that_is_not_utf8_is_shown_escaped_everywhere(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    project(tmp_path)
    name = os.fsdecode(b"y\xfe.dsspec")
    (tmp_path / name).write_text('product p {\n   owner "a@b.c"\n}\naudience pm { gets [summary] }\n')
    for fmt in ("text", "concise", "json", "sarif", "github", "gitlab", "junit"):
        code, out, _ = run(capsys, "check", "--format", fmt, str(tmp_path))
        assert code == 1 and "\\xfe" in out.replace("\\\\", "\\").replace("%5C", "\\"), fmt
    code, _, err = run(capsys, "build", str(tmp_path), "-o", str(tmp_path / "out"), "--format", "md,json,dot")
    assert code == 0, err
    assert (tmp_path / "out" / os.fsdecode(b"y\xfe.pm.md")).is_file()
    code, out, _ = run(capsys, "check", "--output-file", str(tmp_path / "report.txt"), str(tmp_path))
    assert "\\xfe" in (tmp_path / "report.txt").read_text()
    assert main(["fmt", str(tmp_path)]) == 0
