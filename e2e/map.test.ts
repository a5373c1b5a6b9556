import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeMvt, gzip, solidPng, tileAt, writeMbtiles, type FixtureTile } from "../electron/engine/testing/mbtiles-fixtures.js";
import type { MapStats } from "../renderer/src/map/hooks.js";
import { openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { mapZoom } from "./operator.js";

/*
 * The grid map in a software-rendered Chromium: the district drawn with live
 * staff, and the drill-down street → community → grid by clicks on the map.
 */

const breadcrumb = (page: Page) => page.locator(".map-breadcrumb").innerText();
const unitCount = async (page: Page) => Number(await page.getByTestId("unit-count").textContent());

/** Where drillOnce clicks, as shares of the map's box: the centre first, then around it. */
const DRILL_POINTS: [number, number][] = [
  [0.5, 0.55],
  [0.42, 0.48],
  [0.58, 0.62],
  [0.46, 0.64],
  [0.56, 0.44],
  [0.38, 0.58],
  [0.62, 0.5],
  [0.5, 0.42],
];

/**
 * Clicks the map until the breadcrumb gains a level. deck.gl tells a click
 * from a press by the time between pointer down and up as its handlers see
 * them; under SwiftShader on a loaded machine a frame can take seconds and
 * turn a click into a press, so the click is repeated, not the assertion
 * relaxed. A click can also land on a case marker or a patrol dot, which
 * selects it (a case flies the map to it) instead of drilling: then the
 * case or the staff card is closed and the next click goes elsewhere.
 */
async function drillOnce(page: Page, levelsBefore: number): Promise<string> {
  const box = await page.getByTestId("map").boundingBox();
  if (!box) throw new Error("map has no box");
  const missed: string[] = [];
  for (const [sx, sy] of DRILL_POINTS) {
    await page.mouse.click(box.x + box.width * sx, box.y + box.height * sy);
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline) {
      const text = await breadcrumb(page);
      if (text.split("›").length > levelsBefore) return text;
      if (await page.getByTestId("incident-detail").isVisible()) break;
      await page.waitForTimeout(250);
    }
    const caseOpen = await page.getByTestId("incident-detail").isVisible();
    const staffOpen = await page.getByTestId("map-unit-card").isVisible();
    missed.push(`(${sx}, ${sy}): ${caseOpen ? "opened a case instead" : staffOpen ? "a staff card is open" : "no drill within 8 s"}`);
    if (caseOpen) {
      await page.keyboard.press("Escape");
      await page.getByTestId("incident-detail").waitFor({ state: "hidden", timeout: 5000 }).catch(() => undefined);
      // Closing the case flies the map back to where it was: let the flight end before the next click.
      await page.waitForTimeout(1500);
    }
    if (staffOpen) await page.getByTestId("map-unit-card").getByRole("button").first().click().catch(() => undefined);
  }
  const text = await breadcrumb(page);
  if (text.split("›").length <= levelsBefore) console.error(`drill from level ${levelsBefore} missed at every point: ${missed.join("; ")}`);
  return text;
}

describe("the grid map", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let page: Page;

  beforeAll(async () => {
    feed = await startFeed({ scale: "district", speed: 10 });
    app = await startConsole({ feed });
    page = await openConsole(app);
    await waitForState(page, "live");
  });
  afterAll(stopEverything);

  it("draws the district with patrol staff on it and counts them", async () => {
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="unit-count"]')?.textContent ?? "0") > 0, undefined, { timeout: 60_000 });
    expect(await unitCount(page)).toBeGreaterThan(0);
    expect(await breadcrumb(page)).toBe("东城区");
    // The count is React's; the frame is deck.gl's, drawn on a later animation frame (seconds under SwiftShader on a busy machine).
    const stats = () => page.evaluate((): MapStats | undefined => window.__mapStats);
    await expect.poll(async () => (await stats())?.frames ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
    // Staff keep coming and going: the map's own count and the one on screen agree once an update has been drawn.
    await expect.poll(async () => (await stats())?.units === (await unitCount(page)), { timeout: 30_000 }).toBe(true);
    await saveScreenshot(page, "map-district");
  });

  // Each drill is a click picked by deck.gl; on a loaded machine under software WebGL one can take a while.
  it("drills down street, community and grid by clicks, narrowing the queue, and goes back up by the breadcrumb", async () => {
    const districtTotal = Number(await page.getByTestId("queue-total").textContent());
    const street = await drillOnce(page, 1);
    expect(street.split("›")).toHaveLength(2);
    await page.waitForTimeout(1500);
    await saveScreenshot(page, "map-street");
    expect(Number(await page.getByTestId("queue-total").textContent())).toBeLessThan(districtTotal);

    expect((await drillOnce(page, 2)).split("›")).toHaveLength(3);
    await page.waitForTimeout(1500);
    await saveScreenshot(page, "map-community");

    expect((await drillOnce(page, 3)).split("›")).toHaveLength(4);
    await page.waitForTimeout(1500);
    await saveScreenshot(page, "map-grid");

    await page.locator(".map-breadcrumb button").first().click();
    await expect.poll(() => breadcrumb(page), { timeout: 10_000 }).toBe("东城区");
  }, 300_000);

  it("flies to a case opened from the queue, back to it with 在地图上显示, and back to the view it had when the case is closed", async () => {
    const zoom = () => mapZoom(page);
    // The district view after the breadcrumb's way back up, its flight over: the zoom reads the same three times 1.5 s
    // apart (a loaded machine drawing in software can hold one frame of the flight for over a second: CI once took
    // 12.3 mid-flight for the view it ended at, 12).
    await expect.poll(zoom, { timeout: 30_000 }).toBeLessThan(13.6);
    let home = await zoom();
    for (let stable = 0; stable < 3; ) {
      await page.waitForTimeout(1500);
      const now = await zoom();
      stable = now === home ? stable + 1 : 0;
      home = now;
    }
    await page.locator('[data-testid="incident-row"]').first().click();
    await page.getByTestId("incident-detail").waitFor();
    await expect.poll(zoom, { timeout: 30_000 }).toBeGreaterThanOrEqual(16);
    await saveScreenshot(page, "map-case-opened");
    // Wheeled away from it, the drawer's 在地图上显示 brings the map back to the case.
    const box = await page.getByTestId("map").boundingBox();
    if (!box) throw new Error("map has no box");
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.5);
    await page.mouse.wheel(0, 600);
    await expect.poll(zoom, { timeout: 30_000 }).toBeLessThan(15.5);
    await page.getByTestId("show-on-map").click();
    await expect.poll(zoom, { timeout: 30_000 }).toBeGreaterThanOrEqual(16);
    await page.keyboard.press("Escape");
    await page.getByTestId("incident-detail").waitFor({ state: "hidden" });
    await expect.poll(zoom, { timeout: 30_000 }).toBeCloseTo(home, 1);
  });
});

/*
 * The offline base map: the console started with a generated MBTiles file
 * (mapTilesFile), the page fetching tiles from its own origin and drawing
 * them. Tiles cover Dongcheng and a margin around it, so the base map shows
 * where the grid layer does not fill the map; pixels are read from a
 * screenshot by the browser's own PNG decoder.
 */

/** A colour to count: near `near` (each channel within `tolerance`), or tinted magenta (red and blue well above green). */
type ColourTest = { near: [number, number, number]; tolerance: number } | { magenta: true };

/** Share of the map's pixels (sampled at 1/4 scale) that pass `test`. */
async function mapShare(page: Page, test: ColourTest): Promise<number> {
  const shot = await page.getByTestId("map").screenshot({ timeout: 90_000 });
  return page.evaluate(
    async ({ png, test }) => {
      const image = new Image();
      await new Promise((resolve, reject) => {
        image.onload = resolve;
        image.onerror = () => reject(new Error("cannot decode screenshot"));
        image.src = `data:image/png;base64,${png}`;
      });
      const [width, height] = [Math.round(image.width / 4), Math.round(image.height / 4)];
      const canvas = document.createElement("canvas");
      [canvas.width, canvas.height] = [width, height];
      const context = canvas.getContext("2d");
      if (!context) throw new Error("no 2d canvas");
      context.drawImage(image, 0, 0, width, height);
      const data = context.getImageData(0, 0, width, height).data;
      // No eval: the page's CSP forbids it.
      const accept = (r: number, g: number, b: number) =>
        "magenta" in test ? r - g > 30 && b - g > 30 && Math.abs(r - b) < 40 : Math.abs(r - test.near[0]) <= test.tolerance && Math.abs(g - test.near[1]) <= test.tolerance && Math.abs(b - test.near[2]) <= test.tolerance;
      let hits = 0;
      for (let i = 0; i < data.length; i += 4) if (accept(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0)) hits++;
      return hits / (width * height);
    },
    { png: shot.toString("base64"), test },
  );
}

/** Every tile at zooms 10-14 over Dongcheng (116.378-116.453 E, 39.859-39.975 N) and a margin around it. */
function tilesAround(data: (z: number) => Uint8Array): FixtureTile[] {
  const tiles: FixtureTile[] = [];
  for (let z = 10; z <= 14; z++) {
    const nw = tileAt(116.25, 40.05, z);
    const se = tileAt(116.6, 39.78, z);
    for (let x = nw.x; x <= se.x; x++) for (let y = nw.y; y <= se.y; y++) tiles.push({ z, x, y, data: data(z) });
  }
  return tiles;
}

type Watched = { page: Page; requests: string[]; tileReplies: { url: string; status: number; type: string | undefined }[]; errors: string[] };

async function watchedConsole(app: ConsoleApp): Promise<Watched> {
  const requests: string[] = [];
  const tileReplies: Watched["tileReplies"] = [];
  const errors: string[] = [];
  const page = await openConsole({ url: "about:blank#" });
  page.on("request", (request) => requests.push(request.url()));
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.startsWith("/tiles/")) tileReplies.push({ url: response.url(), status: response.status(), type: response.headers()["content-type"] });
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    // Chromium asks for /favicon.ico by itself; the console has none.
    if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico")) errors.push(`${message.text()} ${message.location().url}`);
  });
  await page.goto(app.url);
  await waitForState(page, "live");
  return { page, requests, tileReplies, errors };
}

/** Nothing but the console's own origin (and the data:/blob: URLs the page makes) was asked for: no CDN worker, no internet. */
function onlyOwnOrigin(app: ConsoleApp, requests: string[]): string[] {
  const origin = new URL(app.url).origin;
  return requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith("data:") && !url.startsWith("blob:") && url !== "about:blank#");
}

describe("the offline base map (mapTilesFile)", () => {
  let feed: Feed;
  const dir = mkdtempSync(path.join(tmpdir(), "e2e-mbtiles-"));

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: 5 });
  });
  afterAll(stopEverything);

  it("draws a raster MBTiles file served by the console itself, with its attribution", async () => {
    const file = path.join(dir, "magenta.mbtiles");
    const magenta = solidPng(256, 256, [255, 0, 255, 255]);
    await writeMbtiles(file, { metadata: { name: "测试底图", format: "png", minzoom: "10", maxzoom: "14", bounds: "116.25,39.78,116.6,40.05", attribution: "测试底图 © 本地" }, tiles: tilesAround(() => magenta) });
    const app = await startConsole({ feed, args: ["--map-tiles-file", file] });
    const { page, requests, tileReplies, errors } = await watchedConsole(app);

    await expect.poll(() => tileReplies.filter((r) => r.status === 200).length, { timeout: 60_000 }).toBeGreaterThan(0);
    expect(tileReplies.find((r) => r.status === 200)?.type).toBe("image/png");
    // No secret in a tile's URL: the access cookie lets it through.
    expect(tileReplies.every((r) => /\/tiles\/\d+\/\d+\/\d+\?v=/.test(r.url))).toBe(true);
    await expect.poll(() => page.locator(".map-attribution").textContent(), { timeout: 30_000 }).toBe("底图：测试底图 © 本地");
    // Magenta, desaturated and dimmed by the layer: red and blue well above green where no grid colour lies over it.
    await expect.poll(() => mapShare(page, { magenta: true }), { timeout: 90_000, interval: 2000 }).toBeGreaterThan(0.05);
    await saveScreenshot(page, "map-base-map-raster");
    expect(onlyOwnOrigin(app, requests)).toEqual([]);
    expect(errors).toEqual([]);

    // After a host restart the page's cookie still opens the tiles (the key, and so the cookie, outlive it).
    const beforeRestart = tileReplies.length;
    await app.restart();
    await expect.poll(() => page.locator('[data-testid="connection-status"]').getAttribute("data-state"), { timeout: 90_000, interval: 1000 }).toBe("live");
    const box = await page.getByTestId("map").boundingBox();
    if (!box) throw new Error("map has no box");
    // Zoom in over one place after another until the layer needs a tile it has not fetched: one wheel turn
    // can land while a software-rendered frame holds the page, or over tiles the layer already has.
    const servedSinceRestart = () => tileReplies.slice(beforeRestart).some((r) => r.status === 200);
    const deadline = Date.now() + 120_000;
    for (let step = 0; !servedSinceRestart(); step++) {
      if (Date.now() > deadline) {
        const statuses = tileReplies.slice(beforeRestart).map((r) => r.status);
        throw new Error(`no tile served after the host restarted; replies since: ${JSON.stringify(statuses)}; state ${await page.locator('[data-testid="connection-status"]').getAttribute("data-state")}`);
      }
      await page.mouse.move(box.x + box.width * (0.25 + 0.1 * (step % 5)), box.y + box.height * (0.2 + 0.12 * (step % 4)));
      await page.mouse.wheel(0, -300);
      await page.waitForTimeout(4_000);
    }
    expect(onlyOwnOrigin(app, requests)).toEqual([]);
    await page.context().close();
    await app.stop();
  });

  it("draws a vector (pbf) MBTiles file with gzipped tiles through MVTLayer, parsing on the page with no worker fetched", async () => {
    const file = path.join(dir, "vector.mbtiles");
    const mvt = gzip(
      encodeMvt([
        { name: "water", features: [{ type: "polygon", points: [[0, 0], [4096, 0], [4096, 4096], [0, 4096]], properties: { class: "lake" } }] },
        { name: "transportation", features: [{ type: "line", points: [[0, 2048], [4096, 2048]], properties: { class: "primary" } }, { type: "line", points: [[2048, 0], [2048, 4096]], properties: { class: "minor" } }] },
        { name: "building", features: [{ type: "polygon", points: [[600, 600], [1400, 600], [1400, 1400], [600, 1400]] }] },
      ]),
    );
    await writeMbtiles(file, { metadata: { name: "vector", format: "pbf", minzoom: "10", maxzoom: "14", json: "{}" }, tiles: tilesAround(() => mvt) });
    const app = await startConsole({ feed, args: ["--map-tiles-file", file] });
    const { page, requests, tileReplies, errors } = await watchedConsole(app);

    await expect.poll(() => tileReplies.filter((r) => r.status === 200).length, { timeout: 60_000 }).toBeGreaterThan(0);
    expect(tileReplies.find((r) => r.status === 200)?.type).toBe("application/x-protobuf");
    // The water fill (22, 44, 70) where no grid colour lies over it.
    await expect.poll(() => mapShare(page, { near: [22, 44, 70], tolerance: 10 }), { timeout: 90_000, interval: 2000 }).toBeGreaterThan(0.05);
    await saveScreenshot(page, "map-base-map-vector");
    expect(onlyOwnOrigin(app, requests)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
    await app.stop();
  });

  it("says on the map why a broken file gives no base map, and the wall works on", async () => {
    const file = path.join(dir, "broken.mbtiles");
    writeFileSync(file, "not a database\n".repeat(64));
    const app = await startConsole({ feed, args: ["--map-tiles-file", file] });
    const { page, tileReplies, errors } = await watchedConsole(app);
    await saveScreenshot(page, "map-base-map-broken");
    expect(errors).toEqual([]);
    await expect.poll(() => page.getByTestId("base-map-notice").textContent(), { timeout: 30_000 }).toBe("底图不可用（broken.mbtiles）：不是 SQLite 文件");
    await expect.poll(() => page.evaluate(() => window.__mapStats?.frames ?? 0), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(tileReplies).toEqual([]);
    expect(app.output()).toMatch(/mapTilesFile: .*broken\.mbtiles is not a SQLite file; the map runs without a base map/);
    await saveScreenshot(page, "map-base-map-broken");
    await page.context().close();
    await app.stop();
  });
});

describe("the map's home area (mapHomeArea)", () => {
  let feed: Feed;

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: 5 });
  });
  afterAll(stopEverything);

  it("opens on the sub-center's own street, and on the district, saying why, when the layer lacks the code", async () => {
    // The street feed's street: 东直门街道.
    const own = await startConsole({ feed, args: ["--map-home-area", "110101009"] });
    const page = await openConsole(own);
    await waitForState(page, "live");
    await page.locator('[data-testid="map"] canvas').first().waitFor({ timeout: 60_000 });
    // The district fits at about zoom 12.6 in this map; one of its 17 streets is well past 13.5.
    await expect.poll(() => mapZoom(page), { timeout: 60_000 }).toBeGreaterThan(13.5);
    expect(await page.getByTestId("map-home-notice").count()).toBe(0);
    await saveScreenshot(page, "map-home-street");
    await page.context().close();
    await own.stop();

    const wrong = await startConsole({ feed, args: ["--map-home-area", "110101999"] });
    const wrongPage = await openConsole(wrong);
    await waitForState(wrongPage, "live");
    await wrongPage.getByTestId("map-home-notice").waitFor({ timeout: 60_000 });
    expect(await wrongPage.getByTestId("map-home-notice").innerText()).toContain("110101999");
    expect(await mapZoom(wrongPage)).toBeLessThan(13.5);
    await wrongPage.context().close();
    await wrong.stop();
  });
});
