"""The concrete syntax tree: statements and raw values, nothing typed yet.

Everything in a ``.dsspec`` file is a statement (a name, values, an optional
body); values keep their kind and source text. Turning text such as ``40k`` or
``$6k/month`` into quantities is the model stage's job.
"""

from __future__ import annotations

from dsspec.base.record import field, record
from dsspec.base.span import Span

SCALAR_KINDS = ("ident", "string", "number", "percent", "duration", "money", "rate", "date")


@record(slots=True)
class Value:
    """One value as written.

    ``kind`` is a scalar kind (see ``SCALAR_KINDS``) or ``range``, ``comparison``
    or ``list``. ``text`` is the source text for scalars (a string's text is
    already unquoted and unescaped), the operator for a comparison. ``items``
    holds the parts of a range (two), a comparison (one) or a list.
    """

    kind: str
    text: str
    span: Span
    items: list[Value] = field(default_factory=list)


@record(slots=True)
class Statement:
    """``name value* { body }``; ``body`` is ``None`` when there are no braces."""

    name: str
    name_span: Span
    values: list[Value]
    body: list[Statement] | None
    span: Span

    @property
    def header_span(self) -> Span:
        """Return the span of the name and its values (the header line)."""
        return self.name_span.to(self.values[-1].span) if self.values else self.name_span


@record(slots=True)
class Document:
    """A parsed file: its statements, its comments and the text they came from.

    ``comments`` holds every ``#`` comment with its span, in source order, so a
    formatter can put each one back.
    """

    path: str
    text: str
    statements: list[Statement]
    comments: list[tuple[Span, str]] = field(default_factory=list)
