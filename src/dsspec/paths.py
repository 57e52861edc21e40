"""Where a spec lives: its project root, and how its path is shown.

A leaf module (standard library only), so every stage and command can ask it
without importing another stage.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT_MARKERS = ("pyproject.toml", "dsspec.toml", ".git")


def real(path: str | Path) -> Path:
    """Return ``path`` absolute with symbolic links resolved; never raises.

    Unlike ``Path.resolve``, a symbolic link loop is no error: the loop is
    left as it stands, and reading the file later says why it cannot be read.
    """
    return Path(os.path.realpath(os.path.abspath(path)))


def project_root(path: Path) -> Path:
    """Return the nearest folder above ``path`` holding a root marker, else its own folder."""
    folder = real(path).parent
    for candidate in (folder, *folder.parents):
        if any(os.path.lexists(candidate / marker) for marker in ROOT_MARKERS):
            return candidate
    return folder


def display_path(path: str | Path) -> str:
    """Return how a path is shown and embedded: relative to the current folder when under it, normalised.

    ``./specs/a.dsspec``, ``specs/a.dsspec`` and its absolute form all show as
    ``specs/a.dsspec``, so reports and built files do not depend on how the
    path was typed.
    """
    raw = os.path.normpath(str(path))
    if os.path.isabs(raw):
        try:
            rel = os.path.relpath(raw)
        except ValueError:  # another drive (Windows)
            return raw
        if not rel.startswith(".."):
            return rel
    return raw


def printable(path: str) -> str:
    """Return ``path`` as it can be shown and written: an undecodable byte of a file name (which
    Python keeps as a lone surrogate) becomes ``\\xff``, since no UTF-8 output can hold it."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
