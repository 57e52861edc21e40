"""``dsspec check``: run every stage on specs and report the findings."""

from __future__ import annotations

import os
import sys

from dsspec.commands import EXIT_FINDINGS, EXIT_OK, UsageError, known_rule

HELP = "check specs: syntax, schema, references and design rules"
DESCRIPTION = ("Check .dsspec files (folders are searched for *.dsspec; `-` reads standard input). Exit 0 when "
               "no finding reaches the fail level, 1 when one does, 2 on usage errors.")
FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    p.add_argument("--output-file", "-o", metavar="FILE", help="write the report to FILE (atomically)")
    p.add_argument("--stdin-filename", metavar="PATH",
                   help="the path to report for `-` (and to find configuration from)")
    p.add_argument("--select", action="append", default=[], metavar="RULE",
                   help="check only these rules (code, code prefix such as DS5, or name); repeatable")
    p.add_argument("--ignore", action="append", default=[], metavar="RULE", help="skip these rules; repeatable")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="skip files whose path or name matches GLOB; repeatable")
    p.add_argument("--fail-level", choices=("error", "warning", "info"), default="error",
                   help="lowest severity that makes the exit code 1 (default: error)")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                   help="processes for checking many files (default: one per core)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text report (default: auto; off when NO_COLOR is set or writing a file)")


def _colour(args) -> bool:
    if args.color != "auto":
        return args.color == "always"
    return not args.output_file and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def compile_all(args):
    """Compile what ``args.paths`` names; return ``(results, texts)``. Raises ``UsageError``."""
    from pathlib import Path

    from dsspec import pipeline
    from dsspec.discovery import discover

    for sel in args.select + args.ignore:
        known_rule(sel)
    select, ignore = tuple(args.select), tuple(args.ignore)
    paths = [p for p in args.paths if p != "-"]
    files, missing = discover(paths, tuple(args.exclude))
    if missing:
        raise UsageError("no such file or folder: " + ", ".join(f"`{m}`" for m in missing))
    results, texts = [], {}
    if "-" in args.paths:
        shown = args.stdin_filename or "<stdin>"
        at = Path(args.stdin_filename) if args.stdin_filename else Path.cwd() / "stdin.dsspec"
        session = pipeline.Session()
        data = sys.stdin.buffer.read(pipeline.MAX_FILE_BYTES + 1)
        result = session.compile(shown, data, None, pipeline.configured(at, select, ignore))
        results.append(result)
        texts.update(session.texts([result]))
    if not files and not results:
        raise UsageError("no .dsspec files found in " + ", ".join(f"`{p}`" for p in paths))
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    many, many_texts = pipeline.check_many(files, select, ignore, jobs)
    results += many
    texts.update(many_texts)
    return results, texts


def _findings(results) -> list:
    """Return every finding once: an included file or a configuration file shared by several specs
    reports its problems once, not once per spec."""
    from dsspec.pipeline import unique

    return unique(d for r in results for d in r.diagnostics)


def report(args, results, texts) -> str:
    """Return the report of ``results`` in ``args.format``."""
    diags = _findings(results)
    files = [r.path for r in results]
    fmt = args.format
    if fmt not in ("text", "concise"):  # machine formats: paths relative to the repository, not the folder
        from dsspec.paths import repo_relative
        from dsspec.report.common import repo_relative_findings

        diags, texts = repo_relative_findings(diags, texts)
        files = [repo_relative(f) for f in files]
    if fmt == "json":
        from dsspec.report import json as out

        return out.render(diags, files)
    if fmt == "sarif":
        from dsspec.report import sarif

        return sarif.render(diags, texts)
    if fmt == "github":
        from dsspec.report import github

        github.write_step_summary(diags, len(files))
        return github.render(diags)
    if fmt == "gitlab":
        from dsspec.report import gitlab

        return gitlab.render(diags, texts)
    if fmt == "junit":
        from dsspec.report import junit

        return junit.render(diags, files)
    if fmt == "concise":
        from dsspec.report import concise, text

        return concise.render(diags) + text.summary(diags, len(files)) + "\n"
    from dsspec.report import text

    body = text.render(diags, texts, _colour(args))
    return (body + "\n" if body else "") + text.summary(diags, len(files)) + "\n"


def run(args) -> int:
    results, texts = compile_all(args)
    output = report(args, results, texts)
    if args.output_file:
        from dsspec.fsutil import write_atomic

        try:
            write_atomic(args.output_file, output)
        except OSError as err:
            raise UsageError(f"cannot write `{args.output_file}`: {err.strerror}") from None
    else:
        sys.stdout.write(output)
    if args.exit_zero:
        return EXIT_OK
    floor = {"error": 3, "warning": 2, "info": 1}[args.fail_level]
    diags = _findings(results)
    return EXIT_FINDINGS if any(d.severity.rank >= floor for d in diags) else EXIT_OK
