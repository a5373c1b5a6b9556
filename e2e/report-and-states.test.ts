import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importRegionLayer } from "../shared/geo/import.js";
import { pointInPolygons } from "../shared/geo/polygon.js";
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
  const layer = importRegionLayer(JSON.parse(readFileSync(path.join(REPO, "resources", "region", "dongcheng.geojson"), "utf8")));
  if (!layer.ok) throw new Error("the bundled region layer does not import");
  return layer.layer.grids.find((grid) => pointInPolygons(lon, lat, grid.polygons))?.code ?? null;
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
      if (expected === null) expect(shown).toContain("未匹配到网格");
      else expect(shown).toContain(expected);
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
