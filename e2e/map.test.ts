import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MapStats } from "../renderer/src/map/hooks.js";
import { openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";

/*
 * The grid map in a software-rendered Chromium: the district drawn with live
 * staff, and the drill-down street → community → grid by clicks on the map.
 */

const breadcrumb = (page: Page) => page.locator(".map-breadcrumb").innerText();
const unitCount = async (page: Page) => Number(await page.getByTestId("unit-count").textContent());

/**
 * Clicks the map's centre until the breadcrumb gains a level. deck.gl tells a
 * click from a press by the time between pointer down and up as its handlers
 * see them; under SwiftShader on a loaded machine a frame can take seconds and
 * turn a click into a press, so the click is repeated, not the assertion relaxed.
 */
async function drillOnce(page: Page, levelsBefore: number): Promise<string> {
  const box = await page.getByTestId("map").boundingBox();
  if (!box) throw new Error("map has no box");
  for (let attempt = 0; attempt < 6; attempt++) {
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.55);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const text = await breadcrumb(page);
      if (text.split("›").length > levelsBefore) return text;
      await page.waitForTimeout(250);
    }
  }
  return breadcrumb(page);
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
    const stats: MapStats | undefined = await page.evaluate(() => window.__mapStats);
    expect(stats?.frames).toBeGreaterThan(0);
    expect(stats?.units).toBe(await unitCount(page));
    await saveScreenshot(page, "map-district");
  });

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
  });
});
