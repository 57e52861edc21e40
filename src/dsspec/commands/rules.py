"""``dsspec rules``: list every rule and built-in check."""

from __future__ import annotations

import sys

from dsspec.commands import EXIT_OK

HELP = "list every rule: code, name, severity, stage; or grouped by a reference (--by owasp-llm)"


def add_arguments(p) -> None:
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                   help="markdown renders docs/rules.md")
    p.add_argument("--by", metavar="PREFIX",
                   help="list the rules by the outside reference they name, e.g. `owasp-llm`, `owasp-llm:LLM01`, `mast`")


def run(args) -> int:
    if args.by:
        return _by_reference(args)
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


def _by_reference(args) -> int:
    """List the rules under each reference that starts with ``args.by``; a prefix no rule names is a usage error."""
    from dsspec.commands import UsageError
    from dsspec.compiler.lint.docs import by_reference, catalogue

    pairs = by_reference(args.by)
    if not pairs:
        known = sorted({ref.split(":")[0] for row in catalogue() for ref in row["references"]})
        raise UsageError(f"no rule names a reference under `{args.by}`; schemes: "
                         + ", ".join(f"`{k}`" for k in known))
    if args.format == "json":
        import json

        print(json.dumps([{"reference": ref, **row} for ref, row in pairs], indent=2))
        return EXIT_OK
    if args.format == "markdown":
        sys.stdout.write("| reference | code | name | what it flags |\n| --- | --- | --- | --- |\n")
        for ref, row in pairs:
            sys.stdout.write(f"| {ref} | {row['code']} | `{row['name']}` | {row['summary']} |\n")
        return EXIT_OK
    last = None
    for ref, row in pairs:
        if ref != last:
            print(ref)
            last = ref
        print(f"  {row['code']}  {row['name']}  {row['summary']}")
    return EXIT_OK
