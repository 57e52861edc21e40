"""What Ruff users type: default path, --config, --extend-select, --statistics, -q, file-level
suppression, .gitignore, path-aware excludes, FORCE_COLOR (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

DRAFT = Path(__file__).resolve().parent / "fixtures" / "fraud_draft.dsspec"
# library files (no `product`): only the schema is judged, and each gets a `library-file` note
BAD = "source s {\n  kind strem\n}\n"
GOOD = "source s {\n  kind stream\n}\n"

run = run_cli


def files_checked(capsys, *argv) -> list[str]:
    _, out, _ = run(capsys, "check", "--format", "json", *argv)
    return json.loads(out)["files"]


def test_default_path_is_the_current_folder(project, capsys):
    (project / "a").mkdir()
    (project / "a" / "x.dsspec").write_text(BAD)
    code, out, _ = run(capsys, "check")
    assert code == 1 and "a/x.dsspec:2:8" in out


def test_config_option_replaces_the_nearest_configuration(project, capsys):
    (project / "s.dsspec").write_text(DRAFT.read_text())
    (project / "strict.toml").write_text('select = ["DS204"]\n')
    code, out, _ = run(capsys, "check", "--config", "strict.toml", "--format", "concise", "s.dsspec")
    assert [line.split()[1] for line in out.splitlines()[:-1]] == ["DS204"]
    code, _, err = run(capsys, "check", "--config", "missing.toml", "s.dsspec")
    assert code == 2 and "missing.toml" in err


def test_extend_select_adds_to_the_configured_selection(project, capsys):
    (project / "s.dsspec").write_text(DRAFT.read_text())
    (project / "dsspec.toml").write_text('select = ["DS204"]\n')
    _, out, _ = run(capsys, "check", "--extend-select", "DS103", "--format", "concise", "s.dsspec")
    assert sorted(line.split()[1] for line in out.splitlines()[:-1]) == ["DS103", "DS204"]
    _, out, _ = run(capsys, "check", "--select", "DS103", "--format", "concise", "s.dsspec")
    assert [line.split()[1] for line in out.splitlines()[:-1]] == ["DS103"]
    code, _, err = run(capsys, "check", "--extend-select", "DS9999x", "s.dsspec")
    assert code == 2 and "unknown rule" in err


def test_statistics_counts_findings_per_rule(project, capsys):
    (project / "s.dsspec").write_text(DRAFT.read_text() + "\nsource z {\n  kind strem\n}\n")
    code, out, _ = run(capsys, "check", "--statistics", "s.dsspec")
    lines = out.splitlines()
    assert code == 1 and lines[-1].startswith("checked 1 file:")
    rows = [line.split("\t") for line in lines[:-1]]
    assert ["1", "DS011", "[*] invalid-value"] in rows  # `strem`: a certain fix
    assert all(int(r[0]) >= 1 for r in rows) and len(rows) == len({r[1] for r in rows})
    assert run(capsys, "check", "--statistics", "--format", "sarif", "s.dsspec")[0] == 2


def test_quiet_prints_findings_without_the_summary(project, capsys):
    (project / "s.dsspec").write_text(BAD)
    (project / "ok.dsspec").write_text(GOOD)
    _, out, _ = run(capsys, "check", "-q", "--format", "concise", "--ignore", "library-file")
    assert out == "s.dsspec:2:8: DS011 [invalid-value] " + out.split("[invalid-value] ")[1]
    assert "checked" not in out
    code, out, _ = run(capsys, "check", "-q", "--ignore", "library-file", "ok.dsspec")
    assert code == 0 and out == ""


def test_ignore_file_suppresses_a_rule_in_the_whole_file(project, capsys):
    text = "# dsspec: ignore-file[owner-missing, DS601] a throwaway draft\n" + DRAFT.read_text()
    (project / "s.dsspec").write_text(text)
    _, out, _ = run(capsys, "check", "--format", "concise", "s.dsspec")
    assert "DS103" not in out and "DS601" not in out and "DS204" in out and "DS901" not in out
    (project / "s.dsspec").write_text("# dsspec: ignore-file[owner-missing]\n" + DRAFT.read_text())
    _, out, _ = run(capsys, "check", "--format", "concise", "s.dsspec")
    assert "DS902" in out and "DS103" in out  # no reason: reported, and it does not suppress
    (project / "s.dsspec").write_text("# dsspec: ignore-file[stale-source] never fires here\n" + DRAFT.read_text())
    _, out, _ = run(capsys, "check", "--format", "concise", "s.dsspec")
    assert "DS901 [unused-suppression] unused suppression: `stale-source` reports nothing in this file" in out


def test_gitignored_folders_are_skipped_unless_asked(project, capsys):
    (project / ".gitignore").write_text("generated/\nvenv/\n*.tmp.dsspec\n")
    for rel in ("generated/g.dsspec", "venv/lib/v.dsspec", "specs/a.dsspec", "specs/b.tmp.dsspec",
                "specs/generated/deep.dsspec"):
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(GOOD)
    (project / "specs" / ".gitignore").write_text("!b.tmp.dsspec\n")  # a deeper file overrides
    assert files_checked(capsys) == ["specs/a.dsspec", "specs/b.tmp.dsspec"]
    assert len(files_checked(capsys, "--no-respect-gitignore")) == 5
    assert files_checked(capsys, "generated/g.dsspec") == ["generated/g.dsspec"]  # named explicitly


def test_exclude_globs_are_path_aware(project, capsys):
    for rel in ("specs/a.dsspec", "specs/team/b.dsspec", "drafts/c.dsspec", "x/drafts/d.dsspec"):
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(GOOD)
    # `*` does not cross `/`: only the files directly in specs/
    assert files_checked(capsys, "--exclude", "specs/*.dsspec") == [
        "drafts/c.dsspec", "specs/team/b.dsspec", "x/drafts/d.dsspec"]
    assert files_checked(capsys, "--exclude", "specs/**") == ["drafts/c.dsspec", "x/drafts/d.dsspec"]
    assert files_checked(capsys, "--exclude", "drafts/") == ["specs/a.dsspec", "specs/team/b.dsspec"]
    assert files_checked(capsys, "--exclude", "/drafts/") == ["specs/a.dsspec", "specs/team/b.dsspec",
                                                              "x/drafts/d.dsspec"]
    (project / "team.toml").write_text('exclude = ["specs/team/*"]\n')  # relative to the configuration
    assert files_checked(capsys, "--config", "team.toml") == ["drafts/c.dsspec", "specs/a.dsspec", "x/drafts/d.dsspec"]


def test_force_color_colours_a_pipe_and_no_color_wins(project, capsys, monkeypatch):
    (project / "s.dsspec").write_text(BAD)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run(capsys, "check", "s.dsspec")[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(capsys, "check", "s.dsspec")[1]
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in run(capsys, "check", "--color", "never", "s.dsspec")[1]


def test_gitignore_outside_a_repository_is_not_read(tmp_path, capsys, monkeypatch):
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / ".gitignore").write_text("*.dsspec\n")  # no .git: git would not read it either
    (tmp_path / "a.dsspec").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    assert files_checked(capsys) == ["a.dsspec"]
