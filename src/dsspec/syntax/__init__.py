"""Syntax stage: text -> generic statement tree (``Document``) and syntax findings."""

from dsspec.syntax.cst import Document, Statement, Value
from dsspec.syntax.parser import parse

__all__ = ["Document", "Statement", "Value", "parse"]
