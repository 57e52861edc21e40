"""The pre-commit hooks, run by the real `pre-commit` against a temporary repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOOD = 'source payments {\n  kind stream\n}\n'
BAD = 'operator {\n  latncy p99 <= 80ms\n}\n'


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t"})


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_hook_passes_good_and_fails_bad_spec(tmp_path):
    pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "good.dsspec").write_text(GOOD)
    (repo / "bad.dsspec").write_text(BAD)
    _git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def hook(*files):
        return subprocess.run([pre_commit, "try-repo", str(ROOT), "dsspec-check", "--files", *files],
                              cwd=repo, capture_output=True, text=True, env=env, timeout=600)

    good = hook("good.dsspec")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = hook("good.dsspec", "bad.dsspec")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "unknown attribute `latncy`" in bad.stdout
