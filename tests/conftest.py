"""Shared helpers: compile spec text through the real pipeline."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dsspec.compiler import pipeline

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def internal_errors_raise(monkeypatch):
    """Make dsspec's guard re-raise: a test input that reaches a bug fails with its traceback
    instead of passing with an ``internal-error`` finding (tests of the guard itself unset it)."""
    monkeypatch.setenv("DSSPEC_RAISE_INTERNAL", "1")


def compile_text(tmp_path: Path, text: str | bytes, name: str = "spec.dsspec") -> pipeline.FileResult:
    """Write ``text`` (dedented when a str) under ``tmp_path`` and compile it from disk."""
    (tmp_path / "dsspec.toml").touch()  # the project root, and an empty configuration
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text if isinstance(text, bytes) else textwrap.dedent(text).encode("utf-8")
    path.write_bytes(data)
    return pipeline.check_file(pipeline.Session(), str(path))


def rules_of(result: pipeline.FileResult) -> list[tuple[int, str]]:
    """Return ``(line, rule)`` of every finding, in order."""
    return [(d.span.line, d.rule) for d in result.diagnostics]


@pytest.fixture
def check(tmp_path):
    def run(text, name="spec.dsspec"):
        return compile_text(tmp_path, text, name)

    return run


@pytest.fixture(autouse=True)
def _private_result_cache(tmp_path_factory, monkeypatch):
    """Each test gets its own result cache, so no test sees another's entries (tests of the cache set their own)."""
    monkeypatch.setenv("DSSPEC_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    """Run ``dsspec ARGV`` in process; return its exit code, standard output and standard error."""
    from dsspec.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A git repository root with an empty configuration, as the current folder."""
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path
