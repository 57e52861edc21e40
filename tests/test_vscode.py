"""The VS Code extension: its grammar by snapshot, its client's wiring, and the .vsix it packages."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from external import require, require_path

EXTENSION = Path(__file__).resolve().parent.parent / "editors" / "vscode"
GRAMMAR = EXTENSION / "syntaxes" / "dsspec.tmLanguage.json"


def npm(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    require("node", why="the extension's tests run on Node")
    npm_path = require("npm", why="the extension's tests run through npm")
    require_path(EXTENSION / "node_modules", "run `npm ci` in editors/vscode")
    return subprocess.run([npm_path, *args], cwd=EXTENSION, capture_output=True, text=True, timeout=timeout)


def test_grammar_declares_what_the_schema_declares():
    """The grammar's list of declaring statements is the schema's, so a declared name is coloured as one."""
    sys.path.insert(0, str(EXTENSION))
    try:
        import generate_grammar
    finally:
        sys.path.remove(str(EXTENSION))
    text = GRAMMAR.read_text()
    assert generate_grammar.generated(text) == text, "run `python editors/vscode/generate_grammar.py`"
    assert {"source", "input", "output", "model", "user"} <= set(generate_grammar.declaring())
    config = json.loads((EXTENSION / "language-configuration.json").read_text())
    assert config["comments"]["lineComment"] == "#" and ["{", "}"] in config["brackets"]


def test_grammar_snapshots():
    done = npm("test")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "design.dsspec" in done.stdout


def test_client_starts_the_configured_server():
    done = npm("run", "test:client")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# pass 6" in done.stdout and "# fail 0" in done.stdout


BUNDLE_LOADS = """
const Module = require("node:module");
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "vscode") return new Proxy({}, { get: () => class {} });   // every name a class
  if (request !== process.argv[1] && !request.startsWith("node:") && !Module.builtinModules.includes(request)) throw new Error("required " + request);
  return load.call(this, request, ...rest);
};
const extension = require(process.argv[1]);
console.log(typeof extension.activate, typeof extension.findServer);
"""


def test_vsix_builds_one_bundled_file(tmp_path: Path):
    out = tmp_path / "dsspec.vsix"
    done = npm("run", "package", "--", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(out) as vsix:
        names = set(vsix.namelist())
        manifest = json.loads(vsix.read("extension/package.json"))
        (tmp_path / "extension.js").write_bytes(vsix.read("extension/dist/extension.js"))
    assert {"extension/dist/extension.js", "extension/icon.png", "extension/syntaxes/dsspec.tmLanguage.json",
            "extension/language-configuration.json"} <= names
    assert not any(n.startswith(("extension/tests/", "extension/node_modules/")) for n in names)
    assert "extension/extension.js" not in names   # the source is bundled into dist/, not shipped beside it
    assert manifest["main"] == "./dist/extension.js" and manifest["icon"] == "icon.png"
    settings = manifest["contributes"]["configuration"]["properties"]
    assert settings["dsspec.path"]["default"] == ""   # empty: the workspace's .venv, the interpreter, the PATH
    assert settings["dsspec.trace.server"]["enum"] == ["off", "messages", "verbose"]
    assert "dsspec.showLogs" in {c["command"] for c in manifest["contributes"]["commands"]}
    # the bundle needs nothing but VS Code and Node's own modules
    loaded = subprocess.run([require("node", why="the bundle runs on Node"), "-e", BUNDLE_LOADS,
                             str(tmp_path / "extension.js")], capture_output=True, text=True, timeout=60)
    assert loaded.stdout.split() == ["function", "function"], loaded.stderr
