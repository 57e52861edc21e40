"""``dsspec schema``: the JSON Schema of what ``dsspec build`` writes to ``<stem>.json``."""

from __future__ import annotations

import sys

from dsspec.commands import EXIT_OK

HELP = "print the JSON Schema of the build's <stem>.json"


def add_arguments(p) -> None:
    pass


def run(args) -> int:
    from dsspec.emit.json_out import schema

    sys.stdout.write(schema())
    return EXIT_OK
