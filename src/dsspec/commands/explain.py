"""``dsspec explain RULE``: print a rule's full documentation."""

from __future__ import annotations

from dsspec.commands import EXIT_OK, UsageError, known_rule

HELP = "print a rule's full documentation"


def add_arguments(p) -> None:
    p.add_argument("rule", metavar="RULE", help="a code such as DS401 or a name such as baseline-missing")


def run(args) -> int:
    from dsspec.codes import CORE_CHECKS
    from dsspec.lint.registry import by_key

    key = args.rule
    rule = by_key().get(key) or by_key().get(key.upper())
    if rule is not None:
        print(f"# {rule.code} {rule.name}\n\nSeverity: {rule.severity.value}\n{rule.doc()}")
        return EXIT_OK
    for c in CORE_CHECKS:
        if key in (c.code, c.name) or key.upper() == c.code:
            print(f"# {c.code} {c.name}\n\nSeverity: {c.severity.value} (built-in, cannot be switched off)\n"
                  f"Stage: {c.stage}\n\n{c.summary[0].upper() + c.summary[1:]}.\n\n{c.detail}")
            return EXIT_OK
    known_rule(key)
    raise UsageError(f"`{key}` is a code prefix, not one rule; see `dsspec rules`")
