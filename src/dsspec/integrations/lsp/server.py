"""``dsspec lsp``: the language server, on pygls over stdio.

Documents are compiled on open and save at once, and while typing after a
short pause (``DEBOUNCE``) so a burst of keystrokes compiles once. Every
feature answers from the latest ``Analysis`` of the document; a document
that includes another open one is recompiled when that one changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer

from dsspec import __version__
from dsspec.integrations.lsp import actions, complete, navigate, symbols
from dsspec.compiler.syntax.incremental import Reparser
from dsspec.compiler.syntax.incremental import Reparser
from dsspec.integrations.lsp.analysis import Analysis, analyse
from dsspec.integrations.lsp.hover import hover
from dsspec.integrations.lsp.positions import Lines, diagnostic, diagnostic_json, path_of, texts, uri_of

DEBOUNCE = 0.02
"""Seconds of quiet after a change before the document is compiled (a key repeat is 30 ms or more)."""

_COMPLETION_KIND = {"statement": t.CompletionItemKind.Keyword, "word": t.CompletionItemKind.EnumMember,
                    "name": t.CompletionItemKind.Reference, "metric": t.CompletionItemKind.Value,
                    "rule": t.CompletionItemKind.Text}


@contextlib.contextmanager
def paused_gc():
    """Hold the cycle collector off while a document compiles and its findings go out.

    A compile of a long spec makes some hundred thousand objects, and the
    collections they trigger took some 40% of the time from a change to its
    findings; paused, the collector runs once it is over, off the path the
    user waits on. Nothing is left uncollected: the collector runs again at
    the next allocations past its threshold.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class DsspecServer(LanguageServer):
    """The server with its analyses, one per open document."""

    def __init__(self):
        from dsspec.integrations.lsp.transport import protocol_class

        super().__init__("dsspec", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Incremental,
                         protocol_cls=protocol_class())
        self.analyses: dict[str, Analysis] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.reparsers: dict[str, Reparser] = {}
        self.changed: dict[str, float] = {}
        self.reparsers: dict[str, Reparser] = {}

    def document(self, uri: str):
        """Return the open document ``uri``; a request about any other is invalid (pygls would read the file
        from disk, and a device such as ``/dev/zero`` never ends)."""
        doc = self.workspace.text_documents.get(uri)
        if doc is None:
            from pygls.exceptions import JsonRpcInvalidParams

            raise JsonRpcInvalidParams(f"`{uri[:200]}` is not an open document")
        return doc

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
        doc = self.document(uri)
        path = path_of(uri)
        reparser = self.reparsers.setdefault(uri, Reparser())
        with paused_gc():
            self.analyses[uri] = a = analyse(path, doc.source, self.buffers(), reparser)
            self.publish(uri, a, doc.version)
        for other, b in list(self.analyses.items()):
            if other not in done and path in b.documents:  # `done`: an include cycle recompiles each once
                self.refresh(other, done)

    def publish(self, uri: str, a: Analysis, version: int | None) -> None:
        """Push the document's findings, unless the client pulls them (``textDocument/diagnostic``)."""
        if self.pulls():
            return
        lines = texts(a)
        out = [diagnostic_json(d, lines) for d in a.result.diagnostics if d.path == a.path]
        params = {"uri": uri, "diagnostics": out}
        if version is not None:
            params["version"] = version
        # already JSON: sent as it is (the typed notification would convert it all again)
        self.protocol._send_data({"jsonrpc": "2.0", "method": t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, "params": params})

    def pulls(self) -> bool:
        """Return whether the client asks for findings itself (then pushing them too would show them twice)."""
        doc = self.client_capabilities.text_document if self.client_capabilities else None
        return bool(doc and doc.diagnostic)

    def later(self, uri: str) -> None:
        """Compile the document after a change: at once after a pause, else once the burst has been quiet ``DEBOUNCE``.

        A change that comes after ``DEBOUNCE`` without one is compiled at
        once (its findings should not wait); the changes of a burst each
        cancel the waiting run of the one before (a stale run never starts),
        so the burst compiles once more, after its last change.
        """
        loop = asyncio.get_running_loop()
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        now = loop.time()
        quiet = now - self.changed.get(uri, float("-inf")) >= DEBOUNCE
        self.changed[uri] = now
        if quiet and old is None:
            self.refresh(uri)
            self.changed[uri] = loop.time()  # a change queued while it compiled belongs to the same burst
            return

        async def run():
            await asyncio.sleep(DEBOUNCE)
            self.pending.pop(uri, None)
            self.refresh(uri)

        self.pending[uri] = loop.create_task(run())


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
    ls.reparsers.pop(uri, None)
    ls.reparsers.pop(uri, None)
    ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri, []))


def _at(ls: DsspecServer, uri: str, pos: t.Position) -> tuple[Analysis, Lines, int]:
    a = ls.analysis(uri)
    lines = Lines(ls.document(uri).source)
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


def _everywhere(ls: DsspecServer, uri: str, pos: t.Position, workspace: str | None = None,
                seen: list[Analysis] | None = None) -> list[t.Location] | None:
    """Return the declaration under ``pos`` and every reference to it, declaration first; ``None`` when none.

    The document's own analysis covers the files it includes; the analyses of
    open documents that include it add the references they hold, so a name
    declared in a shared file is found where the products use it. With
    ``workspace`` (rename: the new name), the specs of the workspace that are
    not open and name the old or the new name are read too, so no file that
    includes the declaring one keeps the old name, and a clash with the new one
    is seen; every analysis consulted is added to ``seen``.
    """
    a, _, offset = _at(ls, uri, pos)
    item = a.name_at(a.path, offset)
    decl = None if item is None else (item if item in a.decls else a.target(item))
    if decl is None:
        return None
    out = [_location(a, x) for x in a.occurrences(decl)]
    others = [b for b in ls.analyses.values() if b is not a]
    if workspace is not None:
        others += _closed_specs(ls, (decl.name, workspace))
    seen = seen if seen is not None else []
    seen += [a, *others]
    for other in others:
        if decl.path not in other.documents:
            continue
        same = next((d for d in other.decls if d == decl), None)
        if same is not None:
            out += [loc for loc in (_location(other, x) for x in other.occurrences(same)) if loc not in out]
    return out


MAX_WORKSPACE_SPECS = 2000
"""Rename reads at most this many specs of the workspace that are not open (those naming the old name)."""


def _closed_specs(ls: DsspecServer, names: tuple[str, ...]) -> list[Analysis]:
    """Return the analyses of the workspace's specs that are not open and mention one of ``names`` (as a word)."""
    import os
    import re

    from dsspec.compiler.discovery import discover
    from dsspec.compiler.pipeline import read_source
    from dsspec.compiler.syntax.parser import decode

    roots = [path_of(f.uri) for f in (ls.workspace.folders or {}).values()] or \
        ([ls.workspace.root_path] if ls.workspace.root_path else [])
    if not roots:
        return []
    open_paths = {os.path.normpath(path_of(u)) for u in ls.workspace.text_documents}
    word = re.compile(rf"(?<![A-Za-z0-9_])(?:{'|'.join(map(re.escape, names))})(?![A-Za-z0-9_])")
    out = []
    for f in discover([r for r in roots if os.path.isdir(r)]).files[:MAX_WORKSPACE_SPECS]:
        path = os.path.normpath(os.path.abspath(f))
        if path in open_paths:
            continue
        data, _ = read_source(path)  # regular files only, bounded: a pipe named *.dsspec never blocks
        text, _ = decode(path, data) if data is not None else (None, None)
        if text is not None and word.search(text):
            out.append(analyse(path, text, ls.buffers()))
    return out


def _keywords() -> frozenset[str]:
    """Return the words the language reads as its own in a value or as a section: no declaration may take one."""
    from dsspec.compiler.model import schema

    words = {"yes", "no", "true", "false"}
    blocks, done = [schema.SECTIONS], set()
    while blocks:
        block = blocks.pop()
        if id(block) in done:
            continue
        done.add(id(block))
        for stmt in block.stmts:
            if block is schema.SECTIONS:
                words.add(stmt.name)
            for sig in stmt.sigs:
                for arg in sig:
                    if arg.kind in ("enum", "kw", "enum_list"):
                        words.update(arg.choices)
            if stmt.body is not None:
                blocks.append(stmt.body)
    return frozenset(words)


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

    new = params.new_name
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", new):
        raise ValueError(f"`{new[:80]}` is not a name: use letters, digits and `_`, starting with a letter")
    if new in _keywords():
        raise ValueError(f"`{new}` is a word of the language; choose another name")
    analyses: list[Analysis] = []
    found = _everywhere(ls, params.text_document.uri, params.position, workspace=new, seen=analyses)
    if found is None:
        return None
    taken = next((d for b in analyses for d in b.decls if d.name == new), None)
    if taken is not None:
        import os

        raise ValueError(f"`{new}` is already declared ({taken.kinds[0]} `{new}` in "
                         f"{os.path.basename(taken.path)}:{taken.span.line}); choose another name")
    changes: dict[str, list[t.TextEdit]] = {}
    for loc in found:
        changes.setdefault(loc.uri, []).append(t.TextEdit(loc.range, params.new_name))
    return t.WorkspaceEdit(changes=changes)


@server.feature(t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=[" ", "[", ","]))
def completion(ls: DsspecServer, params: t.CompletionParams) -> t.CompletionList:
    uri = params.text_document.uri
    lines = Lines(ls.document(uri).source)
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


FIX_ALL = "source.fixAll.dsspec"
"""The code action kind that applies every certain fix of a file (as Ruff's ``source.fixAll.ruff``)."""


class _Actions:
    """The code actions of one request: each kind of action is one method, adding to ``out``."""

    def __init__(self, ls: DsspecServer, params: t.CodeActionParams):
        self.uri = params.text_document.uri
        self.a = a = ls.analysis(self.uri)
        self.lines = Lines(a.text)
        start, end = self.lines.offset(params.range.start), self.lines.offset(params.range.end)
        self.here = [d for d in a.result.diagnostics
                     if d.path == a.path and d.span.offset <= end and start <= max(d.span.end_offset, d.span.offset + 1)]
        self.shown = texts(a)
        self.only = params.context.only
        self.out: list[t.CodeAction] = []

    def wanted(self, kind: str) -> bool:
        return not self.only or any(kind == k or kind.startswith(k + ".") for k in self.only)

    def add(self, title, edits, kind, diags=(), preferred=None) -> None:
        if not self.wanted(kind):
            return
        changes = [t.TextEdit(t.Range(self.lines.at(s), self.lines.at(e)), text) for s, e, text in edits]
        self.out.append(t.CodeAction(title, kind=kind, diagnostics=[diagnostic(d, self.shown) for d in diags] or None,
                                     edit=t.WorkspaceEdit(changes={self.uri: changes}), is_preferred=preferred))

    def certain_fixes(self) -> None:
        """The fix a finding carries (``Diagnostic.fix``, as ``check --fix`` applies it); else its did-you-mean."""
        for d in self.here:
            fix = actions.certain_fix(d)
            if fix is not None:
                self.add(fix[0], fix[1], t.CodeActionKind.QuickFix, [d], True)
                continue
            guess = actions.suggestion(d, self.a.text)
            if guess is not None:
                from dsspec.compiler.fixes import keeps_meaning

                # preferred (what an editor's auto-fix applies) only when it is a spelling repair; a guess that
                # drops a qualifier or picks a meaning (`gpt_4_1_nano` -> `gpt_4_1`) is offered, never preferred
                same = keeps_meaning(d.code, self.a.text[guess[0]:guess[1]], guess[2])
                title = f"Replace with `{guess[2]}`" + ("" if same else " (a different name: check it is the one meant)")
                self.add(title, [guess], t.CodeActionKind.QuickFix, [d], True if same else None)

    def unused_suppressions(self) -> None:
        for d in self.here:
            unused = actions.unused_suppression(d, self.a.text)
            if unused is not None:
                self.add("Remove the unused suppression", [unused], t.CodeActionKind.QuickFix, [d], True)

    def suppressions(self) -> None:
        for d in self.here:
            sup = actions.suppression(d, self.a.text)
            if sup is not None:
                self.add(f"Suppress `{d.rule}` here (give the reason)", [sup], t.CodeActionKind.QuickFix, [d])

    def answers(self) -> None:
        """Answer a review question a ``question-open`` finding names: its example, marked for the author."""
        for d in self.here:
            for qid, edit in actions.answers(d, self.a.text):
                self.add(f"Answer review question `{qid}`", [edit], t.CodeActionKind.QuickFix, [d])

    def missing_sections(self) -> None:
        doc = self.a.documents.get(self.a.path)
        for key, edit in actions.missing_sections(doc) if doc is not None else ():
            about = [d for d in self.a.result.diagnostics if d.path == self.a.path and actions.concerns(d, key)]
            kind = t.CodeActionKind.QuickFix if about else t.CodeActionKind.Source
            self.add(f"Add the `{key}` section from `dsspec init`'s skeleton", [edit], kind, about)

    def fix_all(self) -> None:
        """Every certain fix of the file at once: ``source.fixAll.dsspec``, offered when asked for or when one applies."""
        edit = actions.fix_all(self.a.result.diagnostics, self.a.path, self.a.text)
        if edit is not None and (self.only or any(d.fix for d in self.here)):
            fixed = [d for d in self.a.result.diagnostics if d.path == self.a.path and d.fix is not None]
            self.add("Fix all certain findings (dsspec check --fix)", [edit], FIX_ALL, fixed)


@server.feature(t.TEXT_DOCUMENT_CODE_ACTION, t.CodeActionOptions(
    code_action_kinds=[t.CodeActionKind.QuickFix, t.CodeActionKind.Source, FIX_ALL]))
def code_action(ls: DsspecServer, params: t.CodeActionParams) -> list[t.CodeAction]:
    found = _Actions(ls, params)
    found.certain_fixes()
    found.unused_suppressions()
    found.suppressions()
    found.answers()
    found.missing_sections()
    found.fix_all()
    return found.out


@server.feature(t.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: DsspecServer, params: t.DocumentFormattingParams) -> list[t.TextEdit] | None:
    from dsspec.compiler.syntax.format import format_document
    from dsspec.compiler.syntax.parser import parse

    text = ls.document(params.text_document.uri).source
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


@server.feature(t.TEXT_DOCUMENT_DIAGNOSTIC, t.DiagnosticOptions(inter_file_dependencies=True,
                                                                  workspace_diagnostics=True, identifier="dsspec"))
def pull_diagnostics(ls: DsspecServer, params: t.DocumentDiagnosticParams) -> t.RelatedFullDocumentDiagnosticReport:
    a = ls.analysis(params.text_document.uri)
    lines = texts(a)
    return t.RelatedFullDocumentDiagnosticReport(
        items=[diagnostic(d, lines) for d in a.result.diagnostics if d.path == a.path])


def workspace_specs(ls: DsspecServer) -> list[str]:
    """Return the spec files of the workspace's folders (as ``dsspec check`` finds them: ignores and excludes kept)."""
    from dsspec.compiler.discovery import discover

    folders = [path_of(uri) for uri in ls.workspace.folders] or \
        ([ls.workspace.root_path] if ls.workspace.root_path else [])
    if not folders:
        return []
    return discover(list(folders)).files


@server.feature(t.WORKSPACE_DIAGNOSTIC)
def workspace_diagnostics(ls: DsspecServer, params: t.WorkspaceDiagnosticParams) -> t.WorkspaceDiagnosticReport:
    """Return the findings of every spec in the workspace: open ones as edited, the others as on disk."""
    import os

    items = []
    buffers = ls.buffers()
    for path in workspace_specs(ls):
        path = os.path.abspath(path)
        uri = uri_of(path)
        if uri in ls.workspace.text_documents:
            a, version = ls.analysis(uri), ls.workspace.get_text_document(uri).version
        else:
            try:
                text = open(path, encoding="utf-8").read()
            except (OSError, UnicodeDecodeError):
                continue  # the compile of the file says why; here it is simply not reported
            a, version = analyse(path, text, buffers), None
        lines = texts(a)
        items.append(t.WorkspaceFullDocumentDiagnosticReport(
            uri=uri, version=version, items=[diagnostic(d, lines) for d in a.result.diagnostics if d.path == a.path]))
    return t.WorkspaceDiagnosticReport(items=items)


@server.feature(t.TEXT_DOCUMENT_RANGE_FORMATTING)
def range_formatting(ls: DsspecServer, params: t.DocumentRangeFormattingParams) -> list[t.TextEdit] | None:
    """Format the top-level statements the range touches, as ``dsspec format`` lays them out; nothing else moves."""
    from dsspec.integrations.lsp.actions import format_range

    text = ls.workspace.get_text_document(params.text_document.uri).source
    lines = Lines(text)
    edit = format_range(path_of(params.text_document.uri), text, lines.offset(params.range.start),
                        lines.offset(params.range.end))
    if edit is None:
        return None
    start, end, new = edit
    return [] if text[start:end] == new else [t.TextEdit(t.Range(lines.at(start), lines.at(end)), new)]


@server.feature(t.TEXT_DOCUMENT_FOLDING_RANGE)
def folding_ranges(ls: DsspecServer, params: t.FoldingRangeParams) -> list[t.FoldingRange]:
    a = ls.analysis(params.text_document.uri)
    doc = a.documents.get(a.path)
    return [t.FoldingRange(f.start - 1, f.end - 1, kind=t.FoldingRangeKind.Comment if f.comment else None)
            for f in navigate.folds(doc)] if doc is not None else []


@server.feature(t.TEXT_DOCUMENT_DOCUMENT_LINK)
def document_links(ls: DsspecServer, params: t.DocumentLinkParams) -> list[t.DocumentLink]:
    a = ls.analysis(params.text_document.uri)
    lines = Lines(a.text)
    return [t.DocumentLink(lines.range(span), target=uri_of(path), tooltip="open the included file")
            for span, path in navigate.links(a)]


@server.feature(t.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
def document_highlight(ls: DsspecServer, params: t.DocumentHighlightParams) -> list[t.DocumentHighlight]:
    a, lines, offset = _at(ls, params.text_document.uri, params.position)
    return [t.DocumentHighlight(lines.range(span), kind=t.DocumentHighlightKind.Write if declared
                                else t.DocumentHighlightKind.Read)
            for span, declared in navigate.highlights(a, offset)]


@server.feature(t.TEXT_DOCUMENT_CODE_LENS)
def code_lens(ls: DsspecServer, params: t.CodeLensParams) -> list[t.CodeLens]:
    """Above each declaration what uses it, above each ladder what it chose (text only: no command runs)."""
    a = ls.analysis(params.text_document.uri)
    lines = Lines(a.text)
    out = []
    for span, text in navigate.lenses(a):
        start = lines.position(span.line, span.column)
        out.append(t.CodeLens(t.Range(start, start), command=t.Command(text, "")))
    return out


@server.feature(t.TEXT_DOCUMENT_INLAY_HINT)
def inlay_hints(ls: DsspecServer, params: t.InlayHintParams) -> list[t.InlayHint]:
    a = ls.analysis(params.text_document.uri)
    lines = Lines(a.text)
    out = []
    for hint in navigate.hints(a, params.range.start.line + 1, params.range.end.line + 1):
        out.append(t.InlayHint(lines.position(hint.span.end_line, hint.span.end_column), f"= {hint.text}"
                               if not hint.text.startswith("~") else hint.text, padding_left=True))
    return out


@server.feature(t.WORKSPACE_SYMBOL)
def workspace_symbols(ls: DsspecServer, params: t.WorkspaceSymbolParams) -> list[t.SymbolInformation]:
    """Every declaration in the workspace's specs (open ones as edited) whose name has the query's letters in order."""
    import os

    from dsspec.compiler.syntax.parser import parse
    from dsspec.integrations.lsp.analysis import index

    docs = {}
    for a in ls.analyses.values():
        docs.update(a.documents)
    for path in workspace_specs(ls):
        path = os.path.abspath(path)
        if path not in docs:
            try:
                docs[path] = parse(path, open(path, encoding="utf-8").read())[0]
            except (OSError, UnicodeDecodeError):
                continue
    query = params.query.lower()
    out = []
    for path, doc in sorted(docs.items()):
        lines = Lines(doc.text)
        for decl in index(doc)[0]:
            if navigate.matches(query, decl.name):
                out.append(t.SymbolInformation(name=decl.name, kind=symbols.kind_of(decl.kinds[0]),
                                               location=t.Location(uri_of(path), lines.range(decl.span)),
                                               container_name=decl.kinds[0]))
    return out


def main() -> str | None:
    """Serve over stdio until the client exits; return why the server stopped early (a broken client), if it did."""
    import sys

    from dsspec.integrations.lsp.transport import Guarded, quiet_logs

    quiet_logs()
    stdin = Guarded(sys.stdin.buffer)
    server.start_io(stdin=stdin)
    return stdin.error
