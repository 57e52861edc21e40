"""Views, directions, large designs, the icon backend and the documents' content (`dsspec build`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from dsspec.compiler import pipeline
from dsspec.cli import main
from dsspec.compiler.emit import artefacts
from dsspec.compiler.emit.render import executable
from dsspec.compiler.emit.views import build_view

ROOT = Path(__file__).resolve().parents[1]
OWN = ROOT / "specs" / "search_ranking.dsspec"
MULTI = ROOT / "tests" / "fixtures" / "views" / "marketplace_pipeline.dsspec"
BARE = ROOT / "tests" / "fixtures" / "views" / "bare.dsspec"
needs_pure = pytest.mark.skipif(executable("graphviz-pure") is None, reason="graphviz-pure is not installed")
sys.path.insert(0, str(ROOT / "bench"))


def build(capsys, *argv):
    code = main(["build", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _compiled(path: Path):
    return pipeline.check_file(pipeline.Session(), str(path))


@needs_pure
def test_default_build_draws_every_view_a_design_has(tmp_path, capsys):
    code, _, err = build(capsys, str(MULTI), str(BARE), "-o", str(tmp_path), "--format", "svg")
    assert code == 0, err
    names = {p.name for p in tmp_path.iterdir()}
    assert {f"marketplace_pipeline.{v}svg" for v in ("", "overview.", "ladder.", "data.", "pipeline.")} <= names
    assert "bare.svg" in names and "bare.data.svg" in names
    assert "bare.ladder.svg" not in names and "bare.pipeline.svg" not in names, "views without content"


def test_view_option_selects_and_rejects_unknown_views(tmp_path, capsys):
    code, _, err = build(capsys, str(OWN), "-o", str(tmp_path), "--format", "dot", "--view", "ladder,data")
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dsspec-build.json", "search_ranking.data.dot",
                                                         "search_ranking.ladder.dot"]
    code, _, err = build(capsys, str(OWN), "-o", str(tmp_path / "p"), "--format", "dot", "--view", "pipeline")
    assert code == 0 and "has no pipeline view: it declares fewer than two models" in err
    code, _, err = build(capsys, str(OWN), "-o", str(tmp_path), "--view", "ladder,context")
    assert code == 2 and "unknown view `context`" in err and "overview" in err


def test_direction_option_sets_the_layout(tmp_path, capsys):
    for direction in ("TB", "LR"):
        code, _, _ = build(capsys, str(OWN), "-o", str(tmp_path / direction), "--format", "dot", "--view",
                           "system", "--direction", direction)
        assert code == 0
        assert f"rankdir={direction}" in (tmp_path / direction / "search_ranking.dot").read_text()
    with pytest.raises(SystemExit) as exit_:
        build(capsys, str(OWN), "-o", str(tmp_path), "--direction", "RL")
    assert exit_.value.code == 2 and "--direction" in capsys.readouterr().err


@needs_pure
def test_auto_direction_keeps_top_to_bottom_when_it_is_page_shaped(tmp_path, capsys):
    build(capsys, str(OWN), "-o", str(tmp_path), "--format", "dot,svg", "--view", "system")
    assert "rankdir=TB" in (tmp_path / "search_ranking.dot").read_text()


def test_system_view_places_panels_beside_the_model_and_wraps_text():
    result = _compiled(OWN)
    view = build_view(result.resolved, result.diagnostics, "system")
    assert ["ladder_ranker", "model_ranker", "constraints"] in view.beside
    chosen = view.elements["ladder_ranker"]
    assert [chosen.rows[i][0] for i in chosen.marked] == ["step (chosen)"]
    assert all(len(line) <= 30 for el in view.elements.values() for line in el.lines)


def test_pipeline_view_links_a_model_reading_another_models_output():
    result = _compiled(MULTI)
    view = build_view(result.resolved, result.diagnostics, "pipeline")
    assert [e.id for e in view.elements.values() if e.kind == "model"] == [
        "model_retriever", "model_ranker", "model_screener"]
    assert all(e.tail in view.elements and e.head in view.elements for e in view.edges)
    # a `reads` naming an output (the language's model pipelines) becomes an edge from that output
    ranker = result.resolved.spec.models[1]
    ranker.reads.append(ranker.reads[0].model_copy(update={"name": "candidates"}))
    for name in ("pipeline", "system", "data"):
        view = build_view(result.resolved, result.diagnostics, name)
        assert any(e.tail == "output_candidates" and e.head == "model_ranker" for e in view.edges), name
    # the ranker now runs after the retriever, whatever the order of declaration
    models = result.resolved.spec.models
    models.insert(0, models.pop(1))
    view = build_view(result.resolved, result.diagnostics, "pipeline")
    assert [view.elements[f"model_{n}"].title for n in ("retriever", "ranker", "screener")] == [
        "1. retriever", "2. ranker", "1. screener"]   # screener reads no model: stage 1, beside retriever


@needs_pure
def test_a_large_design_is_summarised_with_counts_and_keeps_its_detailed_views(tmp_path, capsys):
    from bench_large import design

    spec = tmp_path / "big.dsspec"
    spec.write_text(design(artefacts.LARGE * 3))
    (tmp_path / "dsspec.toml").touch()
    code, _, err = build(capsys, str(spec), "-o", str(tmp_path / "out"), "--format", "dot")
    assert code == 0 and "is large: its views are summarised" in err
    dot = (tmp_path / "out" / "big.dot").read_text()
    assert "summarised:" in dot and re.search(r"<B>\d+ inputs</B>", dot) and "source_s0" not in dot
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".dsspec-build.json", "big.dot", "big.overview.dot"]
    result = _compiled(spec)
    view = build_view(result.resolved, result.diagnostics, "system", summarise=True)
    missing = [d for d in result.diagnostics if d.rule == "labels-missing"]
    assert len(missing) > 1 and all(d in view.elements["models"].findings for d in missing), \
        "a summary element carries the findings of every declaration it stands for"
    code, _, _ = build(capsys, str(spec), "-o", str(tmp_path / "out"), "--format", "dot", "--view", "data")
    data = (tmp_path / "out" / "big.data.dot").read_text()   # asked by name, still a page: summarised by kind
    assert code == 0 and "source_s0" not in data and "sources_table" in data


@needs_pure
def test_icon_backend_highlights_the_chosen_step_and_outlines_findings(tmp_path, capsys):
    pytest.importorskip("diagrams")
    code, _, err = build(capsys, str(MULTI), "-o", str(tmp_path), "--backend", "diagrams", "--format", "dot,svg",
                         "--view", "system,ladder")
    assert code == 0, err
    dot = (tmp_path / "marketplace_pipeline.dot").read_text()
    assert dot.count("<IMG") >= 10 and 'COLOR="#b2182b"' in dot and "error DS301" in dot   # batch serving of screener: an error
    assert "the ladder view has no icons to show" in err, "the ladder falls back to the default backend"
    ladder = (tmp_path / "marketplace_pipeline.ladder.dot").read_text()
    assert "<IMG" not in ladder and "#ffe08a" in ladder


def test_documents_give_each_audience_what_it_gets(tmp_path, capsys):
    code, _, _ = build(capsys, str(MULTI), "-o", str(tmp_path), "--format", "md,svg")
    assert code == 0
    pm = (tmp_path / "marketplace_pipeline.pm.md").read_text()
    assert "](marketplace_pipeline.overview.svg)" in pm, "a reader of summaries gets the overview"
    assert "## Open risks" in pm and "batch-serving-for-realtime-latency" in pm
    assert "**For whom.**" in pm and "**The goal.** Increase `feed_clicks` by 8%" in pm
    assert "The design ships" not in pm and "## Runbook" not in pm
    eng = (tmp_path / "marketplace_pipeline.engineer.md").read_text()
    assert "](marketplace_pipeline.svg)" in eng and "## Open risks" not in eng
    assert "Alerts go to: feed-ml on-call." in eng and "&lt;= 0.40 (the worst level)" in eng
    assert "Fallback: previous model — The previous week's ranker." in eng
    staff = (tmp_path / "marketplace_pipeline.staff_ds.md").read_text()
    assert "| rung | model | recall\\_at\\_50 | other results | parameters | why |" in staff
    assert "| manual | Newest listings matching saved searches | 0.31 |" in staff
    assert "## Open risks" in staff


def test_one_money_format_in_every_output(tmp_path, capsys):
    build(capsys, str(MULTI), "-o", str(tmp_path), "--format", "md,dot,mermaid")
    import html

    text = "".join(html.unescape(p.read_text()) for p in tmp_path.iterdir() if p.suffix != ".json")  # &#36; is $
    amounts = re.findall(r"\$[\d.,]+k?(?:/\w+)?", text)
    assert "$12,000/month" in amounts and "$1,500/month" in amounts
    assert not [a for a in amounts if "k" in a or re.match(r"\$\d{4}", a)], "one format: $1,500/month"
    assert "every weekly" not in text and "known at precomputed" not in text


@needs_pure
def test_every_output_of_every_view_is_byte_identical_across_builds(tmp_path, capsys):
    pytest.importorskip("diagrams")
    for name in ("a", "b"):
        for backend in ("graphviz", "diagrams"):
            code, _, err = build(capsys, str(MULTI), "-o", str(tmp_path / name / backend), "--backend", backend,
                                 "--format", "svg,dot,mermaid,md,json")
            assert code == 0, err
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.*")}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.*")}
    assert a == b and len(a) >= 40


@needs_pure
def test_icon_backend_without_the_diagrams_package_draws_the_default_with_a_note(tmp_path, capsys, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_diagrams(name, *args, **kwargs):
        if name == "diagrams" or name.startswith("diagrams."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_diagrams)
    code, _, err = build(capsys, str(OWN), "-o", str(tmp_path), "--backend", "diagrams", "--format", "svg,dot",
                         "--view", "system")
    assert code == 0 and "drawn with the default backend" in err and "pip install 'dsspec[icons]'" in err
    assert (tmp_path / "search_ranking.svg").read_bytes().startswith(b"<?xml")
    assert "<IMG" not in (tmp_path / "search_ranking.dot").read_text()


def test_mermaid_follows_the_direction(tmp_path, capsys):
    build(capsys, str(OWN), "-o", str(tmp_path), "--format", "mermaid", "--view", "system", "--direction", "LR")
    assert "flowchart LR" in (tmp_path / "search_ranking.mmd").read_text()


def test_models_with_one_name_are_each_drawn_in_the_pipeline(tmp_path, capsys):
    """A duplicate model name (an error of its own) must not stop the pipeline view from being drawn."""
    spec = tmp_path / "dup.dsspec"
    spec.write_text('product p { owner "a" }\nmodel a { task regression }\nmodel a { task regression }\n')
    from dsspec.cli import main

    assert main(["build", str(spec), "-o", str(tmp_path / "out"), "--view", "pipeline", "--format", "dot"]) in (0, 1)
    assert "internal-error" not in capsys.readouterr().err
    assert (tmp_path / "out" / "dup.pipeline.dot").read_text().count("model_a") >= 1


def test_the_timeline_and_request_path_reach_every_consumer(tmp_path, capsys):
    """Both views are rows of the one registry: build --view, the integrations' outputs (preview, MCP,
    MkDocs draw through them), Mermaid, and the documents that embed them."""
    from dsspec.compiler import outputs
    from dsspec.compiler.emit.view import VIEWS

    assert {"timeline", "request_path"} <= set(VIEWS)
    spec = ROOT / "specs" / "search_ranking.dsspec"
    result = outputs.compile_spec(spec)
    assert {"timeline", "request_path"} <= set(outputs.offered(result))
    assert "<svg" in outputs.svg(result, "timeline") and "training" in outputs.svg(result, "timeline")
    assert "latency budget" in outputs.svg(result, "request_path")
    code, _, _ = build(capsys, str(spec), "-o", str(tmp_path), "--format", "svg,mermaid,md",
                       "--view", "timeline,request_path")
    assert code == 0
    assert (tmp_path / "search_ranking.timeline.mmd").read_text().split("---\n")[2].startswith("gantt")
    assert "flowchart" in (tmp_path / "search_ranking.request_path.mmd").read_text()
    assert "](search_ranking.timeline.svg)" in (tmp_path / "search_ranking.staff_ds.md").read_text()
    assert "](search_ranking.request_path.svg)" in (tmp_path / "search_ranking.engineer.md").read_text()


def test_the_mcp_tool_and_mkdocs_draw_the_new_views(tmp_path):
    import asyncio
    import subprocess
    import sys

    pytest.importorskip("mcp")
    from mcp import Client

    from dsspec.integrations.mcp import server

    async def draw(view):
        async with Client(server) as client:
            res = await client.call_tool("build_view", {"path": str(ROOT / "specs" / "search_ranking.dsspec"),
                                                        "view": view, "format": "dot"})
        return res.content[0].text

    assert "lane_ranker" in asyncio.run(draw("timeline"))
    assert "budget" in asyncio.run(draw("request_path"))
    pytest.importorskip("mkdocs")
    docs = tmp_path / "docs"
    docs.mkdir()
    (tmp_path / "dsspec.toml").write_text("")
    (docs / "index.md").write_text("# T\n\n```dsspec view=timeline\n" +
                                   (ROOT / "specs" / "search_ranking.dsspec").read_text() + "```\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: D\nplugins:\n  - dsspec:\n      view: request_path\n")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert 'id="lane_ranker"' in (tmp_path / "site" / "index.html").read_text()   # the block's own view


def test_ladder_draws_a_stage_on_its_own_metric_with_gains_in_its_unit(tmp_path):
    """A retriever that reports only `recall_at_5` under a product metric it never measures is drawn on
    `recall_at_5` (not "no ... result"), with gains in points for percentages and better/worse by the
    metric's direction."""
    spec = tmp_path / "rag.dsspec"
    (tmp_path / "dsspec.toml").touch()
    spec.write_text("""product p { owner "a@b.c" }
ecosystem { user agent "Support agent" }
operator { success accepted_draft_share { optimal >= 40%; acceptable >= 30%; worst <= 20% } }
input q { fields [text] }
output passages { type ranking }
output draft { type text; to agent }
model retriever {
  task ranking
  reads [q]
  writes passages
  ladder {
    manual "keyword search" { recall_at_5 52% }
    step bm25 { recall_at_5 61% }
    step cross_encoder { recall_at_5 74%; chosen }
  }
}
model drafter {
  task generation
  reads [passages]
  writes draft
  ladder {
    manual "templates" { accepted_draft_share 17% }
    step llm { accepted_draft_share 31%; chosen }
  }
}
output minutes { type score; to agent }
model eta {
  task regression
  reads [q]
  writes minutes
  ladder {
    baseline mean { mae 9.0 }
    step gbdt { mae 8.5; chosen }
  }
}
""")
    result = pipeline.check_file(pipeline.Session(), str(spec))
    view = build_view(result.resolved, result.diagnostics, "ladder")
    texts = [line for e in view.elements.values() for line in [e.title, *e.lines]]
    assert any("recall_at_5 74%" in t for t in texts)
    assert not any("no accepted_draft_share result" in t for t in texts)
    gains = {(e.tail, e.head): e.label for e in view.edges}
    assert gains[("step_retriever_0", "step_retriever_1")] == "+9 pts better"
    assert gains[("step_drafter_0", "step_drafter_1")] == "+14 pts better"
    assert gains[("step_eta_0", "step_eta_1")] == "-0.5 better"   # mae: lower is better


def test_tooltips_do_not_double_the_kind_word():
    """"serving of ranker" is its own kind word: the tooltip says it once, not "serving serving of ranker"."""
    from dsspec.compiler.emit.dot import to_dot

    result = pipeline.check_file(pipeline.Session(), str(ROOT / "tests" / "corpus" / "realworld" /
                                                         "video_recs_two_stage.dsspec"))
    source = to_dot(build_view(result.resolved, result.diagnostics, "system"))
    assert 'tooltip="serving of ranker' in source
    for word in ("serving", "training", "evaluation", "monitoring", "rollout", "fallback"):
        assert f"{word} {word}" not in source
