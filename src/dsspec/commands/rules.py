"""``dsspec rules``: list every rule and built-in check."""

from __future__ import annotations

import sys

from dsspec.commands import EXIT_OK

HELP = "list every rule: code, name, severity, stage"


def add_arguments(p) -> None:
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                   help="markdown renders docs/rules.md")


def run(args) -> int:
    if args.format == "markdown":
        from dsspec.compiler.lint.docs import markdown

        sys.stdout.write(markdown())
        return EXIT_OK
    from dsspec.compiler.lint.docs import catalogue

    rows = catalogue()
    if args.format == "json":
        import json

        print(json.dumps(rows, indent=2))
        return EXIT_OK
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        print(f"{r['code']}  {r['name']:<{width}}  {r['severity']:<7}  {r['stage']:<13}  {r['summary']}")
    return EXIT_OK
