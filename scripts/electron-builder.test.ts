import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

/*
 * electron-builder's configuration (electron-builder.yml), read and validated
 * by electron-builder's own code (app-builder-lib, its scheme.json). `npm run
 * dist` itself needs the Electron binary, so CI never packages: this is what
 * checks the configuration there.
 */

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

// app-builder-lib comes with electron-builder: resolve it from there, as electron-builder does.
const builderRequire = createRequire(createRequire(import.meta.url).resolve("electron-builder"));
type BuilderConfig = { electronFuses?: Record<string, boolean>; [key: string]: unknown };
const configLib = builderRequire("app-builder-lib/out/util/config/config.js") as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = builderRequire("builder-util") as { DebugLogger: new (enabled: boolean) => unknown };
/** The fuses in the installed electron-builder's scheme.json (resetAdHocDarwinSignature is an option of the step, not a fuse). */
const FUSE_KEYS = Object.keys(
  (JSON.parse(readFileSync(builderRequire.resolve("app-builder-lib/scheme.json"), "utf8")) as { definitions: { FuseOptionsV1: { properties: object } } }).definitions.FuseOptionsV1.properties,
).filter((key) => key !== "resetAdHocDarwinSignature");

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
  beforeAll(async () => {
    production = await configLib.getConfig(ROOT, "electron-builder.yml", null);
  }, 60_000);

  it("passes electron-builder's own schema check, which does refuse a misspelt key", async () => {
    await configLib.validateConfiguration(production, new DebugLogger(false));
    await expect(configLib.validateConfiguration({ ...production, electronFuses: { ...production.electronFuses, runAsNodee: false } }, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  }, 60_000);

  it("sets every fuse the installed electron-builder knows: no run-as-node, NODE_OPTIONS or inspector, app only from a checked asar, encrypted cookies", () => {
    expect(Object.keys(EXPECTED_FUSES).sort()).toEqual([...FUSE_KEYS].sort());
    expect(production.electronFuses).toEqual(EXPECTED_FUSES);
    expect(production.asar).toBe(true);
  });
});
