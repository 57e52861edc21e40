"""The MkDocs plugin: build a small site with `mkdocs build --strict` and read the pages it wrote."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")  # in the test extra

ROOT = Path(__file__).resolve().parent.parent

FRAGMENT = """\
```dsspec
source payments {
  kind stream
}
```
"""


def site(tmp_path: Path, page: str, strict: bool) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (tmp_path / "dsspec.toml").write_text("")
    shutil.copy(ROOT / "specs" / "search_ranking.dsspec", docs / "search_ranking.dsspec")
    (docs / "index.md").write_text(page)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Designs\nplugins:\n  - dsspec:\n      view: system\n" + ("      strict: true\n" if strict else ""))
    return tmp_path


def build(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=folder,
                          capture_output=True, text=True, timeout=120)


def test_fenced_blocks_and_links_render_inline(tmp_path: Path):
    spec = "".join(line for line in (ROOT / "specs" / "search_ranking.dsspec").read_text().splitlines(True)
                   if not line.startswith("  owner"))   # a warning to show
    page = ("# Search\n\nThe ranking design:\n\n[Search ranking](search_ranking.dsspec)\n\n"
            f"Inline:\n\n```dsspec\n{spec}```\n\nA fragment:\n\n{FRAGMENT}")
    done = build(site(tmp_path, page, strict=True))
    assert done.returncode == 0, done.stderr
    out = (tmp_path / "site" / "index.html").read_text()
    assert out.count('<div class="dsspec-diagram"><svg style="max-width: 100%; height: auto"') == 2
    assert 'href="search_ranking.dsspec"' in out   # the link stays, under its diagram
    assert out.count('class="admonition ') == 1   # the linked file is clean; the block lacks its owner
    assert '<p class="admonition-title">dsspec: 1 finding</p>' in out and "owner-missing" in out
    assert "source payments {" in out   # the fragment draws nothing, so its code stays


def test_strict_fails_the_build_on_errors(tmp_path: Path):
    bad = (ROOT / "specs" / "search_ranking.dsspec").read_text().replace("latency", "latncy", 1)
    page = f"# Broken\n\n```dsspec\n{bad}```\n"
    done = build(site(tmp_path, page, strict=True))
    assert done.returncode != 0
    assert "error[DS010] unknown attribute `latncy`" in done.stderr or "error[DS010]" in done.stderr
    assert "index.md (dsspec block at line 3), line" in done.stderr


def test_without_strict_errors_are_warnings_and_shown(tmp_path: Path):
    bad = (ROOT / "specs" / "search_ranking.dsspec").read_text().replace("latency", "latncy", 1)
    folder = site(tmp_path, f"# Broken\n\n```dsspec view=system\n{bad}```\n", strict=False)
    lenient = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=folder, capture_output=True, text=True,
                             timeout=120)
    assert lenient.returncode == 0, lenient.stderr
    assert "WARNING" in lenient.stderr and "error[DS010]" in lenient.stderr
    out = (folder / "site" / "index.html").read_text()
    assert '<div class="admonition danger dsspec-findings">' in out and "latncy" in out
    assert build(folder).returncode != 0   # `mkdocs build --strict` fails on the warnings
