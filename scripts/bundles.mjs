// The Node-side bundles (esbuild, CommonJS) that scripts/build.mjs builds and
// the packaged app runs; scripts/packaging.test.ts builds the same list into a
// scratch folder to check what each one carries.
import path from "node:path";

/** Modules the bundles load from node_modules at run time: package.json's `dependencies`, all of them. */
export const RUNTIME_EXTERNALS = ["electron", "sql.js", "socket.io", "socket.io-client", "ws"];

/**
 * [entry, output] relative to the repository root. The engine goes into main
 * (and into its worker's bundle); the demo and training feed (simulator
 * included) is a bundle of its own under dist/demo, which Electron main
 * requires only when the demo is asked for and which the packaged app leaves
 * out unless it is a training build (electron-builder.training.yml).
 */
export const ELECTRON_BUNDLES = [
  ["electron/main/index.ts", "dist/electron/main.cjs"],
  ["electron/preload/index.ts", "dist/electron/preload.cjs"],
  ["electron/engine/worker/entry.ts", "dist/electron/engine-worker.cjs"],
  // The region layer's import off the engine's event loop: started by electron/engine/region.ts from beside the engine's bundle.
  ["electron/engine/region-worker.ts", "dist/electron/region-worker.cjs"],
  ["electron/cli/demo-feed.ts", "dist/demo/demo-feed.cjs"],
];

/** esbuild options for one bundle; `outRoot` is where dist/… goes (the repository root for a real build). */
export function bundleOptions(root, entry, out, outRoot = root) {
  return {
    entryPoints: [path.join(root, entry)],
    outfile: path.join(outRoot, out),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: RUNTIME_EXTERNALS,
    sourcemap: true,
    // Modules written as ESM read import.meta.url; in the CommonJS bundle it is the bundle's own URL.
    define: { "import.meta.url": "__bundleUrl" },
    banner: { js: 'var __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: "warning",
  };
}
