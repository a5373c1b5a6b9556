// Builds what `npm run serve` and Electron load: the renderer (Vite) into
// dist/renderer, and the Node-side bundles (./bundles.mjs: Electron main, preload,
// the engine's worker, the demo feed) into dist/electron and dist/demo.
import { build as esbuild } from "esbuild";
import { build as vite } from "vite";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { ELECTRON_BUNDLES, bundleOptions } from "./bundles.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const only = process.argv[2];

if (!only || only === "renderer") {
  await vite({ configFile: path.join(root, "renderer/vite.config.ts"), logLevel: "warn" });
}

if (!only || only === "electron") {
  for (const [entry, out] of ELECTRON_BUNDLES) {
    // An entry that is not there yet (a partial checkout) is skipped, not an error.
    if (!existsSync(path.join(root, entry))) continue;
    await esbuild(bundleOptions(root, entry, out));
  }
}
