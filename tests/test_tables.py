"""The parse tables are what Lark derives from the grammar, and the grammar ships with the package."""

from __future__ import annotations

import pytest

from dsspec.compiler.syntax import tables
from dsspec.compiler.syntax.grammar import grammar_path


def test_parse_table_is_current_with_the_grammar():
    pytest.importorskip("lark")
    assert tables.TABLE_PATH.read_text(encoding="utf-8") == tables.render(), \
        "grammar changed: regenerate with `python -m dsspec.compiler.syntax.tables`"


def test_grammar_file_is_found():
    assert grammar_path().is_file()
    assert "stmt: NAME value* block?" in grammar_path().read_text()


def test_check_does_not_import_lark():
    import subprocess
    import sys

    code = ("import sys; from dsspec.compiler.syntax import parse; parse('t', 'product p {\\n  owner \"a\"\\n}\\n'); "
            "print('lark' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
