// The dsspec extension: highlighting comes from the grammar; everything else from `dsspec lsp`.
"use strict";
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

/** The server command from the settings: `dsspec.path` (the executable) and `dsspec.args`. */
function serverOptions(config) {
  const command = config.get("path") || "dsspec";
  const args = ["lsp", ...(config.get("args") || [])];
  const executable = { command, args, transport: TransportKind.stdio };
  return { run: executable, debug: executable };
}

async function start() {
  const config = vscode.workspace.getConfiguration("dsspec");
  client = new LanguageClient("dsspec", "dsspec", serverOptions(config), {
    documentSelector: [{ scheme: "file", language: "dsspec" }, { scheme: "untitled", language: "dsspec" }],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.dsspec,dsspec.toml,pyproject.toml}"),
    },
  });
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `dsspec: cannot start \`${config.get("path") || "dsspec"} lsp\` (${err.message}). ` +
        "Install it with `pip install 'dsspec[lsp]'` or set `dsspec.path`.");
  }
}

/** Run `dsspec preview` on the active spec in a terminal and open its page. */
function openPreview() {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "dsspec" || editor.document.uri.scheme !== "file") {
    vscode.window.showErrorMessage("dsspec: open a saved .dsspec file to preview it.");
    return;
  }
  const config = vscode.workspace.getConfiguration("dsspec");
  const port = config.get("previewPort") || 8765;
  const terminal = vscode.window.createTerminal({ name: "dsspec preview" });
  const quote = (text) => `'${text.replace(/'/g, "'\\''")}'`;
  terminal.sendText(`${quote(config.get("path") || "dsspec")} preview ${quote(editor.document.uri.fsPath)} --port ${port}`);
  terminal.show(true);
  setTimeout(() => vscode.env.openExternal(vscode.Uri.parse(`http://127.0.0.1:${port}/`)), 1500);
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("dsspec.openPreview", openPreview),
    vscode.commands.registerCommand("dsspec.restartServer", async () => {
      if (client) await client.stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("dsspec")) {
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

module.exports = { activate, deactivate, serverOptions, openPreview };
