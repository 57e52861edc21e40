"""`dsspec diff`: semantic diff of two files and of git revisions, its three formats, --fail-on-new (issue 13)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
OLD = ROOT / "specs" / "search_ranking.dsspec"
NEW = ROOT / "tests" / "fixtures" / "search_ranking_v2.dsspec"
GOLDEN = ROOT / "tests" / "golden" / "diff" / "search_ranking.md"
ACCEPT = os.environ.get("DSSPEC_ACCEPT") == "1"

run = run_cli


def changes(capsys, *argv) -> dict[str, tuple[str, str | None, str | None]]:
    code, out, err = run(capsys, "diff", "--format", "json", *argv)
    assert code in (0, 1), err
    (f,) = json.loads(out)["files"]
    return {f"{c['section']} {c['attribute']}".strip(): (c["verdict"], c["before"], c["after"]) for c in f["changes"]}


def test_two_files_say_what_tightened_relaxed_and_changed(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    found = changes(capsys, str(OLD), str(NEW))
    assert found["operator latency"] == ("tightened", "p99 <= 40ms", "p99 <= 25ms")
    assert found["operator budget"] == ("relaxed", "$8k/month", "$10k/month")
    assert found["operator acceptable level"] == ("relaxed", "ndcg_at_10 >= 0.47", "ndcg_at_10 >= 0.45")
    assert found["source search_requests pii"][0] == "relaxed"  # ip_address is no longer protected
    assert found["model ranker chosen step"] == ("changed", "lightgbm (3M params)", "xgboost (8M params)")
    assert found["guardrail return_rate"] == ("removed", "direction keep; bound <= 9%", None)
    back = changes(capsys, str(NEW), str(OLD))
    assert back["operator latency"][0] == "relaxed" and back["source search_requests pii"][0] == "tightened"
    assert back["guardrail return_rate"][0] == "added"


def test_findings_introduced_and_fixed_and_fail_on_new(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = run(capsys, "diff", "--format", "json", str(OLD), str(NEW))
    (f,) = json.loads(out)["files"]
    # v2 drops the return_rate guardrail goal that its experiment still guards: an info
    assert code == 0 and [x["code"] for x in f["introduced"]] == ["DS204", "DS509"] and f["fixed"] == []
    assert run(capsys, "diff", "--fail-on-new", str(OLD), str(NEW))[0] == 0  # a warning: under the fail level
    assert run(capsys, "diff", "--fail-on-new", "--fail-level", "warning", str(OLD), str(NEW))[0] == 1
    code, out, _ = run(capsys, "diff", "--fail-on-new", "--fail-level", "warning", str(NEW), str(OLD))
    assert code == 0 and "- warning[DS204]" in out and "2 fixed" in out
    code, out, _ = run(capsys, "diff", str(OLD), str(OLD))
    assert code == 0 and out == "no design changes\n"


def test_markdown_pull_request_comment_matches_its_golden(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    _, out, _ = run(capsys, "diff", "--format", "markdown", str(OLD.relative_to(ROOT)), str(NEW.relative_to(ROOT)))
    if ACCEPT:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(out)
    assert out == GOLDEN.read_text(), "regenerate with DSSPEC_ACCEPT=1 after checking the output"
    assert out.startswith("<!-- dsspec-diff -->\n")


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def history(tmp_path, monkeypatch):
    """A repository holding the bundled specs, committed, then edited in the working tree."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "specs", repo / "specs")
    (repo / "dsspec.toml").touch()
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "designs")
    monkeypatch.chdir(repo)
    return repo


def test_git_compares_changed_added_and_removed_specs(history, capsys):
    shutil.copyfile(NEW, history / "specs" / "search_ranking.dsspec")
    (history / "specs" / "churn_outreach.dsspec").unlink()
    (history / "specs" / "new.dsspec").write_text("source s {\n  kind strem\n}\n")
    (history / "specs" / "support_intent.dsspec").write_text(
        "# only a comment changed\n" + (history / "specs" / "support_intent.dsspec").read_text())
    code, out, _ = run(capsys, "diff", "--git", "HEAD", "--format", "json")
    files = {f["path"]: f for f in json.loads(out)["files"]}
    assert files["specs/search_ranking.dsspec"]["status"] == "modified"
    assert files["specs/churn_outreach.dsspec"]["status"] == "removed"
    assert [x["code"] for x in files["specs/new.dsspec"]["introduced"]] == ["DS024", "DS011"]  # a library note, the typo
    assert "specs/support_intent.dsspec" not in files  # a comment is no design change
    code, _, _ = run(capsys, "diff", "--git", "HEAD", "--fail-on-new")
    assert code == 1  # the new file's error
    _, out, _ = run(capsys, "diff", "--git", "HEAD", "specs/search_ranking.dsspec")
    assert out.startswith("specs/search_ranking.dsspec (modified)\n") and "new.dsspec" not in out


def test_git_from_a_subfolder_names_files_from_the_root(history, capsys, monkeypatch):
    shutil.copyfile(NEW, history / "specs" / "search_ranking.dsspec")
    monkeypatch.chdir(history / "specs")
    _, out, _ = run(capsys, "diff", "--git", "HEAD", "--format", "json")
    assert [f["path"] for f in json.loads(out)["files"]] == ["specs/search_ranking.dsspec"]


def test_git_and_file_mistakes_are_usage_errors(history, capsys, tmp_path, monkeypatch):
    assert run(capsys, "diff", "--git", "no-such-ref")[0] == 2
    assert run(capsys, "diff", "specs/search_ranking.dsspec")[0] == 2
    code, _, err = run(capsys, "diff", "specs/search_ranking.dsspec", "specs/missing.dsspec")
    assert code == 2 and "missing.dsspec" in err
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "diff", "--git", "HEAD")
    assert code == 2 and "git" in err


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout (e.g. an unpacked sdist)")
def test_diff_over_this_repositorys_own_history(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    first = subprocess.run(["git", "log", "--format=%H", "--", "specs"], capture_output=True, text=True,
                           check=True).stdout.split()[-1]
    code, out, err = run(capsys, "diff", "--git", first, "--format", "json", "specs")
    assert code == 0, err
    doc = json.loads(out)
    assert all(f["path"].startswith("specs/") for f in doc["files"])


def test_a_reworded_finding_is_neither_new_nor_fixed(tmp_path, capsys, monkeypatch):
    draft = (ROOT / "tests" / "fixtures" / "fraud_draft.dsspec").read_text()
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / "old.dsspec").write_text(draft)
    (tmp_path / "new.dsspec").write_text("# moved\n" + draft.replace("p99 <= 80ms", "p99 <= 90ms"))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "diff", "--format", "json", "old.dsspec", "new.dsspec")
    (f,) = json.loads(out)["files"]
    assert f["introduced"] == [] and f["fixed"] == []  # DS204 and DS301 quote the target: same findings
    assert [c["verdict"] for c in f["changes"]] == ["relaxed"]


def test_git_compares_a_spec_whose_included_library_changed(history, capsys):
    lib = history / "specs" / "lib" / "customer_warehouse.dsspec"
    lib.write_text(lib.read_text().replace("pii         [customer_name,", "pii         [payment_method, customer_name,"))
    _, out, _ = run(capsys, "diff", "--git", "HEAD", "--format", "json")
    files = {f["path"]: f for f in json.loads(out)["files"]}
    (change,) = files["specs/lib/customer_warehouse.dsspec"]["changes"]
    assert (change["section"], change["attribute"], change["verdict"]) == ("source subscriptions", "pii", "tightened")
    including = files["specs/churn_outreach.dsspec"]  # unchanged itself, but it reads the library
    assert including["changes"] == [] and [f["code"] for f in including["introduced"]] == ["DS307"]


def test_levels_of_another_success_metric_are_changed_not_compared(tmp_path, capsys, monkeypatch):
    (tmp_path / "dsspec.toml").touch()
    (tmp_path / "new.dsspec").write_text(OLD.read_text().replace("success  ndcg_at_10 {", "success  mrr {")
                                         .replace("    optimal    >= 0.52", "    optimal    >= 0.60"))
    monkeypatch.chdir(tmp_path)
    found = changes(capsys, str(OLD), "new.dsspec")
    assert found["operator success metric"] == ("changed", "ndcg_at_10", "mrr")
    assert found["operator optimal level"][0] == "changed" and found["operator worst level"][0] == "changed"


@pytest.mark.parametrize("data, why", [(b"\xeb\x90junk", "not valid UTF-8"), (b"product x {\0}\n", "NUL byte")])
def test_a_side_that_cannot_be_decoded_is_a_usage_error_not_an_empty_design(tmp_path, capsys, monkeypatch, data, why):
    monkeypatch.chdir(tmp_path)
    Path("bad.dsspec").write_bytes(data)
    shutil.copyfile(OLD, "good.dsspec")
    for argv in (("bad.dsspec", "good.dsspec"), ("good.dsspec", "bad.dsspec")):
        code, out, err = run(capsys, "diff", *argv)
        assert code == 2 and out == "" and "cannot compare `bad.dsspec`" in err and why in err


def test_the_old_files_findings_are_shown_in_the_old_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    (tmp_path / "broken.dsspec").write_text("root: x\n")
    _, out, _ = run(capsys, "diff", str(tmp_path / "broken.dsspec"), str(OLD.relative_to(ROOT)))
    fixed = [line for line in out.splitlines() if line.startswith("  - ")]
    assert fixed and all(f"{tmp_path / 'broken.dsspec'}:1:" in line for line in fixed), out
    _, out, _ = run(capsys, "diff", "--format", "json", str(NEW.relative_to(ROOT)), str(OLD.relative_to(ROOT)))
    (f,) = json.loads(out)["files"]
    assert {x["path"] for x in f["fixed"]} == {"tests/fixtures/search_ranking_v2.dsspec"}  # same repository


def test_another_product_is_a_change_and_an_unrelated_design_gets_a_note(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    churn = ROOT / "specs" / "churn_outreach.dsspec"
    found = changes(capsys, str(OLD), str(churn))
    assert found["product name"] == ("changed", "search_ranking", "churn_outreach")
    _, out, _ = run(capsys, "diff", str(OLD), str(churn))
    assert out.splitlines()[1].startswith("  note: product `search_ranking` became `churn_outreach`")
    _, out, _ = run(capsys, "diff", "--format", "markdown", str(OLD), str(churn))
    assert "> **Note:** product" in out
    renamed = tmp_path / "renamed.dsspec"  # a renamed product keeping its parts is one change, no note
    renamed.write_text(OLD.read_text().replace("product search_ranking", "product search_ranking_v2"))
    code, out, _ = run(capsys, "diff", "--format", "json", str(OLD), str(renamed))
    (f,) = json.loads(out)["files"]
    assert "note" not in f and [c["attribute"] for c in f["changes"]] == ["name"]


def test_git_path_in_neither_version_and_unknown_ref_are_usage_errors(history, capsys):
    code, out, err = run(capsys, "diff", "--git", "HEAD", "nothere.dsspec")
    assert code == 2 and out == "" and "`nothere.dsspec` exists neither in the working tree nor at `HEAD`" in err
    code, _, err = run(capsys, "diff", "--git", "nonexistent_ref")
    assert code == 2 and "unknown git ref `nonexistent_ref`" in err
    (history / "specs" / "churn_outreach.dsspec").unlink()  # deleted since: it exists at the revision
    code, out, _ = run(capsys, "diff", "--git", "HEAD", "specs/churn_outreach.dsspec")
    assert code == 0 and "(removed)" in out
    (history / "specs" / "search_ranking.dsspec").write_bytes(b"\xff\xfe")
    code, _, err = run(capsys, "diff", "--git", "HEAD", "specs/search_ranking.dsspec")
    assert code == 2 and "cannot compare `specs/search_ranking.dsspec`" in err
