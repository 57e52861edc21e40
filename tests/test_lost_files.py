"""No lost file (issue #8): build removes only what it wrote, fmt never overwrites what it did not read."""

from __future__ import annotations

import os

from dsspec.cli import main
from hostile import GOOD, OWNED, project, run


# -- build removes only the files it wrote ------------------------------------------

def test_build_never_removes_files_it_did_not_write(tmp_path, capsys):
    churn = project(tmp_path, OWNED, "churn.dsspec")
    v2 = project(tmp_path, OWNED, "churn.v2.dsspec")
    out = tmp_path / "out"
    assert main(["build", str(v2), "-o", str(out), "--format", "md"]) == 0
    out.joinpath("churn.notes.md").write_text("my notes\n")
    assert main(["build", str(churn), "-o", str(out), "--format", "md"]) == 0
    assert (out / "churn.notes.md").read_text() == "my notes\n"
    assert (out / "churn.v2.md").is_file() and (out / "churn.v2.pm.md").is_file()
    assert main(["build", str(churn), "-o", str(out), "--format", "md", "--check"]) == 0
    assert "no longer built" not in capsys.readouterr().out


def test_build_removes_a_stale_file_it_wrote_unless_edited_since(tmp_path, capsys):
    spec = project(tmp_path, GOOD + "audience pm { gets [summary] }\naudience engineer { gets [slo] }\n")
    out = tmp_path / "out"
    main(["build", str(spec), "-o", str(out), "--format", "md"])
    (out / "s.engineer.md").write_text("edited by hand\n")
    spec.write_text(GOOD)
    capsys.readouterr()
    assert main(["build", str(spec), "-o", str(out), "--format", "md"]) == 0
    said = capsys.readouterr().out
    assert not (out / "s.pm.md").exists() and "removed" in said
    assert (out / "s.engineer.md").read_text() == "edited by hand\n"
    manifest = (out / ".dsspec-build.json").read_text()
    assert "s.pm.md" not in manifest and "s.engineer.md" not in manifest and '"s.md"' in manifest


def test_a_manifest_naming_files_outside_the_folder_removes_nothing(tmp_path, capsys):
    import json

    spec = project(tmp_path, OWNED)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.md"
    victim.write_text("x")
    from dsspec.compiler.emit.manifest import digest

    entry = {"spec": "s", "format": "md", "sha256": digest(b"x")}
    (out / ".dsspec-build.json").write_text(json.dumps({"files": {"../victim.md": entry}}))
    assert main(["build", str(spec), "-o", str(out), "--format", "md"]) == 0
    assert victim.exists()
    (out / ".dsspec-build.json").write_text("{not json")
    assert main(["build", str(spec), "-o", str(out), "--format", "md"]) == 0
    assert "is not valid JSON" in capsys.readouterr().err

# -- fmt writes safely --------------------------------------------------------------

UGLY = "product   p {\n owner \"a@b.c\"\n}\n"


def test_fmt_refuses_a_file_changed_while_it_ran(tmp_path, capsys, monkeypatch):
    from dsspec.compiler.syntax import format as formatter

    spec = project(tmp_path, UGLY)
    real = formatter.format_document

    def slow(doc):
        spec.write_text(UGLY + "# an edit made meanwhile\n")
        return real(doc)

    monkeypatch.setattr(formatter, "format_document", slow)
    code, _, err = run(capsys, "fmt", str(spec))
    assert code == 1 and "changed since it was read" in err
    assert spec.read_text().endswith("# an edit made meanwhile\n")


def test_fmt_never_writes_a_read_only_file(tmp_path, capsys):
    spec = project(tmp_path, UGLY)
    spec.chmod(0o444)
    code, _, err = run(capsys, "fmt", str(spec))
    assert code == 1 and "read-only" in err
    assert spec.read_text() == UGLY


def test_fmt_keeps_mode_hard_links_and_owner(tmp_path, capsys):
    spec = project(tmp_path, UGLY)
    spec.chmod(0o640)
    link = tmp_path / "link.dsspec"
    os.link(spec, link)
    assert main(["fmt", str(spec)]) == 0
    assert link.read_text() == spec.read_text() == 'product p {\n  owner "a@b.c"\n}\n'
    assert os.stat(spec).st_nlink == 2 and (os.stat(spec).st_mode & 0o777) == 0o640
    if os.geteuid() == 0:  # only root can give a file away; fmt must not take it back
        other = project(tmp_path, UGLY, "other.dsspec")
        os.chown(other, 4242, 4343)
        assert main(["fmt", str(other)]) == 0
        assert (os.stat(other).st_uid, os.stat(other).st_gid) == (4242, 4343)
        assert other.read_text().startswith("product p {")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_manifest_entry_dsspec_would_never_have_written_removes_nothing(tmp_path):
    import json

    from dsspec.compiler.emit.manifest import digest

    spec = project(tmp_path, OWNED)
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "s.dsspec.bak"
    mine.write_text("x")
    entry = {"spec": "s", "format": "md", "sha256": digest(b"x")}
    (out / ".dsspec-build.json").write_text(json.dumps({"files": {"s.dsspec.bak": entry}}))
    assert main(["build", str(spec), "-o", str(out), "--format", "md"]) == 0
    assert mine.read_text() == "x"


def test_a_spec_named_like_the_manifest_is_refused(tmp_path, capsys):
    spec = project(tmp_path, OWNED, ".dsspec-build.dsspec")
    code, _, err = run(capsys, "build", str(spec), "-o", str(tmp_path / "out"))
    assert code == 2 and "would write over `.dsspec-build.json`" in err
