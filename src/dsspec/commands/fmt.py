"""``dsspec fmt``: rewrite specs in the canonical layout, keeping every comment."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

from dsspec.commands import EXIT_FINDINGS, EXIT_OK, UsageError

HELP = "format specs in the canonical layout (comments kept)"
DESCRIPTION = ("Rewrite .dsspec files in one canonical layout: indentation, aligned values, one statement "
               "per line, list spacing. Every comment is kept; formatting twice changes nothing. "
               "`-` formats standard input to standard output.")


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 and list files that would change")
    p.add_argument("--diff", action="store_true", help="write nothing; print a unified diff of the changes")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip files matching GLOB")


def formatted(path: str, data: bytes) -> tuple[str | None, str | None, list]:
    """Return ``(old_text, new_text, findings)``; ``new_text`` is ``None`` when the file does not parse."""
    from dsspec.syntax.format import format_document
    from dsspec.syntax.parser import decode, parse

    text, diags = decode(path, data)
    if text is None:
        return None, None, diags
    doc, diags = parse(path, text)
    if diags:
        return text, None, diags
    return text, format_document(doc), []


def _stdin(args) -> int:
    from dsspec.pipeline import MAX_FILE_BYTES
    from dsspec.report import text as report

    old, new, diags = formatted("<stdin>", sys.stdin.buffer.read(MAX_FILE_BYTES + 1))
    if new is None:
        sys.stderr.write(report.render(diags, {"<stdin>": old or ""}) + "\n")
        return EXIT_FINDINGS
    changed = new != old.replace("\r\n", "\n")
    if args.diff:
        sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True), "<stdin>", "<stdin>"))
    elif args.check:
        if changed:
            print("would reformat <stdin>")
    else:
        sys.stdout.write(new)
        return EXIT_OK
    return EXIT_FINDINGS if changed else EXIT_OK


def run(args) -> int:
    from dsspec import pipeline
    from dsspec.discovery import discover
    from dsspec.codes import core
    from dsspec.fsutil import write_atomic
    from dsspec.report import text as report
    from dsspec.span import NOWHERE

    if "-" in args.paths:
        if len(args.paths) > 1:
            raise UsageError("`-` (standard input) cannot be combined with paths")
        return _stdin(args)
    changed: list[str] = []
    broken = []
    files, missing = discover(args.paths, tuple(args.exclude))
    if missing:
        raise UsageError("no such file or folder: " + ", ".join(f"`{m}`" for m in missing))
    for f in files:
        data, why = pipeline.read_source(f)
        if data is None:
            diags = [core("read-error", f, NOWHERE, f"`{f}` {why}")]
            old, new = None, None
        else:
            old, new, diags = formatted(f, data)
        if new is None:
            broken.extend(diags)
            sys.stderr.write(report.render(diags, {f: old} if old is not None else {}) + "\n")
            continue
        if new == old.replace("\r\n", "\n"):
            continue
        changed.append(f)
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True), f, f))
        elif args.check:
            print(f"would reformat {f}")
        else:
            try:
                write_atomic(f, new)
            except OSError as err:
                raise UsageError(f"cannot write `{f}`: {err.strerror or err}") from None
            print(f"reformatted {f}")
    if args.check or args.diff:
        print(f"{len(changed)} of {len(files)} file{'' if len(files) == 1 else 's'} would be reformatted" if changed
              else f"{len(files)} file{' is' if len(files) == 1 else 's are'} already formatted", file=sys.stderr)
        return EXIT_FINDINGS if changed or broken else EXIT_OK
    return EXIT_FINDINGS if broken else EXIT_OK
