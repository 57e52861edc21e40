"""One module per CLI command: ``HELP``, ``add_arguments(parser)`` and ``run(args) -> exit code``."""

from __future__ import annotations

from dsspec.base.usage import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "UsageError", "from_extra", "known_rule", "read_stdin"]


def from_extra(module: str, name: str, what: str, extra: str):
    """Return ``name`` from ``module``, which needs the ``extra`` install; a missing package is a usage error
    that says how to install it (``what`` names the feature: "the language server")."""
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except ImportError as err:
        package = (err.name or "a package").split(".")[0]
        raise UsageError(f"{what} needs {package}: pip install 'dsspec[{extra}]'") from None


def read_stdin(limit: int) -> bytes:
    """Return up to ``limit`` bytes of standard input; ``UsageError`` when it is closed or unreadable."""
    import sys

    if sys.stdin is None:
        raise UsageError("`-` reads standard input, but standard input is closed")
    try:
        return sys.stdin.buffer.read(limit)
    except (OSError, ValueError) as err:  # ValueError: read from a closed file
        raise UsageError(f"cannot read standard input: {getattr(err, 'strerror', None) or err}") from None


def known_rule(selector: str) -> None:
    """Raise ``UsageError`` unless ``selector`` names a rule or built-in check, a code prefix or ``ALL``."""
    from dsspec.base.codes import CORE_CHECKS
    from dsspec.compiler.lint.registry import known_selector, selector_names

    builtins = [(c.code, c.name) for c in CORE_CHECKS]
    if known_selector(selector, builtins):
        return
    from pathlib import Path

    from dsspec.compiler.lint import config as configuration

    configuration.config_at(configuration.find_config(Path.cwd() / "-"))  # its custom rules, registered
    if known_selector(selector, builtins):
        return
    from dsspec.base.streams import clip
    from dsspec.base.suggestions import did_you_mean

    raise UsageError(f"unknown rule `{clip(selector, 80)}`{did_you_mean(selector, selector_names(builtins))}"
                     " (see `dsspec rules`)")
