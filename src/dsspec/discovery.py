"""Which spec files a command works on: folders searched, excludes applied."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from dsspec.lint import config as configuration
from dsspec.paths import display_path


def discover(paths: list[str], exclude: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """Return the spec files named by ``paths`` (folders searched for ``*.dsspec``, sorted) and
    the paths that do not exist. Files matching ``exclude``, or the ``exclude`` globs of their
    configuration (relative to its folder), are left out."""
    files: list[str] = []
    missing: list[str] = []
    roots: dict[str, Path] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__"))
                for name in sorted(names):
                    if name.endswith(".dsspec"):
                        shown = display_path(os.path.join(root, name))
                        files.append(shown)
                        roots[shown] = path
        elif path.exists():
            files.append(display_path(raw))
        else:
            missing.append(raw)
    files = list(dict.fromkeys(files))  # a file named twice (or by two folders) is checked once
    def matches(f: str, patterns, *bases: Path | None) -> bool:
        forms = {Path(f).as_posix(), Path(f).name}
        for base in bases:
            if base is not None:
                try:
                    forms.add(Path(f).resolve().relative_to(base.resolve()).as_posix())
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
    return kept, missing
