"""The language server end to end: pytest-lsp starts the real `dsspec lsp` process and speaks to it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")  # in the test extra; lets `pip install -e .` alone run the rest
from lsprotocol import types as t  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

pytestmark = pytest.mark.asyncio

SOURCES = """\
source payments {
  kind      stream
  freshness 1s
  retention 18mo
}
"""

SPEC = """\
include "sources.dsspec"

product fraud_scoring {
  title  "Card fraud scoring"
  owner  "risk-ds@example.com"
  status review
}

operator {
  latency p99 <= 80ms
  budget  $6k/month
  timeout 60ms
  fallback rules "The rule engine scores the payment"
}

input payment {
  from     payments
  fields   [amount, mcc]
  known_at request
}

output fraud_score {
  type probability
}

model scorer {
  task   binary_classification
  reads  payment
  writes fraud_score
  ladder {
    baseline logistic_regression { recall 0.55 }
    step     lightgbm { recall 0.66; chosen }
  }
}
"""


def position(text: str, needle: str, nth: int = 0, inside: int = 1) -> t.Position:
    """Return the protocol position ``inside`` characters into the ``nth`` occurrence of ``needle``."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    offset += inside
    line = text.count("\n", 0, offset)
    return t.Position(line, offset - (text.rfind("\n", 0, offset) + 1))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "dsspec.toml").write_text("")
    (tmp_path / "sources.dsspec").write_text(SOURCES)
    (tmp_path / "design.dsspec").write_text(SPEC)
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "dsspec", "lsp"]))
async def client(lsp_client: LanguageClient):
    snippets = t.TextDocumentClientCapabilities(completion=t.CompletionClientCapabilities(
        completion_item=t.ClientCompletionItemOptions(snippet_support=True)))   # as VS Code says
    await lsp_client.initialize_session(t.InitializeParams(capabilities=t.ClientCapabilities(text_document=snippets)))
    yield
    await lsp_client.shutdown_session()


async def open_doc(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        t.TextDocumentItem(uri, "dsspec", 1, path.read_text() if text is None else text)))
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


async def test_diagnostics_as_you_type_with_rule_links(client: LanguageClient, project: Path):
    uri = await open_doc(client, project / "design.dsspec")
    codes = {d.code for d in client.diagnostics[uri]}
    assert "DS010" not in codes and "DS020" not in codes   # the include resolved: `payments` is known
    # a typo, typed as an incremental change
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        t.VersionedTextDocumentIdentifier(version=2, uri=uri),
        [t.TextDocumentContentChangePartial(t.Range(position(SPEC, "latency", inside=0),
                                                    position(SPEC, "latency", inside=7)), "latncy")]))
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    typo = next(d for d in client.diagnostics[uri] if d.code == "DS010")
    assert "did you mean `latency`" in typo.message
    assert typo.range.start == position(SPEC, "latency", inside=0)
    assert typo.code_description.href.endswith("docs/rules.md#built-in-checks")
    design = [d for d in client.diagnostics[uri] if d.code.startswith("DS") and int(d.code[2:]) >= 100]
    assert design and all(d.code_description.href.endswith(f"#{d.code.lower()}-{d.data['rule']}")
                          for d in design if d.code != "DS901")


async def test_an_include_changed_on_disk_is_followed(client: LanguageClient, project: Path):
    uri = await open_doc(client, project / "design.dsspec")
    assert not any(d.code == "DS020" for d in client.diagnostics[uri])
    (project / "sources.dsspec").write_text(SOURCES.replace("payments", "card_payments"))
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(
        [t.FileEvent((project / "sources.dsspec").as_uri(), t.FileChangeType.Changed)]))
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    missing = next(d for d in client.diagnostics[uri] if d.code == "DS020")
    assert missing.message.startswith("unknown source `payments`; did you mean `card_payments`?")


class Counting(dict):
    """The client's store of published findings, counting each publication."""

    published = 0

    def __setitem__(self, key, value):
        self.published += 1
        super().__setitem__(key, value)


async def test_a_burst_of_keystrokes_compiles_once(client: LanguageClient, project: Path):
    uri = await open_doc(client, project / "design.dsspec")
    client.diagnostics = Counting(client.diagnostics)
    typed = "latncy"
    start = position(SPEC, "latency", inside=0)
    for version, n in enumerate(range(1, len(typed) + 1), start=2):   # type `latncy` over `latency`, key by key
        end = t.Position(start.line, start.character + (7 if n == 1 else n - 1))
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            t.VersionedTextDocumentIdentifier(version=version, uri=uri),
            [t.TextDocumentContentChangePartial(t.Range(start, end), typed[:n])]))
    while not any("unknown attribute `latncy`" in d.message for d in client.diagnostics.get(uri, ())):
        await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)   # the last text's findings
    assert client.diagnostics.published < len(typed)   # debounced: not one compile per key


async def test_related_locations(client: LanguageClient, project: Path):
    text = SPEC + "\noutput fraud_score {\n  type score\n}\n"
    uri = await open_doc(client, project / "design.dsspec", text)
    dup = next(d for d in client.diagnostics[uri] if d.code == "DS021")
    related = dup.related_information[0]
    assert related.location.uri == uri and related.message == "first declared here"
    assert related.location.range.start == position(text, "output fraud_score", inside=7)


async def test_hover_on_names_values_findings_and_suppressions(client: LanguageClient, project: Path):
    text = SPEC.replace("product fraud_scoring", "# dsspec: ignore[goal-missing] no KPI yet\nproduct fraud_scoring")
    uri = await open_doc(client, project / "design.dsspec", text)

    async def hover(needle, nth=0, inside=1):
        h = await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(uri),
                                                                 position(text, needle, nth, inside)))
        return h.contents.value if h else None

    on_ref = await hover("from     payments", inside=10)
    assert "**source** `payments`" in on_ref and "sources.dsspec:1" in on_ref
    assert "retention: `18mo` = 540 days" in on_ref and "used 1 time" in on_ref
    assert "= $6,000/month" in await hover("$6k/month")
    assert "DS102 goal-missing" in await hover("goal-missing")
    assert "## What it does" in await hover("goal-missing")
    assert "takes percentile: one of `p50`" in await hover("latency p99", inside=2)   # a statement: its form
    assert await hover("p99") == "`p99`: percentile, one of `p50`, `p90`, `p95`, `p99`, `p999` or `max`"
    on_model = await hover("model scorer", inside=7)
    assert "**model** `scorer`" in on_model and "- reads: `payment`" in on_model
    assert "- ladder: baseline `logistic_regression` (recall 0.55) → step `lightgbm` (recall 0.66) **chosen**" in on_model


async def test_definition_references_and_rename_across_includes(client: LanguageClient, project: Path):
    uri = await open_doc(client, project / "design.dsspec")
    src_uri = (project / "sources.dsspec").as_uri()
    where = position(SPEC, "from     payments", inside=10)
    loc = await client.text_document_definition_async(t.DefinitionParams(t.TextDocumentIdentifier(uri), where))
    assert loc.uri == src_uri and loc.range.start == t.Position(0, 7)
    on_include = await client.text_document_definition_async(t.DefinitionParams(
        t.TextDocumentIdentifier(uri), position(SPEC, "sources.dsspec")))
    assert on_include.uri == src_uri and on_include.range.start == t.Position(0, 0)
    refs = await client.text_document_references_async(t.ReferenceParams(
        text_document=t.TextDocumentIdentifier(uri), position=where,
        context=t.ReferenceContext(include_declaration=True)))
    assert {r.uri for r in refs} == {uri, src_uri} and len(refs) == 2
    ready = await client.text_document_prepare_rename_async(t.PrepareRenameParams(
        t.TextDocumentIdentifier(uri), where))
    assert ready == t.Range(position(SPEC, "payments", inside=0), position(SPEC, "payments", inside=8))
    assert await client.text_document_prepare_rename_async(t.PrepareRenameParams(
        t.TextDocumentIdentifier(uri), position(SPEC, "binary_classification"))) is None   # an enum word
    edit = await client.text_document_rename_async(t.RenameParams(t.TextDocumentIdentifier(uri), where, "card_payments"))
    assert sorted(edit.changes) == sorted([uri, src_uri])
    assert all(e.new_text == "card_payments" for edits in edit.changes.values() for e in edits)


async def test_references_from_a_shared_file_reach_the_open_specs_that_include_it(client: LanguageClient,
                                                                                  project: Path):
    uri = await open_doc(client, project / "design.dsspec")
    src_uri = await open_doc(client, project / "sources.dsspec")
    where = position(SOURCES, "payments", inside=2)
    refs = await client.text_document_references_async(t.ReferenceParams(
        text_document=t.TextDocumentIdentifier(src_uri), position=where,
        context=t.ReferenceContext(include_declaration=False)))
    assert [(r.uri, r.range.start) for r in refs] == [(uri, position(SPEC, "from     payments", inside=9))]


async def completions(client: LanguageClient, uri: str, text: str, needle: str) -> list[str]:
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        t.VersionedTextDocumentIdentifier(version=9, uri=uri), [t.TextDocumentContentChangeWholeDocument(text)]))
    found = await client.text_document_completion_async(t.CompletionParams(
        t.TextDocumentIdentifier(uri), position(text, needle, inside=len(needle))))
    return [i.label for i in found.items]


async def test_completion_follows_the_schema(client: LanguageClient, project: Path):
    uri = await open_doc(client, project / "design.dsspec")
    top = await completions(client, uri, SPEC + "\nmon", "\nmon")
    assert {"monitoring", "evaluation", "audience", "source"} <= set(top)
    assert "product" not in top and "operator" not in top   # there is one already
    found = await client.text_document_completion_async(t.CompletionParams(
        t.TextDocumentIdentifier(uri), position(SPEC + "\nmon", "\nmon", inside=4)))
    source = next(i for i in found.items if i.label == "source")
    assert source.insert_text == "source ${1:name} {\n\t$0\n}" and source.insert_text_format == t.InsertTextFormat.Snippet
    attrs = await completions(client, uri, SPEC.replace("  timeout 60ms\n", "  timeout 60ms\n  \n"),
                              "timeout 60ms\n  ")
    assert {"success", "load", "error_cost"} <= set(attrs) and "kind" not in attrs
    assert "latency" not in attrs and "timeout" not in attrs   # written already, and they may appear once
    words = await completions(client, uri, SPEC.replace("status review", "status "), "status ")
    assert words == ["draft", "review", "approved"]
    names = await completions(client, uri, SPEC.replace("reads  payment", "reads  ["), "reads  [")
    assert names == ["payment"]
    metrics = await completions(client, uri, SPEC + "\nevaluation {\n  metrics [uplift_at_5]\n  primary ",
                                "primary ")
    assert metrics[0] == "uplift_at_5" and "recall" in metrics   # the spec's own metrics first, then the catalogue
    rules = await completions(client, uri, SPEC + "\n# dsspec: ignore[", "ignore[")
    assert "baseline-missing" in rules


async def test_code_actions_fix_suppress_and_add_sections(client: LanguageClient, project: Path):
    text = SPEC.replace("task   binary_classification", "task   binary_clasification")
    uri = await open_doc(client, project / "design.dsspec", text)
    bad = next(d for d in client.diagnostics[uri] if d.code == "DS011")
    found = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri), bad.range, t.CodeActionContext([bad])))
    fix = next(a for a in found if a.title.startswith("Replace"))
    assert fix.edit.changes[uri][0].new_text == "binary_classification" and fix.edit.changes[uri][0].range == bad.range
    titles = [a.title for a in found]
    assert "Add the `monitoring` section from `dsspec init`'s skeleton" in titles
    assert not any(a.title.startswith("Suppress") for a in found)   # built-in checks cannot be suppressed

    design = next(d for d in client.diagnostics[uri] if d.code == "DS101")   # ecosystem-incomplete
    found = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri), design.range, t.CodeActionContext([design])))
    sup = next(a for a in found if a.title.startswith("Suppress `ecosystem-incomplete`"))
    assert sup.edit.changes[uri][0].new_text.startswith("# dsspec: ignore[ecosystem-incomplete] ")
    assert sup.edit.changes[uri][0].range.start == t.Position(design.range.start.line, 0)
    add = next(a for a in found if "`ecosystem`" in a.title)
    assert add.kind == t.CodeActionKind.QuickFix and add.diagnostics[0].code == "DS101"
    assert "ecosystem {\n  # What exact problem" in add.edit.changes[uri][0].new_text


async def test_formatting_outline_and_tokens(client: LanguageClient, project: Path):
    messy = SPEC.replace("  budget  $6k/month", "      budget $6k/month")
    uri = await open_doc(client, project / "design.dsspec", messy)
    edits = await client.text_document_formatting_async(t.DocumentFormattingParams(
        t.TextDocumentIdentifier(uri), t.FormattingOptions(2, True)))
    from dsspec.compiler.syntax.format import format_document
    from dsspec.compiler.syntax.parser import parse

    assert edits[0].new_text == format_document(parse("x", messy)[0]) != messy
    assert "\n  budget   $6k/month\n" in edits[0].new_text
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(t.TextDocumentIdentifier(uri)))
    names = [s.name for s in symbols]
    assert names == ["include", "product fraud_scoring", "operator", "input payment", "output fraud_score",
                     "model scorer"]
    model = symbols[-1]
    assert [c.name for c in model.children] == ["ladder"]
    tokens = await client.text_document_semantic_tokens_full_async(t.SemanticTokensParams(t.TextDocumentIdentifier(uri)))
    assert list(tokens.data[:5]) == [0, 0, 7, 0, 0]   # `include`, a keyword
    assert len(tokens.data) % 5 == 0 and len(tokens.data) > 100
