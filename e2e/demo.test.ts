import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNECTION_STATUS, launchBrowser, openConsole, saveScreenshot, startConsole, stopEverything, waitForState, type ConsoleApp } from "./harness.js";

/*
 * `serve --demo`: the embedded reference feed, and a banner on every view
 * saying the data is simulated; and the host's key: the printed URL opens the
 * console, the bare address only a page saying how to.
 */

const BANNER = '[data-testid="demo-banner"]';

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The banner is there, says what it is, has no close button, is the topmost element at its own centre, and leaves the connection status uncovered. */
async function expectBanner(page: Page): Promise<void> {
  const banner = page.locator(BANNER);
  await banner.waitFor({ state: "visible", timeout: 120_000 });
  expect(await banner.textContent()).toContain("演示/培训数据");
  expect(await banner.locator("button").count()).toBe(0);
  const box = await banner.boundingBox();
  // The console's header has it; the briefing wall shows its state otherwise.
  const status = (await page.locator(CONNECTION_STATUS).count()) > 0 ? await page.locator(CONNECTION_STATUS).first().boundingBox() : null;
  expect(box).not.toBeNull();
  if (box && status) expect(overlaps(box, status)).toBe(false);
  if (box) {
    // It lets clicks through (pointer-events: none), which hit testing also skips: made hittable for the check only.
    const topmost = await page.evaluate(
      ([x, y]) => {
        const banner = document.querySelector<HTMLElement>('[data-testid="demo-banner"]');
        if (!banner) return false;
        banner.style.pointerEvents = "auto";
        const hit = document.elementFromPoint(x ?? 0, y ?? 0);
        banner.style.pointerEvents = "";
        return hit !== null && banner.contains(hit);
      },
      [box.x + box.width / 2, box.y + box.height / 2],
    );
    expect(topmost).toBe(true);
  }
}

describe("demo", () => {
  let app: ConsoleApp;
  beforeAll(async () => {
    app = await startConsole({ demo: true });
  }, 240_000);
  afterAll(stopEverything);

  it("marks the console and the briefing view as demo / training data", async () => {
    const browser = await launchBrowser();
    const page = await openConsole(app, { browser });
    await waitForState(page, "live", 180_000);
    await expectBanner(page);
    await saveScreenshot(page, "demo-console");
    const briefing = await openConsole(app, { browser, query: "?view=briefing" });
    await briefing.locator('[data-testid="briefing"]').waitFor({ state: "attached", timeout: 120_000 });
    await expectBanner(briefing);
    expect(new URL(briefing.url()).search).toBe("?view=briefing");
    await saveScreenshot(briefing, "demo-briefing");
  }, 300_000);

  it("opens the console only with the printed URL's key: the bare address gets the how-to page", async () => {
    const browser = await launchBrowser();
    const context = await browser.newContext();
    const page = await context.newPage();
    const origin = new URL(app.url).origin;
    const reply = await page.goto(`${origin}/?view=briefing`);
    expect(reply?.status()).toBe(403);
    expect(await page.textContent("body")).toContain("Open the console with the address it printed");
    expect(await page.locator('meta[name="grid-console-bridge-secret"]').count()).toBe(0);
    // The key URL with view added after it: the cookie, then the same address without the key.
    await page.goto(`${app.url}&view=briefing`);
    expect(page.url()).toBe(`${origin}/?view=briefing`);
    await page.locator('[data-testid="briefing"]').waitFor({ state: "attached", timeout: 120_000 });
    // Now the cookie opens the bare address too.
    await page.goto(`${origin}/`);
    await waitForState(page, "live", 120_000);
    await context.close();
  }, 300_000);
});
