"""One module per CLI command: ``HELP``, ``add_arguments(parser)`` and ``run(args) -> exit code``."""

from __future__ import annotations

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how dsspec was called; printed as ``dsspec: error: ...``, exit 2."""


def known_rule(selector: str) -> None:
    """Raise ``UsageError`` unless ``selector`` names a rule, a code prefix or ``ALL``."""
    from dsspec.codes import CORE_CHECKS
    from dsspec.lint.registry import RULES

    names = [n for _, n, _ in RULES] + [c.name for c in CORE_CHECKS]
    codes = [c for c, _, _ in RULES] + [c.code for c in CORE_CHECKS]
    if selector == "ALL" or selector in names or (selector.startswith("DS") and any(c.startswith(selector) for c in codes)):
        return
    from dsspec.model.build import suggest

    hint = suggest(selector, names)
    raise UsageError(f"unknown rule `{selector}`" + (f"; did you mean `{hint}`?" if hint else "") +
                     " (see `dsspec rules`)")
