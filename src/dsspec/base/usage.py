"""Exit codes and the usage error: how a mistake in calling dsspec ends, for every layer that can see one."""

from __future__ import annotations

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how dsspec was called; printed as ``dsspec: error: ...``, exit 2."""
