"""A JSON habit's suggestion is itself valid: following it gives no new error (review item 10)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import compile_text

FOLDER = Path(__file__).resolve().parent / "mistakes"


@pytest.mark.parametrize("case", ["json_key", "json_quoted_word", "json_quoted_duration"])
def test_following_the_suggestion_gives_a_clean_statement(tmp_path, case):
    text = (FOLDER / f"{case}.dsspec").read_text(encoding="utf-8")
    (d,) = compile_text(tmp_path, text).diagnostics
    wanted = re.match(r"write `([^`]*)`", d.message).group(1)
    lines = text.split("\n")
    lines[d.span.line - 1] = "  " + wanted
    assert compile_text(tmp_path, "\n".join(lines)).diagnostics == []


def test_text_statements_keep_their_quotes(tmp_path):
    found = compile_text(tmp_path, 'product p {\n  "owner": "ops",\n}\n').diagnostics
    assert "write `owner \"ops\"`" in found[0].message
