// The dsspec extension: highlighting comes from the grammar; everything else from `dsspec lsp`.
"use strict";
const fs = require("node:fs");
const net = require("node:net");
const path = require("node:path");
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;
let output;
const previews = new Map(); // spec path -> { port, terminal }: one preview per spec, each on its own port

/** The executables a workspace's virtual environment holds, in the order they are tried. */
function venvCandidates(folder, platform = process.platform) {
  const bin = platform === "win32" ? "Scripts" : "bin";
  const exe = platform === "win32" ? ".exe" : "";
  return [".venv", "venv"].map((env) => path.join(folder, env, bin, `dsspec${exe}`));
}

/**
 * The server command: `dsspec.path` when set; else the `dsspec` of the workspace's virtual environment
 * (.venv or venv); else `python -m dsspec` with the Python extension's `python.defaultInterpreterPath`;
 * else `dsspec` on the PATH. `exists` is injectable for tests.
 */
function findServer(config, folders, pythonConfig, exists = fs.existsSync) {
  const explicit = config.get("path");
  if (explicit) return { command: explicit, prefix: [], how: "dsspec.path" };
  for (const folder of folders) {
    const found = venvCandidates(folder).find((candidate) => exists(candidate));
    if (found) return { command: found, prefix: [], how: "the workspace's virtual environment" };
  }
  const python = pythonConfig ? pythonConfig.get("defaultInterpreterPath") : undefined;
  if (python && python !== "python" && exists(python)) {
    return { command: python, prefix: ["-m", "dsspec"], how: "python.defaultInterpreterPath" };
  }
  return { command: "dsspec", prefix: [], how: "the PATH" };
}

function workspaceFolders() {
  return (vscode.workspace.workspaceFolders || []).map((f) => f.uri.fsPath);
}

/** The server's executable options from the settings (`dsspec.path`, `dsspec.args`) and the workspace. */
function serverOptions(config, folders = workspaceFolders(), pythonConfig = vscode.workspace.getConfiguration("python"),
  exists = fs.existsSync) {
  const found = findServer(config, folders, pythonConfig, exists);
  const args = [...found.prefix, "lsp", ...(config.get("args") || [])];
  const executable = { command: found.command, args, transport: TransportKind.stdio };
  return { run: executable, debug: executable, how: found.how };
}

function logs() {
  if (!output) output = vscode.window.createOutputChannel("dsspec");
  return output;
}

async function start() {
  const config = vscode.workspace.getConfiguration("dsspec");
  const server = serverOptions(config);
  logs().appendLine(`starting \`${server.run.command} ${server.run.args.join(" ")}\` (from ${server.how})`);
  // the client reads `dsspec.trace.server` itself (its id is `dsspec`) and writes the trace to the same channel
  client = new LanguageClient("dsspec", "dsspec", { run: server.run, debug: server.debug }, {
    documentSelector: [{ scheme: "file", language: "dsspec" }, { scheme: "untitled", language: "dsspec" }],
    outputChannel: logs(),
    traceOutputChannel: logs(),
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.dsspec,dsspec.toml,pyproject.toml}"),
    },
  });
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `dsspec: cannot start \`${server.run.command} lsp\` (${err.message}). ` +
        "Install it with `pip install 'dsspec[lsp]'` (in the workspace's .venv, or anywhere with `dsspec.path`).");
  }
}

/** Resolve to `preferred` when it is free on 127.0.0.1, else to a port the system picks. */
function freePort(preferred) {
  const tryPort = (port) => new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(null));
    probe.listen(port, "127.0.0.1", () => {
      const { port: got } = probe.address();
      probe.close(() => resolve(got));
    });
  });
  return tryPort(preferred).then((port) => port || tryPort(0));
}

/** Run `dsspec preview` on the active spec in a terminal and open its page: one preview per spec, each on a free port. */
async function openPreview() {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "dsspec" || editor.document.uri.scheme !== "file") {
    vscode.window.showErrorMessage("dsspec: open a saved .dsspec file to preview it.");
    return;
  }
  const spec = editor.document.uri.fsPath;
  const open = (port) => vscode.env.openExternal(vscode.Uri.parse(`http://127.0.0.1:${port}/`));
  const running = previews.get(spec);
  if (running) { // this spec's preview is up already: show its page, start nothing
    running.terminal.show(true);
    open(running.port);
    return;
  }
  const config = vscode.workspace.getConfiguration("dsspec");
  const taken = new Set([...previews.values()].map((p) => p.port));
  let preferred = config.get("previewPort") || 8765;
  while (taken.has(preferred)) preferred += 1;
  const port = await freePort(preferred);
  const server = serverOptions(config);
  const quote = (text) => `'${text.replace(/'/g, "'\\''")}'`;
  const terminal = vscode.window.createTerminal({ name: `dsspec preview: ${path.basename(spec)}` });
  previews.set(spec, { port, terminal });
  const command = [server.run.command, ...server.run.args.slice(0, server.run.args.indexOf("lsp"))].map(quote).join(" ");
  terminal.sendText(`${command} preview ${quote(spec)} --port ${port}`);
  terminal.show(true);
  setTimeout(() => open(port), 1500);
}

function forgetPreview(terminal) {
  for (const [spec, preview] of previews) {
    if (preview.terminal === terminal) previews.delete(spec);
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("dsspec.openPreview", openPreview),
    vscode.commands.registerCommand("dsspec.restartServer", async () => {
      if (client) await client.stop();
      await start();
    }),
    vscode.commands.registerCommand("dsspec.showLogs", () => logs().show(true)),
    vscode.window.onDidCloseTerminal(forgetPreview),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("dsspec.path") || event.affectsConfiguration("dsspec.args") ||
          event.affectsConfiguration("python.defaultInterpreterPath")) {
        if (client) await client.stop();
        await start();
      }
    }),
  );
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate, serverOptions, findServer, venvCandidates, openPreview, freePort, previews };
