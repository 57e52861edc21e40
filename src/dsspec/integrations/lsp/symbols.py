"""The outline (document symbols) and semantic tokens of a document, from its syntax tree and schema."""

from __future__ import annotations

from lsprotocol import types as t

from dsspec.integrations.lsp.analysis import Analysis, align, walk
from dsspec.integrations.lsp.positions import Lines
from dsspec.compiler.syntax.cst import Document, Statement

_SYMBOL_KIND = {"product": t.SymbolKind.Package, "source": t.SymbolKind.Struct, "input": t.SymbolKind.Interface,
                "output": t.SymbolKind.Event, "model": t.SymbolKind.Class, "audience": t.SymbolKind.Object,
                "user": t.SymbolKind.Constant, "success": t.SymbolKind.Field, "ladder": t.SymbolKind.Array,
                "manual": t.SymbolKind.EnumMember, "baseline": t.SymbolKind.EnumMember,
                "step": t.SymbolKind.EnumMember}

TOKEN_TYPES = ["keyword", "variable", "enumMember", "number", "property"]
TOKEN_MODIFIERS = ["declaration"]
LEGEND = t.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS)
_QUANTITIES = frozenset({"number", "percent", "duration", "money", "rate", "date"})


def kind_of(kind: str) -> t.SymbolKind:
    """Return the symbol kind of a declaration's kind (``source``, ``model``, ``field``...)."""
    return _SYMBOL_KIND.get(kind, t.SymbolKind.Field if kind == "field" else t.SymbolKind.Variable)


def _symbol(st: Statement, lines: Lines) -> t.DocumentSymbol:
    detail = " ".join(v.text if v.kind != "string" else f'"{v.text}"' for v in st.values[:2])[:60]
    children = [_symbol(c, lines) for c in st.body or () if c.body is not None or c.name in ("user", "goal")]
    return t.DocumentSymbol(
        name=st.name + (f" {st.values[0].text}" if st.values and st.values[0].kind == "ident" else ""),
        kind=_SYMBOL_KIND.get(st.name, t.SymbolKind.Namespace if st.body is not None else t.SymbolKind.Property),
        range=lines.range(st.span), selection_range=lines.range(st.header_span), detail=detail or None,
        children=children or None)


def outline(doc: Document, lines: Lines) -> list[t.DocumentSymbol]:
    """Return the document's sections, each with its blocks and declared users, as a tree."""
    return [_symbol(st, lines) for st in doc.statements]


def tokens(a: Analysis, lines: Lines) -> list[int]:
    """Return the semantic tokens of the document, encoded as the protocol wants (relative positions)."""
    doc = a.documents.get(a.path)
    if doc is None:
        return []
    declared = {(d.span.offset, d.span.end_offset) for d in a.decls if d.path == a.path}
    referred = {(r.span.offset, r.span.end_offset) for r in a.refs if r.path == a.path}
    found: list[tuple[object, int, int]] = []
    for st, spec, _ in walk(doc):
        found.append((st.name_span, 0 if spec is not None else 4, 0))
        if spec is None:
            continue
        for arg, value in align(spec, st.values):
            for item in (value.items if value.kind in ("list", "comparison", "range") else [value]):
                key = (item.span.offset, item.span.end_offset)
                if key in declared:
                    found.append((item.span, 1, 1))
                elif key in referred:
                    found.append((item.span, 1, 0))
                elif item.kind == "ident" and arg.kind in ("enum", "kw", "enum_list"):
                    found.append((item.span, 2, 0))
                elif item.kind in _QUANTITIES:
                    found.append((item.span, 3, 0))
    data: list[int] = []
    prev_line = prev_char = 0
    for span, kind, mods in sorted(found, key=lambda f: f[0].offset):
        if span.line != span.end_line:
            continue
        r = lines.range(span)
        line, char = r.start.line, r.start.character
        delta_char = char - prev_char if line == prev_line else char
        data += [line - prev_line, delta_char, r.end.character - char, kind, mods]
        prev_line, prev_char = line, char
    return data
