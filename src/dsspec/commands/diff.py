"""``dsspec diff``: what a change does to a design, and which findings it introduces and fixes."""

from __future__ import annotations

import sys

from dsspec.commands import EXIT_FINDINGS, EXIT_OK, UsageError, known_rule

HELP = "semantic diff of two versions of a design (two files, or git REF against the working tree)"
DESCRIPTION = ("Compare two versions of a design by meaning: constraints tightened or relaxed, the ladder and the "
               "chosen step, metrics and levels, sources and PII fields, guardrails, fallback; and the findings "
               "introduced and fixed. `dsspec diff OLD NEW` compares two files; `dsspec diff --git REF [PATH...]` "
               "every changed .dsspec file between REF and the working tree. Exit 1 with --fail-on-new when a "
               "new finding reaches the fail level.")
FORMATS = ("text", "json", "markdown")


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="OLD NEW, or with --git the paths to compare")
    p.add_argument("--git", metavar="REF", help="compare the specs at git revision REF with the working tree")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text, json, or markdown for a pull-request comment (default: text)")
    p.add_argument("--output-file", "-o", metavar="FILE", help="write the diff to FILE (atomically, creating missing folders; never over an input)")
    p.add_argument("--fail-on-new", action="store_true",
                   help="exit 1 when the change introduces a finding at or above --fail-level")
    p.add_argument("--fail-level", choices=("error", "warning", "info"), default="error",
                   help="lowest severity --fail-on-new counts (default: error)")
    p.add_argument("--config", metavar="FILE", help="use this configuration for both versions")
    p.add_argument("--select", action="append", default=[], metavar="RULE", help="compare only these rules' findings")
    p.add_argument("--ignore", action="append", default=[], metavar="RULE", help="leave these rules out")


def run(args) -> int:
    from dsspec.commands.check import at_fail_level
    from dsspec.compiler.pipeline import Options
    from dsspec.review.semdiff import report as out
    from dsspec.review.semdiff.versions import diff_files, diff_git

    for sel in args.select + args.ignore:
        known_rule(sel)
    from dsspec.base.paths import real

    config = real(args.config) if args.config else None
    if config is not None and not config.is_file():
        raise UsageError(f"no such configuration file: `{args.config}`")
    options = Options(tuple(args.select), tuple(args.ignore), (), config)
    if args.git:
        diffs = diff_git(args.git, args.paths, options)
    elif len(args.paths) == 2:
        diffs = diff_files(args.paths[0], args.paths[1], options)
    else:
        raise UsageError("give two files (`dsspec diff OLD NEW`) or a revision (`dsspec diff --git REF [PATH...]`)")
    render = {"text": out.text, "json": out.to_json, "markdown": out.markdown}[args.format]
    report = render(diffs)
    if args.output_file:
        from dsspec.base.fsutil import write_output

        inputs = [*args.paths, *(d.path for d in diffs), *([args.config] if args.config else [])]
        write_output(args.output_file, report, inputs, "--output-file")
    else:
        sys.stdout.write(report)
    introduced = [f for d in diffs for f in d.introduced]
    return EXIT_FINDINGS if args.fail_on_new and at_fail_level(introduced, args.fail_level) else EXIT_OK
