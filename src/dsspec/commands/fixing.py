"""``check --fix`` and ``check --diff``: apply or show the certain fixes findings carry (``dsspec.compiler.fixes``)."""

from __future__ import annotations

import difflib
import sys

from dsspec.commands import UsageError


def fix_files(results, texts: dict[str, str], write: bool, refused: set[str] | None = None) -> int:
    """Apply (``write``) or print as a diff the fixes of every result's findings; return the files changed.

    Files are written the way ``fmt`` writes them (``fsutil.rewrite``): a read-only file, or one that
    changed since it was checked, is refused with a message (and added to ``refused``, which later
    passes skip); mode, owner and hard links are kept.
    """
    from dsspec.compiler import fixes

    refused = set() if refused is None else refused

    by_path: dict[str, list] = {}
    for r in results:
        for d in r.diagnostics:
            if d.fix is not None and _within(d.fix, texts.get(d.path)):
                by_path.setdefault(d.path, []).append(d.fix)
    changed = 0
    for path in sorted(by_path):
        old = texts.get(path)
        if old is None or path in refused:
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
        why = _write(path, old, new)
        if why is not None:
            changed -= 1
            refused.add(path)
            print(f"dsspec: not fixed `{path}`: {why}", file=sys.stderr)
            continue
        print(f"fixed {applied} finding{'s' if applied != 1 else ''} in {path}", file=sys.stderr)
    if not write:
        print(f"{changed} file{'s' if changed != 1 else ''} would be fixed" if changed else "no certain fixes",
              file=sys.stderr)
    return changed


def _within(fix, text: str | None) -> bool:
    """Return whether every edit of ``fix`` replaces a region of ``text`` (in order, no overlap): a fix is
    applied only to the text it was made for, and one that points past it is a bug, never a rewrite."""
    if text is None:
        return False
    end = 0
    for e in sorted(fix.edits, key=lambda e: e.span.offset):
        if not end <= e.span.offset <= e.span.end_offset <= len(text):
            return False
        end = e.span.end_offset
    return True


def _write(path: str, old: str, new: str) -> str | None:
    """Replace the text ``old`` of ``path`` with ``new`` through ``fsutil.rewrite``; return why not, or ``None``."""
    from dsspec.base.fsutil import Refused, read_snapshot, rewrite
    from dsspec.compiler.pipeline import MAX_FILE_BYTES
    from dsspec.compiler.syntax.parser import _LONE_CR, decode

    try:
        data, snapshot = read_snapshot(path, MAX_FILE_BYTES + 1)
    except OSError as err:
        return f"it cannot be read: {err.strerror or err}"
    text = decode(path, data)[0]
    if text != old:
        if text is None or _LONE_CR.sub("\n", text) != old:  # edited while it was being checked
            return "it changed since it was read"
        if "\n" not in text:  # lines end in a lone CR (the compiler read them as LF): written back as they were
            new = new.replace("\n", "\r")
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    try:
        rewrite(path, bom + new.encode("utf-8"), snapshot, MAX_FILE_BYTES + 1)
    except Refused as why:
        return str(why)
    except OSError as err:
        raise UsageError(f"cannot write `{path}`: {err.strerror or err}") from None
    return None


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
