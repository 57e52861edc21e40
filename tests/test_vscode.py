"""The VS Code extension: its grammar by snapshot, its client's wiring, and the .vsix it packages."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

from external import require, require_path

from dsspec.model import schema

EXTENSION = Path(__file__).resolve().parent.parent / "editors" / "vscode"
GRAMMAR = EXTENSION / "syntaxes" / "dsspec.tmLanguage.json"


def npm(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    require("node", why="the extension's tests run on Node")
    npm_path = require("npm", why="the extension's tests run through npm")
    require_path(EXTENSION / "node_modules", "run `npm ci` in editors/vscode")
    return subprocess.run([npm_path, *args], cwd=EXTENSION, capture_output=True, text=True, timeout=timeout)


def test_grammar_declares_what_the_schema_declares():
    """The grammar's list of declaring statements is the schema's, so a declared name is coloured as one."""
    grammar = json.loads(GRAMMAR.read_text())
    first = grammar["repository"]["statement"]["patterns"][0]["match"]
    listed = set(re.search(r"\(([a-z_|]+)\)", first).group(1).split("|"))

    def declaring(block, out):
        for stmt in block.stmts:
            if any(sig and sig[0].kind == "ident" and sig[0].field == "name" for sig in stmt.sigs):
                out.add(stmt.name)
            if stmt.body is not None:
                declaring(stmt.body, out)
        return out

    assert listed == declaring(schema.SECTIONS, set())
    config = json.loads((EXTENSION / "language-configuration.json").read_text())
    assert config["comments"]["lineComment"] == "#" and ["{", "}"] in config["brackets"]


def test_grammar_snapshots():
    done = npm("test")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "design.dsspec" in done.stdout


def test_client_starts_the_configured_server():
    done = npm("run", "test:client")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# pass 3" in done.stdout


def test_vsix_builds(tmp_path: Path):
    out = tmp_path / "dsspec.vsix"
    done = npm("run", "package", "--", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(out) as vsix:
        names = set(vsix.namelist())
        manifest = json.loads(vsix.read("extension/package.json"))
    assert {"extension/extension.js", "extension/syntaxes/dsspec.tmLanguage.json",
            "extension/language-configuration.json",
            "extension/node_modules/vscode-languageclient/node.js"} <= names
    assert not any(n.startswith("extension/tests/") for n in names)
    assert manifest["contributes"]["configuration"]["properties"]["dsspec.path"]["default"] == "dsspec"
