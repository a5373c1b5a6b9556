import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importRegionLayer } from "../shared/geo/import.js";
import { pointInPolygons } from "../shared/geo/polygon.js";
import type { RegionLayer } from "../shared/geo/region.js";
import type { Incident } from "../shared/protocol/types.js";
import { CONNECTION_STATUS, openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { connectTrainer, switchLanguage } from "./operator.js";
import { REPO } from "./processes.js";

/*
 * Paths the other browser tests leave out: a phone-in report (登记) placed by
 * a click on the map, whose grid the form finds by point-in-polygon and which
 * reaches the platform with it; and the header's `stalled` state with its
 * banner, in Chinese and in English: the reference feed's own chaos (a socket
 * kept open, nothing sent). `unauthorized` is in wall.test.ts.
 */

/** The grid at a point by the bundled layer itself, independently of the page: what the form must show. */
function gridOf(lon: number, lat: number): string | null {
  return bundledLayer().grids.find((grid) => pointInPolygons(lon, lat, grid.polygons))?.code ?? null;
}

function bundledLayer(): RegionLayer {
  const layer = importRegionLayer(JSON.parse(readFileSync(path.join(REPO, "resources", "region", "dongcheng.geojson"), "utf8")));
  if (!layer.ok) throw new Error("the bundled region layer does not import");
  return layer.layer;
}

/** The report the platform holds with this title, once it arrives. */
async function platformCase(feed: Feed, title: string): Promise<Incident | undefined> {
  let reported: Incident | undefined;
  await expect
    .poll(
      async () => {
        reported = (await platformCases(feed)).find((incident) => incident.title === title);
        return reported !== undefined;
      },
      { timeout: 30_000, interval: 1_000 },
    )
    .toBe(true);
  return reported;
}

/** The cases the platform holds, read over the feed's console protocol (a full snapshot). */
async function platformCases(feed: Feed): Promise<Incident[]> {
  const socket = io(`${feed.url}/console`, { auth: { token: feed.token, consoleId: `e2e-probe-${Date.now()}`, protocol: 1 }, transports: ["websocket"], reconnection: false });
  try {
    return await new Promise<Incident[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no snapshot from the feed")), 30_000);
      const incidents: Incident[] = [];
      const seen = new Set<number>();
      socket.on("hello", () => socket.emit("subscribe", {}, () => undefined));
      socket.on("snapshot", (part: { part: number; parts: number; incidents: Incident[] }) => {
        incidents.push(...part.incidents);
        seen.add(part.part);
        if (seen.size === part.parts) {
          clearTimeout(timer);
          resolve(incidents);
        }
      });
    });
  } finally {
    socket.close();
  }
}

const banner = (page: Page) => page.getByTestId("outage-banner").innerText();

describe("a phone-in report placed on the map", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let page: Page;

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: 10 });
    app = await startConsole({ feed });
    page = await openConsole(app);
    await waitForState(page, "live");
    await page.locator('[data-testid="map"] canvas').first().waitFor({ timeout: 60_000 });
  });
  afterAll(stopEverything);

  it("takes the place from a click on the map, shows the grid found there, and reaches the platform with it", async () => {
    const title = `地图登记测试：路灯不亮 ${Date.now() % 100_000}`;
    await page.keyboard.press("F2");
    const form = page.getByTestId("report-form");
    await form.waitFor();
    await form.getByTestId("report-category").selectOption("0601");
    await form.getByTestId("report-title").fill(title);
    // No place yet, so no grid.
    await expect(form.getByTestId("report-grid").innerText()).resolves.toContain("未匹配到网格");

    // The form is a drawer over the map's right side, where the district's centre is: click the uncovered part,
    // nearest the drawer first, until a click lands in a grid. Each click must show what the layer says is there.
    const map = await page.getByTestId("map").boundingBox();
    const drawer = await form.boundingBox();
    if (!map || !drawer) throw new Error("no map or form on screen");
    const spots = [0.95, 0.85, 0.7, 0.55].flatMap((fx) => [0.5, 0.35, 0.65].map((fy) => ({ x: map.x + (drawer.x - map.x) * fx, y: map.y + map.height * fy })));
    let lon = Number.NaN;
    let lat = Number.NaN;
    let expected: string | null = null;
    for (const spot of spots) {
      const before = await form.getByTestId("report-lon").inputValue();
      // A frame under software rendering can take seconds; a click seen as a drag is repeated, not the check relaxed.
      for (let attempt = 0; attempt < 4 && (await form.getByTestId("report-lon").inputValue()) === before; attempt++) {
        // The button toggles picking: pressed only while the map is not already waiting for the click.
        if ((await page.locator(".map-canvas.picking").count()) === 0) await form.getByTestId("report-pick").click();
        await page.locator(".map-canvas.picking").waitFor({ timeout: 10_000 });
        await page.mouse.click(spot.x, spot.y);
        await page.waitForTimeout(1_000);
      }
      lon = Number(await form.getByTestId("report-lon").inputValue());
      lat = Number(await form.getByTestId("report-lat").inputValue());
      expected = gridOf(lon, lat);
      const shown = await form.getByTestId("report-grid").innerText();
      // Named for people, the code kept for the tooltip and the command.
      if (expected === null) expect(shown).toContain("未匹配到网格");
      else {
        expect(await form.getByTestId("report-grid").getAttribute("data-grid-code")).toBe(expected);
        expect(shown).toMatch(/网格/);
        expect(shown).not.toContain(expected);
        expect(await form.getByTestId("report-grid").getAttribute("title")).toContain(expected);
      }
      if (expected !== null) break;
    }
    // Dongcheng, roughly: the click landed on the district drawn on the map, in a grid.
    expect(lon).toBeGreaterThan(116.35);
    expect(lon).toBeLessThan(116.46);
    expect(lat).toBeGreaterThan(39.85);
    expect(lat).toBeLessThan(39.97);
    expect(expected, `a grid at ${lon}, ${lat}`).toMatch(/^\d{15}$/);
    // Picking ends with the click: the map is back to normal clicks.
    expect(await page.locator(".map-canvas.picking").count()).toBe(0);

    await form.getByTestId("report-address").fill("地图点选位置");
    await form.getByTestId("report-reporter-name").fill("李四光");
    await form.getByTestId("report-reporter-phone").fill("13800138000");
    await saveScreenshot(page, "report-picked-on-map");
    await form.getByTestId("report-submit").click();
    await form.waitFor({ state: "detached", timeout: 30_000 });

    // The platform has it, in the grid the form showed, at the clicked place.
    let reported: Incident | undefined;
    await expect
      .poll(
        async () => {
          reported = (await platformCases(feed)).find((incident) => incident.title === title);
          return reported !== undefined;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    expect(reported?.gridCode).toBe(expected);
    expect(reported?.lon).toBeCloseTo(lon, 5);
    expect(reported?.lat).toBeCloseTo(lat, 5);
    expect(reported?.status).toBe("reported");
    expect(reported?.reporter).toEqual({ name: "李四光", phone: "13800138000" });
    // And it comes back to the wall as a case in the queue.
    await page.getByTestId("queue-search").fill(title);
    await page.locator('[data-testid="incident-row"][data-status="reported"]').first().waitFor({ timeout: 30_000 });
  });

  it("finds the place by an address search: picking a grid's name places the point in that grid, names it, and the case reaches the platform with it", async () => {
    const layer = bundledLayer();
    const grid = layer.grids.find((g) => g.name === "多福巷第2网格");
    if (!grid) throw new Error("the bundled layer has no 多福巷第2网格");
    const title = `地址搜索登记测试：井盖缺失 ${Date.now() % 100_000}`;
    await page.keyboard.press("F2");
    const form = page.getByTestId("report-form");
    await form.waitFor();
    await form.getByTestId("report-category").selectOption("0601");
    await form.getByTestId("report-title").fill(title);

    const search = form.getByTestId("report-place-search");
    await search.click();
    await search.pressSequentially("多福巷", { delay: 50 });
    const results = form.getByTestId("report-place-result");
    await results.first().waitFor();
    // Names that start with the query, areas first (the community, then its grids), each saying what it is; at most ten.
    const count = await results.count();
    expect(count).toBeGreaterThan(1);
    expect(count).toBeLessThanOrEqual(10);
    expect(await results.first().getAttribute("data-kind")).toBe("community");
    expect(await results.first().innerText()).toContain("社区");
    expect(await results.nth(1).getAttribute("data-kind")).toBe("grid");
    await saveScreenshot(page, "report-address-search");
    // Esc closes the list, not the form.
    await search.press("Escape");
    await expect.poll(() => results.count()).toBe(0);
    expect(await form.isVisible()).toBe(true);

    // Past case addresses the wall holds are found too, named as such (the map-click report above left one: 地图点选位置).
    await search.fill("地图点选");
    await expect.poll(async () => (await results.allInnerTexts()).some((text) => text.includes("历史地址") && text.includes("地图点选位置"))).toBe(true);
    await search.fill("多福巷");
    await search.pressSequentially("第2", { delay: 50 });
    await expect.poll(() => results.first().innerText()).toContain("多福巷第2网格");
    // The keyboard: down and back up, Enter picks the first.
    await search.press("ArrowDown");
    await search.press("ArrowUp");
    await search.press("Enter");
    await expect.poll(() => form.getByTestId("report-grid").getAttribute("data-grid-code")).toBe(grid.code);
    const named = await form.getByTestId("report-grid").innerText();
    expect(named).toContain("多福巷第2网格 · 多福巷社区 · 东华门街道");
    expect(named).not.toContain(grid.code);
    const lon = Number(await form.getByTestId("report-lon").inputValue());
    const lat = Number(await form.getByTestId("report-lat").inputValue());
    expect(gridOf(lon, lat)).toBe(grid.code);
    // The form leaves the picked point in view: the map flew there, and the drawer does not cover its middle-left.
    await page.waitForTimeout(1_500);
    await saveScreenshot(page, "report-address-picked");

    await form.getByTestId("report-reporter-name").fill("王五");
    await form.getByTestId("report-reporter-phone").fill("13900139000");
    await form.getByTestId("report-submit").click();
    await form.waitFor({ state: "detached", timeout: 30_000 });
    const reported = await platformCase(feed, title);
    expect(reported?.gridCode).toBe(grid.code);
    expect(reported?.lon).toBeCloseTo(lon, 5);
    expect(reported?.lat).toBeCloseTo(lat, 5);

    // Back on the wall, the case's grid reads by name in its queue row and its detail, the code in the tooltip.
    await page.getByTestId("queue-search").fill(title);
    // The row by its title: until the engine's window for the search arrives, the rows on screen are the last window's.
    const row = page.locator('[data-testid="incident-row"][data-status="reported"]', { hasText: title }).first();
    await row.waitFor({ timeout: 30_000 });
    const chip = row.locator(".queue-row__grid");
    expect(await chip.innerText()).toBe("多福巷第2网格");
    expect(await chip.getAttribute("title")).toContain(grid.code);
    await row.click();
    const detailGrid = page.getByTestId("incident-grid");
    expect(await detailGrid.innerText()).toBe("多福巷第2网格 · 多福巷社区 · 东华门街道");
    expect(await detailGrid.getAttribute("title")).toContain(grid.code);
    await page.getByTestId("detail-close").click();
    await page.getByTestId("queue-search").fill("");
  });
});

describe("the header when the platform stalls", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let trainer: Socket;

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: 10 });
    app = await startConsole({ feed });
    trainer = await connectTrainer(feed);
  });
  afterAll(async () => {
    trainer?.close();
    await stopEverything();
  });

  it("shows stalled with its banner while the platform's socket stays open but silent, and goes live again after", async () => {
    const page = await openConsole(app);
    await waitForState(page, "live");
    const asOf = await page.locator(CONNECTION_STATUS).getAttribute("data-as-of");
    // Every connection goes silent (no deltas, positions or heartbeats) for 40 s: past the console's 15 s limit.
    await trainer.timeout(10_000).emitWithAck("chaos", { stall: 1, stallMs: 40_000 });
    await waitForState(page, "stalled", 40_000);
    // Only once stalled: the next connection is not stalled again.
    await trainer.timeout(10_000).emitWithAck("chaos", { stall: 0 });
    const zh = await banner(page);
    expect(zh).toContain("数据停滞");
    expect(zh).toContain("平台数据已停滞");
    expect(zh).toContain("超过 15 秒未收到数据");
    // The engine's reason in words of the page's language, none of its English log line.
    expect(zh).toContain("15 秒未收到心跳");
    expect(zh).not.toMatch(/heartbeat|feed|stuck/i);
    // The last known picture stays, with when it is from.
    expect(await page.locator(CONNECTION_STATUS).getAttribute("data-as-of")).not.toBe("");
    expect(asOf).not.toBe("");
    await saveScreenshot(page, "header-stalled");
    await switchLanguage(page, "en");
    await expect.poll(() => banner(page)).toContain("Platform data stalled");
    expect(await banner(page)).toContain("nothing arrived for over 15 s");
    await switchLanguage(page, "zh-CN");
    // A further 15 s of silence: the console opens a fresh connection, which is not stalled.
    await waitForState(page, "live", 90_000);
    expect(await page.getByTestId("outage-banner").count()).toBe(0);
    await page.context().close();
  });
});
