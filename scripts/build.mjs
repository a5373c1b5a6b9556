// Builds what `npm run serve` and Electron load: the renderer (Vite) into
// dist/renderer, and the Electron main and preload (esbuild, CommonJS) into dist/electron.
import { build as esbuild } from "esbuild";
import { build as vite } from "vite";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const only = process.argv[2];

if (!only || only === "renderer") {
  await vite({ configFile: path.join(root, "renderer/vite.config.ts"), logLevel: "warn" });
}

if (!only || only === "electron") {
  for (const [entry, out] of [
    ["electron/main/index.ts", "dist/electron/main.cjs"],
    ["electron/preload/index.ts", "dist/electron/preload.cjs"],
  ]) {
    if (!existsSync(path.join(root, entry))) continue;
    await esbuild({
      entryPoints: [path.join(root, entry)],
      outfile: path.join(root, out),
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      external: ["electron", "sql.js", "socket.io", "socket.io-client", "ws"],
      sourcemap: true,
      // Modules written as ESM read import.meta.url; in the CommonJS bundle it is the bundle's own URL.
      define: { "import.meta.url": "__bundleUrl" },
      banner: { js: 'var __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
      logLevel: "warning",
    });
  }
}
