"""Which spec files a command works on: folders searched, ``.gitignore`` honoured, excludes applied.

Exclude globs and ``.gitignore`` files follow git's rules (through
``pathspec``): a pattern without ``/`` matches a name at any depth
(``generated``, ``*.draft.dsspec``); one with ``/`` is anchored to its base
folder (the current folder for ``--exclude``, the configuration's folder for
``exclude``), ``*`` stops at ``/`` and ``**`` crosses folders.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from dsspec.compiler.lint import config as configuration
from dsspec.base.paths import display_path
from dsspec.base.record import named

SKIPPED_FOLDERS = ("node_modules", "__pycache__")

@named
class Discovered:
    """The spec files to work on, the paths that do not exist, and the folders that could not be read.

    ``unreadable`` holds ``(folder, why)``: a folder ``os.walk`` could not
    list is reported by the command, never skipped in silence.
    """

    files: list[str]
    missing: list[str]
    unreadable: list[tuple[str, str]]
    configs: dict[str, Path | None] | None = None
    """The configuration file of each of ``files`` (``None``: the defaults), as discovery found it: the cache
    keys a spec by it without looking it up again."""
    plain: frozenset[str] = frozenset()
    """The files a folder search found that are no symbolic link (the folder's listing said so): the cache
    keys them by their folder without asking each again."""



@functools.cache
def _spec(patterns: tuple[str, ...]):
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def glob_matches(path: str | Path, patterns: tuple[str, ...], base: Path) -> bool:
    """Return whether ``path`` matches one of the gitignore-style ``patterns`` relative to ``base``."""
    if not patterns:
        return False
    absolute = Path(os.path.abspath(path))
    try:
        rel = absolute.relative_to(Path(os.path.abspath(base))).as_posix()
    except ValueError:  # outside the base: only the patterns that name no folder can apply
        rel = absolute.name
    return _spec(tuple(patterns)).match_file(rel)


class GitIgnore:
    """The ``.gitignore`` files (and ``.git/info/exclude``) that apply to a folder, read once each."""

    def __init__(self):
        self._files: dict[Path, object | None] = {}

    def _at(self, folder: Path):
        if folder not in self._files:
            lines: list[str] = []
            for name in (".gitignore", ".git/info/exclude"):
                try:
                    lines += (folder / name).read_text(encoding="utf-8", errors="replace").splitlines()
                except OSError:
                    pass
            self._files[folder] = _spec(tuple(lines)) if lines else None
        return self._files[folder]

    @functools.lru_cache(maxsize=4096)
    def _chain(self, folder: Path) -> tuple[Path, ...]:
        """Return the folders from the repository root (the one holding ``.git``) down to ``folder``;
        none outside a repository, where git reads no ``.gitignore``."""
        if (folder / ".git").exists():
            return (folder,)
        if folder.parent == folder:
            return ()
        above = self._chain(folder.parent)
        return (*above, folder) if above else ()

    def applies(self, folder: str) -> bool:
        """Return whether any ``.gitignore`` can apply to the files of ``folder`` (it is inside a repository
        with at least one ignore file on the way down)."""
        return any(self._at(f) is not None for f in self._chain(Path(os.path.abspath(folder))))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        """Return whether git ignores ``path`` (deeper ``.gitignore`` files override shallower ones)."""
        path = Path(os.path.abspath(path))
        verdict = False
        for folder in self._chain(path.parent):
            spec = self._at(folder)
            if spec is None:
                continue
            rel = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
            result = spec.check_file(rel)
            if result.include is not None:
                verdict = result.include
        return verdict


def discover(paths: list[str], exclude: tuple[str, ...] = (), respect_gitignore: bool = True,
             config_file: Path | None = None) -> Discovered:
    """Return the spec files named by ``paths`` (folders searched for ``*.dsspec``, sorted), the
    paths that do not exist and the folders that cannot be read.

    Inside a folder, files and folders git ignores are skipped (unless
    ``respect_gitignore`` is false); a file named explicitly is checked even so,
    as in Ruff. Files matching ``exclude`` (relative to the current folder) are
    left out, and so are those a folder search finds that match the ``exclude`` globs of
    their configuration (relative to its folder), unless the folder searched is itself
    inside the excluded area: naming a file, or such a folder, asks for it (as in Ruff); ``--exclude`` globs also match relative to the folder argument that found the file.
    ``config_file`` replaces the configuration found next to each spec.

    Symbolic links to folders are not followed inside a search (so a link
    loop cannot make it endless); a link named on the command line is. A
    broken or looping link to a file is kept: reading it gives a ``read-error``.
    """
    files: list[str] = []
    missing: list[str] = []
    unreadable: list[tuple[str, str]] = []
    bases: dict[str, Path] = {}
    git = GitIgnore() if respect_gitignore else None

    def failed(err: OSError) -> None:
        unreadable.append((display_path(err.filename or "?"), err.strerror or str(err)))

    linked: set[str] = set()  # found by a search and a symbolic link: its configuration is its target's
    for raw in paths:
        path = Path(raw)
        try:
            folder, there = path.is_dir(), os.path.lexists(raw)
        except OSError:  # a name too long: reading the file says so
            folder, there = False, True
        if folder:
            for shown in _walk(raw, failed, git, linked):
                files.append(shown)
                bases.setdefault(shown, path)
        elif there:
            files.append(display_path(raw))
        else:
            missing.append(raw)
    files = list(dict.fromkeys(files))  # a file named twice (or by two folders) is checked once
    kept = []
    configs: dict[str, Path | None] = {}
    in_folder: dict[str, Path | None] = {}  # a searched folder's configuration, looked up once
    cwd = Path.cwd()
    for f in files:
        base = bases.get(f)  # the folder argument that found it; None: the file was named itself
        if config_file is not None:
            cfg_path = config_file
        elif base is None or f in linked:
            cfg_path = configuration.find_config(f)
        else:
            head = os.path.dirname(f)
            if head in in_folder:
                cfg_path = in_folder[head]
            else:
                cfg_path = in_folder[head] = configuration.find_config(f)
        if exclude and (glob_matches(f, exclude, cwd) or glob_matches(f, exclude, bases.get(f, cwd))):
            continue
        if base is not None and cfg_path is not None:  # a folder search: the configuration's `exclude` applies
            cfg = configuration.config_at(cfg_path)  # (asked only here: a named file is not parsed for it)
            if cfg.exclude and glob_matches(f, cfg.exclude, cfg_path.parent) \
                    and not glob_matches(base / "-.dsspec", cfg.exclude, cfg_path.parent):
                continue  # a file, or a folder inside the excluded area, named on the command line asks for it
        kept.append(f)
        configs[f] = cfg_path
    return Discovered(kept, missing, sorted(set(unreadable)), configs,
                      frozenset(f for f in kept if f in bases and f not in linked))


def links_outside(paths: list[str], files: list[str]) -> dict[str, str]:
    """Return, of ``files``, those a folder search found that are symbolic links to a file outside the folder
    searched, each with its target: a writing command (``fmt``, ``check --fix``) leaves them alone, as Black
    does, for formatting a project must never rewrite a file elsewhere through a link in it. A file named on
    the command line is the user's to write, link or not."""
    named = {display_path(p) for p in paths}
    folders = [(display_path(p), os.path.realpath(p)) for p in paths if os.path.isdir(p)]
    out: dict[str, str] = {}
    for f in files:
        if f in named or not os.path.islink(f):
            continue
        target = os.path.realpath(f)
        for shown, real in folders:
            inside = os.path.join(shown, "") if shown not in ("", ".") else ""
            if f.startswith(inside) and os.path.commonpath([real, target]) != real:
                out[f] = target
                break
    return out


def _walk(top: str, failed, git: GitIgnore | None, linked: set[str]) -> list[str]:
    """Return the ``*.dsspec`` files under ``top`` as they are shown (``display_path``), sorted folder by folder,
    without recursion (a tree may be thousands deep) and without following links to folders (a link loop
    would never end); what ``git`` ignores is left out. Files that are symbolic links are added to ``linked``."""
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
        # outside a repository git reads no .gitignore: ask once per folder, not once per file
        here = git if git is not None and git.applies(folder) else None
        shown_folder = display_path(folder)  # a file is shown as its folder is, and its name
        for entry in listed:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith(".") and entry.name not in SKIPPED_FOLDERS and \
                            not (here and here.ignored(Path(entry.path), True)):
                        subfolders.append(entry.path)
                elif entry.name.endswith(".dsspec") and not (here and here.ignored(Path(entry.path), False)):
                    shown, link = _shown_in(shown_folder, entry.name, entry.path), entry.is_symlink()
                    out.append(shown)
                    if link:
                        linked.add(shown)
            except OSError as err:
                failed(err)
        pending.extend(reversed(subfolders))
    return out


def _shown_in(shown_folder: str, name: str, path: str) -> str:
    """Return ``display_path(path)`` for the file ``name`` of a folder shown as ``shown_folder``, without
    resolving the path again (a name that starts with ``..`` asks ``display_path`` itself)."""
    if name.startswith(".."):
        return display_path(path)
    return name if shown_folder == "." else os.path.join(shown_folder, name)


def unreadable_findings(found: Discovered) -> list:
    """Return a ``read-error`` finding for each folder that could not be searched."""
    from dsspec.base.codes import core
    from dsspec.base.span import NOWHERE

    return [core("read-error", folder, NOWHERE, f"folder `{folder}` cannot be searched: {why}",
                 help="fix its permissions, or leave it out with `--exclude`")
            for folder, why in found.unreadable]
