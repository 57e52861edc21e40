"""``dsspec explain RULE``: print a rule's full documentation."""

from __future__ import annotations

from dsspec.commands import EXIT_OK, UsageError, known_rule

HELP = "print a rule's full documentation"


def add_arguments(p) -> None:
    p.add_argument("rule", metavar="RULE", help="a code such as DS401 or a name such as baseline-missing")


def run(args) -> int:
    from dsspec.compiler.lint.docs import explain

    from pathlib import Path

    from dsspec.compiler.lint import config as configuration

    found = configuration.find_config(Path.cwd() / "x.dsspec")
    settings = configuration.config_at(found).questions
    text = explain(args.rule, settings, str(found) if found and settings else None)
    if text is not None:
        print(text)
        return EXIT_OK
    known_rule(args.rule)
    raise UsageError(f"`{args.rule}` is a code prefix, not one rule; see `dsspec rules`")
