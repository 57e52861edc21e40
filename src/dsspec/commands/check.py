"""``dsspec check``: run every stage on specs and report the findings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dsspec.commands import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, known_rule, read_stdin

HELP = "check specs: syntax, schema, references and design rules"
DESCRIPTION = ("Check .dsspec files (folders are searched for *.dsspec; `-` reads standard input). Exit 0 when "
               "no finding reaches the fail level, 1 when one does, 2 on usage errors.")
FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the current folder)")
    p.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    p.add_argument("--output-file", "-o", metavar="FILE", help="write the report to FILE (atomically, creating missing folders; never over an input)")
    p.add_argument("--stdin-filename", metavar="PATH",
                   help="the path to report for `-` (and to find configuration from)")
    p.add_argument("--config", metavar="FILE",
                   help="use this dsspec.toml or pyproject.toml for every spec instead of the nearest one")
    p.add_argument("--select", action="append", default=[], metavar="RULE",
                   help="check only these rules (code, code prefix such as DS5, or name); repeatable")
    p.add_argument("--extend-select", action="append", default=[], metavar="RULE",
                   help="check these rules as well as the configured selection; repeatable")
    p.add_argument("--ignore", action="append", default=[], metavar="RULE", help="skip these rules; repeatable")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="skip files matching GLOB (gitignore syntax: `drafts/`, `*.old.dsspec`); repeatable")
    p.add_argument("--no-respect-gitignore", dest="respect_gitignore", action="store_false",
                   help="also check files that .gitignore excludes")
    p.add_argument("--fail-level", choices=("error", "warning", "info"), default="error",
                   help="lowest severity that makes the exit code 1 (default: error)")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N",
                   help="processes for checking many files (default and most: one per core)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text report (default: auto; on with FORCE_COLOR, off with NO_COLOR or a file)")
    p.add_argument("--quiet", "-q", action="store_true", help="print the findings only, without the summary line")
    p.add_argument("--statistics", action="store_true", help="print the number of findings per rule instead")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="settings",
                   help='what-if: check as if a statement read VALUE, e.g. `operator.latency="p95 <= 50ms"`')
    p.add_argument("--fix", action="store_true", help="apply the certain fixes (single-candidate suggestions)")
    p.add_argument("--diff", action="store_true", help="print the certain fixes as a unified diff; write nothing")
    p.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    p.add_argument("--write-baseline", metavar="FILE", help="record every current finding in FILE and exit 0")
    p.add_argument("--preview", action="store_true",
                   help="also run preview rules (new rules being tried; `preview = true` in the configuration)")
    p.add_argument("--show-settings", action="store_true",
                   help="print the configuration that applies to the first PATH, each setting with the file it "
                        "came from (packs it extends included), and exit")
    p.add_argument("--no-cache", dest="cache", action="store_false",
                   help="do not read or write the result cache (.dsspec_cache)")


def _colour(args) -> bool:
    if args.color != "auto":
        return args.color == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return not args.output_file and sys.stdout.isatty()


def options(args):
    """Return the pipeline options ``args`` give; raise ``UsageError`` for an unknown rule or a bad ``--set``."""
    from dsspec.compiler.result import Options

    for sel in args.select + args.ignore + args.extend_select:
        known_rule(sel)
    config = None
    if args.config:
        from dsspec.base.paths import real

        config = real(args.config)
        if not config.is_file():
            raise UsageError(f"no such configuration file: `{args.config}`")
    settings = ()
    if args.settings:
        from dsspec.compiler.whatif import parse_setting

        settings = tuple(parse_setting(s) for s in args.settings)
    return Options(tuple(args.select), tuple(args.ignore), tuple(args.extend_select), config, settings,
                   args.preview)


def compile_all(args):
    """Compile what ``args.paths`` names (default: the current folder); return ``(results, texts)``.

    Raises ``UsageError``."""
    from pathlib import Path

    from dsspec.compiler.discovery import discover, unreadable_findings
    from dsspec.compiler.result import FileResult, spare_included_libraries
    from dsspec.review.cache import Cache, check_cached

    opts = options(args)
    args.paths = args.paths or ["."]
    paths = [p for p in args.paths if p != "-"]
    found = discover(paths, tuple(args.exclude), args.respect_gitignore, opts.config_file)
    files, missing = found.files, found.missing
    if missing:
        raise UsageError("no such file or folder: " + ", ".join(f"`{m}`" for m in missing))
    results, texts = [], {}
    for problem in unreadable_findings(found):
        results.append(FileResult(problem.path, diagnostics=[problem]))
    if "-" in args.paths:
        from dsspec.compiler import pipeline

        if args.fix:
            raise UsageError("`--fix` cannot rewrite standard input; use `--diff` to see the fixes")
        shown = args.stdin_filename or "<stdin>"
        at = Path(args.stdin_filename) if args.stdin_filename else Path.cwd() / "stdin.dsspec"
        session = pipeline.Session()
        data = read_stdin(pipeline.MAX_FILE_BYTES + 1)
        if opts.settings:
            from dsspec.compiler.whatif import apply_settings

            data = apply_settings(shown, data, opts.settings)
        result = session.compile(shown, data, None, pipeline.configured(at, opts))
        results.append(result)
        texts.update(session.texts([result]))
    if not files and not results:
        raise UsageError("no .dsspec files found in " + ", ".join(f"`{p}`" for p in paths))
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    cache = Cache.for_run(opts) if args.cache and not opts.settings else None
    many, many_texts = check_cached(files, opts, jobs, cache, found)
    results += many
    texts.update(many_texts)
    spare_included_libraries(results)
    return results, texts


def _findings(results) -> list:
    """Return every finding once: an included file or a configuration file shared by several specs
    reports its problems once, not once per spec."""
    from itertools import chain

    from dsspec.compiler.result import unique

    return unique(chain.from_iterable(r.diagnostics for r in results))


def report(args, results, texts, diags=None) -> str:
    """Return the report of ``diags`` (default: every finding of ``results``) in ``args.format``."""
    diags = _findings(results) if diags is None else diags
    files = [r.path for r in results]
    fmt = args.format
    root = None
    if fmt not in ("text", "concise"):  # machine formats: paths relative to the repository, not the folder
        from dsspec.base.paths import repo_relative, repo_root
        from dsspec.compiler.report.common import repo_relative_findings

        root = repo_root(files[0]) if files and not files[0].startswith("<") else None
        diags, texts = repo_relative_findings(diags, texts)
        files = [repo_relative(f) for f in files]
    if fmt == "json":
        from dsspec.compiler.report import json as out

        return out.render(diags, files)
    if fmt == "sarif":
        from dsspec.compiler.report import sarif

        return sarif.render(diags, texts, root)
    if fmt == "github":
        from dsspec.compiler.report import github

        github.write_step_summary(diags, len(files))
        return github.render(diags)
    if fmt == "gitlab":
        from dsspec.compiler.report import gitlab

        return gitlab.render(diags, texts)
    if fmt == "junit":
        from dsspec.compiler.report import junit

        return junit.render(diags, files)
    from dsspec.compiler.report import text

    closing = "" if args.quiet else text.summary(diags, len(files)) + "\n"
    if args.statistics:
        from dsspec.compiler.report.statistics import render as statistics

        return statistics(diags) + closing
    if fmt == "concise":
        from dsspec.compiler.report import concise

        return concise.render(diags) + closing
    body = text.render(diags, texts, _colour(args))
    return (body + "\n" if body and closing else body) + closing


FIX_PASSES = 10
"""``--fix`` reruns until nothing changes (a fix that overlapped another waits for the next pass)."""


def _jobs(text: str) -> int:
    """``--jobs``: a whole number, 0 or more (0: one per core)."""
    import argparse

    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text[:40]}` is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"`{n}` is negative; give 1 or more processes, or 0 for one per core")
    return n


def _show_settings(args) -> int:
    from pathlib import Path

    from dsspec.compiler import pipeline
    from dsspec.compiler.lint.config_extend import show

    cfg = pipeline.configured(Path(args.paths[0] if args.paths else "-").resolve(), options(args))
    sys.stdout.write(show(cfg))
    for d in cfg.diagnostics:
        print(f"{d.path}:{d.span.line}:{d.span.column}: {d.severity.value}[{d.code}] {d.message}", file=sys.stderr)
    return EXIT_FINDINGS if cfg.diagnostics else EXIT_OK


def run(args) -> int:
    if args.show_settings:
        return _show_settings(args)
    if args.statistics and args.format not in ("text", "concise"):
        raise UsageError(f"`--statistics` prints a table of counts; it cannot be combined with `--format {args.format}`")
    if (args.fix or args.diff) and args.settings:
        raise UsageError("`--fix` and `--diff` edit the spec as written; they cannot be combined with `--set`")
    if args.fix or args.diff:
        args.cache = False  # fixes rewrite files: they come from this compile, never from a cache entry on disk
    results, texts = compile_all(args)
    if args.settings and not args.quiet:
        from dsspec.base.streams import clip

        print("dsspec: what-if, the files are unchanged: " + "; ".join(clip(s, 120) for s in args.settings),
              file=sys.stderr)
    if args.diff or args.fix:
        from dsspec.commands.fixing import fix_files
    if args.diff:
        return EXIT_FINDINGS if fix_files(results, texts, write=False) else EXIT_OK
    refused: set[str] = set()
    if args.fix:
        from dsspec.compiler.discovery import links_outside

        for f, target in sorted(links_outside(args.paths or ["."], [r.path for r in results]).items()):
            refused.add(f)
            print(f"dsspec: not fixed `{f}`: it is a link to `{target}`, outside the folder searched "
                  "(name the file to fix it)", file=sys.stderr)
    for _ in range(FIX_PASSES if args.fix else 0):
        if not fix_files(results, texts, write=True, refused=refused):
            break
        results, texts = compile_all(args)  # report what is left
    diags = everything = _findings(results)
    if args.write_baseline or args.baseline:
        from dsspec.review import baseline

        if args.write_baseline:
            count = baseline.write(args.write_baseline, diags, texts, _inputs(args, results, texts, False))
            print(f"dsspec: recorded {count} findings in `{args.write_baseline}`", file=sys.stderr)
            return EXIT_OK
        diags = baseline.filter_known(args.baseline, diags, texts, [r.path for r in results])
    output = report(args, results, texts, diags)
    if args.output_file:
        from dsspec.base.fsutil import write_output

        write_output(args.output_file, output, _inputs(args, results, texts), "--output-file")
    else:
        sys.stdout.write(output)
    if any(d.rule == "internal-error" for d in everything):  # a bug in dsspec, baseline or not
        return EXIT_USAGE
    if args.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if at_fail_level(diags, args.fail_level) else EXIT_OK


def _inputs(args, results, texts, baseline: bool = True) -> list[str]:
    """Return every file this run read: specs, included files, the configuration and (``baseline``) the
    baseline (``--write-baseline`` may refresh the file ``--baseline`` names: it does not read it)."""
    from dsspec.compiler.lint.config import find_config

    files = [r.path for r in results] + list(texts) + [p for r in results for p in r.includes]
    configs = {args.config} if args.config else {find_config(Path(f)) for f in files if not f.startswith("<")}
    return files + [str(c) for c in configs if c] + ([args.baseline] if args.baseline and baseline else [])


def at_fail_level(diags, fail_level: str) -> bool:
    """Return whether any finding is at or above ``fail_level`` (``error``, ``warning`` or ``info``)."""
    floor = {"error": 3, "warning": 2, "info": 1}[fail_level]
    return any(severity.rank >= floor for severity in {d.severity for d in diags})
