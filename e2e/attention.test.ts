import type { Page } from "playwright-core";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { connectTrainer, train } from "./operator.js";

/*
 * The attention list is the engine's: an urgent case already open when the
 * console starts is on it at once, and an acknowledgement made on one page
 * shows on every other page and survives a restart of the console.
 */

const item = (page: Page, incidentId: string) => page.locator(`[data-testid="alert-item"][data-incident-id="${incidentId}"]`);

describe("the attention list", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let page: Page;
  let trainer: Socket;
  let urgent: { id: string };
  let second: { id: string };

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: 10 });
    trainer = await connectTrainer(feed);
    // Open before the console first connects: they arrive in its snapshot, not as news.
    urgent = await train(trainer, "inject", { categoryCode: "0301", urgent: true, source: "hotline", manual: true, title: "关注测试：燃气泄漏" });
    second = await train(trainer, "inject", { categoryCode: "0301", urgent: true, source: "hotline", manual: true, title: "关注测试：井盖缺失" });
    app = await startConsole({ feed });
  });
  afterAll(async () => {
    trainer?.close();
    await stopEverything();
  });

  it("shows an urgent case present in the snapshot as an unacknowledged item within 5 s of the first rows", async () => {
    page = await openConsole(app);
    await page.locator('[data-testid="incident-row"]').first().waitFor({ timeout: 90_000 });
    const firstRowsAt = Date.now();
    await item(page, urgent.id).and(page.locator('[data-acknowledged="false"]')).waitFor({ timeout: 5_000 });
    expect(Date.now() - firstRowsAt).toBeLessThan(5_000);
    await expect(item(page, urgent.id).getAttribute("data-level")).resolves.toBe("critical");
    await expect(item(page, urgent.id).getAttribute("data-kind")).resolves.toBe("urgent-case");
  });

  it("shows an acknowledgement made on one page on another page and after the console restarts", async () => {
    await waitForState(page, "live");
    const other = await openConsole(app);
    await item(other, urgent.id).waitFor({ timeout: 30_000 });
    await expect(item(other, urgent.id).getAttribute("data-acknowledged")).resolves.toBe("false");

    await item(page, urgent.id).getByTestId("alert-ack").click();
    await item(page, urgent.id).and(page.locator('[data-acknowledged="true"]')).waitFor({ timeout: 10_000 });
    await item(other, urgent.id).and(other.locator('[data-acknowledged="true"]')).waitFor({ timeout: 10_000 });
    await expect(item(other, urgent.id).getByTestId("alert-acknowledged-by").innerText()).resolves.toContain("已确认");
    // The other case still waits: the list holds acknowledged and unacknowledged items side by side.
    await expect(item(other, second.id).getAttribute("data-acknowledged")).resolves.toBe("false");
    await saveScreenshot(other, "attention-list");
    await other.context().close();

    await app.restart();
    const after = await openConsole(app);
    await item(after, urgent.id).and(after.locator('[data-acknowledged="true"]')).waitFor({ timeout: 60_000 });
    await expect(item(after, second.id).getAttribute("data-acknowledged")).resolves.toBe("false");
    // The page open across the restart reconnects and shows the same.
    await item(page, urgent.id).and(page.locator('[data-acknowledged="true"]')).waitFor({ timeout: 60_000 });
    page = after;
  });
});
