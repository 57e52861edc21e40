"""The design documents render alike in GitHub, GitLab, MkDocs (Python-Markdown) and pandoc.

Python-Markdown prints the backslash of ``\\<`` and pandoc reads ``$40,000/month … $30k/month`` as
TeX maths; the documents write ``&lt;`` and ``&#36;`` instead, which all four read. Each document of
the bundled specs (and a design written to hit both) is rendered by Python-Markdown and, when it is
installed, pandoc, and the rendered text must show the comparisons and the money as written.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dsspec.compiler import pipeline
from dsspec.compiler.emit.markdown import documents
from dsspec.compiler.emit.mdtext import portable

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted((ROOT / "specs").glob("*.dsspec")) + [ROOT / "tests" / "fixtures" / "views" / "job_matches.dsspec"]
SHOWN_ESCAPE = re.compile(r"\\[~<>$|*_#!\[\]]")
"""A backslash escape a renderer failed to read, left in the rendered text."""

MONEY = """product p {
  title "Costs $40,000/month against $30k/month"
  owner "a@b.c"
  improves "the <b>bold</b> claim & more"
}
ecosystem { user ops "Reads <= 9% of the alerts" }
operator {
  success recall { optimal >= 0.7; acceptable >= 0.6; worst <= 0.5 }
  budget $30k/month
}
output o { type score; to ops }
model m { task regression; writes o; ladder { baseline linear { recall 0.65; chosen } } }
serving { mode batch; cost $40,000/month }
audience pm { gets [summary, goals] }
"""


def _docs(path: Path) -> dict[str, str]:
    result = pipeline.check_file(pipeline.Session(), str(path))
    return documents(result.resolved, result.diagnostics, path.stem)


def _text(html: str) -> str:
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", "", html))


def _cases(tmp: Path):
    spec = tmp / "money.dsspec"
    spec.write_text(MONEY)
    (tmp / "dsspec.toml").touch()
    return [*SPECS, spec]


def test_portable_escapes_outside_code_only():
    assert portable("a \\<= 9% costs $4 `code $ \\<` \\`x and $5") == \
        "a &lt;= 9% costs &#36;4 `code $ \\<` \\`x and &#36;5"
    assert portable("```mermaid\nA[\"$1\"]\n```") == "```mermaid\nA[\"$1\"]\n```"


def test_python_markdown_renders_comparisons_and_money_as_written(tmp_path):
    import markdown

    for spec in _cases(tmp_path):
        for name, text in _docs(spec).items():
            out = _text(markdown.markdown(text, extensions=["tables"]))
            assert not SHOWN_ESCAPE.search(out), (spec.name, name, SHOWN_ESCAPE.search(out))
            if spec.name == "money.dsspec":
                assert "$40,000/month" in out and "<= 9%" in out, name
                assert "<b>bold</b>" in out, name   # a tag from a spec shows as text, not bold


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_renders_comparisons_and_money_as_written(tmp_path):
    for spec in _cases(tmp_path):
        for name, text in _docs(spec).items():
            html = subprocess.run(["pandoc", "-f", "markdown", "-t", "html"], input=text, capture_output=True,
                                  text=True, check=True).stdout
            assert 'class="math' not in html, (spec.name, name)
            out = _text(html)
            assert not SHOWN_ESCAPE.search(out), (spec.name, name, SHOWN_ESCAPE.search(out))
            if spec.name == "money.dsspec":
                assert "$40,000/month" in out and "<= 9%" in out, name
