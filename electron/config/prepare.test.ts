import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./load.js";
import { solidPng, writeMbtiles } from "../engine/testing/mbtiles-fixtures.js";
import { ensureConsoleId, loadRegionLayer, loadSettings, mapSettings, openBaseMap } from "./prepare.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const configWith = (argv: string[]) => loadConfig({ argv, env: {}, cwd: mkdtempSync(path.join(tmpdir(), "prep-")), appRoot: repo, defaultDataDir: ".data" });

describe("ensureConsoleId", () => {
  it("generates an id once and returns the same one on the next start", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "id-"));
    const first = ensureConsoleId(dir);
    expect(first).toMatch(/^console-[0-9a-f-]{36}$/);
    expect(ensureConsoleId(dir)).toBe(first);
    expect(readFileSync(path.join(dir, "console-id"), "utf8").trim()).toBe(first);
  });

  it.skipIf(process.platform === "win32")("keeps the id 0600 in a data dir made 0700", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "id-")), "data");
    ensureConsoleId(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, "console-id")).mode & 0o777).toBe(0o600);
  });

  it("prefers a configured id over the stored one", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "id-"));
    ensureConsoleId(dir);
    expect(ensureConsoleId(dir, "wall-1")).toBe("wall-1");
  });
});

describe("loadSettings", () => {
  it("parses the bundled categories and departments into ConsoleSettings", () => {
    const settings = loadSettings(configWith(["--operator-name", "张三", "--language", "en"]));
    expect(settings.categories.length).toBeGreaterThan(10);
    expect(settings.departments.length).toBeGreaterThan(3);
    expect(settings.operator).toEqual({ id: "duty", name: "张三" });
    expect(settings.language).toBe("en");
  });

  it("passes the wall layout through: auto unless one is named, and refuses a shape it has no layout for", () => {
    expect(loadSettings(configWith([])).wallLayout).toBe("auto");
    expect(loadSettings(configWith(["--wall-layout", "32:9"])).wallLayout).toBe("32:9");
    expect(() => configWith(["--wall-layout", "4:3"])).toThrow(/wallLayout/);
  });

  it("fills settings.map: the feed's coordinates always, tiles only from a configured server", () => {
    expect(loadSettings(configWith([])).map).toEqual({ feedCoordinates: "wgs84" });
    expect(mapSettings(configWith(["--feed-coordinates", "gcj02", "--map-tiles-url", "https://tiles.example.cn/{z}/{x}/{y}.png"]))).toEqual({
      feedCoordinates: "gcj02",
      tiles: { url: "https://tiles.example.cn/{z}/{x}/{y}.png" },
    });
    expect(mapSettings(configWith(["--map-tiles-url", "http://10.0.0.5/{z}/{x}/{y}.png", "--map-tiles-attribution", "© OSM", "--map-tiles-max-zoom", "16"])).tiles).toEqual({
      url: "http://10.0.0.5/{z}/{x}/{y}.png",
      attribution: "© OSM",
      maxZoom: 16,
    });
    // The home area rides along with either kind of base map, or with none.
    expect(mapSettings(configWith(["--map-home-area", "110101009"]))).toEqual({ feedCoordinates: "wgs84", homeArea: "110101009" });
    expect(mapSettings(configWith(["--map-home-area", "110101006001", "--map-tiles-url", "http://10.0.0.5/{z}/{x}/{y}.png"]))).toMatchObject({ homeArea: "110101006001", tiles: { url: "http://10.0.0.5/{z}/{x}/{y}.png" } });
  });

  it("names the key and the file when a table is missing or malformed", () => {
    expect(() => loadSettings(configWith(["--categories-csv", "/nowhere.csv"]))).toThrow(/categoriesCsv points at \/nowhere\.csv.*ENOENT/);
    const bad = path.join(mkdtempSync(path.join(tmpdir(), "csv-")), "departments.csv");
    writeFileSync(bad, "id,name,handles\nD1,城管,1x\n");
    expect(() => loadSettings(configWith(["--departments-csv", bad]))).toThrow(/departments\.csv:2: handles "1x"/);
  });
});

describe("loadRegionLayer", () => {
  it("runs without grid outlines when the bundled layer has not been generated, and says so", () => {
    const config = { ...configWith([]), regionLayer: "/nowhere/dongcheng.geojson" };
    const warnings: string[] = [];
    expect(loadRegionLayer(config, (_level, message) => warnings.push(message))).toEqual({ type: "FeatureCollection", features: [] });
    expect(warnings[0]).toMatch(/region layer not found at \/nowhere\/dongcheng\.geojson/);
  });

  it("refuses a configured layer that is missing or not a FeatureCollection", () => {
    expect(() => loadRegionLayer(configWith(["--region-layer", "/nowhere.geojson"]), () => undefined)).toThrow(/regionLayer points at \/nowhere\.geojson/);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "geo-")), "layer.geojson");
    writeFileSync(file, JSON.stringify({ type: "Feature" }));
    expect(() => loadRegionLayer(configWith(["--region-layer", file]), () => undefined)).toThrow(/not a GeoJSON FeatureCollection/);
  });
});

describe("openBaseMap", () => {
  it("has nothing to open without mapTilesFile", async () => {
    const baseMap = await openBaseMap(configWith([]), () => undefined);
    expect([baseMap.settings, baseMap.reader]).toEqual([undefined, undefined]);
    expect(loadSettings(configWith([]), baseMap.settings).map).toEqual({ feedCoordinates: "wgs84" });
  });

  it("puts a usable file's description into settings.map.localTiles and keeps its reader for the hosts", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "basemap-"));
    const file = path.join(dir, "dongcheng.mbtiles");
    await writeMbtiles(file, { metadata: { format: "png", minzoom: "11", maxzoom: "16", attribution: "© 测绘院" }, tiles: [{ z: 11, x: 1686, y: 775, data: solidPng(4, 4, [1, 2, 3, 255]) }] });
    const config = configWith(["--map-tiles-file", file]);
    const baseMap = await openBaseMap(config, () => undefined);
    try {
      expect(baseMap.settings).toMatchObject({ ok: true, format: "png", minZoom: 11, maxZoom: 16, attribution: "© 测绘院" });
      expect(baseMap.reader?.tile(11, 1686, 775)).toBeInstanceOf(Uint8Array);
      expect(loadSettings(config, baseMap.settings).map).toEqual({ feedCoordinates: "wgs84", localTiles: baseMap.settings });
    } finally {
      baseMap.close();
    }
  });

  it("turns a file that is not MBTiles into a reason for the map, logged, and no reader: the console starts without a base map", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "basemap-"));
    const file = path.join(dir, "photo.mbtiles");
    writeFileSync(file, solidPng(8, 8, [0, 0, 0, 255]));
    const logged: string[] = [];
    const baseMap = await openBaseMap(configWith(["--map-tiles-file", file]), (_level, message) => logged.push(message));
    expect(baseMap.reader).toBeUndefined();
    expect(baseMap.settings).toEqual({ ok: false, problem: "not-sqlite", file: "photo.mbtiles" });
    expect(logged.join("\n")).toMatch(/mapTilesFile: .*photo\.mbtiles is not a SQLite file; the map runs without a base map/);
  });
});
