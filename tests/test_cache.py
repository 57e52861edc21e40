"""The result cache: same output warm or cold; a changed spec, include, configuration or version
invalidates; --no-cache neither reads nor writes (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dsspec.review import cache as result_cache
from dsspec.compiler.lint import config as configuration
from conftest import run_cli

DRAFT = Path(__file__).resolve().parent / "fixtures" / "fraud_draft.dsspec"
LIBRARY = "source payments {\n  kind      stream\n  freshness 1s\n  pii       [card_number, email]\n}\n"

run = run_cli


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.delenv("DSSPEC_CACHE_DIR")
    (tmp_path / ".git").mkdir()
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / "lib.dsspec").write_text(LIBRARY)
    text = DRAFT.read_text()
    start = text.index("source payments {")
    end = text.index("}\n", start) + 2
    (tmp_path / "s.dsspec").write_text('include "lib.dsspec"\n\n' + text[:start] + text[end:])
    monkeypatch.chdir(tmp_path)
    return tmp_path


def entries(project: Path) -> set[str]:
    """Return the specs with an entry in the cache's packs."""
    import json

    return {path for pack in (project / ".dsspec_cache").glob("pack-*.json")
            for path in json.loads(pack.read_text())["entries"]}


def spy(monkeypatch) -> list[str]:
    """Record which specs are really compiled (not answered from the cache)."""
    from dsspec.compiler import pipeline

    compiled: list[str] = []
    real = pipeline.check_file

    def check_file(session, path, options=pipeline.DEFAULT):
        compiled.append(path)
        return real(session, path, options)

    monkeypatch.setattr(pipeline, "check_file", check_file)
    return compiled


def test_a_warm_run_prints_the_same_bytes_without_compiling(project, capsys, monkeypatch):
    cold = run(capsys, "check", "s.dsspec", "lib.dsspec")
    assert cold[0] == 1 and "DS307" in cold[1]  # the pii finding needs the include
    assert len(entries(project)) == 2
    assert (project / ".dsspec_cache" / ".gitignore").read_text().endswith("*\n")
    compiled = spy(monkeypatch)
    for fmt in ("text", "sarif", "json"):
        assert run(capsys, "check", "--format", fmt, "s.dsspec", "lib.dsspec") == \
            run(capsys, "check", "--format", fmt, "--no-cache", "s.dsspec", "lib.dsspec")
    assert compiled == ["s.dsspec", "lib.dsspec"] * 3  # only the --no-cache runs compiled


def test_a_changed_include_invalidates(project, capsys, monkeypatch):
    run(capsys, "check", "s.dsspec")
    (project / "lib.dsspec").write_text(LIBRARY.replace("card_number, ", ""))
    compiled = spy(monkeypatch)
    _, out, _ = run(capsys, "check", "s.dsspec")
    assert compiled == ["s.dsspec"] and "DS307" not in out


def test_a_changed_spec_configuration_or_version_invalidates(project, capsys, monkeypatch):
    run(capsys, "check", "s.dsspec")
    compiled = spy(monkeypatch)
    run(capsys, "check", "s.dsspec")
    assert compiled == []
    (project / "s.dsspec").write_text((project / "s.dsspec").read_text() + "\n")
    run(capsys, "check", "s.dsspec")
    assert compiled == ["s.dsspec"]
    (project / "dsspec.toml").write_text('ignore = ["DS103"]\n')
    configuration.config_at.cache_clear()
    _, out, _ = run(capsys, "check", "s.dsspec")
    assert compiled == ["s.dsspec"] * 2 and "DS103" not in out
    run(capsys, "check", "--select", "DS204", "s.dsspec")  # other options, other entries
    assert len(compiled) == 3
    monkeypatch.setattr(result_cache, "code_stamp", lambda: "another dsspec version")
    run(capsys, "check", "s.dsspec")
    assert len(compiled) == 4


def test_no_cache_neither_reads_nor_writes(project, capsys):
    run(capsys, "check", "--no-cache", "s.dsspec")
    assert not (project / ".dsspec_cache").exists()


def test_an_unwritable_or_corrupt_cache_is_skipped(project, capsys, monkeypatch):
    _, cold, _ = run(capsys, "check", "s.dsspec")
    for entry in (project / ".dsspec_cache").glob("*.json"):
        entry.write_text("{not json")
    assert run(capsys, "check", "s.dsspec")[:2] == (1, cold)
    (project / "blocked").write_text("a file, not a folder")
    monkeypatch.setenv("DSSPEC_CACHE_DIR", str(project / "blocked" / "cache"))
    assert run(capsys, "check", "s.dsspec")[:2] == (1, cold)


def test_a_missing_include_is_not_cached(project, capsys, monkeypatch):
    (project / "lib.dsspec").unlink()
    _, out, _ = run(capsys, "check", "s.dsspec")
    assert "DS022" in out
    (project / "lib.dsspec").write_text(LIBRARY)
    _, out, _ = run(capsys, "check", "s.dsspec")
    assert "DS022" not in out and "DS307" in out


def test_a_warm_run_loads_neither_the_compiler_nor_pydantic(project, capsys):
    """The front door answers from the cache first: a run in which nothing changed imports no stage."""
    import subprocess
    import sys

    run(capsys, "check", "s.dsspec", "lib.dsspec")
    probe = ("import sys, io; from dsspec import cli; sys.stdout = io.StringIO(); "
             "code = cli.main(['check', 's.dsspec', 'lib.dsspec']); sys.stdout = sys.__stdout__; "
             "print(code, sorted(m for m in sys.modules if m == 'pydantic' or m.startswith(('dsspec.compiler.pipeline', "
             "'dsspec.compiler.model', 'dsspec.compiler.lint.rules', 'dsspec.compiler.emit', 'dsspec.commands.build'))), "
             "sorted(m for m in ('dataclasses', 'inspect', 'typing', 'hashlib', 'shutil', 'datetime') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=project, check=True)
    # nor the standard library's heavier modules: each costs a warm run over many specs a few percent
    assert out.stdout.split(maxsplit=1) == ["1", "[] []\n"], out.stdout + out.stderr
    (project / "s.dsspec").write_text((project / "s.dsspec").read_text() + "\n")   # one miss: the compiler loads
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=project, check=True)
    assert "dsspec.compiler.pipeline" in out.stdout


def test_a_warm_check_of_a_named_spec_parses_no_configuration(project, capsys):
    """Configured in `pyproject.toml` under `[tool.dsspec]`, beside other tools' tables: a warm check of a spec
    named on the command line finds, keys and answers without loading a TOML parser (the header says whose
    table it is, and a file that sets no `extend` is keyed by its own bytes)."""
    import subprocess
    import sys

    (project / "dsspec.toml").unlink()
    (project / "pyproject.toml").write_text('[tool.ruff]\nextend-select = ["E"]\n\n[tool.dsspec]\n'
                                            'ignore = ["owner-missing"]\n')
    cold = run(capsys, "check", "s.dsspec")
    probe = ("import sys, io; from dsspec import cli; sys.stdout = io.StringIO(); "
             "code = cli.main(['check', 's.dsspec']); out = sys.stdout.getvalue(); sys.stdout = sys.__stdout__; "
             "print(code, 'tomllib' in sys.modules, 'dsspec.compiler.pipeline' in sys.modules, "
             "'owner-missing' in out)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=project, check=True)
    assert out.stdout == f"{cold[0]} False False False\n", out.stdout + out.stderr
    (project / "pyproject.toml").write_text('[tool.dsspec]\nselect = ["DS9"]\n')   # its settings changed: a miss
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=project, check=True)
    assert out.stdout.split()[1:3] == ["True", "True"], out.stdout + out.stderr


def test_a_pack_entry_reads_back_only_as_it_was_written():
    """The compact form (a string table, one run of numbers) reads back the finding written, and anything that
    is not what ``save`` writes is a miss (``None``), never a finding made of the wrong parts."""
    import copy

    from dsspec.base.diagnostics import Diagnostic, Fix, Severity
    from dsspec.base.span import Span

    found = Diagnostic("DS101", "rule-a", Severity.WARNING, "message", "s.dsspec", Span(2, 1, 2, 5, 10, 14), "help",
                       fix=Fix("title", ()))
    doc = result_cache._written({"s.dsspec": ("k", {}, [found])}).document()
    assert doc["strings"][:6] == ["DS101", "rule-a", "warning", "message", "s.dsspec", "help"]
    assert result_cache._Pack.parse(doc).entry("s.dsspec") == ("k", {}, [found])
    assert result_cache._Pack.parse(doc).entry("s.dsspec", "another key") is None

    def spoiled(change) -> dict:
        bad = copy.deepcopy(doc)
        change(bad)
        return bad

    for bad in (spoiled(lambda d: d["strings"].__setitem__(2, "nope")),   # a severity that is none
                spoiled(lambda d: d["strings"].__delitem__(slice(3, None))),  # indices past the table
                spoiled(lambda d: d["strings"].__setitem__(0, 5)),
                spoiled(lambda d: d["entries"]["s.dsspec"][4][0].__setitem__(2, [99, []])),  # a fix's title
                spoiled(lambda d: d["entries"]["s.dsspec"].__setitem__(3, 2)),
                spoiled(lambda d: d.__setitem__("numbers", d["numbers"][:-4])),
                spoiled(lambda d: d.pop("numbers"))):
        assert result_cache._Pack.parse(bad).entry("s.dsspec") is None


def test_a_folder_with_a_file_name_that_is_not_utf8_is_cached(project, capsys, monkeypatch):
    """Such a name is written escaped: the pack of its folder was not written at all before."""
    import os

    (project / os.fsdecode(b"caf\xe9.dsspec")).write_text(LIBRARY)
    cold = run(capsys, "check", ".")
    compiled = spy(monkeypatch)
    assert run(capsys, "check", ".") == cold and compiled == []


def test_the_cache_makes_a_finding_as_the_class_does():
    """A warm run sets a finding's fields through the slots' setters (``cache._SETTERS``), as the dataclass's
    ``__init__`` would: a field added to ``Diagnostic``, or a ``__post_init__``, must be taken up there."""
    from dsspec.base import record
    from dsspec.base.diagnostics import Diagnostic

    names = ("code", "rule", "severity", "message", "path", "span", "help", "related", "fix")
    assert Diagnostic.__slots__ == record.fields(Diagnostic) == names
    assert not hasattr(Diagnostic, "__post_init__") and len(result_cache._SETTERS) == len(names)


def test_a_save_merges_what_another_run_stored_meanwhile(project):
    """A run writes its pack merged with the pack on disk now: another run's entries stay, an entry this run
    read is kept as read unless the other run replaced it, and entries of deleted specs go."""
    from dsspec.base.diagnostics import Diagnostic, Severity
    from dsspec.base.span import Span

    def finding(message: str, path: str) -> Diagnostic:
        return Diagnostic("DS101", "rule-a", Severity.INFO, message, path, Span(1, 1, 1, 2, 0, 1))

    for name in ("a", "b", "c", "gone"):
        (project / f"{name}.dsspec").write_text("x")
    first = result_cache.Cache(project / "cache", "options")
    for name in ("a", "b", "gone"):
        first.put(f"key {name}", f"{name}.dsspec", [finding(name, f"{name}.dsspec")], [])
    first.save()
    one = result_cache.Cache(project / "cache", "options")
    assert one.get("key a", "a.dsspec")[0] == [finding("a", "a.dsspec")]  # read: kept as read
    assert one.get("key b", "b.dsspec")[0] == [finding("b", "b.dsspec")]
    other = result_cache.Cache(project / "cache", "options")
    other.put("key b2", "b.dsspec", [finding("b2", "b.dsspec")], [])  # replaced by the other run
    other.put("key c", "c.dsspec", [finding("c", "c.dsspec")], [])
    other.save()
    (project / "gone.dsspec").unlink()
    one.put("key c1", "c.dsspec", [finding("c1", "c.dsspec")], [])  # this run's own answer wins
    one.save()
    fresh = result_cache.Cache(project / "cache", "options")
    assert fresh.get("key a", "a.dsspec")[0] == [finding("a", "a.dsspec")]
    assert fresh.get("key b", "b.dsspec") is None and fresh.get("key b2", "b.dsspec")[0] == [finding("b2", "b.dsspec")]
    assert fresh.get("key c1", "c.dsspec")[0] == [finding("c1", "c.dsspec")]
    [pack] = (project / "cache").glob("pack-*.json")
    assert set(json.loads(pack.read_text())["entries"]) == {"a.dsspec", "b.dsspec", "c.dsspec"}


def test_a_pack_swollen_with_foreign_entries_is_cut_to_its_folder_and_an_oversized_one_is_ignored(
        project, monkeypatch):
    """A corrupt or planted pack costs one parse at most: entries naming no spec of its folder are dropped on
    save without a look-up each, and a pack over the size bound is neither read nor written."""
    from dsspec.base.diagnostics import Diagnostic, Severity
    from dsspec.base.span import Span

    def finding(path: str) -> Diagnostic:
        return Diagnostic("DS101", "rule-a", Severity.INFO, "m", path, Span(1, 1, 1, 2, 0, 1))

    (project / "a.dsspec").write_text("x")
    first = result_cache.Cache(project / "cache", "options")
    first.put("key a", "a.dsspec", [finding("a.dsspec")], [])
    first.save()
    [pack] = (project / "cache").glob("pack-*.json")
    doc = json.loads(pack.read_text())
    entry = doc["entries"]["a.dsspec"]
    for i in range(3000):
        doc["entries"][f"junk_{i}.dsspec"] = entry
        doc["entries"][f"/elsewhere/{i}/a.dsspec"] = entry
    pack.write_text(json.dumps(doc))
    (project / "b.dsspec").write_text("x")
    run_ = result_cache.Cache(project / "cache", "options")
    assert run_.get("key a", "a.dsspec")[0] == [finding("a.dsspec")]
    run_.put("key b", "b.dsspec", [finding("b.dsspec")], [])
    run_.save()
    assert set(json.loads(pack.read_text())["entries"]) == {"a.dsspec", "b.dsspec"}

    monkeypatch.setattr(result_cache, "MAX_ENTRY_BYTES", len(pack.read_bytes()) - 1)
    assert result_cache.Cache(project / "cache", "options").get("key a", "a.dsspec") is None   # not read
    big = result_cache.Cache(project / "cache", "options")
    big.put("key b", "b.dsspec", [finding("b.dsspec")] * 50, [])
    big.save()
    assert not pack.exists()   # a pack too large to be read back is not left behind


def test_a_save_after_one_edit_appends_and_reads_back_the_same(project):
    """An edit among many specs appends that spec's entry to the pack read this run (not re-encoding every
    entry); what reads back is what a full write would give, and garbage is compacted by a full write."""
    from dsspec.base.diagnostics import Diagnostic, Severity
    from dsspec.base.span import Span

    def finding(message: str, path: str) -> Diagnostic:
        return Diagnostic("DS101", "rule-a", Severity.INFO, message, path, Span(1, 1, 1, 2, 0, 1))

    names = [f"s{i}" for i in range(40)]
    for name in names:
        (project / f"{name}.dsspec").write_text("x")
    first = result_cache.Cache(project / "cache", "options")
    for name in names:
        first.put(f"key {name}", f"{name}.dsspec", [finding(name, f"{name}.dsspec")] * 3, [])
    first.save()
    [pack] = (project / "cache").glob("pack-*.json")
    for round_ in range(30):   # one edit per run, as a developer saves
        run_ = result_cache.Cache(project / "cache", "options")
        for name in names:
            expected = f"{name} v{round_}" if name == "s0" and round_ else name
            assert run_.get(f"key {expected}", f"{name}.dsspec")[0] == [finding(expected, f"{name}.dsspec")] * 3
        run_.put(f"key s0 v{round_ + 1}", "s0.dsspec", [finding(f"s0 v{round_ + 1}", "s0.dsspec")] * 3, [])
        if round_ == 0:
            untouched = json.loads(pack.read_text())["entries"]["s1.dsspec"]
        run_.save()
        doc = json.loads(pack.read_text())
        if round_ == 0:
            assert doc["entries"]["s1.dsspec"] == untouched   # kept as stored, not re-encoded
            assert doc["entries"]["s0.dsspec"][2] == 40 * 3 * result_cache._FINDING   # appended
        assert len(doc["strings"]) <= 12 * 40 * 3 + 1024   # garbage compacted by full writes
