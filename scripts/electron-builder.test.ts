import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../electron/config/load.js";
import { ELECTRON_BUNDLES } from "./bundles.mjs";

/*
 * electron-builder's configuration (electron-builder.yml, and the training
 * build's electron-builder.training.yml on top of it), read, merged and
 * validated by electron-builder's own code (app-builder-lib, its scheme.json),
 * and its file filter applied to the paths the app needs and the ones it
 * must not carry. `npm run dist` itself needs the Electron binary, so CI
 * never packages: this is what checks the configuration there.
 */

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const scripts = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

// app-builder-lib comes with electron-builder: resolve it from there, as electron-builder does.
const builderRequire = createRequire(createRequire(import.meta.url).resolve("electron-builder"));
type BuilderConfig = { files?: unknown; electronFuses?: Record<string, boolean>; [key: string]: unknown };
const configLib = builderRequire("app-builder-lib/out/util/config/config.js") as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>;
};
const fileMatcherLib = builderRequire("app-builder-lib/out/fileMatcher.js") as {
  getFileMatchers(
    config: BuilderConfig,
    name: "files",
    destination: string,
    options: { macroExpander: (pattern: string) => string; customBuildOptions: object; globalOutDir: string; defaultSrc: string },
  ): Array<{ from: string; createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean }> | null;
};
const { DebugLogger } = builderRequire("builder-util") as { DebugLogger: new (enabled: boolean) => unknown };
/** The fuses in the installed electron-builder's scheme.json (resetAdHocDarwinSignature is an option of the step, not a fuse). */
const FUSE_KEYS = Object.keys(
  (JSON.parse(readFileSync(builderRequire.resolve("app-builder-lib/scheme.json"), "utf8")) as { definitions: { FuseOptionsV1: { properties: object } } }).definitions.FuseOptionsV1.properties,
).filter((key) => key !== "resetAdHocDarwinSignature");

/** Whether electron-builder would copy `file` (relative to the repository) into the app with this configuration. */
function packager(config: BuilderConfig): (file: string) => boolean {
  const matchers = fileMatcherLib.getFileMatchers(config, "files", "/app", { macroExpander: (p) => p, customBuildOptions: {}, globalOutDir: path.join(ROOT, "release"), defaultSrc: ROOT });
  if (matchers === null) throw new Error("no files configured");
  const filters = matchers.map((matcher) => ({ from: matcher.from, filter: matcher.createFilter() }));
  const asFile = { isDirectory: () => false };
  return (file) => filters.some(({ from, filter }) => path.join(ROOT, file).startsWith(from + path.sep) && filter(path.join(ROOT, file), asFile));
}

/** The oldest Electron major still supported (the newest three: 43, 44, 45). */
const SUPPORTED_ELECTRON_FLOOR = 43;

const EXPECTED_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
};

describe("electron-builder configuration", () => {
  let production: BuilderConfig;
  let training: BuilderConfig;
  beforeAll(async () => {
    production = await configLib.getConfig(ROOT, "electron-builder.yml", null);
    training = await configLib.getConfig(ROOT, "electron-builder.training.yml", null);
  }, 60_000);

  it("passes electron-builder's own schema check, which does refuse a misspelt key", async () => {
    await configLib.validateConfiguration(production, new DebugLogger(false));
    await configLib.validateConfiguration(training, new DebugLogger(false));
    await expect(configLib.validateConfiguration({ ...production, electronFuses: { ...production.electronFuses, runAsNodee: false } }, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  }, 60_000);

  it("sets every fuse the installed electron-builder knows: no run-as-node, NODE_OPTIONS or inspector, app only from a checked asar, encrypted cookies", () => {
    expect(Object.keys(EXPECTED_FUSES).sort()).toEqual([...FUSE_KEYS].sort());
    expect(production.electronFuses).toEqual(EXPECTED_FUSES);
    expect(training.electronFuses).toEqual(EXPECTED_FUSES);
    expect(production.asar).toBe(true);
  });

  it("packages the bundles and the files the console reads by default, and no sources, maps or demo", () => {
    const packs = packager(production);
    const defaults = loadConfig({ argv: [], env: {}, cwd: ROOT, appRoot: ROOT, defaultDataDir: path.join(ROOT, "data") });
    for (const file of [defaults.regionLayer, defaults.categoriesCsv, defaults.departmentsCsv]) expect(packs(path.relative(ROOT, file)), file).toBe(true);
    for (const [, out] of ELECTRON_BUNDLES.filter(([, out]) => out.startsWith("dist/electron/"))) expect(packs(out), out).toBe(true);
    for (const file of ["package.json", "dist/renderer/index.html", "dist/renderer/assets/index.js"]) expect(packs(file), file).toBe(true);
    for (const file of [
      "dist/demo/demo-feed.cjs",
      "dist/electron/main.cjs.map",
      "electron/main/index.ts",
      "electron/cli/demo-feed.ts",
      "feed/sim/world.ts",
      "shared/bridge/contract.ts",
      "scripts/build.mjs",
      "resources/data/beijing-divisions.csv",
      "e2e/harness.ts",
      "tsconfig.json",
    ]) {
      expect(packs(file), file).toBe(false);
    }
  });

  it("packages an Electron of a supported major, the one package.json and the lock file name", () => {
    const installed = (JSON.parse(readFileSync(path.join(ROOT, "node_modules", "electron", "package.json"), "utf8")) as { version: string }).version;
    const major = Number(installed.split(".")[0]);
    // Electron supports its newest three majors; the registry's newest was 45 when this was written. Raise with each major taken.
    expect(major).toBeGreaterThanOrEqual(SUPPORTED_ELECTRON_FLOOR);
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    expect(manifest.devDependencies.electron).toMatch(new RegExp(`^\\^${major}\\.`));
    const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
    expect(lock.packages["node_modules/electron"]?.version).toBe(installed);
    // No electronVersion pinned in the configuration: electron-builder packages the installed one.
    expect(production.electronVersion).toBeUndefined();
  });

  it("adds the demo feed and the tables it reads in a training build, and no maps or sources", () => {
    const packs = packager(training);
    for (const file of ["dist/demo/demo-feed.cjs", "resources/data/beijing-divisions.csv", "resources/data/beijing-districts.geojson", "dist/electron/main.cjs", "dist/renderer/index.html"]) {
      expect(packs(file), file).toBe(true);
    }
    for (const file of ["dist/demo/demo-feed.cjs.map", "dist/electron/main.cjs.map", "feed/sim/world.ts", "electron/cli/demo-feed.ts"]) expect(packs(file), file).toBe(false);
    expect(scripts["dist:training"]).toContain("electron-builder.training.yml");
  });
});
