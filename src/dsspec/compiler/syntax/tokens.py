"""The lexer's token: a terminal of the grammar with its place in the text."""

from __future__ import annotations


class Token:
    """A lexed token; positions follow ``dsspec.base.span`` (ends exclusive)."""

    __slots__ = ("type", "value", "start_pos", "line", "column", "end_line", "end_column", "end_pos")

    def __init__(self, type, value, start_pos, line, column, end_line, end_column, end_pos):
        self.type, self.value, self.start_pos = type, value, start_pos
        self.line, self.column, self.end_line, self.end_column, self.end_pos = line, column, end_line, end_column, end_pos

    def __repr__(self) -> str:
        return f"Token({self.type}, {self.value!r}, {self.line}:{self.column})"
