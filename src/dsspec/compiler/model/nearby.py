"""The project's other spec files, for messages: an include path to suggest, a name declared elsewhere.

Read only when a finding needs them (an include that does not exist, a
reference to nothing declared), and bounded: at most ``MAX_FILES`` files,
each read only up to ``MAX_BYTES``, hidden and dependency folders skipped.
"""

from __future__ import annotations

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


def include_suggestion(spec_path: str, raw: str, root: Path | None) -> str | None:
    """Return the include path (relative to the including file, as ``raw`` is) of an existing spec that
    ``raw`` was probably meant as, or ``None``."""
    here = Path(spec_path).parent
    top = root if root is not None else here
    try:
        options = {Path(os.path.relpath(f, here)).as_posix(): f for f in spec_files(top)}
    except (OSError, ValueError):
        return None
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
    for f in spec_files(root if root is not None else here):
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
