"""``dsspec fmt``: rewrite specs in the canonical layout, keeping every comment."""

from __future__ import annotations

import difflib
import sys

from dsspec.commands import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, read_stdin

HELP = "format specs in the canonical layout (comments kept)"
DESCRIPTION = ("Rewrite .dsspec files in one canonical layout: indentation, aligned values, one statement "
               "per line, list spacing. Every comment is kept; formatting twice changes nothing. "
               "Folders are searched for *.dsspec (default: the current folder); "
               "`-` formats standard input to standard output.")


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the current folder)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 and list files that would change")
    p.add_argument("--diff", action="store_true", help="write nothing; print a unified diff of the changes")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip files matching GLOB")


def formatted(path: str, data: bytes) -> tuple[str | None, str | None, list]:
    """Return ``(old_text, new_text, findings)``; ``new_text`` is ``None`` when the file does not parse.

    Raises ``Uncovered`` when formatting would move statements out of (or into) a
    suppression's reach; any other exception (a bug in dsspec) is an ``internal-error`` finding.
    """
    from dsspec.base.codes import internal_error
    from dsspec.compiler.syntax.coverage import Uncovered
    from dsspec.compiler.syntax.format import format_document
    from dsspec.compiler.syntax.parser import decode, parse

    text, diags = decode(path, data)
    if text is None:
        return None, None, diags
    try:
        doc, diags = parse(path, text)
        if diags:
            return text, None, diags
        return text, format_document(doc), []
    except Uncovered:
        raise
    except Exception as err:
        return text, None, [internal_error(path, err, "formatting this file")]


def _unchanged(old: str, new: str) -> bool:
    return new == old.replace("\r\n", "\n")


def _report(diags, texts) -> None:
    from dsspec.compiler.report import text as report

    print(report.render(diags, texts), file=sys.stderr)


def _stdin(args) -> int:
    from dsspec.compiler.pipeline import MAX_FILE_BYTES

    from dsspec.compiler.syntax.coverage import Uncovered

    data = read_stdin(MAX_FILE_BYTES + 1)
    try:
        old, new, diags = formatted("<stdin>", data)
    except Uncovered as why:
        print(f"dsspec: not reformatted <stdin>: {why}", file=sys.stderr)
        if not (args.check or args.diff):
            sys.stdout.write(data.decode("utf-8", "replace"))  # unchanged: a filter must not lose the text
        return EXIT_FINDINGS
    if new is None:
        _report(diags, {"<stdin>": old or ""})
        return EXIT_USAGE if _crashed(diags) else EXIT_FINDINGS
    changed = not _unchanged(old, new)
    if args.diff:
        sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True), "<stdin>", "<stdin>"))
    elif args.check:
        if changed:
            print("would reformat <stdin>")
    else:
        sys.stdout.write(new)
        return EXIT_OK
    return EXIT_FINDINGS if changed else EXIT_OK


def _summary(total: int, changed: int, failed: int, refused: int) -> str:
    """Return the last line of ``--check``/``--diff``: a file with errors is never called formatted."""
    def files(n: int) -> str:
        return f"{n} file{'' if n == 1 else 's'}"

    clean = total - changed - failed - refused
    if changed:
        parts = [f"{changed} of {files(total)} would be reformatted"]
    elif clean == total:
        parts = [f"{files(total)} {'is' if total == 1 else 'are'} already formatted"]
    else:
        parts = [f"{clean} of {files(total)} already formatted"] if clean else []
    if failed:
        parts.append(f"{files(failed)} not formatted: {'it has' if failed == 1 else 'they have'} errors (above)")
    if refused:
        parts.append(f"{files(refused)} not reformatted (above)")
    return "; ".join(parts)


def _crashed(diags) -> bool:
    return any(d.rule == "internal-error" for d in diags)


def run(args) -> int:
    from dsspec.base.codes import core
    from dsspec.compiler.discovery import discover, links_outside, unreadable_findings
    from dsspec.base.fsutil import Refused, read_snapshot, rewrite
    from dsspec.compiler.pipeline import MAX_FILE_BYTES, read_source
    from dsspec.base.span import NOWHERE
    from dsspec.compiler.syntax.coverage import Uncovered

    args.paths = args.paths or ["."]  # as `check`
    if "-" in args.paths:
        if len(args.paths) > 1:
            raise UsageError("`-` (standard input) cannot be combined with paths")
        return _stdin(args)
    changed: list[str] = []
    refused = failed = 0
    found = discover(args.paths, tuple(args.exclude))
    files, missing = found.files, found.missing
    if missing:
        raise UsageError("no such file or folder: " + ", ".join(f"`{m}`" for m in missing))
    if not files and not found.unreadable:  # as `check` says it: nothing formatted is not "all formatted"
        raise UsageError("no .dsspec files found in " + ", ".join(f"`{p}`" for p in args.paths))
    broken = unreadable_findings(found)
    if broken:
        _report(broken, {})
    outside = {} if args.check or args.diff else links_outside(args.paths, files)
    for f in files:
        if f in outside:
            refused += 1
            print(f"dsspec: not reformatted `{f}`: it is a link to `{outside[f]}`, outside the folder searched "
                  "(name the file to format it)", file=sys.stderr)
            continue
        _, why = read_source(f)  # refuses folders, devices and pipes without opening them
        try:
            data, snapshot = read_snapshot(f, MAX_FILE_BYTES + 1) if why is None else (None, None)
        except OSError as err:
            why = f"cannot be read: {err.strerror or err}"
        if why is not None:
            diags = [core("read-error", f, NOWHERE, f"`{f}` {why}")]
            old, new = None, None
        else:
            try:
                old, new, diags = formatted(f, data)
            except Uncovered as why:
                print(f"dsspec: not reformatted `{f}`: {why}", file=sys.stderr)
                refused += 1
                continue
        if new is None:
            failed += 1
            broken.extend(diags)
            _report(diags, {f: old} if old is not None else {})
            continue
        if _unchanged(old, new):
            continue
        changed.append(f)
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True), f, f))
        elif args.check:
            print(f"would reformat {f}")
        else:
            try:
                rewrite(f, new, snapshot, MAX_FILE_BYTES + 1)
            except Refused as why:
                changed.pop()
                refused += 1
                print(f"dsspec: not reformatted `{f}`: {why}", file=sys.stderr)
                continue
            except OSError as err:
                raise UsageError(f"cannot write `{f}`: {err.strerror or err}") from None
            print(f"reformatted {f}")
    if _crashed(broken):
        return EXIT_USAGE
    if args.check or args.diff:
        print(_summary(len(files), len(changed), failed, refused), file=sys.stderr)
        return EXIT_FINDINGS if changed or broken or refused else EXIT_OK
    return EXIT_FINDINGS if broken or refused else EXIT_OK
