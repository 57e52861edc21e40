"""``dsspec check``: run every stage on specs and report the findings."""

from __future__ import annotations

import os
import sys

from dsspec.commands import EXIT_FINDINGS, EXIT_OK, UsageError, known_rule

HELP = "check specs: syntax, schema, references and design rules"
DESCRIPTION = "Check .dsspec files (folders are searched for *.dsspec; `-` reads standard input)."
FORMATS = ("text", "json")


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    p.add_argument("--stdin-filename", metavar="PATH",
                   help="the path to report for `-` (and to find configuration from)")
    p.add_argument("--select", action="append", default=[], metavar="RULE",
                   help="check only these rules (code, code prefix such as DS5, or name); repeatable")
    p.add_argument("--ignore", action="append", default=[], metavar="RULE", help="skip these rules; repeatable")
    p.add_argument("--fail-level", choices=("error", "warning", "info"), default="error",
                   help="lowest severity that makes the exit code 1 (default: error)")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text report (default: auto, off when NO_COLOR is set)")


def _colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _overridden(cfg, args):
    """Return ``cfg`` with the command line's --select/--ignore applied on top."""
    if not (args.select or args.ignore):
        return cfg
    import dataclasses

    return dataclasses.replace(cfg, select=tuple(args.select) or cfg.select, ignore=cfg.ignore + tuple(args.ignore))


def compile_all(args):
    """Compile what ``args.paths`` names; return ``(session, results)``. Raises ``UsageError``."""
    from pathlib import Path

    from dsspec import pipeline
    from dsspec.lint import config as configuration

    for sel in args.select + args.ignore:
        known_rule(sel)
    session = pipeline.Session()
    results = []
    paths = [p for p in args.paths if p != "-"]
    files, missing = pipeline.discover(paths, tuple(getattr(args, "exclude", ()) or ()))
    if missing:
        raise UsageError("no such file or folder: " + ", ".join(f"`{m}`" for m in missing))
    if "-" in args.paths:
        shown = args.stdin_filename or "<stdin>"
        data = sys.stdin.buffer.read()
        at = Path(args.stdin_filename) if args.stdin_filename else Path.cwd() / "stdin.dsspec"
        cfg = _overridden(configuration.config_at(configuration.find_config(at)), args)
        results.append(session.compile(shown, data, None, cfg))
    if not files and not results:
        raise UsageError("no .dsspec files found in " + ", ".join(f"`{p}`" for p in paths))
    for f in files:
        cfg = _overridden(configuration.config_at(configuration.find_config(Path(f))), args)
        try:
            data = Path(f).read_bytes()
        except OSError as err:
            raise UsageError(f"cannot read `{f}`: {err.strerror}") from None
        results.append(session.compile(f, data, Path(f), cfg))
    return session, results


def run(args) -> int:
    session, results = compile_all(args)
    diags = [d for r in results for d in r.diagnostics]
    if args.format == "json":
        from dsspec.report import json as report

        sys.stdout.write(report.render(diags, [r.path for r in results]))
    else:
        from dsspec.report import text as report

        body = report.render(diags, session.texts(results), _colour(args.color))
        if body:
            sys.stdout.write(body + "\n")
        print(report.summary(diags, len(results)))
    if args.exit_zero:
        return EXIT_OK
    floor = {"error": 3, "warning": 2, "info": 1}[args.fail_level]
    return EXIT_FINDINGS if any(d.severity.rank >= floor for d in diags) else EXIT_OK
