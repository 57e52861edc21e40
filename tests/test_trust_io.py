"""Issue #18, the input/output half: data loss, escapes, hangs outside value parsing, stale answers and
portability. Each test failed before its fix."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import run_cli


# --- hangs: lookups of unknown names, fence scans and rules are linear -------------------------------------


def test_an_unknown_name_of_a_million_characters_is_answered_at_once():
    from dsspec.base.suggestions import Index
    from dsspec.compiler.lint.registry import selector_names

    index = Index(selector_names())
    start = time.perf_counter()
    for word in ("x" * 1_000_000, "a-" * 500_000, "b_" * 500_000, "baseline-missing" + "x" * 1_000_000):
        assert index.lookup(word) == []
    assert time.perf_counter() - start < 5  # was quadratic: no answer in 60 s
    assert index.lookup("baseline-missingx") == ["baseline-missing"]  # near misses are still found
    assert index.lookup("request_time_of_the_day") == []


def test_explain_and_select_echo_an_unknown_name_clipped(capsys):
    code, _, err = run_cli(capsys, "explain", "q" * 100_000)
    assert code == 2 and len(err) < 300
    from dsspec.integrations import mcp

    with pytest.raises(Exception) as raised:
        mcp.explain_rule("q" * 1_000_000)
    assert "unknown rule" in str(raised.value) and len(str(raised.value)) < 300


def test_the_mkdocs_fence_scan_is_linear_in_unclosed_fences():
    pytest.importorskip("mkdocs")
    from dsspec.integrations.mkdocs import fences

    start = time.perf_counter()
    assert list(fences("```dsspec\nproduct p {}\n" * 50_000)) == []
    assert list(fences("text\n" + "~~~ dsspec\n" * 50_000 + "~~~\n")) != []  # the first closes at the end
    assert time.perf_counter() - start < 5  # was quadratic in unclosed fences (this case did not finish in time before)
    page = "a\n```dsspec view=flow\nproduct p {}\n```\nb\n  ~~~~ dsspec\nx\n  ~~~~  \n```dsspec\nnever closed\n"
    found = list(fences(page))
    assert [(f.line, f.info, f.body) for f in found] == [(2, " view=flow", "product p {}\n"), (6, "", "x\n")]
    assert found[0].text == "```dsspec view=flow\nproduct p {}\n```"


def test_output_without_consumer_is_linear_in_models(tmp_path):
    from conftest import compile_text

    n = 3000
    text = 'product p { owner "a@b.c" }\nsource s { kind table }\ninput i { from s; known_at request }\n' + "".join(
        f"output o{k} {{ type class }}\nmodel m{k} {{ task binary_classification; reads i; writes o{k} }}\n"
        for k in range(n))
    from dsspec.compiler.lint.rules.output_without_consumer import OutputWithoutConsumer

    result = compile_text(tmp_path, text)
    assert sum(d.rule == "output-without-consumer" for d in result.diagnostics) == n
    calls = []
    original = OutputWithoutConsumer.check

    def counting(self, spec, ctx):
        start = time.perf_counter()
        out = list(original(self, spec, ctx))
        calls.append(time.perf_counter() - start)
        return out

    OutputWithoutConsumer.check = counting
    try:
        compile_text(tmp_path, text)
    finally:
        OutputWithoutConsumer.check = original
    assert calls and calls[0] < 1.0  # was quadratic: every output scanned every model twice (over the bound before)


# --- data loss: --fix writes the way fmt does ----------------------------------------------------------------

TYPO = 'product p {\n  owner "a@b.c"\n}\nsource s {\n  knd table\n}\n'


def test_fix_refuses_a_read_only_spec(project, capsys):
    spec = project / "s.dsspec"
    spec.write_text(TYPO)
    spec.chmod(0o444)
    try:
        code, _, err = run_cli(capsys, "check", "--fix", "s.dsspec")
        assert "not fixed `s.dsspec`: it is read-only" in err and spec.read_text() == TYPO
    finally:
        spec.chmod(0o644)


def test_fix_keeps_hard_links_and_mode(project, capsys):
    spec = project / "s.dsspec"
    spec.write_text(TYPO)
    spec.chmod(0o640)
    os.link(spec, project / "link.dsspec.bak")
    run_cli(capsys, "check", "--fix", "s.dsspec")
    assert "kind table" in spec.read_text()
    assert (project / "link.dsspec.bak").read_text() == spec.read_text()  # still one file
    assert os.stat(spec).st_nlink == 2 and spec.stat().st_mode & 0o777 == 0o640


def test_fix_refuses_a_spec_edited_during_the_run(project, capsys, monkeypatch):
    from dsspec.compiler import fixes

    spec = project / "s.dsspec"
    spec.write_text(TYPO)
    original = fixes.apply

    def edit_meanwhile(text, found):
        spec.write_text(TYPO + "# saved by the editor meanwhile\n")
        return original(text, found)

    monkeypatch.setattr(fixes, "apply", edit_meanwhile)
    run_cli(capsys, "check", "--fix", "s.dsspec")
    assert spec.read_text().endswith("# saved by the editor meanwhile\n")
    assert "knd table" in spec.read_text()


# --- data loss: no writing command overwrites its own inputs -------------------------------------------------

SOUND = Path(__file__).resolve().parents[1] / "specs" / "search_ranking.dsspec"


@pytest.fixture
def specs(project):
    folder = project / "specs"
    folder.mkdir()
    (folder / "a.dsspec").write_text(TYPO)
    (folder / "b.dsspec").write_text('include "lib.dsspec"\n' + TYPO)
    (folder / "lib.dsspec").write_text("source t {\n  kind table\n}\n")
    return folder


@pytest.mark.parametrize("argv", [
    ["check", "--format", "sarif", "-o", "specs/a.dsspec", "specs/b.dsspec"],   # `-o specs/*.dsspec`
    ["check", "-o", "specs/b.dsspec", "specs/b.dsspec"],
    ["check", "-o", "specs/lib.dsspec", "specs/b.dsspec"],                       # an included file
    ["check", "-o", "dsspec.toml", "specs/b.dsspec"],                            # its configuration
    ["check", "--baseline", "base.json", "-o", "base.json", "specs/a.dsspec"],   # its baseline
    ["check", "--write-baseline", "specs/a.dsspec", "specs/b.dsspec"],
    ["check", "--write-baseline", "specs/link-to-b", "specs/b.dsspec"],          # through a link
    ["diff", "-o", "specs/a.dsspec", "specs/a.dsspec", "specs/b.dsspec"],
    ["diff", "-o", "specs/hard-b", "specs/a.dsspec", "specs/b.dsspec"],          # a hard link
])
def test_no_writing_command_overwrites_its_own_inputs(specs, capsys, argv):
    (specs.parent / "base.json").write_text('{"version": 1, "tool": "dsspec", "findings": []}\n')
    (specs / "link-to-b").symlink_to("b.dsspec")
    os.link(specs / "b.dsspec", specs / "hard-b")
    before = {p: p.read_bytes() for p in [*specs.iterdir(), specs.parent / "dsspec.toml", specs.parent / "base.json"]}
    code, _, err = run_cli(capsys, *argv)
    assert code == 2 and "would write over" in err
    assert before == {p: p.read_bytes() for p in before}


def test_an_output_in_a_missing_folder_is_created(specs, capsys):
    code, _, err = run_cli(capsys, "check", "--format", "json", "-o", "out/deep/r.json", "specs/a.dsspec")
    assert code == 1 and (specs.parent / "out" / "deep" / "r.json").read_text().startswith("{")
    run_cli(capsys, "check", "--write-baseline", "base/b.json", "specs/a.dsspec")
    assert (specs.parent / "base" / "b.json").is_file()
    run_cli(capsys, "diff", "-o", "out/d.md", "--format", "markdown", "specs/a.dsspec", "specs/b.dsspec")
    assert (specs.parent / "out" / "d.md").is_file()
    run_cli(capsys, "check", "-o", "never/../r.json", "specs/a.dsspec")
    assert (specs.parent / "r.json").is_file() and not (specs.parent / "never").exists()
    for folder in ("out", "new-folder/", "."):  # a folder is not a report's name: said, nothing made
        code, _, err = run_cli(capsys, "check", "-o", folder, "specs/a.dsspec")
        assert code == 2 and "names a folder" in err
    assert not (specs.parent / "new-folder").exists()


def test_build_does_not_write_through_a_link_out_of_its_folder(project, capsys):
    import shutil

    shutil.copy(SOUND, project / "s.dsspec")
    out = project / "out"
    out.mkdir()
    victim = project / "victim.txt"
    victim.write_text("keep me\n")
    (out / "s.svg").symlink_to(victim)
    code, _, err = run_cli(capsys, "build", "s.dsspec", "-o", "out", "--format", "svg,dot")
    assert code == 2 and "outside the output folder" in err
    assert victim.read_text() == "keep me\n" and not (out / "s.dot").exists()  # all or nothing
    (out / "s.svg").unlink()
    (out / ".dsspec-build.json").symlink_to(victim)  # the build's own record, too
    code, _, err = run_cli(capsys, "build", "s.dsspec", "-o", "out", "--format", "svg,dot")
    assert code == 2 and victim.read_text() == "keep me\n"
    (out / ".dsspec-build.json").unlink()
    inside = out / "kept.svg"
    inside.write_text("old")
    (out / "s.svg").symlink_to("kept.svg")  # a link inside the folder is still written through
    code, _, err = run_cli(capsys, "build", "s.dsspec", "-o", "out", "--format", "svg")
    assert code == 0 and inside.read_text().startswith("<?xml") and (out / "s.svg").is_symlink()


# --- escapes: the pull-request comment pings no one ------------------------------------------------------------


def test_the_diff_comment_neutralises_mentions(project, capsys):
    import re

    old = project / "old.dsspec"
    new = project / "new@org.dsspec"
    old.write_text('product p {\n  owner "@octo-org/ml-team"\n  goal "ask @alice"\n}\nsource s {\n  kind table\n}\n')
    new.write_text('product p {\n  owner "@bob &#64;carol"\n  goal "ask @dave"\n}\nsource t {\n  knd table\n}\n')
    code, out, _ = run_cli(capsys, "diff", "--format", "markdown", str(old), str(new))
    assert "@octo" in out.replace("@&#8203;", "@")  # the text is still there, shown as written
    assert not re.search(r"@[A-Za-z0-9]", out), out  # but no `@name` a forge would turn into a ping
    assert "&#64;" not in out and "&amp;\\#64;carol" in out


# --- hangs and crashes outside value parsing --------------------------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    import subprocess

    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_diff_git_takes_file_names_that_are_not_utf8(tmp_path, monkeypatch, capsys):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "dsspec.toml").touch()
    bad = os.fsdecode(b"caf\xe9.dsspec")
    (repo / bad).write_text(TYPO)
    (repo / os.fsdecode(b"notes-\xff.txt")).write_text("x")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "first")
    (repo / bad).write_text(TYPO.replace("knd", "kind"))
    monkeypatch.chdir(repo)
    for fmt in ("text", "json", "markdown"):
        code, out, _ = run_cli(capsys, "diff", "--git", "HEAD", "--format", fmt)
        assert code == 0 and ("caf\\udce9.dsspec" in out or "caf\\\\udce9.dsspec" in out), out
        assert "1 fixed" in out or '"fixed": 1' in out


def test_a_cached_result_names_an_undecodable_file_as_a_fresh_one_does(project, capsys, monkeypatch):
    monkeypatch.delenv("DSSPEC_CACHE_DIR")
    (project / os.fsdecode(b"caf\xe9.dsspec")).write_text(TYPO)
    run_cli(capsys, "check", "--write-baseline", "b.json", ".")
    for _ in range(2):  # the second run answers from the cache
        code, out, err = run_cli(capsys, "check", "--baseline", "b.json", ".")
        assert code == 0 and "no finding any more" not in err, err


def _mutants(node, path=()):
    """Yield ``(path, replacement)`` for every node of a JSON document: each replaced by values of wrong types,
    and by whole numbers no pack holds (negative, past any span or table, a boolean)."""
    for wrong in (None, -1, "x", [], {}, ["a"] * 6, True, 2**62):
        yield path, wrong
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from _mutants(child, (*path, key))


def _at(doc, path):
    for key in path:
        doc = doc[key]
    return doc


def _replaced(doc, path, value):
    import copy

    doc = copy.deepcopy(doc)
    if not path:
        return value
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


def _pack_of(entries: dict) -> dict:
    """Return the JSON document of a pack holding ``entries`` (path -> ``(key, includes, findings)``)."""
    from dsspec.review import cache

    return cache._written(entries).document()


def test_a_cache_entry_wrong_at_any_depth_is_a_miss(project, capsys, monkeypatch):
    import base64
    import json

    from dsspec.review import cache

    monkeypatch.setenv("DSSPEC_CACHE_DIR", str(project / "cache"))
    (project / "lib.dsspec").write_text("source t {\n  kind table\n}\n")
    (project / "s.dsspec").write_text('include "lib.dsspec"\n' + TYPO.replace("knd", "kind") + "output o {\n  type clss\n}\n"
                                       + "source u {\n  kind table\n}\nsource u {\n  kind table\n}\n")
    formats = ("text", "json", "sarif", "gitlab", "junit", "github")
    cold = {f: run_cli(capsys, "check", "--format", f, "s.dsspec")[:2] for f in formats}
    [pack] = (project / "cache").glob("pack-*.json")
    good = json.loads(pack.read_text())
    key, includes, findings = cache._Pack.parse(good).entry("s.dsspec")
    assert includes and good["entries"]["s.dsspec"][4]  # the entry has an include, and findings with extras
    fixed = next(d for d in findings if d.fix is not None and d.fix.edits)
    related = next(d for d in findings if d.related)
    base = _pack_of({"s.dsspec": (key, includes, [fixed, related])})  # every kind of field once: fix, edits, related
    count = 0
    for path, wrong in _mutants(base):
        if path[:3] == ("entries", "s.dsspec", 0):
            continue  # another key: another spec's entry, a plain miss
        if path and type(wrong) is type(_at(base, path)) and wrong not in (-1, 2**62):
            continue  # well-typed: indistinguishable from a true entry, and read as one
        if len(path) == 5 and path[2] == 4 and path[4] == 2 and wrong is None:
            continue  # an extra's fix may be null: a finding without a fix, read as one
        bad = _replaced(base, path, wrong)
        pack.write_text(json.dumps(bad))
        fmt = ("text", "sarif")[count % 2]  # the entry is a miss: the answer is fresh, never a crash
        assert run_cli(capsys, "check", "--format", fmt, "s.dsspec")[:2] == cold[fmt], (path, wrong)
        count += 1
    run_of = base["numbers"]
    for wrong in ("", "I", "IA", "I" + run_of[1:-4], "X" + run_of[1:], "I" + run_of[1:] + "!", "Q" + base64.b64encode(b"\xff" * 8).decode(),
                  "Q" + run_of[1:]):  # numbers that are no run of them, cut short, or past any span
        pack.write_text(json.dumps({**base, "numbers": wrong}))
        assert run_cli(capsys, "check", "s.dsspec")[:2] == cold["text"], wrong
        count += 1
    assert count > 300
    for fmt in formats:  # the last mutant was rewritten by the run that missed: a hit again
        pack.write_text(json.dumps(good))
        assert run_cli(capsys, "check", "--format", fmt, "s.dsspec")[:2] == cold[fmt]


def test_a_cache_entry_read_back_is_the_finding_written(project, capsys, monkeypatch):
    """Every field of a finding survives the pack: fixes and their edits, related places, help or none,
    text beyond ASCII and a file name that is not UTF-8; strings are stored once per pack."""
    from dsspec.base.diagnostics import Diagnostic, Edit, Fix, Related, Severity
    from dsspec.base.span import Span
    from dsspec.review import cache

    odd = os.fsdecode(b"caf\xe9.dsspec")
    span = Span(3, 1, 4, 9, 40, 2**62 - 1)
    findings = [
        Diagnostic("DS101", "rule-a", Severity.ERROR, "message \u00e9\u4e2d \U0001f600", odd, span, None),
        Diagnostic("DS102", "rule-b", Severity.INFO, "two", "s.dsspec", Span(1, 1, 1, 2, 0, 1), "help \u00e9",
                   (Related(odd, span, "here"), Related("t.dsspec", Span(2, 1, 2, 2, 5, 6), "there")),
                   Fix("fix it", (Edit(span, ""), Edit(Span(1, 1, 1, 1, 0, 0), "x\ny")))),
        Diagnostic("DS102", "rule-b", Severity.WARNING, "two", "s.dsspec", Span(1, 1, 1, 2, 0, 1), "help \u00e9",
                   fix=Fix("none", ())),
    ]
    monkeypatch.setenv("DSSPEC_CACHE_DIR", str(project / "cache"))
    (project / "s.dsspec").write_text(TYPO)
    store = cache.Cache(project / "cache", "options")
    store.put("k", "s.dsspec", findings, [])
    store.save()
    [pack] = (project / "cache").glob("pack-*.json")
    text = pack.read_text(encoding="utf-8")
    assert text.count('"two"') == 1 and text.count('"rule-b"') == 1  # interned
    assert cache.Cache(project / "cache", "options").get("k", "s.dsspec") == (findings, {})
    assert cache.Cache(project / "cache", "options").get("another key", "s.dsspec") is None


def test_a_cache_entry_or_include_that_never_ends_is_a_miss(project, capsys, monkeypatch):
    import json

    monkeypatch.setenv("DSSPEC_CACHE_DIR", str(project / "cache"))
    (project / "s.dsspec").write_text(TYPO)
    cold = run_cli(capsys, "check", "s.dsspec")[:2]
    [entry] = (project / "cache").glob("pack-*.json")
    good = json.loads(entry.read_text())
    good["entries"]["s.dsspec"][1] = {str(project / "fifo"): "0" * 64}
    os.mkfifo(project / "fifo")
    entry.write_text(json.dumps(good))
    assert run_cli(capsys, "check", "s.dsspec")[:2] == cold  # was: blocked for ever reading the pipe
    entry.unlink()
    entry.symlink_to("/dev/zero")
    assert run_cli(capsys, "check", "s.dsspec")[:2] == cold  # was: read until memory ran out


@pytest.mark.parametrize("content", [
    '{"version": 1, "findings": [{"fingerprint": "a", "path": ["list"]}]}',
    '{"version": 1, "findings": [{"fingerprint": "a", "path": {"x": 1}}]}',
    '{"version": 1, "findings": [{"fingerprint": "a", "path": 3}]}',
    "[" * 100_000,
    b"\xff\xfe{}",
])
def test_a_malformed_baseline_is_a_usage_error(project, capsys, content):
    (project / "s.dsspec").write_text(TYPO)
    base = project / "b.json"
    base.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, _, err = run_cli(capsys, "check", "--baseline", "b.json", "s.dsspec")
    assert code == 2 and "baseline" in err


def test_a_baseline_that_never_ends_is_a_usage_error(project, capsys):
    (project / "s.dsspec").write_text(TYPO)
    os.mkfifo(project / "fifo")
    for endless in ("/dev/zero", "fifo"):
        code, _, err = run_cli(capsys, "check", "--baseline", endless, "s.dsspec")
        assert code == 2 and "not a regular file" in err


# --- stale answers --------------------------------------------------------------------------------------------


def _spy(monkeypatch) -> list[str]:
    from dsspec.compiler import pipeline

    compiled: list[str] = []
    real = pipeline.check_file

    def check_file(session, path, options=pipeline.DEFAULT):
        compiled.append(path)
        return real(session, path, options)

    monkeypatch.setattr(pipeline, "check_file", check_file)
    return compiled


def test_a_retargeted_include_link_misses_the_cache(project, capsys, monkeypatch, tmp_path_factory):
    library = "source t {\n  kind table\n}\n"
    (project / "a").mkdir()
    (project / "a" / "lib.dsspec").write_text(library)
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "lib.dsspec"
    elsewhere.write_text(library)  # the same bytes, outside the project
    (project / "lib.dsspec").symlink_to("a/lib.dsspec")
    (project / "s.dsspec").write_text('include "lib.dsspec"\n' + TYPO.replace("knd", "kind"))
    first = run_cli(capsys, "check", "s.dsspec")
    compiled = _spy(monkeypatch)
    assert run_cli(capsys, "check", "s.dsspec") == first and compiled == []  # a hit
    (project / "lib.dsspec").unlink()
    (project / "lib.dsspec").symlink_to(elsewhere)
    code, out, _ = run_cli(capsys, "check", "s.dsspec")
    assert compiled == ["s.dsspec"] and "points outside the project root" in out


def test_a_new_project_root_misses_the_cache(project, capsys, monkeypatch):
    sub = project / "sub"
    sub.mkdir()
    (sub / "s.dsspec").write_text(TYPO)
    run_cli(capsys, "check", "sub/s.dsspec")
    compiled = _spy(monkeypatch)
    run_cli(capsys, "check", "sub/s.dsspec")
    assert compiled == []
    (sub / ".git").mkdir()  # a root marker: another project root and repository root
    run_cli(capsys, "check", "sub/s.dsspec")
    assert compiled == ["sub/s.dsspec"]


def test_long_lived_callers_see_an_edited_configuration(project):
    from dsspec import api
    from dsspec.compiler.outputs import compile_spec

    spec = project / "s.dsspec"
    spec.write_text(TYPO.replace("knd", "kind"))
    rules = lambda diags: {d.rule for d in diags}  # noqa: E731
    assert "unused-declaration" in rules(api.check_paths([spec]).findings)
    assert "unused-declaration" in rules(compile_spec(spec).diagnostics)
    (project / "dsspec.toml").write_text('ignore = ["unused-declaration"]\n')
    assert "unused-declaration" not in rules(api.check_paths([spec]).findings)
    assert "unused-declaration" not in rules(compile_spec(spec).diagnostics)
    assert "unused-declaration" not in rules(api.check_text(spec.read_text(), str(spec)))
    (project / "dsspec.toml").unlink()
    (project / "pyproject.toml").write_text('[tool.dsspec]\nignore = ["fallback-missing"]\n')
    found = rules(compile_spec(spec).diagnostics)
    assert "unused-declaration" in found and "fallback-missing" not in found


# --- the preview server ------------------------------------------------------------------------------------


@pytest.fixture
def served(project):
    """A preview server of a sound spec on 127.0.0.1 (a free port), in this process; yield it."""
    import shutil

    from hostile import serving

    shutil.copy(SOUND, project / "s.dsspec")
    with serving(project / "s.dsspec", limit=8) as httpd:
        yield httpd


def _get(httpd, path: str, host: str | None = None):
    import http.client

    port = httpd.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
    conn.endheaders()
    response = conn.getresponse()
    return response, conn


@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "127.0.0.1.evil.example:{port}",
                                  "127.0.0.1:1", "localhost:{port}.evil", ""])
def test_the_preview_refuses_a_foreign_host(served, host):
    response, conn = _get(served, "/", host.format(port=served.server_address[1]))
    assert response.status == 421 and b"<svg" not in response.read()
    conn.close()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LocalHost:{port}"])
def test_the_preview_answers_its_own_names_with_security_headers(served, host):
    response, conn = _get(served, "/", host.format(port=served.server_address[1]))
    body = response.read().decode()
    assert response.status == 200 and "<svg" in body
    policy = response.getheader("Content-Security-Policy")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy.split("style-src-attr")[0]
    assert body.count(f'nonce="{nonce}"') == 2  # the page's own style and script, and nothing else
    conn.close()
    response, conn = _get(served, "/s.svg", host.format(port=served.server_address[1]))
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "script-src" not in response.getheader("Content-Security-Policy")  # the SVG runs nothing
    conn.close()


@pytest.mark.parametrize("since", ["\u00b2", "\u0663", "9" * 5000, "-1", "1e9", "", "%00", "0x10"])
def test_a_bad_events_number_is_no_crash(served, since):
    from urllib.parse import quote

    response, conn = _get(served, "/events?since=" + quote(since))
    assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
    assert response.fp.readline() == b"event: build\n"  # read as 0: the current build is announced
    conn.close()


def test_the_preview_drops_slow_clients_and_caps_connections(served, monkeypatch):
    import socket

    from dsspec.integrations.preview import server

    port = served.server_address[1]
    assert served.RequestHandlerClass.timeout == server.TIMEOUT
    monkeypatch.setattr(served.RequestHandlerClass, "timeout", 0.5)
    slow = socket.create_connection(("127.0.0.1", port), timeout=5)
    slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1")  # never finished
    start = time.monotonic()
    assert slow.recv(100) == b""  # the server hung up on it
    assert time.monotonic() - start < 4
    slow.close()
    held = []
    for _ in range(30):  # far more than the limit (8 here), each holding its request half-sent
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\n")
        held.append(s)
    time.sleep(0.3)
    import threading

    assert threading.active_count() < 8 + 10  # no thread per connection beyond the limit
    refused = 0
    for s in held:
        s.settimeout(0.2)
        try:
            refused += s.recv(10) == b""
        except (TimeoutError, ConnectionResetError):
            pass
    assert refused >= 20  # the connections over the limit were closed at once
    for s in held:
        s.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the slots come back: the server answers again
        try:
            response, conn = _get(served, "/")
            if response.status == 200:
                conn.close()
                break
        except OSError:
            time.sleep(0.2)
    else:
        pytest.fail("the preview did not answer again once the connections were gone")


# --- the language server ------------------------------------------------------------------------------------


class _RawClient:
    """`dsspec lsp` spoken to byte by byte, every read bounded by a deadline."""

    def __init__(self, cwd: Path):
        import subprocess
        import sys

        self.proc = subprocess.Popen([sys.executable, "-m", "dsspec", "lsp"], cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def send(self, message: dict) -> None:
        import json

        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self, seconds: float = 20.0) -> dict:
        import json
        import select

        deadline = time.monotonic() + seconds
        fd = self.proc.stdout.fileno()

        def read(n: int) -> bytes:
            out = b""
            while len(out) < n:
                ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    raise TimeoutError("the language server did not answer")
                chunk = os.read(fd, n - len(out))
                if not chunk:
                    raise EOFError("the language server closed its output")
                out += chunk
            return out

        header = b""
        while not header.endswith(b"\r\n\r\n"):
            header += read(1)
        return json.loads(read(int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])))

    def request(self, msg_id: int, method: str, params) -> dict:
        self.send({"id": msg_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == msg_id:
                return message

    def close(self) -> str:
        try:
            self.request(999, "shutdown", None)
            self.send({"method": "exit"})
            self.proc.wait(10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(10)
        return self.proc.stderr.read().decode()


def test_the_language_server_answers_invalid_params_with_an_error(tmp_path):
    client = _RawClient(tmp_path)
    try:
        assert "result" in client.request(1, "initialize", {"capabilities": {}})
        client.send({"method": "initialized", "params": {}})
        bad = [("textDocument/hover", {"textDocument": {"uri": "file:///x.dsspec"}, "position": {"line": "x"}}),
               ("textDocument/rename", {"textDocument": 5, "position": None, "newName": 3}),
               ("textDocument/completion", []),
               ("textDocument/references", {"textDocument": {"uri": "file:///x.dsspec"}}),
               # well-formed, but about a document that is not open (pygls read it from disk: /dev/zero hung)
               ("textDocument/semanticTokens/full", {"textDocument": {"uri": "file:///dev/zero"}}),
               ("textDocument/hover", {"textDocument": {"uri": "file:///nowhere/x.dsspec"},
                                       "position": {"line": 0, "character": 0}})]
        client.send({"method": "textDocument/didOpen", "params": {"textDocument": 5}})  # a notification: dropped
        for n, (method, params) in enumerate(bad, 10):
            answer = client.request(n, method, params)  # was: no answer at all (the editor waited for ever)
            assert answer["error"]["code"] == -32602, answer
    finally:
        err = client.close()
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == len(bad) + 1 and all(line.startswith("dsspec lsp: ") for line in lines), err


def test_rename_reaches_specs_that_are_not_open_and_refuses_collisions_and_keywords(tmp_path):
    (tmp_path / "dsspec.toml").write_text("")
    sources = 'source payments {\n  kind stream\n}\nsource refunds {\n  kind table\n}\n'
    (tmp_path / "sources.dsspec").write_text(sources)
    design = ('include "sources.dsspec"\nproduct p {\n  owner "a@b.c"\n}\n'
              "input payment {\n  from payments\n  known_at request\n}\n")
    (tmp_path / "design.dsspec").write_text(design)
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "other.dsspec").write_text(design.replace('"sources', '"../sources'))
    (tmp_path / "unrelated.dsspec").write_text("source payments {\n  kind table\n}\n")  # its own `payments`
    (tmp_path / "third.dsspec").write_text('include "sources.dsspec"\noutput settled {\n  type class\n}\n')
    os.mkfifo(tmp_path / "pipe.dsspec")  # a pipe in the workspace: never read
    client = _RawClient(tmp_path)
    uri = (tmp_path / "sources.dsspec").as_uri()
    try:
        client.request(1, "initialize", {"capabilities": {}, "rootUri": tmp_path.as_uri(),
                                         "workspaceFolders": [{"uri": tmp_path.as_uri(), "name": "w"}]})
        client.send({"method": "initialized", "params": {}})
        client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "dsspec", "version": 1, "text": sources}}})
        where = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 9}}
        edit = client.request(2, "textDocument/rename", {**where, "newName": "card_payments"})["result"]
        changed = {Path(u[len("file://"):]).relative_to(tmp_path).as_posix(): e for u, e in edit["changes"].items()}
        assert sorted(changed) == ["design.dsspec", "nested/other.dsspec", "sources.dsspec"]  # not unrelated.dsspec
        assert changed["design.dsspec"] == [{"range": {"start": {"line": 5, "character": 7},
                                                       "end": {"line": 5, "character": 15}},
                                             "newText": "card_payments"}]
        for n, (name, why) in enumerate([("refunds", "already declared"), ("payment", "already declared"), ("settled", "already declared"),
                                         ("stream", "a word of the language"), ("yes", "a word of the language"),
                                         ("model", "a word of the language"), ("9x", "not a name")], 3):
            answer = client.request(n, "textDocument/rename", {**where, "newName": name})
            assert "error" in answer and why in answer["error"]["message"], (name, answer)
    finally:
        client.close()


# --- portability ----------------------------------------------------------------------------------------------


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_the_same_bytes_from_any_folder_and_checkout(tmp_path, capsys, monkeypatch):
    import shutil

    checkouts = [tmp_path / "home" / "alice" / "repo", tmp_path / "ci" / "build" / "x" / "checkout"]
    for repo in checkouts:
        (repo / "specs" / "lib").mkdir(parents=True)
        (repo / ".git").mkdir()
        (repo / "dsspec.toml").touch()
        for spec in ("search_ranking.dsspec", "churn_outreach.dsspec", "lib/customer_warehouse.dsspec"):
            shutil.copy(SOUND.parent / spec, repo / "specs" / spec)
    outputs = []
    for n, (repo, cwd, arg) in enumerate([
        (checkouts[0], checkouts[0], "specs"),                            # at the root, the path as typed
        (checkouts[0], checkouts[0] / "specs", "."),                      # from the specs folder
        (checkouts[0], tmp_path, str(checkouts[0] / "specs")),            # from outside: an absolute path
        (checkouts[1], checkouts[1] / "specs" / "lib", "../"),            # another checkout, from below
    ]):
        monkeypatch.chdir(cwd)
        out = tmp_path / f"out{n}"
        code, _, err = run_cli(capsys, "build", arg, "-o", str(out), "--format", "svg,dot,md,json")
        assert code == 0, err
        outputs.append(_tree(out))
    assert all(o == outputs[0] for o in outputs[1:])
    built = b"".join(outputs[0].values())
    assert b"specs/search_ranking.dsspec" in built and str(tmp_path).encode() not in built


def test_mkdocs_pages_name_specs_repo_relative(tmp_path):
    pytest.importorskip("mkdocs")
    import shutil
    import subprocess
    import sys

    (tmp_path / ".git").mkdir()
    (tmp_path / "dsspec.toml").touch()
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SOUND, docs / "search.dsspec")
    (docs / "index.md").write_text("# Designs\n\n[Search](search.dsspec)\n\n```dsspec\n" + SOUND.read_text() + "```\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: D\nplugins:\n  - dsspec\n")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=tmp_path, check=True, timeout=120,
                   capture_output=True)
    page = (tmp_path / "site" / "index.html").read_text()
    assert "docs/search.dsspec:" in page and str(tmp_path) not in page


def test_fmt_defaults_to_the_current_folder(project, capsys):
    (project / "a.dsspec").write_text("source s {\nkind    table\n}\n")
    code, out, _ = run_cli(capsys, "fmt", "--check")
    assert code == 1 and "would reformat a.dsspec" in out
    assert run_cli(capsys, "fmt")[0] == 0 and (project / "a.dsspec").read_text() == "source s {\n  kind table\n}\n"


def test_check_at_the_projects_own_root_reports_no_fixture(capsys, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    code, out, _ = run_cli(capsys, "check", "--format", "json", "--no-cache")
    import json

    files = json.loads(out)["files"]
    assert code == 0 and files and all(f.startswith("specs/") for f in files)  # was 186 errors in tests/
    code, out, _ = run_cli(capsys, "check", "--format", "json", "--no-cache", "tests/corpus/realworld",
                           "tests/fixtures/fraud_draft.dsspec")
    files = json.loads(out)["files"]  # a folder inside the excluded area, or a file, named is still checked
    assert "tests/fixtures/fraud_draft.dsspec" in files and len(files) > 10


def test_build_check_says_missing_for_files_not_built_yet(project, capsys):
    import shutil

    shutil.copy(SOUND, project / "s.dsspec")
    code, out, _ = run_cli(capsys, "build", "s.dsspec", "-o", "out", "--format", "svg,md", "--check")
    assert code == 1 and "missing: out/s.svg" in out and "out of date" not in out
    run_cli(capsys, "build", "s.dsspec", "-o", "out", "--format", "svg,md")
    (project / "out" / "s.md").write_text("edited\n")
    (project / "out" / "s.svg").unlink()
    code, out, _ = run_cli(capsys, "build", "s.dsspec", "-o", "out", "--format", "svg,md", "--check")
    assert code == 1 and out.splitlines() == ["out of date: out/s.md", "missing: out/s.svg"]
