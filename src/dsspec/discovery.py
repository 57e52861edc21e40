"""Which spec files a command works on: folders searched, excludes applied."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import NamedTuple

from dsspec.lint import config as configuration
from dsspec.paths import display_path, real


class Discovered(NamedTuple):
    """The spec files to work on, the paths that do not exist, and the folders that could not be read.

    ``unreadable`` holds ``(folder, why)``: a folder ``os.walk`` could not
    list is reported by the command, never skipped in silence.
    """

    files: list[str]
    missing: list[str]
    unreadable: list[tuple[str, str]]


def discover(paths: list[str], exclude: tuple[str, ...] = ()) -> Discovered:
    """Return the spec files named by ``paths`` (folders searched for ``*.dsspec``, sorted), the
    paths that do not exist and the folders that cannot be read. Files matching ``exclude``, or the
    ``exclude`` globs of their configuration (relative to its folder), are left out.

    Symbolic links to folders are not followed inside a search (so a link
    loop cannot make it endless); a link named on the command line is. A
    broken or looping link to a file is kept: reading it gives a ``read-error``.
    """
    files: list[str] = []
    missing: list[str] = []
    unreadable: list[tuple[str, str]] = []
    roots: dict[str, Path] = {}

    def failed(err: OSError) -> None:
        unreadable.append((display_path(err.filename or "?"), err.strerror or str(err)))

    for raw in paths:
        path = Path(raw)
        try:
            folder, there = path.is_dir(), os.path.lexists(raw)
        except OSError:  # a name too long: reading the file says so
            folder, there = False, True
        if folder:
            for found in _walk(raw, failed):
                shown = display_path(found)
                files.append(shown)
                roots[shown] = path
        elif there:
            files.append(display_path(raw))
        else:
            missing.append(raw)
    files = list(dict.fromkeys(files))  # a file named twice (or by two folders) is checked once

    def matches(f: str, patterns, *bases: Path | None) -> bool:
        forms = {Path(f).as_posix(), Path(f).name}
        for base in bases:
            if base is not None:
                try:
                    forms.add(real(f).relative_to(real(base)).as_posix())
                except ValueError:
                    pass
        return any(fnmatch.fnmatch(form, pat) for form in forms for pat in patterns)

    kept = []
    for f in files:
        cfg_path = configuration.find_config(Path(f))
        cfg = configuration.config_at(cfg_path)
        if matches(f, exclude, roots.get(f)) or (cfg.exclude and matches(f, cfg.exclude, cfg_path.parent)):
            continue
        kept.append(f)
    return Discovered(kept, missing, sorted(set(unreadable)))


SKIPPED = ("node_modules", "__pycache__")


def _walk(top: str, failed) -> list[str]:
    """Return the ``*.dsspec`` files under ``top``, sorted folder by folder, without recursion (a tree
    may be thousands deep) and without following links to folders (a link loop would never end)."""
    out: list[str] = []
    pending = [top]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as err:
            failed(err)
            continue
        subfolders = []
        for entry in listed:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith(".") and entry.name not in SKIPPED:
                        subfolders.append(entry.path)
                elif entry.name.endswith(".dsspec"):
                    out.append(entry.path)
            except OSError as err:
                failed(err)
        pending.extend(reversed(subfolders))
    return out


def unreadable_findings(found: Discovered) -> list:
    """Return a ``read-error`` finding for each folder that could not be searched."""
    from dsspec.codes import core
    from dsspec.span import NOWHERE

    return [core("read-error", folder, NOWHERE, f"folder `{folder}` cannot be searched: {why}",
                 help="fix its permissions, or leave it out with `--exclude`")
            for folder, why in found.unreadable]
