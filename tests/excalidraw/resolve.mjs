// A module-resolution hook for Node: Excalidraw's build is made for bundlers, which resolve
// extension-less imports (`roughjs/bin/rough`) skip style sheets and
// import JSON bare; Node's ESM loader does none of these.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

// A package whose "main" is CommonJS and whose "module" is an ES module: take the ES module, as a bundler does
// (Node's interop cannot see the CommonJS file's named exports).
function esmEntry(specifier, parentURL) {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:") || !parentURL) return null;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  if (name !== specifier) return null;
  try {
    const require = createRequire(parentURL);
    const pkgPath = require.resolve(`${name}/package.json`);
    const pkg = JSON.parse(readFileSync(pkgPath, "utf8"));
    if (pkg.type !== "module" && typeof pkg.module === "string" && !pkg.exports) {
      const file = join(dirname(pkgPath), pkg.module);
      if (existsSync(file)) return { url: pathToFileURL(file).href, format: "module", shortCircuit: true };
    }
  } catch { /* not resolvable this way */ }
  return null;
}

export async function resolve(specifier, context, next) {
  const esm = esmEntry(specifier, context.parentURL);
  if (esm) return esm;
  try {
    return await next(specifier, context);
  } catch (err) {
    if (err.code === "ERR_UNSUPPORTED_DIR_IMPORT" && err.url) {   // a folder with its own package.json
      const dir = new URL(err.url).pathname;
      const pkgPath = join(dir, "package.json");
      if (existsSync(pkgPath)) {
        const pkg = JSON.parse(readFileSync(pkgPath, "utf8"));
        const entry = pkg.module || pkg.main;
        if (entry) return { url: pathToFileURL(join(dir, entry)).href, shortCircuit: true,
                            format: pkg.module ? "module" : undefined };
      }
    }
    if (err.code === "ERR_MODULE_NOT_FOUND" || err.code === "ERR_UNSUPPORTED_DIR_IMPORT") {
      for (const tail of [".js", "/index.js"]) {
        try { return await next(specifier + tail, context); } catch { /* try the next */ }
      }
    }
    throw err;
  }
}

export async function load(url, context, next) {
  if (url.endsWith(".css") || url.endsWith(".scss")) {
    return { format: "module", source: "export default {};", shortCircuit: true };
  }
  if (url.endsWith(".json")) {   // a bundler imports JSON without the `with { type: "json" }` Node asks for
    const { readFile } = await import("node:fs/promises");
    const text = await readFile(new URL(url), "utf8");
    return { format: "module", source: `export default ${text};`, shortCircuit: true };
  }
  return next(url, context);
}
