"""Syntax stage: text -> generic statement tree (``Document``) and syntax findings."""

from dsspec.compiler.syntax.cst import Document, Statement, Value
from dsspec.compiler.syntax.parser import parse

__all__ = ["Document", "Statement", "Value", "parse"]
