"""The syntax stage: values, layout, and every kind of malformed input ending in a named finding."""

from __future__ import annotations

import pytest

from dsspec.compiler.syntax import parse
from dsspec.compiler.syntax.parser import MAX_NESTING, decode


def values_of(text):
    doc, diags = parse("t.dsspec", text)
    assert diags == []
    return [(v.kind, v.text) for v in doc.statements[0].values]


@pytest.mark.parametrize("text,kind", [
    ("payments", "ident"), ('"Approve under $200"', "string"), ("0.85", "number"), ("40k", "number"),
    ("70B", "number"), ("30%", "percent"), ("0.5%", "percent"), ("50ms", "duration"), ("15min", "duration"),
    ("18mo", "duration"), ("1y", "duration"), ("$6k/month", "money"), ("$0.002/request", "money"),
    ("$90", "money"), ("30M/month", "rate"), ("120/s", "rate"), ("2025-01-01", "date"),
])
def test_scalar_kinds(text, kind):
    assert values_of(f"x {text}\n") == [(kind, text.strip('"'))]


def test_comparison_range_and_multiline_list():
    doc, diags = parse("t", "a >= 0.70\nb 2025-01-01 .. 2025-09-30\nc [amount,\n   mcc,\n]\n")
    assert diags == []
    a, b, c = doc.statements
    assert (a.values[0].kind, a.values[0].text, a.values[0].items[0].text) == ("comparison", ">=", "0.70")
    assert [i.text for i in b.values[0].items] == ["2025-01-01", "2025-09-30"]
    assert [i.text for i in c.values[0].items] == ["amount", "mcc"]


def test_semicolons_bodies_and_comments():
    doc, diags = parse("t", "step x { recall 0.5; chosen }  # trailing\n# alone\n")
    assert diags == []
    (step,) = doc.statements
    assert [s.name for s in step.body] == ["recall", "chosen"]
    assert [c for _, c in doc.comments] == ["# trailing", "# alone"]


def test_triple_quoted_string_is_dedented():
    doc, diags = parse("t", 'problem """\n    line one\n    line two\n    """\n')
    assert diags == []
    assert doc.statements[0].values[0].text == "line one\nline two"


def test_escapes_in_strings():
    doc, _ = parse("t", r'title "say \"hi\"\n"' + "\n")
    assert doc.statements[0].values[0].text == 'say "hi"\n'


def test_positions_are_one_based_with_exclusive_ends():
    doc, _ = parse("t", "a\n  bee 12\n")
    stmt = doc.statements[1]
    assert (stmt.name_span.line, stmt.name_span.column, stmt.name_span.end_column) == (2, 3, 6)
    assert (stmt.name_span.offset, stmt.name_span.end_offset) == (4, 7)


def errors(text):
    _, diags = parse("t.dsspec", text)
    return [(d.rule, d.span.line, d.span.column, d.message) for d in diags]


def test_unterminated_string_is_one_finding_and_parsing_goes_on():
    found = errors('title "abc\nowner x\nbad ]\n')
    assert [(r, line) for r, line, _, _ in found] == [("syntax-error", 1), ("syntax-error", 3)]
    assert "unterminated string" in found[0][3]


def test_unclosed_block_points_at_its_brace():
    found = errors("product p {\n  title \"x\"\n")
    assert found == [("syntax-error", 1, 11, "unclosed `{`: `product p {` is never closed; add `}` at the end of the file")]


def test_unclosed_block_keeps_the_statements_before_it():
    doc, _ = parse("t", 'product p {\n  title "x"\n')
    assert doc.statements[0].body[0].name == "title"


def test_stray_character_is_named():
    assert errors("a @\n")[0][3] == "unexpected character `@`"


def test_number_running_into_letters_is_an_error():
    assert errors("rows 10x\n")[0][0] == "syntax-error"


def test_one_finding_per_line_no_cascade():
    assert len(errors("a ] ] ] ]\n")) == 1


def test_deep_nesting_is_a_finding_not_a_recursion_error():
    text = "a {\n" * 5000 + "}\n" * 5000
    found = errors(text)
    assert found[0][0] == "nesting-too-deep"
    assert found[0][1] == MAX_NESTING + 1


def test_deep_lists_are_syntax_errors():
    assert errors("a " + "[" * 5000 + "\n")[0][0] == "syntax-error"


def test_very_long_line_is_a_finding():
    found = errors("title \"" + "x" * 20_000 + "\"\n")
    assert found[0][:2] == ("input-too-large", 1)


def test_bom_and_crlf_are_accepted():
    text, diags = decode("t", b"\xef\xbb\xbfproduct p {\r\n  title \"x\"\r\n}\r\n")
    assert diags == []
    doc, diags = parse("t", text)
    assert diags == [] and doc.statements[0].body[0].name == "title"


def test_invalid_utf8_is_an_encoding_error_with_position():
    text, diags = decode("t", b"title \"ok\"\nowner \"\xff\xfe\"\n")
    assert text is None
    assert (diags[0].rule, diags[0].span.line, diags[0].span.column) == ("encoding-error", 2, 8)


def test_binary_junk_is_an_encoding_error():
    _, diags = decode("t", bytes(range(256)) * 4)
    assert diags[0].rule == "encoding-error"


def test_oversized_file_is_refused():
    _, diags = decode("t", b"# x\n" * 600_000)
    assert diags[0].rule == "input-too-large"


def test_unclosed_list_points_at_its_bracket():
    assert errors("x [1, 2\n")[0][:3] == ("syntax-error", 1, 3)
    assert "unclosed `[`" in errors("p { a [1, 2\n}\n")[0][3]


def test_recovery_resumes_after_the_bad_token():
    doc, diags = parse("t", "p { a 1 } }\nq 2\n")
    assert [(d.span.line, d.span.column) for d in diags] == [(1, 11)]
    assert [s.name for s in doc.statements] == ["p", "q"]


def test_missing_comma_in_list_is_explained():
    found = errors("x [a b]\n")
    assert found[0][1:3] == (1, 6) and found[0][3].startswith("add `,` before `b`")
