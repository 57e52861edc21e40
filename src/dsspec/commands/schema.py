"""``dsspec schema``: the JSON Schema of what ``dsspec build`` writes to ``<stem>.json``."""

from __future__ import annotations

import sys

from dsspec.commands import EXIT_OK

HELP = "print the JSON Schema of the build's <stem>.json (or, with --config, of the configuration)"


def add_arguments(p) -> None:
    p.add_argument("--config", action="store_true",
                   help="print the schema of [tool.dsspec] / dsspec.toml instead (for editors' TOML support)")


def run(args) -> int:
    if args.config:
        from dsspec.compiler.lint.config_schema import render

        sys.stdout.write(render())
        return EXIT_OK
    from dsspec.compiler.emit.json_out import schema

    sys.stdout.write(schema())
    return EXIT_OK
