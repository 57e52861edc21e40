"""Reliability: no crash, no hang, no lost file (issue #8).

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

GOOD = 'product p {\n  owner "a@b.c"\n}\n'
OWNED = GOOD + 'audience pm { gets [summary] }\n'


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def project(tmp_path: Path, text: str = GOOD, name: str = "s.dsspec") -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)  # the project root, without a configuration
    path = tmp_path / name
    path.write_text(text)
    return path


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
    real = Path.read_bytes

    def denied(self):
        if self.name == "dsspec.toml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    code, out, _ = run(capsys, "check", "--format", "concise", str(spec))
    assert code == 1
    assert "dsspec.toml:1:1: DS030 [invalid-config] configuration file" in out and "Permission denied" in out


# -- files: symbolic link loops, unreadable folders, includes ----------------------

def loop(folder: Path) -> None:
    (folder / "a.dsspec").symlink_to("b.dsspec")
    (folder / "b.dsspec").symlink_to("a.dsspec")


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
    from dsspec.model.resolve import MAX_INCLUDE_DEPTH

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
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    code, out, _ = run(capsys, "check", "-j", "100000", "--format", "concise", str(tmp_path))
    assert code == 1 and "checked 40 files" in out
    assert seen == [2]


# -- the guard ------------------------------------------------------------------

def test_a_bug_in_a_rule_is_a_located_internal_error_and_exit_2(tmp_path, capsys, monkeypatch):
    from dsspec.lint.rules.owner_missing import OwnerMissing

    monkeypatch.delenv("DSSPEC_RAISE_INTERNAL")
    monkeypatch.setattr(OwnerMissing, "check", lambda self, spec, ctx: 1 / 0)
    spec = project(tmp_path)
    code, out, _ = run(capsys, "check", "--format", "concise", str(spec))
    assert code == 2
    assert f"{spec}:1:1: DS999 [internal-error] internal error while running rule `owner-missing`: " \
           "ZeroDivisionError" in out


def test_a_bug_in_a_stage_names_the_file_and_the_others_are_still_checked(tmp_path, capsys, monkeypatch):
    from dsspec.model import resolve

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
    from dsspec.syntax import format as formatter

    monkeypatch.delenv("DSSPEC_RAISE_INTERNAL")
    spec = project(tmp_path, OWNED)
    monkeypatch.setattr(formatter, "format_document", lambda doc: [][1])
    code, _, err = run(capsys, "fmt", str(spec))
    assert code == 2 and "internal error while formatting this file: IndexError" in err
    monkeypatch.setattr("dsspec.emit.artefacts.make", lambda *a, **k: {}[0])
    code, _, err = run(capsys, "build", str(spec), "-o", str(tmp_path / "out"), "--format", "md")
    assert code == 2 and "internal error while building this file: KeyError" in err


def test_an_unexpected_error_outside_the_stages_names_the_command(capsys, monkeypatch):
    from dsspec.commands import rules

    monkeypatch.delenv("DSSPEC_RAISE_INTERNAL")
    monkeypatch.setattr(rules, "catalogue", lambda: {}["boom"])
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


# -- build removes only the files it wrote ------------------------------------------

def test_build_never_removes_files_it_did_not_write(tmp_path, capsys):
    churn = project(tmp_path, OWNED, "churn.dsspec")
    v2 = project(tmp_path, OWNED, "churn.v2.dsspec")
    out = tmp_path / "out"
    assert main(["build", str(v2), "-o", str(out), "--format", "md"]) == 0
    out.joinpath("churn.notes.md").write_text("my notes\n")
    assert main(["build", str(churn), "-o", str(out), "--format", "md"]) == 0
    assert (out / "churn.notes.md").read_text() == "my notes\n"
    assert (out / "churn.v2.md").is_file() and (out / "churn.v2.pm.md").is_file()
    assert main(["build", str(churn), "-o", str(out), "--format", "md", "--check"]) == 0
    assert "no longer built" not in capsys.readouterr().out


def test_build_removes_a_stale_file_it_wrote_unless_edited_since(tmp_path, capsys):
    spec = project(tmp_path, GOOD + "audience pm { gets [summary] }\naudience engineer { gets [slo] }\n")
    out = tmp_path / "out"
    main(["build", str(spec), "-o", str(out), "--format", "md"])
    (out / "s.engineer.md").write_text("edited by hand\n")
    spec.write_text(GOOD)
    capsys.readouterr()
    assert main(["build", str(spec), "-o", str(out), "--format", "md"]) == 0
    said = capsys.readouterr().out
    assert not (out / "s.pm.md").exists() and "removed" in said
    assert (out / "s.engineer.md").read_text() == "edited by hand\n"
    manifest = (out / ".dsspec-build.json").read_text()
    assert "s.pm.md" not in manifest and "s.engineer.md" not in manifest and '"s.md"' in manifest


def test_a_manifest_naming_files_outside_the_folder_removes_nothing(tmp_path, capsys):
    import json

    spec = project(tmp_path, OWNED)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.md"
    victim.write_text("x")
    from dsspec.emit.manifest import digest

    entry = {"spec": "s", "format": "md", "sha256": digest(b"x")}
    (out / ".dsspec-build.json").write_text(json.dumps({"files": {"../victim.md": entry}}))
    assert main(["build", str(spec), "-o", str(out), "--format", "md"]) == 0
    assert victim.exists()
    (out / ".dsspec-build.json").write_text("{not json")
    assert main(["build", str(spec), "-o", str(out), "--format", "md"]) == 0
    assert "is not valid JSON" in capsys.readouterr().err


# -- fmt writes safely --------------------------------------------------------------

UGLY = "product   p {\n owner \"a@b.c\"\n}\n"


def test_fmt_refuses_a_file_changed_while_it_ran(tmp_path, capsys, monkeypatch):
    from dsspec.syntax import format as formatter

    spec = project(tmp_path, UGLY)
    real = formatter.format_document

    def slow(doc):
        spec.write_text(UGLY + "# an edit made meanwhile\n")
        return real(doc)

    monkeypatch.setattr(formatter, "format_document", slow)
    code, _, err = run(capsys, "fmt", str(spec))
    assert code == 1 and "changed since it was read" in err
    assert spec.read_text().endswith("# an edit made meanwhile\n")


def test_fmt_never_writes_a_read_only_file(tmp_path, capsys):
    spec = project(tmp_path, UGLY)
    spec.chmod(0o444)
    code, _, err = run(capsys, "fmt", str(spec))
    assert code == 1 and "read-only" in err
    assert spec.read_text() == UGLY


def test_fmt_keeps_mode_hard_links_and_owner(tmp_path, capsys):
    spec = project(tmp_path, UGLY)
    spec.chmod(0o640)
    link = tmp_path / "link.dsspec"
    os.link(spec, link)
    assert main(["fmt", str(spec)]) == 0
    assert link.read_text() == spec.read_text() == 'product p {\n  owner "a@b.c"\n}\n'
    assert os.stat(spec).st_nlink == 2 and (os.stat(spec).st_mode & 0o777) == 0o640
    if os.geteuid() == 0:  # only root can give a file away; fmt must not take it back
        other = project(tmp_path, UGLY, "other.dsspec")
        os.chown(other, 4242, 4343)
        assert main(["fmt", str(other)]) == 0
        assert (os.stat(other).st_uid, os.stat(other).st_gid) == (4242, 4343)
        assert other.read_text().startswith("product p {")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# -- one escaping policy per output format -------------------------------------------

HOSTILE = 'product p {\n  owner "a@b.c"\n  title "T\\uFFFE\\uFFFF\\u0007\\u001b[31m\\u0085\\uFDD0 end"\n}\n'


def test_non_characters_and_controls_keep_svg_and_junit_well_formed(tmp_path, capsys):
    import xml.etree.ElementTree as ET

    spec = project(tmp_path, HOSTILE)
    code, _, err = run(capsys, "build", str(spec), "-o", str(tmp_path / "out"), "--format", "svg,dot,md")
    assert code in (0, 1), err
    svg = (tmp_path / "out" / "s.svg").read_text()
    ET.fromstring(svg.encode("utf-8"))  # well-formed
    for raw in ("\ufffe", "\uffff", "\x07", "\x1b", "\x85", "\ufdd0"):
        assert raw not in svg and raw not in (tmp_path / "out" / "s.dot").read_text()
    assert "\\ufffe" in svg
    code, out, _ = run(capsys, "check", "--format", "junit", str(spec))
    ET.fromstring(out.encode("utf-8"))


def test_junit_with_hostile_messages_is_well_formed(tmp_path, capsys):
    import xml.etree.ElementTree as ET

    spec = project(tmp_path, GOOD + 'source s { kind stream; freshness "\\uFFFF\\u0000\\u0008" }\n')
    code, out, _ = run(capsys, "check", "--format", "junit", str(spec))
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites" and code == 1


def test_github_annotations_never_print_raw_controls(tmp_path, capsys):
    spec = project(tmp_path, GOOD + 'output o { type "\\u001b]0;x\\u0007\\u0000\\uFFFE" }\n')
    code, out, _ = run(capsys, "check", "--format", "github", str(spec))
    assert code == 1 and out.startswith("::")
    for raw in ("\x1b", "\x07", "\x00", "\ufffe"):
        assert raw not in out
    assert all(line.startswith("::") for line in out.splitlines())


def test_markdown_messages_keep_their_code_spans(tmp_path, capsys, monkeypatch):
    from dsspec.report.github import summary_markdown
    from dsspec.pipeline import Session, check_file

    spec = project(tmp_path, OWNED + "input i { from paymnts }\nsource payments { kind table }\n")
    result = check_file(Session(), str(spec))
    summary = summary_markdown(result.diagnostics, 1)
    assert "unknown source `paymnts`; did you mean `payments`?" in summary
    assert "\\`" not in summary
    main(["build", str(spec), "-o", str(tmp_path / "out"), "--format", "md"])
    doc = (tmp_path / "out" / "s.md").read_text()
    assert "unknown source `paymnts`; did you mean `payments`?" in doc and "\\`" not in doc


def test_md_message_escapes_everything_outside_code_spans():
    from dsspec.report.common import md_message

    assert md_message("a <b>x</b> [l](u) `n|m`") == "a \\<b\\>x\\</b\\> \\[l\\](u) `n|m`"
    assert md_message("`n|m` | x", table=True) == "`n\\|m` \\| x"
    assert md_message("odd ` tick") == "odd \\` tick"
    assert md_message("`a\nb`") == "`a\\u000ab`"


def test_spec_name_with_newlines_cannot_inject_html_into_the_document(tmp_path, capsys):
    name = "a\n\n<img src=x onerror=alert(1)>\n.dsspec"
    spec = project(tmp_path, OWNED, name)
    code, _, err = run(capsys, "build", str(spec), "-o", str(tmp_path / "out"), "--format", "md")
    assert code == 0, err
    doc = next((tmp_path / "out").glob("*.pm.md")).read_text()
    generated = next(line for line in doc.splitlines() if "Generated by dsspec" in line)
    assert "<img" in generated and "\\u000a\\u000a<img" in generated  # inside the code span, on one line
    assert "\n<img" not in doc


# -- line ends ------------------------------------------------------------------------

def test_lone_cr_line_ends_are_line_ends(tmp_path, capsys):
    spec = project(tmp_path, "")
    spec.write_bytes(b'# a comment\rproduct p {\r  ownr "a@b.c"\r}\r')
    code, out, _ = run(capsys, "check", "--format", "concise", "--select", "DS0", str(spec))
    assert code == 1 and f"{spec}:3:3: DS010 [unknown-statement] unknown attribute `ownr`" in out
    assert main(["fmt", str(spec)]) == 0
    assert spec.read_bytes() == b'# a comment\nproduct p {\n  ownr "a@b.c"\n}\n'


# -- fmt never changes meaning ----------------------------------------------------------

def _findings_and_exit(capsys, spec: Path) -> tuple[int, list[tuple[str, str]]]:
    import json

    code = main(["check", "--format", "json", str(spec)])
    found = json.loads(capsys.readouterr().out)["findings"]
    return code, sorted((d["rule"], d["message"]) for d in found)


SUPPRESSED = [
    # several `;` statements, the suppression at the end of the line: the last one is the finding's
    GOOD + "source a { kind stream }; source b { kind table }; output o { type label }"
           "  # dsspec: ignore[unused-declaration, output-without-consumer] kept for the next release\n",
    # a one-line block that fmt would expand (over 100 columns), suppression at its end
    GOOD + 'operator { latency p99 <= 80ms; timeout 100ms; budget $1k/month; fallback rules "the rule engine"; default "approve" }'
           "  # dsspec: ignore[timeout-not-below-latency] measured\n",
    # an own-line suppression before a one-line block whose inner statement has the finding
    GOOD + "# dsspec: ignore[timeout-not-below-latency] measured\n"
           'operator { latency p99 <= 80ms; timeout 100ms; budget $1k/month; fallback rules "the rule engine"; default "approve" }\n',
]


@pytest.mark.parametrize("text", SUPPRESSED)
def test_fmt_keeps_suppressions_on_the_line_they_cover(tmp_path, capsys, text):
    (tmp_path / "dsspec.toml").write_text('[severity]\nunused-suppression = "error"\n')
    spec = project(tmp_path, text)
    before = _findings_and_exit(capsys, spec)
    assert not [f for f in before[1] if f[0] == "unused-suppression"]
    assert main(["fmt", str(spec)]) == 0
    once = spec.read_text()
    assert _findings_and_exit(capsys, spec) == before, once
    assert main(["fmt", str(spec)]) == 0 and spec.read_text() == once


def test_fmt_attaches_a_trailing_comment_to_the_last_statement_of_its_line(tmp_path, capsys):
    from dsspec.syntax import parse
    from dsspec.syntax.format import format_document

    doc, _ = parse("t", "a 1; b 2; c 3  # about c\n")
    assert format_document(doc) == "a 1\nb 2\nc 3  # about c\n"


def test_fmt_aligns_from_the_layout_it_prints_so_a_second_run_changes_nothing():
    from dsspec.syntax import parse
    from dsspec.syntax.format import format_document

    text = ("audience pm { gets [summary, goals, metrics, diagram, ladder, model_card, evaluation, interface, slo] }\n"
            "audience engineer { gets [interface] }\n")
    once = format_document(parse("t", text)[0])
    assert once == ("audience pm {\n  gets [summary, goals, metrics, diagram, ladder, model_card, evaluation, "
                    "interface, slo]\n}\naudience engineer { gets [interface] }\n")
    assert format_document(parse("t", once)[0]) == once


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
    from dsspec.commands import rules

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

    from dsspec.emit.locate import innermost
    from dsspec.span import Span

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
    from dsspec.pipeline import Session, check_file

    models = "".join(f"model m{k} {{ task regression }}\ntraining m{k} {{ hardware cpu }}\n" for k in range(300))
    spec = project(tmp_path, GOOD + models + "training m7 { hardware gpu }\n")
    result = check_file(Session(), str(spec))
    r = result.resolved
    assert all(r.for_model(r.spec.training, m).hardware.kind == "cpu" for m in r.spec.models)
    dups = [d for d in result.diagnostics if d.rule == "duplicate-declaration"]
    assert len(dups) == 1 and "model `m7` has two `training` sections" in dups[0].message
