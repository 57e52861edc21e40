"""--fix and --diff (certain fixes), baselines, and what-if --set (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

from dsspec.compiler import pipeline
from dsspec.compiler.syntax.format import format_document
from dsspec.compiler.syntax.parser import parse
from conftest import run_cli

DRAFT = Path(__file__).resolve().parent / "fixtures" / "fraud_draft.dsspec"
TYPOS = DRAFT.read_text().replace("  latency  p99", "  latncy  p99").replace("budget   $3k/month", "budget   $3k/mnth") \
    .replace("reads  payment", "reads  paymnt").replace("split   random", "split   randm") \
    .replace("gradient_boosting", "gradient_bosting")

run = run_cli


def codes(capsys, *argv) -> list[tuple[str, int]]:
    _, out, _ = run(capsys, "check", "--format", "json", *argv)
    return [(f["code"], f["line"]) for f in json.loads(out)["findings"]]


def test_fix_round_trip(project, capsys):
    spec = project / "s.dsspec"
    spec.write_text(TYPOS)
    before = codes(capsys, "s.dsspec")
    fixable = [c for c in before if c[0] in ("DS010", "DS011", "DS020", "DS405")]
    assert len(fixable) == 5
    code, out, err = run(capsys, "check", "--diff", "s.dsspec")
    assert code == 1 and spec.read_text() == TYPOS  # --diff writes nothing
    assert "-  latncy  p99 <= 80ms\n" in out and "+  latency  p99 <= 80ms\n" in out and "+  budget   $3k/month" in out
    assert "1 file would be fixed" in err
    code, out, err = run(capsys, "check", "--fix", "s.dsspec")
    assert "fixed 5 findings in s.dsspec" in err
    fixed = spec.read_text()
    assert fixed == DRAFT.read_text()
    after = codes(capsys, "s.dsspec")
    assert not [c for c in after if c[0] in ("DS010", "DS011", "DS020", "DS405")]
    assert after == codes(capsys, str(DRAFT))  # the design findings of the original draft, no more
    doc, problems = parse("s.dsspec", fixed)
    assert not problems and format_document(doc) == format_document(parse("x", DRAFT.read_text())[0])
    code, out, err = run(capsys, "check", "--diff", "s.dsspec")
    assert code == 0 and out == "" and "no certain fixes" in err


def test_no_fix_without_a_single_certain_candidate(project, capsys):
    spec = project / "s.dsspec"
    spec.write_text("product p {\n  zzzz \"x\"\n}\nsource s {\n  kind strem\n}\n")
    result = pipeline.check_file(pipeline.Session(), "s.dsspec")
    by_code = {d.code: d for d in result.diagnostics}
    assert by_code["DS010"].fix is None  # nothing near `zzzz`: no guess
    fix = by_code["DS011"].fix
    assert fix.title == "replace `strem` with `stream`"
    (edit,) = fix.edits
    assert (edit.span.line, edit.span.column, edit.span.end_column, edit.text) == (5, 8, 13, "stream")


def test_fix_keeps_a_byte_order_mark_and_crlf(project, capsys):
    spec = project / "s.dsspec"
    spec.write_bytes(b"\xef\xbb\xbfsource s {\r\n  kind strem\r\n}\r\n")
    run(capsys, "check", "--fix", "s.dsspec")
    assert spec.read_bytes() == b"\xef\xbb\xbfsource s {\r\n  kind stream\r\n}\r\n"


def test_baseline_round_trip(project, capsys):
    spec = project / "s.dsspec"
    spec.write_text(DRAFT.read_text())
    code, _, err = run(capsys, "check", "--write-baseline", "dsspec-baseline.json", "s.dsspec")
    assert code == 0 and "recorded 22 findings" in err
    recorded = json.loads((project / "dsspec-baseline.json").read_text())
    assert recorded["version"] == 1 and len(recorded["findings"]) == 22
    code, out, err = run(capsys, "check", "--baseline", "dsspec-baseline.json", "s.dsspec")
    assert code == 0 and "no findings" in out and err == ""
    # lines move (a comment on top), two findings are fixed (timeout, the missing `worst`), and the new
    # `worst` level is out of order: one new finding
    text = "# moved\n" + DRAFT.read_text().replace("  timeout  100ms\n", "  timeout  50ms\n") \
        .replace("    acceptable >= 0.55\n", "    acceptable >= 0.55\n    worst      >= 0.80\n")
    spec.write_text(text)
    code, out, err = run(capsys, "check", "--baseline", "dsspec-baseline.json", "--format", "concise", "s.dsspec")
    assert code == 1 and [line.split()[1] for line in out.splitlines()[:-1]] == ["DS206"]
    assert "2 baseline entries" in err and "DS204" in err and "DS201" in err
    (project / "other.dsspec").write_text("source s {\n  kind stream\n}\n")
    code, _, err = run(capsys, "check", "--baseline", "dsspec-baseline.json", "other.dsspec")
    assert code == 0 and err == ""  # entries of files not checked this time are not stale
    code, _, err = run(capsys, "check", "--baseline", "nowhere.json", "s.dsspec")
    assert code == 2 and "--write-baseline nowhere.json" in err
    (project / "bad.json").write_text("[]")
    assert run(capsys, "check", "--baseline", "bad.json", "s.dsspec")[0] == 2


def test_baseline_matches_from_a_subfolder(project, capsys, monkeypatch):
    (project / "specs").mkdir()
    (project / "specs" / "s.dsspec").write_text(DRAFT.read_text())
    run(capsys, "check", "--write-baseline", "b.json", "specs")
    monkeypatch.chdir(project / "specs")
    code, out, err = run(capsys, "check", "--baseline", "../b.json", "s.dsspec")
    assert code == 0 and err == ""


def test_what_if_changes_a_constraint_without_editing(project, capsys):
    spec = project / "s.dsspec"
    spec.write_text(DRAFT.read_text())
    assert ("DS204", 24) in codes(capsys, "s.dsspec")
    after = codes(capsys, "--set", "operator.latency=p99 <= 150ms", "s.dsspec")
    assert ("DS204", 24) not in after
    assert spec.read_text() == DRAFT.read_text()
    # a statement the section lacks is added; a named section is found by its name
    added = codes(capsys, "--set", "operator.fallback=rules \"35 rules\"", "--set",
                  "model.scorer.reads=paymnt", "s.dsspec")
    assert "DS202" not in {c for c, _ in added} and ("DS020", 52) in added  # one line lower: the fallback was added above
    _, out, _ = run(capsys, "check", "--set", "operator.success.worst=<= 0.40", "--format", "concise", "s.dsspec")
    assert "DS201" not in out
    code, _, err = run(capsys, "check", "--fix", "--set", "operator.latency=p99 <= 1ms", "s.dsspec")
    assert code == 2 and "--set" in err and spec.read_text() == DRAFT.read_text()
    for bad in ("latency=1", "operator.latency", "nowhere.latency=p99 <= 1ms"):
        code, _, err = run(capsys, "check", "--set", bad, "s.dsspec")
        assert code == 2 and "--set" in err, bad


def test_fix_writes_units_the_language_knows(project, capsys):
    spec = project / "s.dsspec"
    spec.write_text("operator {\n  latency  p99 <= 80msec\n  budget   $6k/mnth\n  timeout  1hr\n  load     120/secs\n}\n"
                    "source s {\n  kind      stream\n  freshness 5m\n}\n")
    code, out, err = run(capsys, "check", "--fix", "--format", "concise", "s.dsspec")
    assert spec.read_text() == ("operator {\n  latency  p99 <= 80ms\n  budget   $6k/month\n  timeout  1h\n"
                                "  load     120/s\n}\nsource s {\n  kind      stream\n  freshness 5m\n}\n")
    assert "fixed 4 findings in" in err  # one pass: the parser recovers past each misspelt unit
    assert [line.split()[1] for line in out.splitlines()[:-1]] == ["DS001"]  # `5m`: minutes or months? not fixed


def test_what_if_over_a_folder_leaves_libraries_alone(project, capsys):
    (project / "s.dsspec").write_text(DRAFT.read_text())
    (project / "lib.dsspec").write_text("source extra {\n  kind table\n}\n")
    code, out, err = run(capsys, "check", "--set", "operator.latency=p99 <= 150ms", "--format", "concise", ".")
    assert code == 1 and "DS204" not in out and err.startswith("dsspec: what-if, the files are unchanged:")


def test_fix_keeps_a_formatted_file_formatted(project, capsys):
    canonical = format_document(parse("x", DRAFT.read_text())[0])
    typo = format_document(parse("x", canonical.replace("  primary accuracy", "  primry accuracy"))[0])
    assert typo != canonical.replace("primary", "primry")  # the typo is shorter: the block realigned
    spec = project / "s.dsspec"
    spec.write_text(typo)
    run(capsys, "check", "--fix", "s.dsspec")
    assert spec.read_text() == canonical
    assert run(capsys, "fmt", "--check", "s.dsspec")[0] == 0


def test_fix_and_diff_never_take_fixes_from_the_result_cache(project, capsys, monkeypatch):
    """A cache entry on disk can be stale or tampered with; the edits `--fix` writes come from this compile."""
    from dsspec.review.cache import Cache

    spec = project / "s.dsspec"
    spec.write_text(TYPOS)
    run(capsys, "check", "s.dsspec")   # fills the cache

    def refuse(*_, **__):
        raise AssertionError("--fix asked the cache")

    monkeypatch.setattr(Cache, "lookup", refuse)
    code, out, _ = run(capsys, "check", "--diff", "s.dsspec")
    assert code == 1 and "+  latency  p99 <= 80ms" in out
    code, _, err = run(capsys, "check", "--fix", "s.dsspec")
    assert "fixed 5 findings in s.dsspec" in err and spec.read_text() == DRAFT.read_text()


def test_a_fix_that_points_outside_its_text_is_never_applied(project, capsys):
    from dsspec.base.diagnostics import Diagnostic, Edit, Fix, Severity
    from dsspec.base.span import Span
    from dsspec.commands.fixing import fix_files
    from dsspec.compiler.result import FileResult

    spec = project / "s.dsspec"
    spec.write_text("product p {}\n")
    text = spec.read_text()

    def finding(offset: int, end: int) -> Diagnostic:
        return Diagnostic("DS010", "unknown-statement", Severity.ERROR, "m", str(spec), Span(1, 1, 1, 1, 0, 0),
                          fix=Fix("f", (Edit(Span(1, 1, 1, 1, offset, end), "EVIL"),)))

    for offset, end in ((0, 5000), (10**12, 10**12 + 3), (5, 2)):
        result = FileResult(str(spec), text, diagnostics=[finding(offset, end)])
        assert fix_files([result], {str(spec): text}, write=True) == 0
        assert spec.read_text() == text


def test_fmt_and_fix_leave_links_to_files_outside_the_folder_searched(project, capsys, tmp_path_factory):
    """`fmt .` must not rewrite a file elsewhere through a link inside the project (as Black); named, it may."""
    import os

    victim_dir = tmp_path_factory.mktemp("elsewhere")
    victim = victim_dir / "v.dsspec"
    victim.write_text(TYPOS.replace("  latency", "    latency", 1))   # needs formatting and has fixes
    before = victim.read_text()
    os.symlink(victim, project / "v.dsspec")
    inside = project / "own.dsspec"
    inside.write_text(before)
    code, _, err = run(capsys, "fmt", ".")
    assert victim.read_text() == before and "it is a link to" in err and "outside the folder searched" in err
    assert inside.read_text() != before   # the project's own file is formatted
    code, _, err = run(capsys, "check", "--fix", ".")
    assert victim.read_text() == before and "not fixed `v.dsspec`: it is a link to" in err
    code, _, err = run(capsys, "fmt", "v.dsspec")   # named on the command line: the user's to write
    assert victim.read_text() != before and (project / "v.dsspec").is_symlink()


def test_fix_keeps_lines_that_end_in_a_lone_cr(project, capsys):
    spec = project / "s.dsspec"
    spec.write_bytes(b'product p {\r  owner "a"\r}\roperator {\r  latncy p99 <= 80ms\r}\r')
    code, _, err = run(capsys, "check", "--fix", "s.dsspec")
    assert "fixed 1 finding in s.dsspec" in err and "changed since it was read" not in err
    assert spec.read_bytes() == b'product p {\r  owner "a"\r}\roperator {\r  latency p99 <= 80ms\r}\r'


def test_fmt_of_a_folder_without_specs_says_so_as_check_does(project, capsys):
    (project / "empty").mkdir()
    for command in ("fmt", "check"):
        code, _, err = run(capsys, command, "empty")
        assert code == 2 and "no .dsspec files found in `empty`" in err


def test_a_baseline_pointed_at_a_spec_is_called_a_baseline(project, capsys):
    spec = project / "s.dsspec"
    spec.write_text(DRAFT.read_text())
    code, _, err = run(capsys, "check", "--write-baseline", "s.dsspec", "s.dsspec")
    assert code == 2 and "give the baseline another name" in err and spec.read_text() == DRAFT.read_text()
