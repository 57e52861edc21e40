"""``check --fix`` and ``check --diff``: apply or show the certain fixes findings carry (``dsspec.compiler.fixes``)."""

from __future__ import annotations

import difflib
import sys

from dsspec.commands import UsageError


def fix_files(results, texts: dict[str, str], write: bool) -> int:
    """Apply (``write``) or print as a diff the fixes of every result's findings; return the files changed."""
    from dsspec.compiler import fixes
    from dsspec.base.fsutil import write_atomic
    from dsspec.compiler.pipeline import read_source

    by_path: dict[str, list] = {}
    for r in results:
        for d in r.diagnostics:
            if d.fix is not None:
                by_path.setdefault(d.path, []).append(d.fix)
    changed = 0
    for path in sorted(by_path):
        old = texts.get(path)
        if old is None:
            continue
        new, applied = fixes.apply(old, by_path[path])
        if new == old:
            continue
        new = _keep_canonical(path, old, new)
        changed += 1
        if not write:
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                       f"a/{path}", f"b/{path}"))
            continue
        data, _ = read_source(path)
        bom = b"\xef\xbb\xbf" if data is not None and data.startswith(b"\xef\xbb\xbf") else b""
        try:
            write_atomic(path, bom + new.encode("utf-8"))
        except OSError as err:
            raise UsageError(f"cannot write `{path}`: {err.strerror or err}") from None
        print(f"fixed {applied} finding{'s' if applied != 1 else ''} in {path}", file=sys.stderr)
    if not write:
        print(f"{changed} file{'s' if changed != 1 else ''} would be fixed" if changed else "no certain fixes",
              file=sys.stderr)
    return changed


def _keep_canonical(path: str, old: str, new: str) -> str:
    """Return ``new`` in the canonical layout when ``old`` was in it (a renamed attribute can change
    the alignment); a file its author never formatted is left as they wrote it, bar the fixes."""
    from dsspec.commands.fmt import formatted

    _, canonical, _ = formatted(path, old.encode("utf-8"))
    if canonical != old.replace("\r\n", "\n"):
        return new
    _, layout, _ = formatted(path, new.encode("utf-8"))
    if layout is None:
        return new
    return layout.replace("\n", "\r\n") if "\r\n" in old else layout
