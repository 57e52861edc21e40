"""Issue #18 (trust), outputs: every output of ``build`` holds on hostile inputs of the red-team's classes.

Dates at the ends of the calendar (0001-01-01, 9999-12-31) with huge durations build every view and
artifact; outputs of different specs never overwrite each other; a huge rule name in the configuration is
answered in linear time with a short message; the preview bounds a whole request, answers errors with its
security headers, refuses ambiguous hosts and tells a page left open across a restart to reload; the
OpenAPI artifact lists every output of a model.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dsspec.cli import main

ROOT = Path(__file__).resolve().parents[1]
CHURN = ROOT / "specs" / "churn_outreach.dsspec"
FORMATS = "svg,dot,md,json,mermaid,openapi,alerts,notebook,excalidraw"


# -- 26: dates at the ends of the calendar ---------------------------------------------------------------------------
def _churn(folder: Path, train: tuple[str, str], test: tuple[str, str], delay: str, shadow: str,
           schedule: str, experiment: str) -> Path:
    text = CHURN.read_text(encoding="utf-8")
    text = text.replace("window     2023-09-04 .. 2025-02-24", f"window     {train[0]} .. {train[1]}")
    text = text.replace("window      2025-05-05 .. 2025-06-30", f"window      {test[0]} .. {test[1]}")
    text = text.replace("shadow     4w", f"shadow     {shadow}")
    text = text.replace("schedule   monthly", f"schedule   {schedule}")
    text = text.replace("duration   8w", f"duration   {experiment}")
    text = text.replace("track precision delayed 60d", f"track precision delayed {delay}")
    lib = folder / "lib"
    if not lib.exists():
        shutil.copytree(CHURN.parent / "lib", lib)
    (lib / "customer_warehouse.dsspec").write_text(
        (CHURN.parent / "lib" / "customer_warehouse.dsspec").read_text(encoding="utf-8")
        .replace("label_delay    60d", f"label_delay    {delay}"), encoding="utf-8")
    spec = folder / "edge.dsspec"
    spec.write_text(text, encoding="utf-8")
    return spec


EDGE_DAYS = st.sampled_from(["0001-01-01", "0001-01-02", "0001-03-01", "2025-01-01", "9999-10-01",
                             "9999-12-29", "9999-12-30", "9999-12-31"])
DURATIONS = st.sampled_from(["1d", "60d", "4w", "12mo", "999y", "1000y"])
SCHEDULES = st.sampled_from(["monthly", "weekly", "daily", "1000y", "365d"])


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=EDGE_DAYS, b=EDGE_DAYS, c=EDGE_DAYS, d=EDGE_DAYS, delay=DURATIONS, shadow=DURATIONS,
       schedule=SCHEDULES, experiment=DURATIONS)
@example(a="9999-10-01", b="9999-12-29", c="9999-12-31", d="9999-12-31", delay="1d", shadow="4w",
         schedule="monthly", experiment="8w")   # the red-team's design
@example(a="9999-10-01", b="9999-12-31", c="9999-12-31", d="9999-12-31", delay="1000y", shadow="1000y",
         schedule="1000y", experiment="1000y")
@example(a="0001-01-01", b="0001-01-01", c="0001-01-02", d="0001-01-02", delay="1000y", shadow="1000y",
         schedule="1000y", experiment="1000y")
@example(a="0001-01-01", b="9999-12-31", c="0001-01-01", d="9999-12-31", delay="1000y", shadow="1d",
         schedule="daily", experiment="1d")
def test_designs_at_the_ends_of_the_calendar_build_every_view_and_artifact(tmp_path_factory, a, b, c, d, delay,
                                                                          shadow, schedule, experiment):
    from dsspec.compiler.outputs import available, compile_spec, documents, dot
    from dsspec.integrations import mcp

    folder = tmp_path_factory.mktemp("edge")
    train, test = tuple(sorted((a, b))), tuple(sorted((c, d)))
    spec = _churn(folder, train, test, delay, shadow, schedule, experiment)
    out = folder / "out"
    assert main(["build", str(spec), "-o", str(out), "--view", "all", "--format", FORMATS]) == 0
    assert (out / "edge.timeline.svg").exists() and (out / "edge.evaluation.ipynb").exists()
    result = compile_spec(str(spec), None)
    for view in available(result.resolved):
        assert dot(result, view)
    assert documents(result, "edge")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mcp, "ROOT", folder.resolve())   # the server started in that folder
        assert "lane_churn_scorer" in mcp.build_view(path=str(spec), view="timeline")
    if importlib.util.find_spec("mkdocs") is not None:   # the MkDocs plugin draws a linked spec
        from dsspec.integrations.mkdocs import DsspecPlugin

        plugin = DsspecPlugin()
        plugin.errors = []
        assert "<svg" in plugin.render(spec, None, "timeline", "edge.dsspec", keep=None)


def test_a_phase_past_the_calendar_is_drawn_to_its_last_day_and_said_to_lie_beyond(tmp_path):
    from dsspec.compiler.emit.timeline import LAST, phases
    from dsspec.compiler.outputs import compile_spec

    spec = _churn(tmp_path, ("9999-10-01", "9999-12-29"), ("9999-12-31", "9999-12-31"), "1000y", "1000y",
                  "monthly", "8w")
    r = compile_spec(str(spec), None).resolved
    rows = {p[0]: p for p in phases(r, r.spec.models[0])}
    assert rows["labels maturing"][2] == LAST and "beyond the calendar" in rows["labels maturing"][3]
    assert rows["shadow"][2] == LAST and "beyond the calendar" in rows["shadow"][3]
    assert "beyond the calendar" in rows["retraining"][3]
    # a 1000-year rollout from 0001 keeps the axis within its columns (whole years each), years named on it
    from dsspec.compiler.emit.timeline import COLUMNS, axis
    from dsspec.compiler.outputs import dot

    spec = _churn(tmp_path, ("0001-01-01", "0001-01-01"), ("0001-01-02", "0001-01-03"), "60d", "1000y",
                  "monthly", "8w")
    result = compile_spec(str(spec), None)
    first, unit, cols = axis([phases(result.resolved, result.resolved.spec.models[0])])
    assert cols <= COLUMNS and unit % 365 == 0
    drawn = dot(result, "timeline")
    assert ">1<" in drawn and ">952<" in drawn   # the first year, and one near the rollout's end
    # a design well inside the calendar says nothing of the kind
    plain = compile_spec(str(CHURN), None).resolved
    assert not any("beyond" in p[3] for p in phases(plain, plain.spec.models[0]))


# -- 23: outputs of different specs never overwrite each other -------------------------------------------------------
@pytest.mark.parametrize("second", ["a.ladder.dsspec", "a.pm.dsspec"])
def test_two_specs_whose_outputs_share_a_name_are_refused_before_anything_is_written(tmp_path, capsys, second):
    shutil.copytree(CHURN.parent / "lib", tmp_path / "lib")
    for name in ("a.dsspec", second):
        shutil.copyfile(CHURN, tmp_path / name)
    out = tmp_path / "out"
    code = main(["build", str(tmp_path / "a.dsspec"), str(tmp_path / second), "-o", str(out)])
    err = capsys.readouterr().err
    clash = "a.ladder.dot" if "ladder" in second else "a.pm.md"   # the first of the names both would write
    assert code == 2
    assert f"`{tmp_path / 'a.dsspec'}` and `{tmp_path / second}` would both write `{clash}`" in err
    assert not out.exists()
    # each alone builds
    assert main(["build", str(tmp_path / second), "-o", str(out)]) == 0


def test_specs_whose_outputs_do_not_meet_still_build_together(tmp_path, capsys):
    shutil.copytree(CHURN.parent / "lib", tmp_path / "lib")
    for name in ("a.dsspec", "a.v2.dsspec"):   # `a` has no audience or view named `v2`
        shutil.copyfile(CHURN, tmp_path / name)
    assert main(["build", str(tmp_path / "a.dsspec"), str(tmp_path / "a.v2.dsspec"), "-o", str(tmp_path / "o")]) == 0
    assert (tmp_path / "o" / "a.ladder.svg").exists() and (tmp_path / "o" / "a.v2.ladder.svg").exists()


# -- 27: a huge rule name in the configuration -----------------------------------------------------------------------
def test_a_huge_unknown_rule_name_is_located_without_a_regular_expression_and_said_briefly(tmp_path, capsys,
                                                                                           monkeypatch):
    from dsspec.compiler.lint import config_files

    def no_regex(*_args, **_kwargs):
        raise AssertionError("line_of builds a regular expression of the key: its cost grows with the key")

    name = "x" * 1_000_000
    text = f'# {name[:5000]} unquoted\nselect = ["{name}"]\n'
    with monkeypatch.context() as patch:
        patch.setattr(config_files.re, "search", no_regex)
        patch.setattr(config_files.re, "compile", no_regex)
        span = config_files.line_of(text, name)
    assert (span.line, span.column, span.end_column) == (2, 12, 12 + len(name))
    shutil.copytree(CHURN.parent / "lib", tmp_path / "lib")
    shutil.copyfile(CHURN, tmp_path / "c.dsspec")
    (tmp_path / "dsspec.toml").write_text(f'select = ["{name}"]\n', encoding="utf-8")
    assert main(["check", "--format", "concise", str(tmp_path / "c.dsspec")]) == 1   # an error finding
    out, err = capsys.readouterr()
    assert "names unknown rule `xxx" in out + err and len(out + err) < 2000


@pytest.mark.parametrize(("text", "key", "where"), [
    ("a = 1\n  select = [1]\n", "select", (2, 3)),
    ('"per-file-ignores" = 2\n', "per-file-ignores", (1, 1)),
    ("x = 1\n[severity]\nfoo = 'x'\n", "severity", (2, 1)),
    ("x = 1\n[tool.dsspec.thresholds]\n", "thresholds", (2, 1)),
    ("select = ['DS999', \"other\"]\n", "DS999", (1, 12)),
    ("select = [\"a\", \"DS999\"]\n", "DS999", (1, 17)),
    ("nothing here\n", "DS999", (1, 1)),
    ("selected = 1\nselect = 2\n", "select", (2, 1)),
])
def test_line_of_finds_a_key_its_table_or_its_quoted_mention(text, key, where):
    from dsspec.compiler.lint.config_files import line_of

    span = line_of(text, key)
    assert (span.line, span.column) == where


# -- 29, 30, 31: the preview server ----------------------------------------------------------------------------------
@pytest.fixture
def served(tmp_path):
    """A preview server of the churn design on 127.0.0.1 (a free port), in this process; yield it."""
    from hostile import serving

    pytest.importorskip("watchfiles")
    shutil.copytree(CHURN.parent / "lib", tmp_path / "lib")
    shutil.copyfile(CHURN, tmp_path / "s.dsspec")
    (tmp_path / "dsspec.toml").write_text("")
    with serving(tmp_path / "s.dsspec", limit=4) as httpd:
        yield httpd


def _raw(httpd, request: bytes) -> tuple[str, dict, bytes]:
    """Send ``request`` as is; return the status line, the headers (last of each name) and the body."""
    import socket

    with socket.create_connection(("127.0.0.1", httpd.server_address[1]), timeout=10) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return lines[0], headers, body


def test_a_client_trickling_its_request_is_dropped_at_the_whole_request_deadline(served, monkeypatch):
    import socket

    handler = served.RequestHandlerClass
    monkeypatch.setattr(handler, "deadline", 0.6)   # the per-read timeout stays at 10 s
    assert handler.timeout >= 10
    slow = socket.create_connection(("127.0.0.1", served.server_address[1]), timeout=10)
    slow.settimeout(0.2)
    closed = False
    for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1:" + b"1" * 100:   # a byte every 0.2 s: 20 s in all
        try:
            slow.sendall(bytes([byte]))
            closed = slow.recv(100) == b""
        except TimeoutError:
            continue
        except OSError:   # reset: the server hung up
            closed = True
        if closed:
            break
    slow.close()
    assert closed, "the server kept a connection whose request never ended"


def test_an_event_stream_ends_after_its_lifetime_so_pages_cannot_hold_every_slot(served, monkeypatch):
    monkeypatch.setattr(served.RequestHandlerClass, "lifetime", 0.3)
    preview = served.preview
    port = served.server_address[1]
    status, _, body = _raw(served, f"GET /events?since=1&server={preview.instance} HTTP/1.1\r\n"
                                   f"Host: 127.0.0.1:{port}\r\n\r\n".encode())
    assert status.endswith("200 OK") and b"event: build" not in body   # ended, with nothing new to say


@pytest.mark.parametrize("request_", [
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",                      # 414
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X: " + b"a" * 70000 + b"\r\n\r\n",   # 431
    b"POST / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n\r\n",     # 501
    b"HEAD / HTTP/1.1\r\nHost: {host}\r\n\r\n",                           # 501
    b"GET / HTTP/9.9\r\n\r\n",                                           # 505
    b"GET / FOO\r\n\r\n",                                                # 400
    b"GET /\x00 HTTP/1.1 x\r\n\r\n",                                     # 400
    b"GET / HTTP/1.1\r\nHost: {host}\r\nHost: evil.example\r\n\r\n",     # 400: two hosts
    b"GET http://evil.example/ HTTP/1.1\r\nHost: {host}\r\n\r\n",        # 421: absolute form names another
    b"GET https://{host}/ HTTP/1.1\r\nHost: {host}\r\n\r\n",            # 421: not this server's scheme
    b"GET /nothing HTTP/1.1\r\nHost: {host}\r\n\r\n",                    # 404
    b"GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n",                     # 421
])
def test_every_answer_errors_included_carries_the_security_headers_and_no_html(served, request_):
    host = f"127.0.0.1:{served.server_address[1]}".encode()
    status, headers, body = _raw(served, request_.replace(b"{host}", host))
    code = int(status.split()[1])
    assert code >= 400, status
    assert headers.get("x-content-type-options") == "nosniff", status
    assert "default-src 'none'" in headers.get("content-security-policy", ""), status
    assert headers.get("content-type", "").startswith("text/plain"), status
    assert b"<" not in body
    expected = {b"Host: evil.example\r\n\r\n": 400, b"evil.example/": 421, b"https://": 421}
    for marker, want in expected.items():
        if marker in request_ and b"Host: {host}" in request_:
            assert code == want, status


def test_an_absolute_form_request_naming_this_server_is_answered(served):
    host = f"127.0.0.1:{served.server_address[1]}"
    status, headers, body = _raw(served, f"GET http://{host}/ HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    assert status.endswith("200 OK") and b"<svg" in body


def test_a_page_left_open_across_a_restart_is_told_to_reload(served):
    preview = served.preview
    host = f"127.0.0.1:{served.server_address[1]}"
    page = _raw(served, f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())[2].decode()
    assert f"/events?since=1&server={preview.instance}" in page
    import socket

    # the old server had made 7 builds, this one 1; or the old one's build number is this one's: either way the
    # page shows what another server built, and is told to reload

    for query in ("since=7&server=0123456789abcdef", "since=7", "since=1&server=0123456789abcdef"):
        with socket.create_connection(("127.0.0.1", served.server_address[1]), timeout=10) as s:
            s.sendall(f"GET /events?{query} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            data = b""
            while b"\r\n\r\n" not in data or b"\n\n" not in data.partition(b"\r\n\r\n")[2]:
                data += s.recv(4096)
        assert data.partition(b"\r\n\r\n")[2].startswith(b"event: build\ndata: 1\n"), query


# -- 21: a model writing several outputs -----------------------------------------------------------------------------
def test_openapi_lists_every_output_of_a_model_and_says_which_is_which(check):
    from openapi_spec_validator import validate

    from dsspec.compiler.emit import openapi

    result = check("""
product p { owner "a@b.c" }
input request { fields [text] }
output ranked_results { type ranking }
output ranking_scores {
  type        score
  description "one score per item, for the audit log"
}
model ranker {
  task   ranking
  reads  [request]
  writes [ranked_results, ranking_scores]
}
model auditor {
  task   binary_classification
  reads  [ranking_scores]
  writes flag
}
output flag { type probability }
serving ranker { mode online }
serving auditor { mode batch }
""")
    doc = openapi.document(result.resolved, "spec.dsspec")
    validate(doc)
    op = doc["paths"]["/ranker/predict"]["post"]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert list(schema["properties"]) == ["ranked_results", "ranking_scores"] == schema["required"]
    first, second = schema["properties"]["ranked_results"], schema["properties"]["ranking_scores"]
    assert first["type"] == "array" and second["type"] == "number"
    assert first["x-dsspec-output"] == {"position": 1, "role": "answer"}
    assert second["x-dsspec-output"] == {"position": 2, "role": "also written", "read_by": ["auditor"]}
    assert "the answer" in first["description"] and "for the audit log" in second["description"]
    assert "ranked_results and ranking_scores" in op["summary"]


def test_empty_texts_in_a_design_draw_every_view(tmp_path, capsys):
    """`title ""` and empty descriptions are valid; Graphviz refuses `<B></B>` (found by the fuzz campaign)."""
    text = (ROOT / "specs" / "search_ranking.dsspec").read_text()
    text = text.replace('title    "Product search re-ranking"', 'title    ""')
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / "e.dsspec").write_text(text)
    code = main(["build", str(tmp_path / "e.dsspec"), "-o", str(tmp_path / "out"), "--view", "all", "--format", "svg"])
    err = capsys.readouterr().err
    assert code == 0 and "failed" not in err
    assert (tmp_path / "out" / "e.overview.svg").stat().st_size > 0


def test_tidy_drops_formatting_around_nothing_and_keeps_the_rest():
    from dsspec.compiler.emit.dot import tidy

    assert tidy('<<B></B><BR/><FONT POINT-SIZE="10"><I> </I></FONT>x>') == "<<BR/>x>"
    assert tidy("<<B>a</B><I>b</I>>") == "<<B>a</B><I>b</I>>"
