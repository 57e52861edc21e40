"""Command line: parse arguments, call the pipeline, choose the exit code.

Exit codes: 0 no finding at or above the fail level, 1 findings at or above
it, 2 usage errors (unknown flag, missing file) and internal errors. Heavy
modules are imported inside the commands, so ``dsspec --help`` starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys

from dsspec import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
CHECK_FORMATS = ("text", "json")


class UsageError(Exception):
    """A mistake in how dsspec was called; printed as ``dsspec: error: ...``, exit 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dsspec",
        description="Design-as-code for data-science and ML products: check .dsspec designs against "
                    "senior-DS design rules.",
        epilog="Run `dsspec COMMAND --help` for a command's options. Docs: docs/ in the repository.")
    p.add_argument("--version", action="version", version=f"dsspec {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check specs: syntax, schema, references and design rules",
                           description="Check .dsspec files (folders are searched for *.dsspec; `-` reads "
                                       "standard input).")
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument("--format", choices=CHECK_FORMATS, default="text", help="report format (default: text)")
    check.add_argument("--stdin-filename", metavar="PATH",
                       help="the path to report for `-` (and to find configuration from)")
    check.add_argument("--select", action="append", default=[], metavar="RULE",
                       help="check only these rules (code, code prefix such as DS5, or name); repeatable")
    check.add_argument("--ignore", action="append", default=[], metavar="RULE",
                       help="skip these rules; repeatable")
    check.add_argument("--fail-level", choices=("error", "warning", "info"), default="error",
                       help="lowest severity that makes the exit code 1 (default: error)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                       help="colour the text report (default: auto, off when NO_COLOR is set)")

    rules = sub.add_parser("rules", help="list every rule: code, name, severity, stage")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    explain = sub.add_parser("explain", help="print a rule's full documentation")
    explain.add_argument("rule", metavar="RULE", help="a code such as DS401 or a name such as baseline-missing")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return EXIT_USAGE
    try:
        return {"check": cmd_check, "rules": cmd_rules, "explain": cmd_explain}[args.command](args)
    except UsageError as err:
        print(f"dsspec: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as err:  # a bug in dsspec, not a user's mistake
        import traceback

        print(f"dsspec: internal error: {type(err).__name__}: {err}\n"
              "this is a bug in dsspec; please report it with the input that caused it", file=sys.stderr)
        if os.environ.get("DSSPEC_DEBUG"):
            traceback.print_exc()
        return EXIT_USAGE


def _colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def cmd_check(args) -> int:
    from pathlib import Path

    from dsspec import pipeline
    from dsspec.lint import config as configuration

    for sel in args.select + args.ignore:
        _known_rule(sel)
    session = pipeline.Session()
    results = []
    paths = [p for p in args.paths if p != "-"]
    files, missing = pipeline.discover(paths)
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
    diags = [d for r in results for d in r.diagnostics]
    sources = session.texts(results)
    if args.format == "json":
        from dsspec.report import json as report

        sys.stdout.write(report.render(diags, [r.path for r in results]))
    else:
        from dsspec.report import text as report

        body = report.render(diags, sources, _colour(args.color))
        if body:
            sys.stdout.write(body + "\n")
        print(report.summary(diags, len(results)))
    if args.exit_zero:
        return EXIT_OK
    floor = {"error": 3, "warning": 2, "info": 1}[args.fail_level]
    return EXIT_FINDINGS if any(d.severity.rank >= floor for d in diags) else EXIT_OK


def _overridden(cfg, args):
    """Return ``cfg`` with the command line's --select/--ignore applied on top."""
    if not (args.select or args.ignore):
        return cfg
    import dataclasses

    return dataclasses.replace(cfg, select=tuple(args.select) or cfg.select, ignore=cfg.ignore + tuple(args.ignore))


def _known_rule(selector: str):
    from dsspec.lint.registry import RULES

    if selector == "ALL" or any(selector in (code, name) or code.startswith(selector) and selector.startswith("DS")
                                for code, name, _ in RULES):
        return
    from dsspec.model.build import suggest

    hint = suggest(selector, [n for _, n, _ in RULES])
    raise UsageError(f"unknown rule `{selector}`" + (f"; did you mean `{hint}`?" if hint else "") +
                     " (see `dsspec rules`)")


def _catalogue() -> list[dict]:
    from dsspec.codes import CORE_CHECKS
    from dsspec.lint.registry import all_rules

    rows = [{"code": r.code, "name": r.name, "severity": r.severity.value, "stage": r.stage,
             "summary": r.summary(), "kind": "rule"} for r in all_rules()]
    rows += [{"code": c.code, "name": c.name, "severity": c.severity.value, "stage": c.stage,
              "summary": c.summary, "kind": "built-in"} for c in CORE_CHECKS]
    return sorted(rows, key=lambda r: r["code"])


def cmd_rules(args) -> int:
    rows = _catalogue()
    if args.format == "json":
        import json

        print(json.dumps(rows, indent=2))
        return EXIT_OK
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        print(f"{r['code']}  {r['name']:<{width}}  {r['severity']:<7}  {r['stage']:<13}  {r['summary']}")
    return EXIT_OK


def cmd_explain(args) -> int:
    from dsspec.codes import CORE_CHECKS
    from dsspec.lint.registry import by_key

    rule = by_key().get(args.rule) or by_key().get(args.rule.upper())
    if rule is not None:
        print(f"# {rule.code} {rule.name}\n\nSeverity: {rule.severity.value}\n{rule.doc()}")
        return EXIT_OK
    for c in CORE_CHECKS:
        if args.rule in (c.code, c.name) or args.rule.upper() == c.code:
            print(f"# {c.code} {c.name}\n\nSeverity: {c.severity.value} (built-in, cannot be switched off)\n"
                  f"Stage: {c.stage}\n\n{c.summary[0].upper() + c.summary[1:]}.\n\n{c.detail}")
            return EXIT_OK
    _known_rule(args.rule)
    return EXIT_USAGE
