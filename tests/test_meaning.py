"""Output means what the spec says (issue #8): fmt keeps meaning, every format escapes, a lone CR ends a line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsspec.cli import main
from hostile import GOOD, OWNED, project, run


# -- fmt never changes meaning ----------------------------------------------------------

def _findings_and_exit(capsys, spec: Path) -> tuple[int, list[tuple[str, str]]]:
    import json

    code = main(["check", "--format", "json", str(spec)])
    found = json.loads(capsys.readouterr().out)["findings"]
    return code, sorted((d["rule"], d["message"]) for d in found)


SUPPRESSED = [
    # several `;` statements, the suppression at the end of the line: the last one is the finding's
    GOOD + "source a { kind stream }; source b { kind table }; output o { type label }"
           "  # dsspec: ignore[unused-declaration] kept for the next release\n",
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
    from dsspec.compiler.syntax import parse
    from dsspec.compiler.syntax.format import format_document

    doc, _ = parse("t", "a 1; b 2; c 3  # about c\n")
    assert format_document(doc) == "a 1\nb 2\nc 3  # about c\n"


def test_fmt_aligns_from_the_layout_it_prints_so_a_second_run_changes_nothing():
    from dsspec.compiler.syntax import parse
    from dsspec.compiler.syntax.format import format_document

    text = ("audience pm { gets [summary, goals, metrics, diagram, ladder, model_card, evaluation, interface, slo] }\n"
            "audience engineer { gets [interface] }\n")
    once = format_document(parse("t", text)[0])
    assert once == ("audience pm {\n  gets [summary, goals, metrics, diagram, ladder, model_card, evaluation, "
                    "interface, slo]\n}\naudience engineer { gets [interface] }\n")
    assert format_document(parse("t", once)[0]) == once

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
    from dsspec.compiler.report.github import summary_markdown
    from dsspec.compiler.pipeline import Session, check_file

    spec = project(tmp_path, OWNED + "input i { from paymnts }\nsource payments { kind table }\n")
    result = check_file(Session(), str(spec))
    summary = summary_markdown(result.diagnostics, 1)
    assert "unknown source `paymnts`; did you mean `payments`?" in summary
    assert "\\`" not in summary
    main(["build", str(spec), "-o", str(tmp_path / "out"), "--format", "md"])
    doc = (tmp_path / "out" / "s.md").read_text()
    assert "unknown source `paymnts`; did you mean `payments`?" in doc and "\\`" not in doc


def test_md_message_escapes_everything_outside_code_spans():
    from dsspec.compiler.report.common import md_message

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


UNKEEPABLE = [
    # the suppression's line closes one block and opens another: no canonical layout keeps both in reach
    GOOD + "input i {\n  fields [a]; }; output o {; type label  # dsspec: ignore[unused-declaration] later\n"
           "  to x\n}\n",
    # an own-line suppression over a line that holds the end of one section and the start of the next
    GOOD + "operator {\n  # dsspec: ignore[unused-declaration] later\n  timeout 1s; }; source s {; kind table\n}\n",
]


@pytest.mark.parametrize("text", UNKEEPABLE)
def test_fmt_refuses_a_layout_that_would_move_statements_out_of_a_suppression(tmp_path, capsys, text):
    spec = project(tmp_path, text)
    code, _, err = run(capsys, "fmt", str(spec))
    assert code == 1 and "not reformatted" in err and "reach of its suppression" in err
    assert spec.read_text() == text
    code, out, err = run(capsys, "fmt", "--check", str(spec))
    assert code == 1
