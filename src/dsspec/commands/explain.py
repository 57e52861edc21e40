"""``dsspec explain RULE``: print a rule's full documentation."""

from __future__ import annotations

from dsspec.commands import EXIT_OK, UsageError, known_rule

HELP = "print a rule's full documentation"


def add_arguments(p) -> None:
    p.add_argument("rule", metavar="RULE", help="a code such as DS401 or a name such as baseline-missing")
    p.add_argument("--config", metavar="FILE",
                   help="explain the custom rules of this configuration too (default: the one found from here)")


def run(args) -> int:
    from pathlib import Path

    from dsspec.compiler.lint import config as configuration
    from dsspec.compiler.lint.docs import explain

    if args.config and not Path(args.config).is_file():
        raise UsageError(f"no such configuration file: `{args.config}`")
    configuration.config_at(Path(args.config).resolve() if args.config
                            else configuration.find_config(Path.cwd() / "-"))  # registers its custom rules
    found = Path(args.config).resolve() if args.config else configuration.find_config(Path.cwd() / "x.dsspec")
    settings = configuration.config_at(found).questions
    text = explain(args.rule, settings, str(found) if found and settings else None)
    if text is not None:
        print(text)
        return EXIT_OK
    known_rule(args.rule)
    raise UsageError(f"`{args.rule}` is a code prefix, not one rule; see `dsspec rules`")
