"""Source positions, defined once.

Convention (the only place it is stated):

* ``line`` and ``column`` are 1-based; ``column`` counts Unicode code points
  from the start of the line, the way most editors and linters show it.
* ``offset`` and ``end_offset`` are 0-based code-point offsets into the
  decoded text (after a UTF-8 BOM is removed). An editor that wants UTF-16
  columns derives them from the text and these offsets.
* Every end (``end_line``/``end_column``/``end_offset``) is exclusive: the
  span of ``abc`` at the start of a file is 1:1 to 1:4, offsets 0 to 3.
"""

from __future__ import annotations

from dsspec.base.record import named


@named
class Span:
    """A half-open region of one source file."""

    line: int
    column: int
    end_line: int
    end_column: int
    offset: int
    end_offset: int

    def to(self, other: Span) -> Span:
        """Return the span from the start of ``self`` to the end of ``other``."""
        return tuple.__new__(Span, (self[0], self[1], other[2], other[3], self[4], other[5]))

    @classmethod
    def point(cls, line: int, column: int, offset: int, width: int = 1) -> Span:
        """Return a one-line span of ``width`` code points."""
        return cls(line, column, line, column + width, offset, offset + width)

    @classmethod
    def of_token(cls, tok) -> Span:
        """Return the span of a token (the tuple is built directly: this runs for every token parsed)."""
        return tuple.__new__(cls, (tok.line, tok.column, tok.end_line, tok.end_column, tok.start_pos, tok.end_pos))


NOWHERE = Span(1, 1, 1, 1, 0, 0)
