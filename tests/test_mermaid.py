"""Mermaid output is parsed by Mermaid's own parser, the one GitHub and GitLab render with.

How the test finds it: ``node`` on PATH, and Mermaid with jsdom installed
from the npm registry into tests/mermaid/node_modules by
``npm ci --prefix tests/mermaid`` (.ci/run does it; versions pinned in
tests/mermaid/package-lock.json). tests/mermaid/validate.mjs gives Mermaid a
jsdom window and calls ``mermaid.parse`` on each file. Locally the test is
skipped, saying how to install, when either is missing; in CI (``CI`` set)
a missing parser fails the test instead, so the check cannot silently stop.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dsspec.compiler import pipeline
from dsspec.cli import main
from dsspec.compiler.emit.mermaid import to_mermaid
from dsspec.compiler.emit.view import available
from dsspec.compiler.emit.views import build_view

ROOT = Path(__file__).resolve().parents[1]
CHECKER = ROOT / "tests" / "mermaid"
SPECS = (sorted((ROOT / "specs").glob("*.dsspec")) + sorted((ROOT / "tests" / "fixtures" / "views").glob("*.dsspec"))
         + [ROOT / "tests" / "golden" / "design_review.dsspec"])


def _parser() -> str:
    node = shutil.which("node")
    if node and (CHECKER / "node_modules" / "mermaid").is_dir() and (CHECKER / "node_modules" / "jsdom").is_dir():
        return node
    how = "install Node and run `npm ci --prefix tests/mermaid`"
    if os.environ.get("CI"):
        pytest.fail(f"Mermaid's parser is missing in CI: {how}")
    pytest.skip(f"Mermaid's parser is not installed: {how}")


def _parse(paths: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run([_parser(), str(CHECKER / "validate.mjs"), *map(str, paths)], capture_output=True,
                          text=True, timeout=120, cwd=CHECKER)


def test_every_view_of_every_spec_parses(tmp_path):
    paths = []
    for spec in SPECS:
        result = pipeline.check_file(pipeline.Session(), str(spec))
        for view in available(result.resolved):
            path = tmp_path / f"{spec.stem}.{view}.mmd"
            path.write_text(to_mermaid(build_view(result.resolved, result.diagnostics, view)))
            paths.append(path)
    proc = _parse(paths)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("ok flowchart") + proc.stdout.count("ok gantt") == len(paths)
    assert proc.stdout.count("ok gantt") == sum(p.name.endswith(".timeline.mmd") for p in paths) > 0


def test_the_parser_rejects_a_broken_flowchart(tmp_path):
    bad = tmp_path / "bad.mmd"
    bad.write_text('flowchart TB\n  a["unclosed --> b\n')
    proc = _parse([bad])
    assert proc.returncode == 1 and "error" in proc.stdout


HOSTILE = '''\
product evil {
  title    "Evil \\" ]; x --> y; end; subgraph z; <b>bold</b> #quot; {braces} |pipe| `tick`"
}
source s {
  kind stream
}
input i {
  from   s
  fields [a]
}
output o {
  type score
}
model m {
  task  regression
  reads [i]
  writes o
}
'''


def test_strings_cannot_break_or_inject_into_mermaid(tmp_path, capsys):
    spec = tmp_path / "evil.dsspec"
    spec.write_text(HOSTILE)
    (tmp_path / "dsspec.toml").touch()
    assert main(["build", str(spec), "-o", str(tmp_path / "out"), "--format", "mermaid"]) == 0
    capsys.readouterr()
    text = (tmp_path / "out" / "evil.mmd").read_text()
    assert "x --> y" not in text and "<b>bold" not in text
    proc = _parse(sorted((tmp_path / "out").glob("*.mmd")))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_documents_can_embed_mermaid_blocks(tmp_path, capsys):
    spec = ROOT / "specs" / "search_ranking.dsspec"
    assert main(["build", str(spec), "-o", str(tmp_path), "--format", "md", "--doc-diagrams", "mermaid"]) == 0
    capsys.readouterr()
    staff = (tmp_path / "search_ranking.staff_ds.md").read_text()
    assert "```mermaid\n---\ntitle:" in staff and ".svg)" not in staff
    blocks = staff.split("```mermaid\n")[1:]
    paths = []
    for i, block in enumerate(blocks):
        path = tmp_path / f"block{i}.mmd"
        path.write_text(block.split("```")[0])
        paths.append(path)
    assert len(paths) == 3   # the system diagram, the ladder view in the ladder section, the timeline in evaluation
    proc = _parse(paths)
    assert proc.returncode == 0, proc.stdout + proc.stderr
