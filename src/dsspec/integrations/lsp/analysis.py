"""One open document compiled for an editor: findings, declarations and references.

An ``Analysis`` runs the whole pipeline on the editor's text (not the file on
disk), reading included files from the editor's other open buffers when they
are open, and indexes every declared name and every reference to one across
the document and its includes. It knows nothing of the language server
protocol: positions are the pipeline's ``Span``s, paths are absolute.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from dsspec.compiler import pipeline
from dsspec.compiler.model import schema
from dsspec.compiler.syntax.cst import Document, Statement, Value
from dsspec.compiler.syntax.incremental import Reparser

REF_KINDS: dict[str, tuple[str, ...]] = {
    "from": ("source", "input"), "reads": ("input",), "writes": ("output",), "labels": ("source",),
    "to": ("user",), "through": ("user",), "by": ("user",), "model": ("model",), "tools": ("tool",),
    "group": ("field",), "slices": ("field",), "drift": ("field",),
}
"""Which declarations a value refers to, by the schema field it fills (``reads [payment]``: an input)."""

DECLARED_IN = {"fields": "field", "entity": "field", "protected": "field"}
"""Statements whose listed names declare something (an input's ``fields``, a source's ``entity`` and
``protected`` keys: `split group`, `slices` and `drift` may name them)."""


@dataclass(frozen=True)
class Name:
    """A declaration or a reference: a name at a place in one file.

    For a declaration ``kinds`` is its one kind; for a reference the kinds it
    may refer to, in the order they are looked up. ``statement`` is the
    statement it stands in.
    """

    name: str
    kinds: tuple[str, ...]
    path: str
    span: object
    statement: Statement = field(compare=False, hash=False)


def align(stmt: schema.Stmt, values: list[Value]) -> list[tuple[schema.Arg, Value]]:
    """Return each written value with the signature argument it fills (the best-fitting signature)."""
    sigs = stmt.sigs
    sig = next((s for s in sigs if len(s) == len(values)), None) or max(sigs, key=len)
    return list(zip(sig, values))


def block_at(path: list[str]) -> schema.Block | None:
    """Return the schema block of the body reached through the statements ``path`` (``[]`` is the top level)."""
    block = schema.SECTIONS
    for name in path:
        stmt = block.by_name.get(name)
        if stmt is None or stmt.body is None:
            return None
        block = stmt.body
    return block


def walk(doc: Document):
    """Yield ``(statement, its schema entry or None, the names of its enclosing statements)`` for every statement."""
    stack = [(s, schema.SECTIONS, ()) for s in reversed(doc.statements)]
    while stack:
        st, block, outer = stack.pop()
        spec = block.by_name.get(st.name) if block is not None else None
        yield st, spec, outer
        if st.body:
            inner = spec.body if spec is not None else None
            stack.extend((c, inner, (*outer, st.name)) for c in reversed(st.body))


def index(doc: Document) -> tuple[list[Name], list[Name]]:
    """Return the declarations and the references written in ``doc``."""
    decls: list[Name] = []
    refs: list[Name] = []
    for st, spec, outer in walk(doc):
        if spec is None:
            continue
        for arg, value in align(spec, st.values):
            items = value.items if value.kind == "list" else [value]
            for item in items:
                if item.kind != "ident":
                    continue
                if arg.field == "name" and arg.kind == "ident":
                    # the kind is the node's (a statement spelt otherwise but building a `User` declares a user)
                    kind = spec.node.__name__.lower() if spec.node is not None else st.name
                    decls.append(Name(item.text, (kind,), doc.path, item.span, st))
                elif st.name in DECLARED_IN and arg.field == st.name:
                    decls.append(Name(item.text, (DECLARED_IN[st.name],), doc.path, item.span, st))
                elif arg.field in REF_KINDS and arg.kind in ("ident", "refs", "list"):
                    refs.append(Name(item.text, REF_KINDS[arg.field], doc.path, item.span, st))
    return decls, refs


class _EditorSession(pipeline.Session):
    """A pipeline session that reads included files from the editor's buffers when they are open."""

    def __init__(self, buffers: dict[str, str], main: str | None = None, reparser: Reparser | None = None):
        super().__init__()
        self.buffers = buffers
        self.main = main
        self.reparser = reparser

    def parse(self, shown: str, text: str):
        if self.reparser is not None and shown == self.main:
            return self.reparser.parse(shown, text)
        return super().parse(shown, text)

    def load(self, shown: str, absolute: Path):
        text = self.buffers.get(str(absolute))
        if text is not None and absolute not in self._docs:
            self._docs[absolute] = self.front(shown, text.encode("utf-8"))
        return super().load(shown, absolute)

    def documents(self) -> list[Document]:
        """Return the parsed documents of every file read for includes."""
        return [doc for doc, _, _ in self._docs.values() if doc is not None]


@dataclass
class Analysis:
    """Everything the editor features need about one document."""

    path: str
    text: str
    result: pipeline.FileResult
    documents: dict[str, Document]

    @functools.cached_property
    def _index(self) -> tuple[list[Name], list[Name]]:
        decls: list[Name] = []
        refs: list[Name] = []
        for doc in self.documents.values():
            d, r = index(doc)
            decls += d
            refs += r
        return decls, refs

    @property
    def decls(self) -> list[Name]:
        """Every declaration in the document and its includes (indexed when first asked: findings need none)."""
        return self._index[0]

    @property
    def refs(self) -> list[Name]:
        """Every reference to a declaration in the document and its includes."""
        return self._index[1]

    def declared(self, kind: str) -> list[Name]:
        """Return the declarations of ``kind``, in file order."""
        return [d for d in self.decls if d.kinds[0] == kind]

    def target(self, ref: Name) -> Name | None:
        """Return the declaration a reference resolves to (the first of its kinds that declares the name)."""
        for kind in ref.kinds:
            for d in self.decls:
                if d.kinds[0] == kind and d.name == ref.name:
                    return d
        return None

    def name_at(self, path: str, offset: int) -> Name | None:
        """Return the declaration or reference under ``offset`` of file ``path``."""
        for item in (*self.decls, *self.refs):
            if item.path == path and item.span.offset <= offset <= item.span.end_offset:
                return item
        return None

    def included_at(self, offset: int) -> str | None:
        """Return the path of the file an ``include`` under ``offset`` names, when it exists."""
        import os

        doc = self.documents.get(self.path)
        for st in (doc.statements if doc is not None else ()):
            if st.name == "include" and st.values and st.span.offset <= offset <= st.span.end_offset:
                target = os.path.normpath(os.path.join(os.path.dirname(self.path), st.values[0].text))
                return target if os.path.isfile(target) else None
        return None

    def occurrences(self, decl: Name) -> list[Name]:
        """Return the declaration and every reference to it, declaration first."""
        return [decl, *(r for r in self.refs if r.name == decl.name and self.target(r) == decl)]


def analyse(path: str, text: str, buffers: dict[str, str] | None = None,
            reparser: Reparser | None = None) -> Analysis:
    """Compile ``text`` as the file at absolute ``path``; ``buffers`` maps other open files to their text.

    ``reparser``, kept by the caller from one version of the document to the
    next, parses again only the top-level statements an edit changed.
    """
    from dsspec.compiler.lint.config import refresh

    refresh()  # the server lives long: an edited dsspec.toml is read again
    session = _EditorSession(buffers or {}, path, reparser)
    file = Path(path)
    result = session.compile(path, text.encode("utf-8"), file, pipeline.configured(file))
    documents = {} if result.document is None else {path: result.document}
    for doc in session.documents():
        documents.setdefault(doc.path, doc)
    return Analysis(path, text, result, documents)
