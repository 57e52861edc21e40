"""The composite GitHub Action (action.yml): its script steps run as a pull-request job would run them.

The test reads action.yml, evaluates each step's `if:` and `env:` expressions
against a pull-request context, and runs its `run:` scripts with bash the way
GitHub does (`bash -eo pipefail`), in a repository with an `origin` holding the
base branch. `uses:` steps (setup-python, upload-sarif) belong to GitHub; `gh`
is a stand-in that records the API calls.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]
V2 = ROOT / "tests" / "fixtures" / "search_ranking_v2.dsspec"
FAKE_GH = """#!/usr/bin/env bash
echo "$*" >> "$GH_LOG"
if [ -n "${GH_FAIL:-}" ]; then echo "HTTP 403: Resource not accessible by integration" >&2; exit 1; fi
if [ "$1" = api ] && [[ "$*" == *"--paginate"* ]]; then printf '%s' "${GH_EXISTING_COMMENT:-}"; fi
"""


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def evaluate(expr: str, ctx: dict) -> object:
    """Evaluate the small subset of GitHub's expression syntax action.yml uses."""
    def value(m):
        return repr(ctx.get(m.group(0), ""))

    py = re.sub(r"\b(inputs|github|steps)\.[\w.-]+", value, expr)
    py = py.replace("always()", "True").replace("&&", " and ").replace("||", " or ")
    return eval(py, {})  # our own file, our own subset


def substitute(text: str, ctx: dict) -> str:
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: str(evaluate(m.group(1), ctx)), text)


def run_action(repo: Path, tmp: Path, inputs: dict, event: str = "pull_request", existing: str = "",
               gh_fails: bool = False):
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    ctx = {f"inputs.{k}": substitute(str(v.get("default", "")), {"github.action_path": str(ROOT),
                                                                   "github.token": "token"})
           for k, v in action["inputs"].items()}
    ctx.update({f"inputs.{k}": v for k, v in inputs.items()})
    ctx.update({"github.event_name": event, "github.base_ref": "main" if event == "pull_request" else "",
                "github.event.pull_request.number": "7", "github.action_path": str(ROOT)})
    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    summary, log = tmp / "summary.md", tmp / "gh.log"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(tmp), "GITHUB_REPOSITORY": "acme/shop",
           "GH_LOG": str(log), "GH_EXISTING_COMMENT": existing, "NO_COLOR": "1", "GH_FAIL": "1" if gh_fails else ""}
    ran, last = [], None
    for step in action["runs"]["steps"]:
        if "if" in step and not evaluate(step["if"], ctx):
            continue
        if "run" not in step:
            continue
        output = tmp / f"output-{len(ran)}"
        output.write_text("")
        step_env = {**env, "GITHUB_OUTPUT": str(output),
                    **{k: substitute(str(v), ctx) for k, v in step.get("env", {}).items()}}
        last = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=repo,
                              env=step_env, capture_output=True, text=True)
        ran.append((step.get("name"), last.returncode, last.stdout + last.stderr))
        for line in output.read_text().splitlines():
            key, _, val = line.partition("=")
            ctx[f"steps.{step.get('id')}.outputs.{key}"] = val
        if last.returncode != 0:
            break
    return ran, ctx, summary.read_text() if summary.exists() else "", log.read_text() if log.exists() else ""


@pytest.fixture
def pull_request(tmp_path):
    """A repository whose `origin` has `main` with the bundled specs, checked out on a change to one of them."""
    origin, repo = tmp_path / "origin.git", tmp_path / "repo"
    shutil.copytree(ROOT / "specs", repo / "specs")
    (repo / "dsspec.toml").touch()
    git(tmp_path, "init", "-q", "--bare", str(origin))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "designs")
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "push", "-q", "origin", "main")
    git(repo, "checkout", "-q", "-b", "feature")
    shutil.copyfile(V2, repo / "specs" / "search_ranking.dsspec")
    git(repo, "commit", "-qam", "relax the budget")
    return repo


def test_pull_request_job_checks_writes_sarif_and_comments_the_diff(pull_request, tmp_path):
    ran, ctx, summary, gh = run_action(pull_request, tmp_path, {"install": "", "paths": "specs"})
    names = [name for name, _, _ in ran]
    assert names == ["Install dsspec", "Check the designs", "Semantic diff of the pull request",
                     "Comment the diff on the pull request", "Fail on findings"], ran
    assert all(code == 0 for _, code, _ in ran), ran  # a warning only: the job passes
    assert ctx["steps.check.outputs.exit-code"] == "0"
    sarif = json.loads(Path(ctx["steps.check.outputs.sarif-file"]).read_text())
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "specs/search_ranking.dsspec"
    assert "### dsspec:" in summary and "<!-- dsspec-diff -->" in summary and "relaxed" in summary
    calls = gh.splitlines()
    assert calls[0].startswith("api repos/acme/shop/issues/7/comments --paginate")
    assert calls[1].startswith("api --silent repos/acme/shop/issues/7/comments -F body=@")
    body = Path(calls[1].split("body=@", 1)[1]).read_text()
    assert body.startswith("<!-- dsspec-diff -->") and "operator budget" in body


def test_a_second_push_updates_the_same_comment(pull_request, tmp_path):
    _, _, _, gh = run_action(pull_request, tmp_path, {"install": "", "paths": "specs"}, existing="4242\n")
    assert "api --silent -X PATCH repos/acme/shop/issues/comments/4242 -F body=@" in gh


def test_findings_fail_the_job_after_sarif_and_comment(pull_request, tmp_path):
    (pull_request / "specs" / "broken.dsspec").write_text("source s {\n  kind strem\n}\n")
    ran, ctx, _, gh = run_action(pull_request, tmp_path, {"install": "", "paths": "specs", "fail-on-new": "true"})
    assert ctx["steps.check.outputs.exit-code"] == "1" and ctx["steps.diff.outputs.exit-code"] == "1"
    assert ran[-1][0] == "Fail on findings" and ran[-1][1] == 1
    assert Path(ctx["steps.check.outputs.sarif-file"]).exists() and "comments" in gh


def test_a_push_runs_no_diff_and_no_comment(pull_request, tmp_path):
    ran, _, _, gh = run_action(pull_request, tmp_path, {"install": "", "paths": "specs"}, event="push")
    assert [name for name, _, _ in ran] == ["Install dsspec", "Check the designs", "Fail on findings"]
    assert gh == ""


def test_a_read_only_token_warns_instead_of_failing(pull_request, tmp_path):
    ran, _, summary, _ = run_action(pull_request, tmp_path, {"install": "", "paths": "specs"}, gh_fails=True)
    comment = next(r for r in ran if r[0] == "Comment the diff on the pull request")
    assert comment[1] == 0 and "::warning title=dsspec::could not comment" in comment[2]
    assert ran[-1][1] == 0 and "<!-- dsspec-diff -->" in summary


def test_docs_ci_shows_the_action_with_inputs_it_has():
    doc = (ROOT / "docs" / "ci.md").read_text()
    workflow = next(block for block in re.findall(r"```yaml\n(.*?)```", doc, re.S) if "dsspec/dsspec@" in block)
    steps = yaml.safe_load(workflow)["jobs"]["dsspec"]["steps"]
    (step,) = [s for s in steps if s.get("uses", "").startswith("dsspec/dsspec@")]
    inputs = yaml.safe_load((ROOT / "action.yml").read_text())["inputs"]
    assert set(step.get("with", {})) <= set(inputs)
    assert "pip install dsspec\n" not in doc and "v0.1.0" not in doc  # nothing released yet
