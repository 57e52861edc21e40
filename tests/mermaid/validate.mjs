// Parse Mermaid diagrams with Mermaid's own parser (the one GitHub and GitLab render with).
// Usage: node validate.mjs FILE...   Prints one line per file: "ok <type> FILE" or "error FILE: message".
// Exit 0 when every file parses, 1 otherwise.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  try {
    const result = await mermaid.parse(text);
    console.log(`ok ${result.diagramType} ${file}`);
  } catch (err) {
    failed += 1;
    console.log(`error ${file}: ${String(err.message || err).split("\n").join(" | ")}`);
  }
}
process.exit(failed ? 1 : 0);
