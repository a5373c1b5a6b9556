import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gcj02, gcj02ToWgs84 } from "../shared/geo/coords.js";
import { importRegionLayer } from "../shared/geo/import.js";
import { pointInPolygons } from "../shared/geo/polygon.js";
import type { RegionLayer } from "../shared/geo/region.js";
import { openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { REPO } from "./processes.js";

/*
 * Issue 13: the deployment's address list (addressesCsv) in the phone-in
 * search, as an operator uses it: a UTF-8 CSV with a BOM, one row copied from
 * AMap (GCJ-02), one bad row; the console starts, says in its log which line
 * it skipped, and the search finds the place by an alias, puts the point on
 * the map and names its grid by the bundled layer.
 */

const layer: RegionLayer = (() => {
  const imported = importRegionLayer(JSON.parse(readFileSync(path.join(REPO, "resources", "region", "dongcheng.geojson"), "utf8")));
  if (!imported.ok) throw new Error("the bundled region layer does not import");
  return imported.layer;
})();
const gridOf = (lon: number, lat: number): string | null => layer.grids.find((grid) => pointInPolygons(lon, lat, grid.polygons))?.code ?? null;

/** 东四十条地铁站 as AMap gives it (GCJ-02). */
const STATION = { lon: 116.43396, lat: 39.93379 };

let feed: Feed;
let app: ConsoleApp;
let page: Page;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "address-list-"));
  const csv = [
    "name,address,lon,lat,alias,crs",
    `东四十条地铁站,东城区东四十条与东二环交叉口,${STATION.lon},${STATION.lat},十条地铁站|东四十条站,gcj02`,
    "雍和宫,东城区雍和宫大街12号,116.41738,39.94743,,gcj02",
    "坏行示例,,东经116度,39.94,,",
  ].join("\r\n");
  writeFileSync(path.join(dir, "addresses.csv"), `\uFEFF${csv}\r\n`);
  feed = await startFeed({ scale: "street", speed: 10 });
  app = await startConsole({ feed, args: ["--addresses-csv", path.join(dir, "addresses.csv")] });
  page = await openConsole(app);
});
afterAll(async () => {
  await stopEverything();
  rmSync(dir, { recursive: true, force: true });
});

describe("the deployment's address list in the phone-in search", () => {
  it("logs the skipped row by its line and finds a listed place by an alias, placing it in the grid its WGS84 point is in", async () => {
    expect(app.output()).toMatch(/addressesCsv .*addresses\.csv: skipped 1 row \(line 4: lon "东经116度" is not a number\)/);
    await waitForState(page, "live");
    await page.keyboard.press("F2");
    const form = page.getByTestId("report-form");
    await form.waitFor();
    const search = form.getByTestId("report-place-search");
    await search.click();
    await search.pressSequentially("十条地铁", { delay: 50 });
    const results = form.getByTestId("report-place-result");
    await results.first().waitFor();
    expect(await results.first().getAttribute("data-kind")).toBe("listed");
    const text = await results.first().innerText();
    expect(text).toContain("地址库");
    expect(text).toContain("东四十条地铁站");
    await saveScreenshot(page, "address-list-search");
    await search.press("Enter");

    const [lon, lat] = gcj02ToWgs84(gcj02(STATION.lon, STATION.lat));
    const expected = gridOf(lon, lat);
    if (expected === null) throw new Error("the station is outside the bundled layer");
    await expect.poll(() => form.getByTestId("report-grid").getAttribute("data-grid-code")).toBe(expected);
    expect(Number(await form.getByTestId("report-lon").inputValue())).toBeCloseTo(lon, 5);
    expect(Number(await form.getByTestId("report-lat").inputValue())).toBeCloseTo(lat, 5);
    expect(await form.getByTestId("report-address").inputValue()).toBe("东城区东四十条与东二环交叉口");
    const named = await form.getByTestId("report-grid").innerText();
    expect(named).not.toContain(expected);
    expect(named.length).toBeGreaterThan(4);
    await page.waitForTimeout(1_500);
    await saveScreenshot(page, "address-list-picked");
  });
});
