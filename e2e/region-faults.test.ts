import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Position, RegionFeature, RegionFeatureCollection } from "../shared/geo/geojson.js";
import { openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";

/*
 * A deployment's grid layer with broken features (issue 13): the console
 * draws the grids it can, the header says the layer is faulty next to the
 * feed's state, and the map lists each fault in the console's language with
 * the feature's place in the file.
 */

let feed: Feed;
let app: ConsoleApp;
let page: Page;
/** Indexes in the layer file of the grids broken below. */
const broken: number[] = [];

function outerRing(feature: RegionFeature): Position[] {
  if (feature.geometry.type !== "Polygon") throw new Error("the bundled grids are single polygons");
  return feature.geometry.coordinates[0] as Position[];
}

function brokenLayer(): string {
  const layer = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "resources", "region", "dongcheng.geojson"), "utf8")) as RegionFeatureCollection;
  const grids = layer.features.flatMap((f, i) => (f.properties.level === "grid" ? [i] : []));
  const [crossed, open, swapped] = [grids[10], grids[200], grids[400]] as [number, number, number];
  broken.push(crossed, open, swapped);
  // A bow-tie over the grid's box, an unclosed ring, latitude and longitude swapped.
  const bowTie = layer.features[crossed] as RegionFeature;
  const ring = outerRing(bowTie);
  const [west, south, east, north] = [Math.min(...ring.map((p) => p[0])), Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[1]))];
  bowTie.geometry = { type: "Polygon", coordinates: [[[west, south], [east, north], [east, south], [west, north], [west, south]]] };
  outerRing(layer.features[open] as RegionFeature).pop();
  for (const position of outerRing(layer.features[swapped] as RegionFeature)) position.reverse();
  const file = path.join(mkdtempSync(path.join(tmpdir(), "grid-layer-")), "broken.geojson");
  writeFileSync(file, JSON.stringify(layer));
  return file;
}

beforeAll(async () => {
  feed = await startFeed({ scale: "street", speed: 10 });
  app = await startConsole({ feed, args: ["--region-layer", brokenLayer()] });
  page = await openConsole(app);
}, 180_000);
afterAll(stopEverything);

it("says in the header that the grid layer is faulty while the feed is live, and lists each fault on the map in Chinese", async () => {
  await waitForState(page, "live");
  const status = page.getByTestId("region-layer-status");
  await expect.poll(() => status.getAttribute("data-state"), { timeout: 60_000 }).toBe("broken");
  expect(await status.innerText()).toContain("网格图层异常");
  expect(await status.getAttribute("data-faults")).toBe("3");
  expect(await page.getByTestId("connection-status").getAttribute("data-state")).toBe("live");

  const panel = page.getByTestId("region-layer-faults");
  expect(await panel.innerText()).toContain("3 处问题：已绘制 586 个网格，3 个要素未绘制");
  const faults = page.getByTestId("region-layer-fault");
  expect(await faults.count()).toBe(3);
  const listed = await faults.evaluateAll((items) => items.map((li) => ({ code: li.getAttribute("data-code"), index: Number(li.getAttribute("data-feature-index")), text: (li as HTMLElement).innerText })));
  expect(listed.map((f) => [f.index, f.code])).toEqual([
    [broken[0], "ringSelfCrossing"],
    [broken[1], "ringNotClosed"],
    [broken[2], "positionOutOfRange"],
  ]);
  expect(listed[0]?.text).toMatch(new RegExp(`第 ${broken[0]} 个要素 · \\d{15} .+外环自相交：第 1 条边与第 3 条边交叉`, "s"));
  expect(listed[1]?.text).toContain("外环未闭合");
  expect(listed[2]?.text).toContain("超出范围");
  for (const item of listed) expect(item.text).toContain("未绘制");
  // The good grids are drawn: the map has its district and no blank-map notice.
  expect(await page.locator(".map-breadcrumb").innerText()).toContain("东城区");
  await saveScreenshot(page, "region-faults-zh");
});

it("says the same in English on the language switch", async () => {
  await page.getByTestId("language-en").click();
  await expect.poll(() => page.getByTestId("region-layer-status").innerText()).toContain("Grid layer faulty");
  const first = await page.getByTestId("region-layer-fault").first().innerText();
  expect(first).toMatch(/Feature #\d+ · \d{15} .+The outer ring intersects itself: edges 1 and 3 cross/s);
  await saveScreenshot(page, "region-faults-en");
  await page.getByTestId("language-zh-CN").click();
});
