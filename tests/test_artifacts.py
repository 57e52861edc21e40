"""The engineer's artifacts (`build --format openapi,alerts,notebook,excalidraw`), each checked by its consumer.

Every design in specs/ and the real-world corpus is built and checked: the
OpenAPI document with `openapi-spec-validator`, the alert rules with
Prometheus's own `promtool check rules` (Debian's `prometheus` package;
.ci/run installs it), the notebook with `nbformat` and the Excalidraw scene
with Excalidraw's own `restore` in Node (tests/excalidraw/validate.mjs; `npm
ci --prefix tests/excalidraw`). The notebooks of the bundled specs and of a
sample of the corpus are also executed with `nbclient` on a small table of
predictions and outcomes written here, so they run as written: a kernel per
notebook takes a few seconds, so the rest of the corpus is validated, not run.
Locally a missing program skips its test; in CI (`CI` set) it fails.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dsspec.cli import main
from dsspec.compiler import pipeline
from dsspec.compiler.emit.render import executable

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted((ROOT / "specs").glob("*.dsspec"))
CORPUS = sorted((ROOT / "tests" / "corpus" / "realworld").glob("*.dsspec"))
EVERY = SPECS + CORPUS
RUN = SPECS + [ROOT / "tests" / "corpus" / "realworld" / f"{name}.dsspec" for name in (
    "credit_scorecard",       # a probability, with decision metrics and protected slices
    "ride_eta",               # a regression
    "video_recs_two_stage",   # two models: retrieval then ranking
    "handoff_summariser",     # generated text: metrics the notebook cannot compute
)]
"""The designs whose notebooks are executed: every bundled spec and a sample of the corpus covering each task."""
ARTIFACTS = "openapi,alerts,notebook,excalidraw"
CHECKER = ROOT / "tests" / "excalidraw"
needs_pure = pytest.mark.skipif(executable("graphviz-pure") is None, reason="graphviz-pure is not installed")


def _missing(what: str, how: str):
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI: {how}")
    pytest.skip(f"{what} is not installed: {how}")


def build(capsys, *argv) -> tuple[int, str, str]:
    code = main(["build", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Every design's artifacts, built once into one folder."""
    out = tmp_path_factory.mktemp("artifacts")
    code = main(["build", *map(str, EVERY), "-o", str(out), "--format", ARTIFACTS])
    assert code == 0
    return out


def _resolved(spec: Path):
    return pipeline.check_file(pipeline.Session(), str(spec)).resolved


# -- OpenAPI ---------------------------------------------------------------------------------------------------------
@needs_pure
def test_every_openapi_document_validates(built):
    from openapi_spec_validator import validate

    for spec in EVERY:
        doc = json.loads((built / f"{spec.stem}.openapi.json").read_text())
        validate(doc)
        assert doc["openapi"] == "3.1.0"


def test_openapi_has_one_operation_per_model_served_on_request():
    from dsspec.compiler.emit import openapi

    doc = openapi.document(_resolved(ROOT / "specs" / "search_ranking.dsspec"), "search_ranking.dsspec")
    assert list(doc["paths"]) == ["/ranker/predict"]
    op = doc["paths"]["/ranker/predict"]["post"]
    request = op["requestBody"]["content"]["application/json"]["schema"]
    assert sorted(request["properties"]) == ["candidate", "query"]   # product_profile is precomputed: not sent
    assert "product_profile (precomputed)" in " ".join(op["x-dsspec-notes"])
    assert set(request["properties"]["query"]["properties"]) == {"query_length", "query_category", "device_type",
                                                                  "locale"}
    field = request["properties"]["query"]["properties"]["locale"]
    assert "type" not in field and "not stated" in field["description"]   # no type is invented
    response = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert response["properties"]["ranked_results"]["type"] == "array"
    assert op["x-dsspec-latency"] == {"percentile": "p99", "target": "<= 40ms", "seconds": 0.04}
    assert op["x-dsspec-timeout"] == {"after": "30ms", "seconds": 0.03}
    assert op["x-dsspec-fallback"]["kind"] == "rules" and op["x-dsspec-safe-default"] == "Plain BM25 relevance order"


def test_openapi_of_a_batch_model_has_no_operation_and_says_why():
    from dsspec.compiler.emit import openapi

    doc = openapi.document(_resolved(ROOT / "specs" / "churn_outreach.dsspec"), "churn_outreach.dsspec")
    assert doc["paths"] == {}
    assert any("batch" in note for note in doc["x-dsspec-notes"])


def test_openapi_says_what_the_spec_leaves_undecided(check):
    from dsspec.compiler.emit import openapi

    result = check("""
product p { owner "a@b.c" }
input request { fields [text] }
output label { type probability }
model m {
  task   classification
  reads  [request]
  writes label
}
serving { mode online }
""")
    op = openapi.document(result.resolved, "spec.dsspec")["paths"]["/m/predict"]["post"]
    notes = " ".join(op["x-dsspec-notes"])
    for missing in ("no latency target", "no timeout", "no fallback", "no safe default"):
        assert missing in notes
    assert not {"x-dsspec-latency", "x-dsspec-timeout", "x-dsspec-fallback"} & set(op)
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["label"]
    assert schema["minimum"] == 0 and schema["maximum"] == 1


# -- Prometheus rules ------------------------------------------------------------------------------------------------
def _promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        _missing("promtool", "install Debian's `prometheus` package (`apt-get install prometheus`)")
    return path


@needs_pure
def test_every_alert_file_passes_promtool(built):
    promtool = _promtool()
    files = [str(built / f"{spec.stem}.alerts.yml") for spec in EVERY]
    proc = subprocess.run([promtool, "check", "rules", *files], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("SUCCESS") == len(files), proc.stdout


def test_alerts_follow_the_levels_the_delay_and_the_latency_target():
    from dsspec.compiler.emit import alerts

    text = alerts.render(_resolved(ROOT / "specs" / "search_ranking.dsspec"))
    # the success metric at its worst level, over its label delay (2d): its value exists only once labels are in
    assert 'expr: "avg_over_time(search_ranking_ndcg_at_10[2d]) <= 0.42"' in text
    assert "histogram_quantile(0.99, sum by (le) (rate(search_ranking_request_duration_seconds_bucket[5m]))) > 0.04" \
        in text
    for feature in ("query_category", "price", "ctr_30d", "bm25_score"):
        assert f'search_ranking_feature_drift_psi{{feature=\\"{feature}\\"}} > 0.2' in text
    assert 'action: "rollback"' in text
    # the contract the serving code exports, and what has no level: said, not alerted
    assert "#   search_ranking_ndcg_at_10  gauge" in text and "#   search_ranking_request_duration_seconds" in text
    assert "`mrr` is tracked but has no level in the spec: no rule" in text
    assert "mrr" not in text.split("groups:")[1]


def test_a_design_without_monitoring_gets_an_empty_rule_file_that_says_so(check):
    from dsspec.compiler.emit import alerts

    text = alerts.render(check('product p { owner "a@b.c" }\n').resolved)
    assert text.rstrip().endswith("groups: []")
    assert "no `monitoring` section" in text


def test_rollback_on_a_stated_bound_uses_its_unit(check):
    from dsspec.compiler.emit import alerts

    result = check("""
product p { owner "a@b.c" }
model m { task classification }
monitoring {
  track block_rate
  alert "oncall"
}
rollout { rollback when block_rate > 1.5% "back to rules" }
""")
    text = alerts.render(result.resolved)
    assert 'expr: "p_block_rate > 0.015"' in text and "exported as a fraction" in text


# -- the notebook ----------------------------------------------------------------------------------------------------
@needs_pure
def test_every_notebook_is_valid_nbformat(built):
    nbformat = pytest.importorskip("nbformat")
    for spec in EVERY:
        nb = nbformat.read(str(built / f"{spec.stem}.evaluation.ipynb"), as_version=4)
        nbformat.validate(nb)
        assert nb.cells[1].metadata.get("tags") == ["parameters"]
        for cell in nb.cells:   # the notebooks not executed below are at least valid Python
            if cell.cell_type == "code":
                compile(cell.source, f"{spec.stem}.evaluation.ipynb", "exec")


def _table(resolved, stem: str, folder: Path, rows: int = 120) -> None:
    """Write a small table of predictions and outcomes for each evaluated model, shaped by its task and output."""
    rng = random.Random(0)
    s = resolved.spec
    for model in s.models:
        ev = resolved.for_model(s.evaluation, model)
        if ev is None:
            continue
        start = ev.window.start if ev.window else dt.date(2025, 1, 1)
        out = next(iter(resolved.outputs_of(model)), None)
        kind = out.type.name if out and out.type else ""
        split = [ev.split.group.name] if ev.split and ev.split.group else []
        with open(folder / f"{stem}.{model.name.name}.predictions.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["timestamp", "prediction", "outcome", "decision", "group", *(f.name for f in ev.slices),
                        *split])
            for i in range(rows):
                p = rng.random()
                if kind == "ranking" or (model.task and model.task.name in ("ranking", "retrieval")):
                    y = rng.choice([0, 0, 1, 2, 3])
                elif kind == "value":
                    y = round(rng.uniform(1, 100), 2)
                    p = round(y * rng.uniform(0.8, 1.2), 2)
                else:
                    y = int(rng.random() < p)
                w.writerow([(start + dt.timedelta(days=i % 3)).isoformat(), p, y, int(p > 0.5), i // 8,
                            *(rng.choice("ab") for _ in ev.slices), *(i % 7 for _ in split)])


@needs_pure
@pytest.mark.parametrize("spec", RUN, ids=lambda p: p.stem)
def test_notebook_runs_as_written_on_a_generated_table(spec, built, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    for module in ("pandas", "sklearn", "matplotlib", "ipykernel"):
        pytest.importorskip(module)
    nb = nbformat.read(str(built / f"{spec.stem}.evaluation.ipynb"), as_version=4)
    _table(_resolved(spec), spec.stem, tmp_path)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()   # raises CellExecutionError on the first cell that fails
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "rows in the evaluation window" in printed or "rows read" in printed


@needs_pure
def test_every_other_notebook_runs_as_written_in_one_process(built, tmp_path, monkeypatch):
    """The notebooks not run through a kernel above (one kernel each costs seconds) run too: each one's code
    cells, in order, in a fresh namespace of one Python process, on its own generated table, so every
    bundled and corpus design's notebook is executed in CI, not only validated."""
    nbformat = pytest.importorskip("nbformat")
    for module in ("pandas", "sklearn", "matplotlib"):
        pytest.importorskip(module)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rest = [spec for spec in EVERY if spec not in RUN]
    assert len(rest) >= 30
    for spec in rest:
        folder = tmp_path / spec.stem
        folder.mkdir()
        nb = nbformat.read(str(built / f"{spec.stem}.evaluation.ipynb"), as_version=4)
        _table(_resolved(spec), spec.stem, folder)
        monkeypatch.chdir(folder)
        scope: dict = {"__name__": "__main__"}
        for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
            try:
                exec(compile(cell.source, f"{spec.stem}.evaluation.ipynb[{i}]", "exec"), scope)
            except Exception as err:  # noqa: BLE001 - name the notebook and the cell that failed
                raise AssertionError(f"{spec.stem}: code cell {i} failed: {type(err).__name__}: {err}") from err
        plt.close("all")


def test_notebook_marks_metrics_it_cannot_compute_instead_of_faking_them():
    from dsspec.compiler.emit import notebook

    nb = json.loads(notebook.render(_resolved(ROOT / "tests" / "corpus" / "realworld" /
                                              "handoff_summariser.dsspec"), "handoff_summariser"))
    marked = [c for c in nb["cells"] if c["cell_type"] == "markdown" and "Not computed" in "".join(c["source"])]
    assert marked
    assert notebook.formula("summary_faithfulness", None) is None
    assert notebook.formula("ndcg_at_10", "ranking") == "ndcg(d, 10)"
    assert notebook.formula("recall", "ranking") is None   # a ranking's recall needs a cut-off


def test_notebook_draws_the_ladder_against_the_levels_and_the_review_sample():
    from dsspec.compiler.emit import notebook

    text = notebook.render(_resolved(ROOT / "specs" / "search_ranking.dsspec"), "search_ranking")
    assert '"levels = {\\"optimal\\": 0.52, \\"acceptable\\": 0.47, \\"worst\\": 0.42}' in text
    assert "sample(n=min(300, len(test_ranker))" in text
    assert '"PREDICTIONS_ranker = \\"search_ranking.ranker.predictions.csv\\""' in text
    assert "2025-09-03" in text and "2025-09-30" in text


# -- Excalidraw ------------------------------------------------------------------------------------------------------
def _node() -> str:
    node = shutil.which("node")
    if node and (CHECKER / "node_modules" / "@excalidraw" / "excalidraw").is_dir():
        return node
    _missing("Excalidraw's loader", "install Node and run `npm ci --prefix tests/excalidraw`")


@needs_pure
def test_every_excalidraw_scene_loads_with_excalidraws_restore(built):
    files = [str(built / f"{spec.stem}.excalidraw") for spec in EVERY]
    proc = subprocess.run([_node(), str(CHECKER / "validate.mjs"), *files], capture_output=True, text=True,
                          timeout=300, cwd=CHECKER)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stdout.count("\nok ") + proc.stdout.startswith("ok ") == len(files), proc.stdout[-2000:]


@needs_pure
def test_excalidraw_scene_shows_what_the_svg_shows(tmp_path, capsys):
    import html

    code, _, err = build(capsys, str(ROOT / "specs" / "search_ranking.dsspec"), "-o", str(tmp_path), "--format",
                         "svg,excalidraw", "--view", "system")
    assert code == 0, err
    scene = json.loads((tmp_path / "search_ranking.excalidraw").read_text())
    svg = (tmp_path / "search_ranking.svg").read_text()
    in_svg = sorted(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg) if t.strip())
    in_scene = sorted(e["text"] for e in scene["elements"] if e["type"] == "text")
    assert in_scene == in_svg
    kinds = {e["type"] for e in scene["elements"]}
    assert {"text", "arrow"} <= kinds and kinds & {"rectangle", "line"}
    assert len({e["id"] for e in scene["elements"]}) == len(scene["elements"])


# -- the build: deterministic, checked, linked -----------------------------------------------------------------------
@needs_pure
def test_artifacts_are_byte_identical_from_any_folder_and_pass_build_check(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, _, err = build(capsys, "specs/search_ranking.dsspec", "-o", str(tmp_path / "a"), "--format", ARTIFACTS)
    assert code == 0, err
    monkeypatch.chdir(tmp_path)
    code, _, err = build(capsys, str(ROOT / "specs" / "search_ranking.dsspec"), "-o", str(tmp_path / "b"),
                         "--format", ARTIFACTS)
    assert code == 0, err
    names = ["search_ranking.openapi.json", "search_ranking.alerts.yml", "search_ranking.evaluation.ipynb",
             "search_ranking.excalidraw"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    code, out, _ = build(capsys, str(ROOT / "specs" / "search_ranking.dsspec"), "-o", str(tmp_path / "b"),
                         "--format", ARTIFACTS, "--check")
    assert code == 0, out
    (tmp_path / "b" / "search_ranking.alerts.yml").write_text("groups: []\n")
    code, out, _ = build(capsys, str(ROOT / "specs" / "search_ranking.dsspec"), "-o", str(tmp_path / "b"),
                         "--format", ARTIFACTS, "--check")
    assert code == 1 and "search_ranking.alerts.yml" in out


@needs_pure
def test_the_manifest_records_each_files_format_so_only_stale_files_of_built_formats_go(tmp_path, capsys):
    spec = str(ROOT / "specs" / "search_ranking.dsspec")
    assert build(capsys, spec, "-o", str(tmp_path), "--format", "json,openapi,alerts,mermaid")[0] == 0
    record = json.loads((tmp_path / ".dsspec-build.json").read_text())["files"]
    assert record["search_ranking.openapi.json"]["format"] == "openapi"
    assert record["search_ranking.json"]["format"] == "json"
    assert record["search_ranking.ladder.mmd"]["format"] == "mermaid"
    # json is built again: the openapi file, which ends in .json too, is not taken for a stale JSON file
    code, out, _ = build(capsys, spec, "-o", str(tmp_path), "--format", "json,mermaid", "--view", "system")
    assert code == 0
    assert (tmp_path / "search_ranking.openapi.json").exists() and (tmp_path / "search_ranking.alerts.yml").exists()
    # a Mermaid view no longer drawn is removed, as an SVG view is (the manifest once recorded `mmd`, never matched)
    assert not (tmp_path / "search_ranking.ladder.mmd").exists() and "removed" in out


@needs_pure
def test_the_engineer_document_links_the_artifacts_built_beside_it(tmp_path, capsys):
    spec = str(ROOT / "specs" / "search_ranking.dsspec")
    assert build(capsys, spec, "-o", str(tmp_path), "--format", "md," + ARTIFACTS)[0] == 0
    engineer = (tmp_path / "search_ranking.engineer.md").read_text()
    for name in ("search_ranking.openapi.json", "search_ranking.alerts.yml", "search_ranking.evaluation.ipynb",
                 "search_ranking.excalidraw"):
        assert f"]({name})" in engineer
    assert "## Engineering artifacts" not in (tmp_path / "search_ranking.pm.md").read_text()
    assert build(capsys, spec, "-o", str(tmp_path / "plain"), "--format", "md")[0] == 0
    assert "## Engineering artifacts" not in (tmp_path / "plain" / "search_ranking.engineer.md").read_text()


@pytest.mark.parametrize("doc", ["README.md", "docs/artifacts.md"])
def test_the_alert_rules_shown_in_the_docs_are_what_build_writes(doc):
    from dsspec.compiler.emit import alerts

    text = alerts.render(_resolved(ROOT / "specs" / "search_ranking.dsspec"))
    shown = (ROOT / doc).read_text()
    block = re.search(r"```yaml\n(.*?)```", shown, re.S).group(1)
    assert block in text, f"{doc}: regenerate its example from `dsspec build specs/search_ranking.dsspec --format alerts`"


def test_tracked_latency_without_a_target_is_said_not_alerted(check):
    from dsspec.compiler.emit import alerts

    result = check("""
product p { owner "a@b.c" }
model m { task classification }
monitoring {
  track latency
  alert "oncall"
}
""")
    text = alerts.render(result.resolved)
    assert "`latency` is tracked but the operator states no latency target: no rule" in text
    assert text.rstrip().endswith("groups: []")


@needs_pure
def test_hostile_strings_cannot_break_any_artifact(tmp_path, capsys):
    from openapi_spec_validator import validate

    (tmp_path / "dsspec.toml").touch()
    spec = tmp_path / "hostile.dsspec"
    nasty = 'a \\"q\\" # b: {c} \\\\ </script> \x07 \u2028 end'
    spec.write_text(f"""product p {{
  title "{nasty}"
  owner "a@b.c"
}}
operator {{
  success recall {{
    worst <= 0.5
  }}
  latency p95 <= 80ms
  timeout 100ms
  fallback rules "{nasty}"
  default "{nasty}"
}}
input request {{ fields [text] }}
output label {{
  type        class
  description "{nasty}"
}}
model m {{
  task   classification
  reads  [request]
  writes label
}}
evaluation {{
  metrics [recall]
  review  20 cases by raters
}}
serving {{ mode online }}
monitoring {{
  track recall delayed 1d
  alert "{nasty}"
}}
rollout {{ rollback when worst "{nasty}" }}
""")
    code, _, err = build(capsys, str(spec), "-o", str(tmp_path / "out"), "--format", ARTIFACTS)
    assert code == 0, err
    out = tmp_path / "out"
    validate(json.loads((out / "hostile.openapi.json").read_text()))
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(str(out / "hostile.evaluation.ipynb"), as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            compile(cell.source, "hostile.evaluation.ipynb", "exec")
    json.loads((out / "hostile.excalidraw").read_text())
    promtool = shutil.which("promtool")
    if promtool:
        proc = subprocess.run([promtool, "check", "rules", str(out / "hostile.alerts.yml")], capture_output=True,
                              text=True, timeout=60)
        assert proc.returncode == 0, proc.stdout + proc.stderr


@needs_pure
def test_the_notebook_and_scene_examples_in_the_docs_are_what_build_writes(built):
    shown = (ROOT / "docs" / "artifacts.md").read_text()
    nb = json.loads((built / "search_ranking.evaluation.ipynb").read_text())
    cells = ["".join(c["source"]) for c in nb["cells"]]
    for block in re.findall(r"```python\n(.*?)```", shown, re.S):
        assert any(block.strip() in cell for cell in cells), block
    scene = json.loads((built / "search_ranking.excalidraw").read_text())
    for block in re.findall(r"```json\n(.*?)```", shown, re.S):
        example = json.loads(block)
        assert any({k: e.get(k) for k in example} == example for e in scene["elements"]), block
