"""An adversarial tester's inputs (review 2): corrupt baselines and cache entries, unwritable build
targets, over-long lines, bad configuration values, a hostile language-server or MCP client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from dsspec.cli import main

DRAFT = Path(__file__).resolve().parent / "fixtures" / "fraud_draft.dsspec"

run = run_cli


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / ".git").mkdir()
    (tmp_path / "s.dsspec").write_text(DRAFT.read_text())
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("doc", [
    '{"version":1,"findings":' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"version":true,"findings":[]}',
    '{"version":1.0,"findings":[]}',
])
def test_a_baseline_not_shaped_like_one_is_a_usage_error(project, capsys, doc):
    (project / "bl.json").write_text(doc)
    code, _, err = run(capsys, "check", "--baseline", "bl.json", "s.dsspec")
    assert code == 2 and "`bl.json` is not a dsspec baseline" in err and "internal error" not in err
    assert err.count("dsspec: error:") == 1


@pytest.mark.parametrize("entry", [
    '["KEY", 5, 0, 1, []]',
    '["KEY", {}, 0, 1, 5]',
    '["KEY", {"x": 1}, 0, 0, []]',
    '["KEY", {}, "0", 1, []]',
    '["KEY", {}, 0, true, []]',
    '["KEY", {}, -1, 1, []]',
    '["KEY", {}, 0, 99999, []]',  # more findings than the pack holds numbers for
    '[1, 2]',
    '["KEY", {}, 0, 1, [[0, [], [0, [1]]]]]',  # a fix's edit of one number
    '["KEY", {}, 0, 1, [[true, [], null]]]',
    '["KEY", {}, 0, 1, [[0, [0, 0, 1, 1, 1, 1, 0, -1], null]]]',
    '{"includes": {}, "diagnostics": []}',  # the format before: not this one's
])
def test_a_corrupt_cache_entry_is_recomputed(project, capsys, monkeypatch, entry):
    monkeypatch.setenv("DSSPEC_CACHE_DIR", str(project / "cache"))
    cold = run(capsys, "check", "s.dsspec")
    [path] = (project / "cache").glob("pack-*.json")
    pack = json.loads(path.read_text())
    bad = json.loads(entry.replace("KEY", pack["entries"]["s.dsspec"][0]))  # the right key: only the shape is wrong
    for corrupt in ({**pack, "entries": {"s.dsspec": bad}}, bad):   # a wrong entry in a good pack, and a wrong pack
        path.write_text(json.dumps(corrupt))
        assert run(capsys, "check", "s.dsspec") == cold
        assert json.loads(path.read_text())["entries"]["s.dsspec"][3] > 0  # rewritten whole, with its findings


def test_build_writes_nothing_when_one_target_cannot_be_written(project, capsys):
    (project / "out" / "s.md").mkdir(parents=True)
    code, out, err = run(capsys, "build", "s.dsspec", "-o", "out")
    assert code == 2 and "cannot write `out/s.md`: Is a directory; nothing was written" in err
    assert sorted(p.name for p in (project / "out").iterdir()) == ["s.md"]  # no file, no temporary, no manifest
    (project / "out" / "s.md").rmdir()
    code, out, _ = run(capsys, "build", "s.dsspec", "-o", "out")
    assert code == 0 and (project / "out" / ".dsspec-build.json").is_file() and (project / "out" / "s.md").is_file()


@pytest.mark.parametrize("stdin, code, said", [
    (b"Content-Length: 99999999999\r\n\r\n{}", 2, "a message of 99999999999 bytes (Content-Length) is larger than"),
    (b"Content-Length: 5\r\n\r\n{abc}", 0, "dsspec lsp: Unable to handle message: JSONDecodeError: Expecting"),
    (b"\0" * 100_000, 2, "a header line is longer than 8192 bytes"),
])
def test_the_language_server_refuses_a_broken_client_in_one_line(stdin, code, said):
    import subprocess
    import sys

    pytest.importorskip("pygls")
    done = subprocess.run([sys.executable, "-m", "dsspec", "lsp"], input=stdin, capture_output=True, timeout=60)
    err = done.stderr.decode()
    assert done.returncode == code and said in err
    assert "Traceback" not in err and "internal error" not in err and len(err.splitlines()) == 1


def test_fmt_check_never_calls_a_file_with_errors_formatted(project, capsys):
    (project / "junk.dsspec").write_bytes(b"\xd1\x00 not a spec {{{")
    run(capsys, "fmt", "s.dsspec")
    code, _, err = run(capsys, "fmt", "--check", "junk.dsspec")
    assert code == 1 and err.splitlines()[-1] == "1 file not formatted: it has errors (above)"
    code, _, err = run(capsys, "fmt", "--check", "junk.dsspec", "s.dsspec")
    assert code == 1 and err.splitlines()[-1] == "1 of 2 files already formatted; 1 file not formatted: it has errors (above)"
    assert run(capsys, "fmt", "--check", "s.dsspec")[::2] == (0, "1 file is already formatted\n")


def test_an_over_long_line_is_shown_cut_around_the_finding(project, capsys):
    (project / "long.dsspec").write_text("product x {\n  owner " + "a" * 200_000 + " @@ zz\n}\n")
    code, out, _ = run(capsys, "check", "long.dsspec")
    assert code == 1 and "DS003" in out and len(out) < 2_000
    line = next(x for x in out.splitlines() if x.startswith("2 | "))
    assert line.startswith("2 | ...") and line.endswith("...") and len(line) <= 4 + 160 + 6
    carets = next(x for x in out.splitlines() if "^" in x)  # still under the finding's column, inside the window
    assert 0 < carets.index("^") < len(line)


def test_the_what_if_banner_cuts_a_long_setting(project, capsys):
    code, _, err = run(capsys, "check", "--set", "operator.latency=p99 <= 5ms " + "1" * 20_000, "s.dsspec")
    banner = next(x for x in err.splitlines() if x.startswith("dsspec: what-if"))
    assert len(banner) < 200 and banner.endswith("...")


@pytest.mark.parametrize("config, said", [
    ('[thresholds]\nimbalance = "200%"\n', "threshold `imbalance` must be between 0% and 100%, not `200%`"),
    ("[thresholds]\nrealtime-latency = 5\n", "not `5`; a number needs its unit, in quotes"),
    ("[thresholds]\nreview-cases = 0\n", "threshold `review-cases` must be at least 1"),
    ('[per-file-ignores]\n"[" = ["DS1"]\n', "pattern `[` is not a valid glob: the `[` at character 1 is never closed"),
    (b'select = ["\xff"]\n', "byte 0xff at offset 11 is not valid UTF-8"),
])
def test_bad_configuration_values_are_findings(project, capsys, config, said):
    path = project / "dsspec.toml"
    path.write_bytes(config if isinstance(config, bytes) else config.encode())
    code, out, _ = run(capsys, "check", "--format", "concise", "s.dsspec")
    assert code == 1 and f"dsspec.toml:" in out and said in out


def test_a_non_utf8_pyproject_with_dsspec_settings_is_a_finding(project, capsys):
    (project / "dsspec.toml").unlink()
    (project / "pyproject.toml").write_bytes(b'[tool.dsspec]\nignore = ["DS1\xe9"]\n')
    code, out, _ = run(capsys, "check", "--format", "concise", "s.dsspec")
    assert code == 1 and "pyproject.toml:1:1: DS030" in out and "not valid UTF-8" in out


def test_good_thresholds_still_apply(project, capsys):
    (project / "dsspec.toml").write_text('[thresholds]\nimbalance = "5%"\nhuge-model = 5\nreview-cases = 40\n'
                                         '[per-file-ignores]\n"[sx]*.dsspec" = ["DS1"]\n')
    assert "DS030" not in run(capsys, "check", "--format", "concise", "s.dsspec")[1]


def test_a_negative_job_count_is_a_usage_error(project, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["check", "-j", "-5", "s.dsspec"])
    assert exit_.value.code == 2 and "`-5` is negative" in capsys.readouterr().err


def test_a_build_that_fails_before_writing_leaves_no_new_folder(project, capsys, monkeypatch):
    from dsspec.commands import build

    real = build._stage
    calls = []

    def full_disk(target, data):
        calls.append(target)
        if len(calls) == 3:
            raise build._cannot(target, OSError(28, "No space left on device"))
        return real(target, data)

    monkeypatch.setattr(build, "_stage", full_disk)
    code, _, err = run(capsys, "build", "s.dsspec", "-o", "new/out")
    assert code == 2 and f"cannot write `{calls[2]}`: No space left on device; nothing was written" in err
    assert not (project / "new" / "out").exists()
