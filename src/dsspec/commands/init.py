"""``dsspec init NAME``: start a design from a template of questions."""

from __future__ import annotations

import os
import re
from pathlib import Path

from dsspec.commands import EXIT_OK, UsageError

HELP = "write NAME.dsspec: every section, each with the question it answers"
DESCRIPTION = ("Write NAME.dsspec, a design to fill in: every section of the language, each introduced by the "
               "question a senior data scientist asks there. `dsspec check` on it lists what is left to "
               "decide. An existing file is never overwritten.")

MAX_NAME = 100
"""Longest product name: it names the file too, and file names end at 255 bytes."""


def add_arguments(p) -> None:
    p.add_argument("name", metavar="NAME", help="the product's name; writes NAME.dsspec (a path may lead to it)")
    p.add_argument("--llm", action="store_true",
                   help="a hosted LLM or an agent: also ask about tools, trust, calls and tokens, vendor terms")


def run(args) -> int:
    from dsspec.base.fsutil import write_atomic
    from dsspec.review.scaffold import render

    target = Path(args.name if args.name.endswith(".dsspec") else f"{args.name}.dsspec")
    ident = target.stem
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", ident):
        raise UsageError(f"`{ident}` is not a valid name: use letters, digits and `_`, starting with a letter")
    if len(ident) > MAX_NAME:
        raise UsageError(f"the name is {len(ident)} characters long; keep it to {MAX_NAME} or fewer")
    try:
        if os.path.lexists(target):
            raise UsageError(f"`{target}` already exists; dsspec init never overwrites a file")
        if not target.parent.is_dir():
            raise UsageError(f"folder `{target.parent}` does not exist")
        write_atomic(target, render(ident, llm=getattr(args, "llm", False)))
    except OSError as err:
        raise UsageError(f"cannot write `{target}`: {err.strerror or err}") from None
    print(f"wrote {target}: fill it in, then run `dsspec check {target}`")
    return EXIT_OK
