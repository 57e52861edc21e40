"""The editor features of the second round, end to end: pytest-lsp starts `dsspec lsp` and speaks to it.

Pull and workspace diagnostics, range formatting, folding, workspace symbols,
highlights, links, code lenses, inlay hints, the fix-all action and the
certain fixes, the `Unnecessary` tag, completion that fits the place, and
hover on a model family (docs/integrations.md, the feature table, names each).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
from lsprotocol import types as t  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

from test_lsp import SOURCES, SPEC, position, project  # noqa: E402,F401  (project: a fixture)

pytestmark = pytest.mark.asyncio


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "dsspec", "lsp"]))
async def lsp(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


async def start(client: LanguageClient, root: Path, pull: bool = False) -> t.InitializeResult:
    doc = t.TextDocumentClientCapabilities(diagnostic=t.DiagnosticClientCapabilities()) if pull else None
    return await client.initialize_session(t.InitializeParams(
        capabilities=t.ClientCapabilities(text_document=doc), root_uri=root.as_uri(),
        workspace_folders=[t.WorkspaceFolder(root.as_uri(), root.name)]))


async def open_doc(client: LanguageClient, path: Path, text: str | None = None, wait: bool = True) -> str:
    uri = path.as_uri()
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        t.TextDocumentItem(uri, "dsspec", 1, path.read_text() if text is None else text)))
    if wait:
        await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


def apply(text: str, edits: list[t.TextEdit]) -> str:
    from dsspec.integrations.lsp.positions import Lines

    lines = Lines(text)
    spans = sorted(((lines.offset(e.range.start), lines.offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


UNUSED = SPEC + "\nsource audit_log {\n  kind table\n}\n"


async def test_pull_diagnostics_replace_pushed_ones_and_fade_unused_declarations(lsp: LanguageClient, project: Path):
    await start(lsp, project, pull=True)
    uri = await open_doc(lsp, project / "design.dsspec", UNUSED, wait=False)
    report = await lsp.text_document_diagnostic_async(t.DocumentDiagnosticParams(t.TextDocumentIdentifier(uri)))
    assert report.kind == "full"
    unused = next(d for d in report.items if d.code == "DS304")
    assert "`audit_log`" in unused.message and list(unused.tags) == [t.DiagnosticTag.Unnecessary]
    assert all(d.tags is None for d in report.items if d.code != "DS304")
    assert uri not in lsp.diagnostics   # a client that pulls is not pushed the same findings twice


async def test_pushed_findings_carry_the_unnecessary_tag(lsp: LanguageClient, project: Path):
    await start(lsp, project)
    uri = await open_doc(lsp, project / "design.dsspec", UNUSED)
    unused = next(d for d in lsp.diagnostics[uri] if d.code == "DS304")
    assert list(unused.tags) == [t.DiagnosticTag.Unnecessary] and unused.range.start == position(UNUSED, "source audit_log", inside=0)


async def test_workspace_diagnostics_report_files_not_open(lsp: LanguageClient, project: Path):
    (project / "broken.dsspec").write_text(SPEC.replace("latency p99", "latncy p99"))
    await start(lsp, project, pull=True)
    report = await lsp.workspace_diagnostic_async(t.WorkspaceDiagnosticParams(previous_result_ids=[]))
    by_uri = {item.uri: item for item in report.items}
    assert set(by_uri) == {(project / n).as_uri() for n in ("broken.dsspec", "design.dsspec", "sources.dsspec")}
    broken = by_uri[(project / "broken.dsspec").as_uri()]
    assert broken.version is None and any("did you mean `latency`" in d.message for d in broken.items)
    assert not any(d.code == "DS010" for d in by_uri[(project / "design.dsspec").as_uri()].items)


async def test_range_formatting_touches_only_the_statements_in_range(lsp: LanguageClient, project: Path):
    await start(lsp, project)
    messy = SPEC.replace("  budget  $6k/month", "      budget $6k/month").replace("  type probability",
                                                                                     "     type    probability")
    uri = await open_doc(lsp, project / "design.dsspec", messy)
    at = position(messy, "budget")
    edits = await lsp.text_document_range_formatting_async(t.DocumentRangeFormattingParams(
        t.TextDocumentIdentifier(uri), t.Range(at, at), t.FormattingOptions(2, True)))
    fixed = apply(messy, edits)
    assert "\n  budget   $6k/month\n" in fixed   # the operator block is laid out
    assert "     type    probability" in fixed     # the output block, outside the range, is not
    assert fixed.split("operator {")[0] == messy.split("operator {")[0]
    assert fixed.split("input payment")[1] == messy.split("input payment")[1]


async def test_folding_ranges_for_blocks_and_comment_runs(lsp: LanguageClient, project: Path):
    await start(lsp, project)
    text = "# A design.\n# Two lines of comment.\n" + SPEC
    uri = await open_doc(lsp, project / "design.dsspec", text)
    folds = await lsp.text_document_folding_range_async(t.FoldingRangeParams(t.TextDocumentIdentifier(uri)))
    shown = {(f.start_line, f.end_line, f.kind) for f in folds}
    model = position(text, "model scorer", inside=0).line
    assert (0, 1, t.FoldingRangeKind.Comment) in shown
    assert (model, position(text, "\n}\n", nth=4, inside=0).line, None) in shown   # up to the line before `}`
    assert (position(text, "ladder {").line, position(text, "    step").line, None) in shown


async def test_workspace_symbols_find_declarations_in_files_not_open(lsp: LanguageClient, project: Path):
    await start(lsp, project)
    found = await lsp.workspace_symbol_async(t.WorkspaceSymbolParams(query="paymnt"))
    assert sorted((s.name, s.container_name, s.location.uri.rsplit("/", 1)[1]) for s in found) == [("payment", "input", "design.dsspec"), ("payments", "source", "sources.dsspec")]
    scorer = await lsp.workspace_symbol_async(t.WorkspaceSymbolParams(query="scorer"))
    assert [(s.name, s.kind) for s in scorer] == [("scorer", t.SymbolKind.Class)]


async def test_document_highlight_marks_the_declaration_and_its_uses(lsp: LanguageClient, project: Path):
    await start(lsp, project)
    uri = await open_doc(lsp, project / "design.dsspec")
    found = await lsp.text_document_document_highlight_async(t.DocumentHighlightParams(
        t.TextDocumentIdentifier(uri), position(SPEC, "reads  payment", inside=8)))
    assert [(h.range.start, h.kind) for h in found] == [
        (position(SPEC, "input payment", inside=6), t.DocumentHighlightKind.Write),
        (position(SPEC, "reads  payment", inside=7), t.DocumentHighlightKind.Read)]
    assert not await lsp.text_document_document_highlight_async(t.DocumentHighlightParams(
        t.TextDocumentIdentifier(uri), position(SPEC, "binary_classification")))


async def test_an_include_is_a_document_link(lsp: LanguageClient, project: Path):
    await start(lsp, project)
    uri = await open_doc(lsp, project / "design.dsspec", SPEC + 'include "missing.dsspec"\n')
    found = await lsp.text_document_document_link_async(t.DocumentLinkParams(t.TextDocumentIdentifier(uri)))
    assert [(x.target, x.range.start, x.range.end) for x in found] == [
        ((project / "sources.dsspec").as_uri(), t.Position(0, 9), t.Position(0, 23))]   # a missing file is no link


async def test_code_lenses_say_what_uses_a_declaration_and_what_a_ladder_chose(lsp: LanguageClient, project: Path):
    await start(lsp, project)
    text = SPEC.replace("model scorer {", "model ranker {\n  task regression\n  reads payment\n}\n\nmodel scorer {")
    uri = await open_doc(lsp, project / "design.dsspec", text)
    found = await lsp.text_document_code_lens_async(t.CodeLensParams(t.TextDocumentIdentifier(uri)))
    lenses = {(x.range.start.line, x.command.title) for x in found}
    assert (position(text, "input payment", inside=0).line, "2 models read this") in lenses
    assert (position(text, "output fraud_score", inside=0).line, "1 model writes this") in lenses
    assert (position(text, "ladder {").line, "chosen: lightgbm recall 0.66") in lenses


async def test_inlay_hints_normalise_values_and_estimate_family_latency(lsp: LanguageClient, project: Path):
    await start(lsp, project)
    text = SPEC.replace("  budget  $6k/month\n", "  budget  $6k/month\n  load    30M/month\n") + \
        "\nserving {\n  mode online\n  cost $60/week\n}\n"
    uri = await open_doc(lsp, project / "design.dsspec", text)
    end = position(text, "\n", nth=text.count("\n") - 1, inside=0)
    found = await lsp.text_document_inlay_hint_async(t.InlayHintParams(
        t.TextDocumentIdentifier(uri), t.Range(t.Position(0, 0), end)))
    hints = {(h.position.line, h.label) for h in found}
    assert (position(text, "$60/week").line, "= $257/month, 4% of budget") in hints
    assert (position(text, "30M/month").line, "= 11.6/s") in hints
    assert (position(text, "lightgbm").line, "~1.5 ms cpu") in hints
    assert (position(text, "logistic_regression").line, "~0.2 ms cpu") in hints
    assert not any(line == position(text, "budget").line for line, _ in hints)   # the budget is not a share of itself


FIXABLE = SPEC.replace("latency p99", "latncy p99").replace("timeout 60ms", "timeout 60msec")


async def test_certain_fixes_are_quick_fixes_and_fix_all_applies_them(lsp: LanguageClient, project: Path):
    await start(lsp, project)
    uri = await open_doc(lsp, project / "design.dsspec", FIXABLE)
    unit = next(d for d in lsp.diagnostics[uri] if "60msec" in FIXABLE.split("\n")[d.range.start.line])
    found = await lsp.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri), unit.range, t.CodeActionContext([unit])))
    quick = [a for a in found if a.kind == t.CodeActionKind.QuickFix and a.is_preferred]
    assert quick[0].title == "Write `60ms`" and quick[0].edit.changes[uri][0].new_text == "60ms"
    fix_all = next(a for a in found if a.kind == "source.fixAll.dsspec")
    assert apply(FIXABLE, fix_all.edit.changes[uri]) == SPEC
    asked = await lsp.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri), t.Range(t.Position(0, 0), t.Position(0, 0)),
        t.CodeActionContext([], only=["source.fixAll"])))
    assert [a.kind for a in asked] == ["source.fixAll.dsspec"]   # as on save, with `only`
    assert apply(FIXABLE, asked[0].edit.changes[uri]) == SPEC


async def test_the_server_advertises_every_feature(lsp: LanguageClient, project: Path):
    caps = (await start(lsp, project)).capabilities
    assert "source.fixAll.dsspec" in caps.code_action_provider.code_action_kinds
    assert caps.diagnostic_provider.workspace_diagnostics and caps.diagnostic_provider.inter_file_dependencies
    assert all((caps.document_range_formatting_provider, caps.folding_range_provider, caps.workspace_symbol_provider,
                caps.document_highlight_provider, caps.document_link_provider, caps.code_lens_provider,
                caps.inlay_hint_provider))


async def completions(client: LanguageClient, uri: str, text: str, needle: str) -> list[str]:
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        t.VersionedTextDocumentIdentifier(version=9, uri=uri), [t.TextDocumentContentChangeWholeDocument(text)]))
    found = await client.text_document_completion_async(t.CompletionParams(
        t.TextDocumentIdentifier(uri), position(text, needle, inside=len(needle))))
    return [i.label for i in found.items]


async def test_completion_fits_the_place(lsp: LanguageClient, project: Path):
    await start(lsp, project)
    text = SPEC + "\nsource chargebacks {\n  kind labels\n  label_delay 60d\n}\n\ninput device {\n  from payments\n}\n"
    uri = await open_doc(lsp, project / "design.dsspec", text)
    labels = await completions(lsp, uri, text.replace("reads  payment", "reads  payment\n  labels "), "labels ")
    assert labels == ["chargebacks"]   # a source of labels, not `payments`
    listed = await completions(lsp, uri, text.replace("reads  payment", "reads  [payment, "), "[payment, ")
    assert listed == ["device"]


async def test_hover_on_a_model_family_gives_the_catalogue_figures(lsp: LanguageClient, project: Path):
    await start(lsp, project)
    uri = await open_doc(lsp, project / "design.dsspec")
    h = await lsp.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(uri),
                                                          position(SPEC, "lightgbm", inside=2)))
    text = h.contents.value
    assert "**model family** `lightgbm`" in text and "about 1M parameters" in text
    assert "about 1.5 ms per request on CPU" in text and "CPU serving is enough" in text


async def test_a_did_you_mean_that_names_something_else_is_offered_but_never_preferred(lsp: LanguageClient,
                                                                                      project: Path):
    """An editor applies a preferred quick fix on its own: only a spelling repair may be one."""
    await start(lsp, project)
    text = ('product p { owner "a" }\nsource cancellations { kind table }\nsource subscriptions { kind table }\n'
            'model m {\n  task binary_classification\n  labels cancellations_daily\n}\n'
            'model n {\n  task binary_classification\n  labels subscriptionss\n}\n')
    uri = await open_doc(lsp, project / "design.dsspec", text)
    for wrong, right, preferred in (("cancellations_daily", "cancellations", None),
                                    ("subscriptionss", "subscriptions", True)):
        d = next(d for d in lsp.diagnostics[uri] if wrong in text.split("\n")[d.range.start.line])
        found = await lsp.text_document_code_action_async(t.CodeActionParams(
            t.TextDocumentIdentifier(uri), d.range, t.CodeActionContext([d])))
        [guess] = [a for a in found if a.kind == t.CodeActionKind.QuickFix and right in a.title]
        assert guess.is_preferred is preferred and guess.edit.changes[uri][0].new_text == right
        assert ("a different name" in guess.title) == (preferred is None)
