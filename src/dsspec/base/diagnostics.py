"""The one diagnostic type every stage returns.

Stages never raise for a user's mistake: each returns ``(result, diagnostics)``
and carries on, so a partial model still reaches the later stages and an
editor. Exceptions are reserved for bugs in dsspec itself.
"""

from __future__ import annotations

import enum
from dsspec.base.record import field, record
from dsspec.base.span import Span


class Severity(str, enum.Enum):
    """How bad a finding is; ordered error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Return 3 for error, 2 for warning, 1 for info."""
        return _RANK[self]


_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}


@record(frozen=True, slots=True)
class Related:
    """Another place a finding concerns, with a short label."""

    path: str
    span: Span
    message: str


@record(frozen=True, slots=True)
class Edit:
    """Replace the text of ``span`` (in the finding's file) with ``text``."""

    span: Span
    text: str


@record(frozen=True, slots=True)
class Fix:
    """A certain, mechanical fix of a finding: what it does, and the edits that do it.

    ``dsspec check --fix`` applies it and a language server offers it as a
    quick fix; ``dsspec.compiler.fixes`` derives it (see there for which findings get one).
    """

    title: str
    edits: tuple[Edit, ...]


@record(frozen=True, slots=True)
class Diagnostic:
    """One finding.

    ``message`` is the terse summary (lowercase, names in backticks);
    ``help`` says how to fix it, when there is a fix to suggest; ``related``
    points at the other statements a conflict involves; ``fix``, when set,
    repairs it for certain.
    """

    code: str
    rule: str
    severity: Severity
    message: str
    path: str
    span: Span
    help: str | None = None
    related: tuple[Related, ...] = field(default=())
    fix: Fix | None = None

    def sort_key(self) -> tuple:
        """Return the key that orders findings by file, position, then code."""
        return (self.path, self.span.offset, self.span.end_offset, self.code, self.message)
