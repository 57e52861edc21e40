// Load dsspec's Excalidraw scenes with Excalidraw's own loader (restore), the code the editor runs on open.
// Usage: node validate.mjs FILE...   Prints one line per file: "ok <n> elements FILE" or "error FILE: message".
// Exit 0 when every scene loads whole (no element dropped or retyped), 1 otherwise.
import { readFileSync } from "node:fs";
import { register } from "node:module";
import { JSDOM } from "jsdom";

register("./resolve.mjs", import.meta.url);

const dom = new JSDOM("<!doctype html><html><body></body></html>",
                      { pretendToBeVisual: true, url: "http://localhost/" });
// jsdom has no canvas; Excalidraw measures text with one when it loads. A 2D context that measures every
// character as half its font size is enough to restore a scene (nothing is drawn).
const context = new Proxy({
  measureText: (text) => ({ width: String(text).length * 6, actualBoundingBoxAscent: 9, actualBoundingBoxDescent: 3 }),
  getImageData: () => ({ data: new Uint8ClampedArray(4) }),
  createLinearGradient: () => ({ addColorStop() {} }),
  createPattern: () => null,
}, { get: (target, key) => (key in target ? target[key] : () => {}), set: () => true });
dom.window.HTMLCanvasElement.prototype.getContext = function getContext() { return context; };
for (const key of ["window", "document", "navigator", "DOMParser", "HTMLElement", "Element", "Node",
                   "getComputedStyle", "devicePixelRatio", "FontFace", "Image", "location"]) {
  if (globalThis[key] === undefined && dom.window[key] !== undefined) {
    try { globalThis[key] = dom.window[key]; } catch { /* read-only in this Node */ }
  }
}
globalThis.window.EXCALIDRAW_ASSET_PATH = "/";

const { restore } = await import("@excalidraw/excalidraw");

let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const data = JSON.parse(readFileSync(file, "utf8"));
    if (data.type !== "excalidraw" || data.version !== 2) throw new Error("not an Excalidraw scene of version 2");
    const scene = restore(data, null, null);
    const ids = new Set(scene.elements.map((e) => e.id));
    const lost = data.elements.filter((e) => !ids.has(e.id));
    if (lost.length) throw new Error(`restore dropped ${lost.length} elements, e.g. ${JSON.stringify(lost[0]).slice(0, 200)}`);
    const byId = new Map(scene.elements.map((e) => [e.id, e]));
    for (const e of data.elements) {
      const r = byId.get(e.id);
      if (r.type !== e.type) throw new Error(`${e.id}: ${e.type} became ${r.type}`);
      if (Math.abs(r.x - e.x) > 0.5 || Math.abs(r.y - e.y) > 0.5) throw new Error(`${e.id}: moved on restore`);
      if (e.type === "text" && r.text !== e.text) throw new Error(`${e.id}: text changed on restore`);
    }
    console.log(`ok ${scene.elements.length} elements ${file}`);
  } catch (err) {
    failed += 1;
    console.log(`error ${file}: ${String(err.stack || err.message || err).split("\n").slice(0, 3).join(" | ")}`);
  }
}
process.exit(failed ? 1 : 0);
