"""``dsspec rules``: list every rule and built-in check; test a rule pack; coverage by reference."""

from __future__ import annotations

import sys
from pathlib import Path

from dsspec.commands import EXIT_FINDINGS, EXIT_OK, UsageError

HELP = "list every rule: code, name, severity, stage; --test a rule pack; --by a reference source"


def add_arguments(p) -> None:
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                   help="markdown renders docs/rules.md (or the --by table in Markdown)")
    p.add_argument("--config", metavar="FILE",
                   help="list the custom rules of this configuration too (default: the one found from here)")
    p.add_argument("--test", metavar="PACK",
                   help="run each custom rule of PACK (a dsspec.toml, pyproject.toml or rule-pack file) on its "
                        "own example (it must fire) and use-instead (it must not)")
    p.add_argument("--by", metavar="SOURCE",
                   help="coverage table of a reference source: rules-of-ml, ml-test-score, leakage, seed, owasp-llm")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="with --by: specs to count findings in (folders recursively)")


def _config(args):
    from dsspec.compiler.lint import config as configuration

    if args.config:
        path = Path(args.config)
        if not path.is_file():
            raise UsageError(f"no such configuration file: `{args.config}`")
        return configuration.config_at(path.resolve())
    return configuration.config_at(configuration.find_config(Path.cwd() / "-"))


def run(args) -> int:
    if args.test:
        return _test(args)
    if args.by:
        return _by(args)
    if args.paths:
        raise UsageError("PATH arguments go with `--by SOURCE`")
    if args.format == "markdown":
        from dsspec.compiler.lint.docs import markdown

        sys.stdout.write(markdown())
        return EXIT_OK
    _config(args)  # registers the custom rules it declares
    from dsspec.compiler.lint import docs

    rows = docs.catalogue()
    if args.format == "json":
        import json

        print(json.dumps(rows, indent=2))
        return EXIT_OK
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        flag = " (preview)" if r["preview"] else ""
        print(f"{r['code']:<7} {r['name']:<{width}}  {r['severity']:<7}  {r['stage']:<13}  {r['summary']}{flag}")
    return EXIT_OK


def _test(args) -> int:
    from dsspec.compiler.lint import config as configuration
    from dsspec.review.packs import test

    path = Path(args.test)
    if not path.is_file():
        raise UsageError(f"no such rule pack: `{args.test}`")
    cfg = configuration.load(path.resolve())
    failed = 0
    for d in cfg.diagnostics:
        print(f"{d.path}:{d.span.line}:{d.span.column}: {d.severity.value}[{d.code}] {d.message}")
        failed += d.severity.value == "error"
    outcomes = test(cfg)
    for o in outcomes:
        print(f"{'ok  ' if o.passed else 'FAIL'} {o.code} {o.name}")
        for p in o.problems:
            print(f"     {p}")
        failed += not o.passed
    print(f"{len(outcomes)} rule{'s' if len(outcomes) != 1 else ''} tested, {failed} problem"
          f"{'s' if failed != 1 else ''}")
    return EXIT_FINDINGS if failed else EXIT_OK


def _by(args) -> int:
    from dsspec.compiler.lint import references
    from dsspec.compiler.lint.registry import all_rules, declared
    from dsspec.review.packs import coverage

    if args.by not in references.sources():
        from dsspec.base.suggestions import suggest

        hint = suggest(args.by, references.sources())
        raise UsageError(f"unknown reference source `{args.by}`" + (f"; did you mean `{hint}`?" if hint else "")
                         + "; known: " + ", ".join(references.sources()))
    _config(args)
    results = None
    if args.paths:
        from dsspec.compiler import pipeline
        from dsspec.compiler.discovery import discover

        found = discover(args.paths, (), True, None)
        if found.missing:
            raise UsageError(f"no such file or folder: `{found.missing[0]}`")
        results, _ = pipeline.check_many(found.files)
    rows = coverage(args.by, (*all_rules(), *declared()), results)
    source = references.sources()[args.by]
    covered = sum(bool(r["rules"]) for r in rows)
    if args.format == "json":
        import json

        print(json.dumps({"source": args.by, "title": source["title"], "rows": rows}, indent=2))
        return EXIT_OK
    head = ["reference", "title", "rules"] + (["findings", "specs with findings"] if results is not None else [])
    if args.format == "markdown":
        print(f"# {source['title']}\n\n{source['cite']}. {covered} of {len(rows)} items checked by a rule.\n")
        print("| " + " | ".join(head) + " |")
        print("|" + " --- |" * len(head))
        for r in rows:
            cells = [f"`{r['reference']}`", r["title"], ", ".join(f"`{n}`" for n in r["rules"]) or "—"]
            if results is not None:
                cells += [str(r["findings"]), f"{r['specs_with_findings']} of {len(results)}"]
            print("| " + " | ".join(cells) + " |")
        return EXIT_OK
    print(f"{source['title']} — {covered} of {len(rows)} items checked by a rule")
    width = max(len(r["reference"]) for r in rows)
    for r in rows:
        extra = f"  findings {r['findings']} in {r['specs_with_findings']} of {len(results)} specs" \
            if results is not None and r["rules"] else ""
        print(f"{r['reference']:<{width}}  {'x' if r['rules'] else ' '}  {r['title'][:60]:<60}  "
              f"{', '.join(r['rules']) or '-'}{extra}")
    return EXIT_OK
