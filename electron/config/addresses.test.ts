import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ADDRESS_FILE_MAX_BYTES, parseAddressList } from "../../shared/geo/address-list.js";
import { wgs84, wgs84ToGcj02 } from "../../shared/geo/coords.js";
import { areaNames, buildGazetteer, nameGrid, searchGazetteer } from "../../shared/geo/gazetteer.js";
import { createGridIndex } from "../../shared/geo/grid-index.js";
import { importRegionLayer } from "../../shared/geo/import.js";
import type { RegionLayer } from "../../shared/geo/region.js";
import { tempDir } from "../engine/testing/harness.js";
import { loadAddresses } from "./prepare.js";

/* The deployment's address list (addressesCsv): read from real files by the console's loader, searched with the bundled grid layer. */

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

type Line = { level: string; message: string };
function load(content: string | Buffer, name = "addresses.csv"): { result: ReturnType<typeof loadAddresses>; lines: Line[]; file: string } {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const file = join(dir, name);
  writeFileSync(file, content);
  const lines: Line[] = [];
  return { result: loadAddresses({ addressesCsv: file }, (level, message) => void lines.push({ level, message })), lines, file };
}

let layer: RegionLayer;
beforeAll(() => {
  const imported = importRegionLayer(JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "resources", "region", "dongcheng.geojson"), "utf8")));
  if (!imported.ok) throw new Error("the bundled layer did not import");
  layer = imported.layer;
});

describe("the deployment's address list", () => {
  it("reads a UTF-8 file with a BOM: quoted fields, aliases, GCJ-02 rows converted; bad rows skipped, counted and named by line", () => {
    const csv = [
      "name,address,lon,lat,alias,crs",
      '东四十条小学,"东城区东四十条38号, 北门",116.4301,39.9338,东四十条小学北门|十条小学,',
      "北新仓社区服务站,,116.4289,39.9380,,gcj02",
      "坏经度,,east,39.93,,",
      "经纬颠倒,,39.93,116.43,,",
      ",,116.43,39.93,,",
      "少一列,,116.43,39.93",
      "坐标系不明,,116.43,39.93,,bd09",
      "",
      "南门仓胡同5号,,116.4265,39.9350,南门仓5号、南门仓五号,WGS84",
    ].join("\r\n");
    const { result, lines } = load(`\uFEFF${csv}\r\n`);
    expect(result?.map((entry) => entry.name)).toEqual(["东四十条小学", "北新仓社区服务站", "南门仓胡同5号"]);
    expect(result?.[0]).toMatchObject({ address: "东城区东四十条38号, 北门", aliases: ["东四十条小学北门", "十条小学"], lon: 116.4301, lat: 39.9338 });
    expect(result?.[2]?.aliases).toEqual(["南门仓5号", "南门仓五号"]);
    // GCJ-02 is a few hundred metres off WGS84 in Beijing: converted back, the point is where the platform's map has it.
    const [gLon, gLat] = wgs84ToGcj02(wgs84(result?.[1]?.lon ?? 0, result?.[1]?.lat ?? 0));
    expect(gLon).toBeCloseTo(116.4289, 6);
    expect(gLat).toBeCloseTo(39.938, 6);
    expect(Math.abs((result?.[1]?.lon ?? 0) - 116.4289)).toBeGreaterThan(0.004);
    const warning = lines.find((line) => line.level === "warn");
    expect(warning?.message).toMatch(/skipped 5 rows \(line 4: lon "east" is not a number; line 5: lon 39.93 is outside China .*swapped.*; line 6: no name or address; line 7: 4 columns, the header has 6; line 8: crs "bd09" is neither wgs84 nor gcj02\)/);
    expect(lines).toContainEqual(expect.objectContaining({ level: "info", message: "address list for the phone-in search" }));
  });

  it("reads a file without a BOM, address as the only name column, LF endings", () => {
    const { result } = load("address,lon,lat\n东城区东四十条38号,116.4301,39.9338\n");
    expect(result).toEqual([{ name: "东城区东四十条38号", aliases: [], lon: 116.4301, lat: 39.9338 }]);
  });

  it("never stops the console: a missing, non-UTF-8, oversize or headerless file is one clear error line and no list", () => {
    const lines: Line[] = [];
    expect(loadAddresses({ addressesCsv: "/nonexistent/addresses.csv" }, (level, message) => void lines.push({ level, message }))).toBeUndefined();
    expect(lines).toEqual([{ level: "error", message: "addressesCsv /nonexistent/addresses.csv: cannot be read (ENOENT); the address search goes on without the list" }]);
    // 东四 in GBK: what a spreadsheet saves as "CSV" on a Chinese Windows.
    const gbk = load(Buffer.concat([Buffer.from("name,lon,lat\n"), Buffer.from([0xb6, 0xab, 0xcb, 0xc4]), Buffer.from(",116.43,39.93\n")]));
    expect(gbk.result).toBeUndefined();
    expect(gbk.lines[0]?.message).toMatch(/not UTF-8 text \(save it as UTF-8, with or without a BOM\)/);
    const big = load(Buffer.alloc(ADDRESS_FILE_MAX_BYTES + 1, 0x41));
    expect(big.result).toBeUndefined();
    expect(big.lines[0]?.message).toMatch(/8388609 bytes, more than the 8388608 allowed/);
    const headless = load("东四十条小学,116.43,39.93\n");
    expect(headless.result).toBeUndefined();
    expect(headless.lines[0]).toMatchObject({ level: "error", message: expect.stringMatching(/line 1: unknown column "东四十条小学"/) });
    expect(load("name,lon\nx,116\n").lines[0]?.message).toMatch(/must name name \(or address\), lon and lat/);
    expect(load('name,lon,lat\n"unclosed,116.43,39.93\n').lines[0]?.message).toMatch(/line 2: a quoted field is never closed/);
  });

  it("caps the rows read, saying how many more there were", () => {
    const rows = Array.from({ length: 12 }, (_, i) => `地点${i},116.43,39.93`);
    const { entries, skipped } = parseAddressList(["name,lon,lat", ...rows].join("\n"), 10);
    expect(entries).toHaveLength(10);
    expect(skipped).toEqual([
      { line: 12, reason: "past 10 rows" },
      { line: 13, reason: "past 10 rows" },
    ]);
  });

  it("is found by the phone-in search, by name or alias, and its point falls in the right grid (a GCJ-02 row included)", () => {
    const grids = createGridIndex(layer);
    const names = areaNames(layer);
    const [first, second] = layer.grids.filter((grid) => nameGrid(names, grid.code).grid !== null);
    if (!first || !second) throw new Error("the bundled layer has no named grids");
    const inSecond = wgs84ToGcj02(wgs84(second.labelAt[0], second.labelAt[1]));
    const { result } = load(
      [
        "name,lon,lat,alias,crs",
        `部署测试小学,${first.labelAt[0]},${first.labelAt[1]},测试小学北门,wgs84`,
        `部署测试菜市场,${inSecond[0].toFixed(7)},${inSecond[1].toFixed(7)},,gcj02`,
      ].join("\n"),
    );
    const gazetteer = buildGazetteer(names, [{ address: "部署测试小学", lon: 0, lat: 0, at: 1 }], result ?? []);
    const school = searchGazetteer(gazetteer, "部署测试小学");
    expect(school).toHaveLength(1);
    expect(school[0]).toMatchObject({ kind: "listed", name: "部署测试小学", context: "测试小学北门" });
    expect(grids.locate(school[0]?.lon ?? 0, school[0]?.lat ?? 0)).toBe(first.code);
    // An alias that starts with the query ranks as a name would.
    expect(searchGazetteer(gazetteer, "测试小学")[0]?.name).toBe("部署测试小学");
    const market = searchGazetteer(gazetteer, "菜市场").find((place) => place.name === "部署测试菜市场");
    expect(market).toBeDefined();
    expect(grids.locate(market?.lon ?? 0, market?.lat ?? 0)).toBe(second.code);
    expect(market?.lon).toBeCloseTo(second.labelAt[0], 6);
  });
});
