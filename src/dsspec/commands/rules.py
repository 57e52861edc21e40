"""``dsspec rules``: list every rule and built-in check."""

from __future__ import annotations

import sys

from dsspec.commands import EXIT_OK

HELP = "list every rule: code, name, severity, stage"


def add_arguments(p) -> None:
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                   help="markdown renders docs/rules.md")


def catalogue() -> list[dict]:
    """Return every design rule and built-in check as dicts, sorted by code."""
    from dsspec.codes import CORE_CHECKS
    from dsspec.lint.registry import all_rules

    rows = [{"code": r.code, "name": r.name, "severity": r.severity.value, "stage": r.stage,
             "summary": r.summary(), "kind": "rule"} for r in all_rules()]
    rows += [{"code": c.code, "name": c.name, "severity": c.severity.value, "stage": c.stage,
              "summary": c.summary, "kind": "built-in"} for c in CORE_CHECKS]
    return sorted(rows, key=lambda r: r["code"])


def run(args) -> int:
    if args.format == "markdown":
        from dsspec.lint.docs import markdown

        sys.stdout.write(markdown())
        return EXIT_OK
    rows = catalogue()
    if args.format == "json":
        import json

        print(json.dumps(rows, indent=2))
        return EXIT_OK
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        print(f"{r['code']}  {r['name']:<{width}}  {r['severity']:<7}  {r['stage']:<13}  {r['summary']}")
    return EXIT_OK
