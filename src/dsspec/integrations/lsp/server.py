"""``dsspec lsp``: the language server, on pygls over stdio.

Documents are compiled on open and save at once, and while typing after a
short pause (``DEBOUNCE``) so a burst of keystrokes compiles once. Every
feature answers from the latest ``Analysis`` of the document; a document
that includes another open one is recompiled when that one changes.
"""

from __future__ import annotations

import asyncio

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer

from dsspec import __version__
from dsspec.integrations.lsp import actions, complete, symbols
from dsspec.integrations.lsp.analysis import Analysis, analyse
from dsspec.integrations.lsp.hover import hover
from dsspec.integrations.lsp.positions import Lines, diagnostic, path_of, texts, uri_of

DEBOUNCE = 0.02
"""Seconds of quiet after a change before the document is compiled (a key repeat is 30 ms or more)."""

_COMPLETION_KIND = {"statement": t.CompletionItemKind.Keyword, "word": t.CompletionItemKind.EnumMember,
                    "name": t.CompletionItemKind.Reference, "metric": t.CompletionItemKind.Value,
                    "rule": t.CompletionItemKind.Text}


class DsspecServer(LanguageServer):
    """The server with its analyses, one per open document."""

    def __init__(self):
        super().__init__("dsspec", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Incremental)
        self.analyses: dict[str, Analysis] = {}
        self.pending: dict[str, asyncio.Task] = {}

    def buffers(self) -> dict[str, str]:
        """Return the text of every open document, by path."""
        return {path_of(uri): doc.source for uri, doc in self.workspace.text_documents.items()}

    def analysis(self, uri: str) -> Analysis:
        """Return the analysis of the document as it is now (a change still waiting out the debounce is compiled)."""
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        if uri not in self.analyses or waiting is not None:
            self.refresh(uri)
        return self.analyses[uri]

    def refresh(self, uri: str, done: set[str] | None = None) -> None:
        """Compile a document and publish its findings; recompile open documents that include it."""
        done = done if done is not None else set()
        done.add(uri)
        doc = self.workspace.get_text_document(uri)
        path = path_of(uri)
        self.analyses[uri] = a = analyse(path, doc.source, self.buffers())
        self.publish(uri, a, doc.version)
        for other, b in list(self.analyses.items()):
            if other not in done and path in b.documents:  # `done`: an include cycle recompiles each once
                self.refresh(other, done)

    def publish(self, uri: str, a: Analysis, version: int | None) -> None:
        lines = texts(a)
        out = [diagnostic(d, lines) for d in a.result.diagnostics if d.path == a.path]
        self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri, out, version))

    def later(self, uri: str) -> None:
        """Compile the document once it has not changed for ``DEBOUNCE`` seconds."""
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()

        async def run():
            await asyncio.sleep(DEBOUNCE)
            self.pending.pop(uri, None)
            self.refresh(uri)

        self.pending[uri] = asyncio.get_running_loop().create_task(run())


server = DsspecServer()


@server.feature(t.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: DsspecServer, params: t.DidOpenTextDocumentParams) -> None:
    ls.refresh(params.text_document.uri)


@server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: DsspecServer, params: t.DidChangeTextDocumentParams) -> None:
    ls.later(params.text_document.uri)


@server.feature(t.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: DsspecServer, params: t.DidSaveTextDocumentParams) -> None:
    ls.refresh(params.text_document.uri)


@server.feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def files_changed(ls: DsspecServer, params: t.DidChangeWatchedFilesParams) -> None:
    """Recompile every open document: an included file or a configuration changed on disk."""
    for uri in list(ls.analyses):
        ls.refresh(uri)


@server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: DsspecServer, params: t.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    waiting = ls.pending.pop(uri, None)
    if waiting is not None:
        waiting.cancel()
    ls.analyses.pop(uri, None)
    ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri, []))


def _at(ls: DsspecServer, uri: str, pos: t.Position) -> tuple[Analysis, Lines, int]:
    a = ls.analysis(uri)
    lines = Lines(ls.workspace.get_text_document(uri).source)
    return a, lines, lines.offset(pos)


@server.feature(t.TEXT_DOCUMENT_HOVER)
def on_hover(ls: DsspecServer, params: t.HoverParams) -> t.Hover | None:
    a, lines, offset = _at(ls, params.text_document.uri, params.position)
    line = lines.lines[params.position.line] if params.position.line < len(lines.lines) else ""
    column = offset - lines.starts[min(params.position.line, len(lines.starts) - 1)]
    text = hover(a, offset, line, column)
    return None if text is None else t.Hover(t.MarkupContent(t.MarkupKind.Markdown, text))


def _location(a: Analysis, item) -> t.Location:
    doc = a.documents.get(item.path)
    return t.Location(uri_of(item.path), Lines(doc.text if doc else a.text).range(item.span))


@server.feature(t.TEXT_DOCUMENT_DEFINITION)
def definition(ls: DsspecServer, params: t.DefinitionParams) -> t.Location | None:
    a, _, offset = _at(ls, params.text_document.uri, params.position)
    included = a.included_at(offset)
    if included is not None:  # on an include: the file it names
        return t.Location(uri_of(included), t.Range(t.Position(0, 0), t.Position(0, 0)))
    item = a.name_at(a.path, offset)
    decl = None if item is None else (item if item in a.decls else a.target(item))
    return None if decl is None else _location(a, decl)


def _everywhere(ls: DsspecServer, uri: str, pos: t.Position) -> list[t.Location] | None:
    """Return the declaration under ``pos`` and every reference to it, declaration first; ``None`` when none.

    The document's own analysis covers the files it includes; the analyses of
    open documents that include it add the references they hold, so a name
    declared in a shared file is found where the products use it.
    """
    a, _, offset = _at(ls, uri, pos)
    item = a.name_at(a.path, offset)
    decl = None if item is None else (item if item in a.decls else a.target(item))
    if decl is None:
        return None
    out = [_location(a, x) for x in a.occurrences(decl)]
    for other in ls.analyses.values():
        if other is a or decl.path not in other.documents:
            continue
        same = next((d for d in other.decls if d == decl), None)
        if same is not None:
            out += [loc for loc in (_location(other, x) for x in other.occurrences(same)) if loc not in out]
    return out


@server.feature(t.TEXT_DOCUMENT_REFERENCES)
def references(ls: DsspecServer, params: t.ReferenceParams) -> list[t.Location]:
    found = _everywhere(ls, params.text_document.uri, params.position) or []
    return found if params.context.include_declaration else found[1:]


@server.feature(t.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: DsspecServer, params: t.PrepareRenameParams) -> t.Range | None:
    """Return the range of the declared or referred name under the cursor; ``None`` where nothing can be renamed."""
    a, lines, offset = _at(ls, params.text_document.uri, params.position)
    item = a.name_at(a.path, offset)
    if item is None or (item not in a.decls and a.target(item) is None):
        return None
    return lines.range(item.span)


@server.feature(t.TEXT_DOCUMENT_RENAME)
def rename(ls: DsspecServer, params: t.RenameParams) -> t.WorkspaceEdit | None:
    import re

    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", params.new_name):
        raise ValueError(f"`{params.new_name}` is not a name: use letters, digits and `_`, starting with a letter")
    found = _everywhere(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    changes: dict[str, list[t.TextEdit]] = {}
    for loc in found:
        changes.setdefault(loc.uri, []).append(t.TextEdit(loc.range, params.new_name))
    return t.WorkspaceEdit(changes=changes)


@server.feature(t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=[" ", "[", ","]))
def completion(ls: DsspecServer, params: t.CompletionParams) -> t.CompletionList:
    uri = params.text_document.uri
    lines = Lines(ls.workspace.get_text_document(uri).source)
    prefix = lines.text[:lines.offset(params.position)]
    found = complete.suppression_candidates(lines.line_prefix(params.position))
    where = None
    if found is None:
        where = complete.place(prefix)
        found = [] if where is None else complete.candidates(ls.analysis(uri), where)
    block = complete.block_at(where.path) if where is not None else None
    item = ls.client_capabilities.text_document and ls.client_capabilities.text_document.completion
    snippets = bool(item and item.completion_item and item.completion_item.snippet_support)
    items = []
    for label, kind, detail in found:
        body = complete.snippet(block, label) if snippets and kind == "statement" else None
        items.append(t.CompletionItem(label, kind=_COMPLETION_KIND[kind], detail=detail, insert_text=body,
                                      insert_text_format=t.InsertTextFormat.Snippet if body else None))
    return t.CompletionList(is_incomplete=False, items=items)


@server.feature(t.TEXT_DOCUMENT_CODE_ACTION)
def code_action(ls: DsspecServer, params: t.CodeActionParams) -> list[t.CodeAction]:
    uri = params.text_document.uri
    a = ls.analysis(uri)
    lines = Lines(a.text)
    start, end = lines.offset(params.range.start), lines.offset(params.range.end)
    here = [d for d in a.result.diagnostics
            if d.path == a.path and d.span.offset <= end and start <= max(d.span.end_offset, d.span.offset + 1)]
    shown = texts(a)
    out = []

    def action(title, edit, kind, diags=()):
        s, e, text = edit
        change = t.TextEdit(t.Range(lines.at(s), lines.at(e)), text)
        return t.CodeAction(title, kind=kind, diagnostics=[diagnostic(d, shown) for d in diags] or None,
                            edit=t.WorkspaceEdit(changes={uri: [change]}))

    for d in here:
        fix = actions.suggestion(d, a.text)
        if fix is not None:
            out.append(action(f"Replace with `{fix[2]}`", fix, t.CodeActionKind.QuickFix, [d]))
            out[-1].is_preferred = True
        elif d.fix is not None and len(d.fix.edits) == 1:  # a certain fix the stage attached (naming a model)
            e = d.fix.edits[0]
            out.append(action(d.fix.title[:1].upper() + d.fix.title[1:], (e.span.offset, e.span.end_offset, e.text),
                              t.CodeActionKind.QuickFix, [d]))
            out[-1].is_preferred = True
    for d in here:
        unused = actions.unused_suppression(d, a.text)
        if unused is not None:
            out.append(action("Remove the unused suppression", unused, t.CodeActionKind.QuickFix, [d]))
            out[-1].is_preferred = True
    for d in here:
        sup = actions.suppression(d, a.text)
        if sup is not None:
            out.append(action(f"Suppress `{d.rule}` here (give the reason)", sup, t.CodeActionKind.QuickFix, [d]))
    doc = a.documents.get(a.path)
    if doc is not None:
        for key, edit in actions.missing_sections(doc):
            about = [d for d in a.result.diagnostics if d.path == a.path and actions.concerns(d, key)]
            kind = t.CodeActionKind.QuickFix if about else t.CodeActionKind.Source
            out.append(action(f"Add the `{key}` section from `dsspec init`'s skeleton", edit, kind, about))
    return out


@server.feature(t.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: DsspecServer, params: t.DocumentFormattingParams) -> list[t.TextEdit] | None:
    from dsspec.compiler.syntax.format import format_document
    from dsspec.compiler.syntax.parser import parse

    text = ls.workspace.get_text_document(params.text_document.uri).source
    doc, errors = parse(path_of(params.text_document.uri), text)
    if errors:
        return None  # never reformat what does not parse: the layout would lose what was typed
    new = format_document(doc)
    if new == text:
        return []
    lines = Lines(text)
    return [t.TextEdit(t.Range(t.Position(0, 0), lines.at(len(text))), new)]


@server.feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbols(ls: DsspecServer, params: t.DocumentSymbolParams) -> list[t.DocumentSymbol]:
    a = ls.analysis(params.text_document.uri)
    doc = a.documents.get(a.path)
    return [] if doc is None else symbols.outline(doc, Lines(a.text))


@server.feature(t.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, symbols.LEGEND)
def semantic_tokens(ls: DsspecServer, params: t.SemanticTokensParams) -> t.SemanticTokens:
    a = ls.analysis(params.text_document.uri)
    return t.SemanticTokens(data=symbols.tokens(a, Lines(a.text)))


def main() -> str | None:
    """Serve over stdio until the client exits; return why the server stopped early (a broken client), if it did."""
    import sys

    from dsspec.integrations.lsp.transport import Guarded, quiet_logs

    quiet_logs()
    stdin = Guarded(sys.stdin.buffer)
    server.start_io(stdin=stdin)
    return stdin.error
