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
const terminals = [];
let settings = {};
let failStart = false;

const channels = [];
let python = {};
const closers = [];
const vscode = {
  workspace: {
    workspaceFolders: undefined,
    getConfiguration: (section) => ({
      get: (key) => (section === "dsspec" ? settings[key] : section === "python" ? python[key] : undefined),
    }),
    createFileSystemWatcher: (glob) => ({ glob }),
    onDidChangeConfiguration: () => ({ dispose() {} }),
  },
  commands: { registerCommand: (name, run) => ({ name, run, dispose() {} }) },
  window: {
    createOutputChannel: (name) => {
      const channel = { name, lines: [], shown: 0, appendLine(line) { this.lines.push(line); }, show() { this.shown += 1; } };
      channels.push(channel);
      return channel;
    },
    onDidCloseTerminal: (listener) => { closers.push(listener); return { dispose() {} }; },
    showErrorMessage: (message) => shown.push(message),
    activeTextEditor: undefined,
    createTerminal: (options) => {
      const terminal = { options, sendText: (text) => sent.push(text), show() {} };
      terminals.push(terminal);
      return terminal;
    },
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
  assert.deepStrictEqual(context.subscriptions.slice(0, 3).map((d) => d.name),
    ["dsspec.openPreview", "dsspec.restartServer", "dsspec.showLogs"]);
  // the logs: one channel for the client's output and its trace (`dsspec.trace.server`), shown by "Show logs"
  assert.strictEqual(client.client.outputChannel, client.client.traceOutputChannel);
  assert.match(client.client.outputChannel.lines.at(-1), /starting `\/opt\/venv\/bin\/dsspec lsp --verbose` \(from dsspec.path\)/);
  context.subscriptions[2].run();
  assert.strictEqual(client.client.outputChannel.shown, 1);
});

test("finds the dsspec of the workspace's virtual environment, else the Python interpreter's", () => {
  settings = {};
  const config = vscode.workspace.getConfiguration("dsspec");
  const on = (...files) => (file) => files.includes(file);
  const venv = extension.serverOptions(config, ["/w"], undefined, on("/w/venv/bin/dsspec", "/w/.venv/bin/dsspec"));
  assert.deepStrictEqual(venv.run, { command: "/w/.venv/bin/dsspec", args: ["lsp"], transport: 0 });
  const second = extension.serverOptions(config, ["/a", "/w"], undefined, on("/w/venv/bin/dsspec"));
  assert.strictEqual(second.run.command, "/w/venv/bin/dsspec");
  python = { defaultInterpreterPath: "/opt/py/bin/python" };
  const interp = extension.serverOptions(config, ["/w"], vscode.workspace.getConfiguration("python"), on("/opt/py/bin/python"));
  assert.deepStrictEqual(interp.run, { command: "/opt/py/bin/python", args: ["-m", "dsspec", "lsp"], transport: 0 });
  settings = { path: "/x/dsspec" };   // an explicit path wins over every guess
  const explicit = extension.serverOptions(vscode.workspace.getConfiguration("dsspec"), ["/w"],
    vscode.workspace.getConfiguration("python"), on("/w/.venv/bin/dsspec", "/opt/py/bin/python"));
  assert.strictEqual(explicit.run.command, "/x/dsspec");
  python = {};
  assert.deepStrictEqual(extension.venvCandidates("C:\\w", "win32").map((p) => p.endsWith("dsspec.exe")), [true, true]);
});

test("defaults to `dsspec` on the PATH", () => {
  settings = {};
  const options = extension.serverOptions(vscode.workspace.getConfiguration("dsspec"), [], undefined, () => false);
  assert.deepStrictEqual(options.run, { command: "dsspec", args: ["lsp"], transport: 0 });
});

test("says how to install dsspec when the server cannot start", async () => {
  settings = { path: "dsspec" };
  failStart = true;
  await extension.activate({ subscriptions: [] });
  assert.match(shown.at(-1), /pip install 'dsspec\[lsp\]'/);
});

function editing(fsPath) {
  vscode.window.activeTextEditor = { document: { languageId: "dsspec", uri: { scheme: "file", fsPath } } };
}

test("opens the live preview of the active spec", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  settings = { path: "/opt/venv/bin/dsspec", previewPort: 9000 };
  editing("/w/it's.dsspec");
  await extension.openPreview();
  const port = extension.previews.get("/w/it's.dsspec").port;
  assert.strictEqual(sent.at(-1), `'/opt/venv/bin/dsspec' preview '/w/it'\\''s.dsspec' --port ${port}`);
  t.mock.timers.tick(1500);
  assert.strictEqual(opened.at(-1), `uri:http://127.0.0.1:${port}/`);
  vscode.window.activeTextEditor = undefined;
  await extension.openPreview();
  assert.match(shown.at(-1), /open a saved \.dsspec file/);
});

test("previews each spec on its own port, and shows a running preview again rather than start another", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  settings = { path: "dsspec", previewPort: 9100 };
  const started = terminals.length;
  editing("/w/a.dsspec");
  await extension.openPreview();
  editing("/w/b.dsspec");
  await extension.openPreview();
  const a = extension.previews.get("/w/a.dsspec");
  const b = extension.previews.get("/w/b.dsspec");
  assert.notStrictEqual(a.port, b.port);
  assert.strictEqual(terminals.length, started + 2);
  assert.match(sent.at(-1), new RegExp(`'/w/b.dsspec' --port ${b.port}$`));
  editing("/w/a.dsspec");
  await extension.openPreview();
  assert.strictEqual(terminals.length, started + 2);   // a's preview is running: its page is opened again
  assert.strictEqual(opened.at(-1), `uri:http://127.0.0.1:${a.port}/`);
  closers.forEach((close) => close(a.terminal));       // its terminal closed: the next preview starts afresh
  assert.ok(!extension.previews.has("/w/a.dsspec"));
  const net = require("node:net");                     // a port in use is not given to a preview
  const busy = net.createServer();
  await new Promise((resolve) => busy.listen(9300, "127.0.0.1", resolve));
  settings = { path: "dsspec", previewPort: 9300 };
  editing("/w/c.dsspec");
  await extension.openPreview();
  assert.notStrictEqual(extension.previews.get("/w/c.dsspec").port, 9300);
  busy.close();
});
