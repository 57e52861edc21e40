// The client's wiring, with VS Code and the language client replaced by recorders:
// it starts `<dsspec.path> lsp <dsspec.args...>` for dsspec documents, and says how to install dsspec when it cannot.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const Module = require("node:module");

const made = [];
const shown = [];
const sent = [];
const opened = [];
let settings = {};
let failStart = false;

const vscode = {
  workspace: {
    getConfiguration: (section) => ({ get: (key) => (section === "dsspec" ? settings[key] : undefined) }),
    createFileSystemWatcher: (glob) => ({ glob }),
    onDidChangeConfiguration: () => ({ dispose() {} }),
  },
  commands: { registerCommand: (name) => ({ name, dispose() {} }) },
  window: {
    showErrorMessage: (message) => shown.push(message),
    activeTextEditor: undefined,
    createTerminal: (options) => ({ options, sendText: (text) => sent.push(text), show() {} }),
  },
  env: { openExternal: (uri) => opened.push(uri) },
  Uri: { parse: (text) => `uri:${text}` },
};

class LanguageClient {
  constructor(id, name, server, client) {
    made.push({ id, name, server, client });
  }
  start() {
    return failStart ? Promise.reject(new Error("spawn dsspec ENOENT")) : Promise.resolve();
  }
  stop() {
    return Promise.resolve();
  }
}

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "vscode") return vscode;
  if (request === "vscode-languageclient/node") return { LanguageClient, TransportKind: { stdio: 0 } };
  return load.call(this, request, ...rest);
};
const extension = require("../extension.js");

test("starts `dsspec lsp` from the configured path for dsspec documents", async () => {
  settings = { path: "/opt/venv/bin/dsspec", args: ["--verbose"] };
  const context = { subscriptions: [] };
  await extension.activate(context);
  const client = made.at(-1);
  assert.deepStrictEqual(client.server.run, { command: "/opt/venv/bin/dsspec", args: ["lsp", "--verbose"], transport: 0 });
  assert.deepStrictEqual(client.client.documentSelector.map((s) => s.language), ["dsspec", "dsspec"]);
  assert.deepStrictEqual(context.subscriptions.slice(0, 2).map((d) => d.name),
    ["dsspec.openPreview", "dsspec.restartServer"]);
});

test("defaults to `dsspec` on the PATH", () => {
  settings = {};
  const options = extension.serverOptions(vscode.workspace.getConfiguration("dsspec"));
  assert.deepStrictEqual(options.run, { command: "dsspec", args: ["lsp"], transport: 0 });
});

test("says how to install dsspec when the server cannot start", async () => {
  settings = { path: "dsspec" };
  failStart = true;
  await extension.activate({ subscriptions: [] });
  assert.match(shown.at(-1), /pip install 'dsspec\[lsp\]'/);
});

test("opens the live preview of the active spec", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  settings = { path: "/opt/venv/bin/dsspec", previewPort: 9000 };
  vscode.window.activeTextEditor = { document: { languageId: "dsspec", uri: { scheme: "file", fsPath: "/w/it's.dsspec" } } };
  extension.openPreview();
  assert.strictEqual(sent.at(-1), "'/opt/venv/bin/dsspec' preview '/w/it'\\''s.dsspec' --port 9000");
  t.mock.timers.tick(1500);
  assert.strictEqual(opened.at(-1), "uri:http://127.0.0.1:9000/");
  vscode.window.activeTextEditor = undefined;
  extension.openPreview();
  assert.match(shown.at(-1), /open a saved \.dsspec file/);
});
