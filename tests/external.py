"""External programs some tests drive (Node, Chromium): skipped where missing, except in CI.

.ci/run installs every one of them, so under CI (``CI`` set) a missing program
fails the test instead of skipping it: CI runs every test.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require(*programs: str, why: str) -> str:
    """Return the path of the first of ``programs`` found; skip (fail under CI) when none is."""
    for program in programs:
        found = shutil.which(program)
        if found:
            return found
    message = f"needs {' or '.join(programs)}: {why}"
    if os.environ.get("CI"):
        pytest.fail(message + " (.ci/run installs it)")
    pytest.skip(message)


def require_path(path, why: str) -> None:
    """Skip (fail under CI) unless ``path`` exists, e.g. an npm install's node_modules."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: {why} (.ci/run installs it)")
        pytest.skip(f"{path} is missing: {why}")
