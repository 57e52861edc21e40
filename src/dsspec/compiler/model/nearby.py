"""The project's other spec files, for messages: an include path to suggest, a name declared elsewhere.

Read only when a finding needs them (an include that does not exist, a
reference to nothing declared), and bounded: at most ``MAX_FILES`` files,
each read only up to ``MAX_BYTES``, hidden and dependency folders skipped.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from pathlib import Path

from dsspec.base.paths import real
from dsspec.base.suggestions import suggest

MAX_FILES = 500
MAX_BYTES = 256 * 1024
_SKIP = frozenset({"node_modules", "__pycache__", "site-packages", "venv"})
_PRODUCT = re.compile(r"^[ \t]*product[ \t]", re.M)
_INCLUDE = re.compile(r'^[ \t]*include[ \t]+"([^"\n]+)"', re.M)
_DECLARATION = re.compile(r"^[ \t]*(source|input|output|model|user|stakeholder|metric)[ \t]+([A-Za-z_][A-Za-z0-9_]*)",
                          re.M)


def spec_files(top: Path) -> list[Path]:
    """Return the ``.dsspec`` files under ``top`` (at most ``MAX_FILES``, in a stable order)."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP)
        found += [Path(folder) / f for f in sorted(files) if f.endswith(".dsspec")]
        if len(found) >= MAX_FILES:
            return found[:MAX_FILES]
    return found


def includable(spec_path: str, root: Path | None) -> dict[str, Path]:
    """Return the project's spec files ``spec_path`` may include, by the path an include names them with
    (relative to its folder): not itself, nor a file whose includes lead back to it (a cycle)."""
    here = Path(spec_path).parent
    top = root if root is not None else here
    try:
        options = {Path(os.path.relpath(f, here)).as_posix(): f for f in spec_files(top)}
    except (OSError, ValueError):
        return {}
    cyclic = reaching(spec_path, list(options.values()))
    return {rel: f for rel, f in options.items() if _real(f) not in cyclic}


def include_matches(spec_path: str, pattern: str, root: Path | None) -> list[str]:
    """Return the include paths of the files a wildcard include (``lib/*.dsspec``) was meant to name."""
    return sorted(rel for rel in includable(spec_path, root) if fnmatch.fnmatchcase(rel, pattern))


def include_suggestion(spec_path: str, raw: str, root: Path | None) -> str | None:
    """Return the include path (relative to the including file, as ``raw`` is) of an existing spec that
    ``raw`` was probably meant as, or ``None``: never the spec itself or a file that includes it."""
    options = includable(spec_path, root)
    options.pop(Path(raw).as_posix(), None)
    near = suggest(raw, options)
    if near is None:  # the folder may be right and the name wrong, or the other way round
        by_name = {}
        for rel in options:
            by_name.setdefault(Path(rel).name, []).append(rel)
        name = suggest(Path(raw).name, by_name) or (Path(raw).name if Path(raw).name in by_name else None)
        near = by_name[name][0] if name and len(by_name[name]) == 1 else None
    return near


def declarations(spec_path: str, root: Path | None, skip: set[Path]) -> dict[str, str]:
    """Return, for each name declared in a library of the project (a spec without `product`) other than
    ``skip``, the path (relative to ``spec_path``'s folder, as an include names it) of the first file that
    declares it."""
    here = Path(spec_path).parent
    out: dict[str, str] = {}
    files = spec_files(root if root is not None else here)
    skip = skip | reaching(spec_path, files)  # including one of those would close a cycle
    for f in files:
        try:
            if real(f) in skip or not f.is_file():  # a symbolic link loop or a folder named `x.dsspec`
                continue
            info = f.stat()
        except OSError:
            continue
        names = _library_names(str(f), info.st_mtime_ns, info.st_size)
        rel = Path(os.path.relpath(f, here)).as_posix()
        for name in names:
            out.setdefault(name, rel)
    return out


def reaching(spec_path: str, files: list[Path]) -> set[Path]:
    """Return the real paths of the spec and of the ``files`` whose includes lead to it, directly or through
    others: a spec that included one of them would include itself (an include cycle)."""
    target = _real(Path(spec_path))
    if target is None:
        return set()
    into: dict[Path, set[Path]] = {}  # file -> the files that include it
    for f in files:
        at = _real(f)
        if at is None:
            continue
        try:
            info = f.stat()
        except OSError:
            continue
        for raw in _include_paths(str(f), info.st_mtime_ns, info.st_size):
            to = _real(f.parent / raw)
            if to is not None:
                into.setdefault(to, set()).add(at)
    found, todo = {target}, [target]
    while todo:
        for parent in into.get(todo.pop(), ()):
            if parent not in found:
                found.add(parent)
                todo.append(parent)
    return found


def _real(path: Path) -> Path | None:
    try:
        return real(path)
    except (OSError, ValueError, RuntimeError):
        return None


@functools.lru_cache(maxsize=2048)
def _include_paths(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """Return the paths a spec file's `include` statements name, read once per version of the file."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read(MAX_BYTES)
    except OSError:
        return ()
    return tuple(m.group(1) for m in _INCLUDE.finditer(text) if "\x00" not in m.group(1)
                 and not Path(m.group(1)).is_absolute())


@functools.lru_cache(maxsize=2048)
def _library_names(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """Return the names a library file declares (none for a file with a `product`), read once per version
    of the file: an editor asks on every keystroke that leaves a name unknown."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read(MAX_BYTES)
    except OSError:
        return ()
    if _PRODUCT.search(text):
        return ()  # another design: its names are its own, only a library (no `product`) is meant to be included
    return tuple(m.group(2) for m in _DECLARATION.finditer(text))
