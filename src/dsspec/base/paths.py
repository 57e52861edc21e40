"""Where a spec lives: its project root, and how its path is shown.

A leaf module (standard library only), so every stage and command can ask it
without importing another stage.
"""

from __future__ import annotations

import functools
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


@functools.cache
def _root_of(folder: Path, cwd: Path) -> Path:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    for candidate in (folder, *folder.parents):
        if (candidate / "dsspec.toml").is_file() or (candidate / "pyproject.toml").is_file():
            return candidate
    return cwd if cwd == folder or cwd in folder.parents else folder


def repo_root(path: str | Path) -> Path:
    """Return the folder a spec's reported path is relative to.

    The git repository holding it; else the folder of its configuration
    (the nearest ``dsspec.toml`` or ``pyproject.toml``); else the current
    folder when the spec is under it; else the spec's own folder. So a
    report names a file the same way from the root, a subfolder or outside
    the repository.
    """
    return _root_of(Path(os.path.abspath(path)).parent, Path(os.path.abspath(os.getcwd())))


def repo_relative(path: str) -> str:
    """Return a finding's path relative to its repository root (see ``repo_root``), with ``/`` separators.

    Every machine-readable report, the baseline and the fingerprints use it;
    a pseudo path such as ``<stdin>`` is returned as is.
    """
    if path.startswith("<") and path.endswith(">"):
        return path
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(repo_root(absolute)).as_posix()
    except ValueError:
        return absolute.as_posix()


def portable(path: str) -> str:
    """Return how a built file names a spec: relative to its repository root (git), else to the folder of
    its configuration, else its bare file name; with ``/`` separators.

    Never the working folder's view of it and never the machine's absolute path, so ``build`` writes the
    same bytes from any folder and any checkout, and published pages do not show local paths. A pseudo
    path such as ``<stdin>`` is returned as is.
    """
    if path.startswith("<") and path.endswith(">"):
        return path
    absolute = Path(os.path.abspath(path))
    root = _root_of(absolute.parent, absolute.parent)  # its own folder in place of the working folder
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.name


def printable(path: str) -> str:
    """Return ``path`` as it can be shown and written: an undecodable byte of a file name (which
    Python keeps as a lone surrogate) becomes ``\\xff``, since no UTF-8 output can hold it."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
