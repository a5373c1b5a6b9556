import { build, type Metafile } from "esbuild";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../electron/config/load.js";
import { DEMO_FEED_BUNDLE, bundledDemoFeed } from "../electron/cli/feed-target.js";
import { SETTINGS } from "../electron/engine/testing/harness.js";
import { WorkerEngine } from "../electron/engine/worker/worker-engine.js";
import { ELECTRON_BUNDLES, RUNTIME_EXTERNALS, bundleOptions } from "./bundles.mjs";

/*
 * What the packaged app runs: the bundles scripts/build.mjs builds (built
 * here into a scratch folder with the same options) and package.json's
 * runtime dependencies. What it carries: ./electron-builder.test.ts.
 */

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

describe("package.json", () => {
  it("needs no TypeScript loader or build tool at run time", () => {
    for (const devOnly of ["tsx", "ts-node", "@swc/register", "@babel/register", "jiti", "esbuild", "typescript", "vite", "vitest", "electron", "electron-builder"]) {
      expect(pkg.dependencies, devOnly).not.toHaveProperty(devOnly);
    }
    // The checkout's scripts still run TypeScript through tsx: `npm ci` installs it as a dev dependency.
    expect(pkg.scripts.serve).toContain("--import tsx");
    expect(pkg.devDependencies).toHaveProperty("tsx");
  });

  it("starts the app from a bundle that the build makes", () => {
    expect(ELECTRON_BUNDLES.map(([, out]) => out)).toContain(pkg.main);
  });
});

describe("the built bundles", () => {
  // Inside the repository, so that a bundle's externals resolve from node_modules as they do in dist/.
  const scratchParent = path.join(ROOT, "node_modules", ".cache");
  let scratch: string;
  const metafiles = new Map<string, Metafile>();
  const inputsOf = (out: string): string[] => Object.keys(metafiles.get(out)?.inputs ?? {});

  beforeAll(async () => {
    mkdirSync(scratchParent, { recursive: true });
    scratch = mkdtempSync(path.join(scratchParent, "packaging-test-"));
    for (const [entry, out] of ELECTRON_BUNDLES) {
      if (!existsSync(path.join(ROOT, entry))) continue;
      const result = await build({ ...bundleOptions(ROOT, entry, out, scratch), metafile: true, logLevel: "error" });
      metafiles.set(out, result.metafile);
    }
  }, 120_000);
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("bundles the engine into Electron main, and no simulator or feed server", () => {
    const main = inputsOf("dist/electron/main.cjs");
    expect(main.some((file) => file.startsWith("electron/engine/"))).toBe(true);
    expect(main.filter((file) => file.startsWith("feed/") || file === "electron/cli/demo-feed.ts")).toEqual([]);
    // The bundle text too: esbuild marks each module with its path.
    const text = readFileSync(path.join(scratch, "dist/electron/main.cjs"), "utf8");
    expect(text).not.toMatch(/feed\/sim\//);
    expect(text).not.toContain("createFeedServer");
  });

  it("keeps the simulator out of the preload and the engine's worker", () => {
    for (const [, out] of ELECTRON_BUNDLES) {
      if (out === DEMO_FEED_BUNDLE.split(path.sep).join("/") || !metafiles.has(out)) continue;
      expect(inputsOf(out).filter((file) => file.startsWith("feed/")), out).toEqual([]);
    }
    expect(inputsOf("dist/electron/preload.cjs").every((file) => file.startsWith("electron/preload/") || file.startsWith("shared/"))).toBe(true);
  });

  it("puts the demo feed, simulator included, in a bundle of its own", () => {
    const demo = inputsOf("dist/demo/demo-feed.cjs");
    expect(demo).toContain("feed/server.ts");
    expect(demo.some((file) => file.startsWith("feed/sim/"))).toBe(true);
    expect(DEMO_FEED_BUNDLE.split(path.sep).join("/")).toBe("dist/demo/demo-feed.cjs");
  });

  it("loads from node_modules only what package.json's dependencies install (and Electron itself)", () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    const loaded = new Set<string>();
    for (const metafile of metafiles.values()) {
      for (const output of Object.values(metafile.outputs)) for (const imported of output.imports) if (imported.external && !builtins.has(imported.path)) loaded.add(imported.path);
    }
    expect(loaded.size).toBeGreaterThan(0);
    for (const name of loaded) {
      expect(RUNTIME_EXTERNALS, name).toContain(name);
      if (name !== "electron") expect(pkg.dependencies, name).toHaveProperty(name);
    }
  });

  it("starts the demo feed from its bundle the way Electron main loads it, only when asked", async () => {
    const feed = await bundledDemoFeed(scratch)();
    const server = await feed.startDemoFeed({ token: "packaging-test", resourcesDir: path.join(ROOT, "resources") });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // The Socket.IO handshake answers: a running feed server, not just a module that loaded.
      const reply = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
      expect(reply.status).toBeLessThan(500);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("runs the engine from its worker's bundle, the region layer prepared by the region worker's bundle beside it", async () => {
    const logs: string[] = [];
    const engine = new WorkerEngine({
      feedUrl: "http://127.0.0.1:9",
      token: "packaging-test",
      consoleId: "packaging-test",
      dataDir: mkdtempSync(path.join(scratch, "data-")),
      settings: SETTINGS,
      regionLayer: null,
      regionLayerFile: path.join(ROOT, "resources", "region", "dongcheng.geojson"),
      log: (level, message) => logs.push(`${level} ${message}`),
      // As Electron main starts it (defaultEntry): the bundle, not electron/engine/worker/entry.ts through tsx.
      entry: pathToFileURL(path.join(scratch, "dist", "electron", "engine-worker.cjs")),
    });
    try {
      await engine.start();
      const prepared = await engine.handlers.getRegionLayer({});
      expect(prepared.ok && prepared.value.ok && prepared.value.layer.grids.length).toBeGreaterThan(100);
      // Without region-worker.cjs beside it the engine would prepare the layer on its own thread, saying so.
      expect(logs.filter((line) => line.includes("region-worker"))).toEqual([]);
      expect(logs).toContain("info prepared the region layer");
    } finally {
      await engine.stop();
    }
  }, 120_000);

  it("says a build without the demo bundle has none, naming the training build", async () => {
    const load = bundledDemoFeed(mkdtempSync(path.join(scratch, "empty-app-")));
    await expect(load()).rejects.toBeInstanceOf(ConfigError);
    await expect(load()).rejects.toThrow(/carries no demo .*dist:training/);
  });
});
