import type { Page } from "playwright-core";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { closeThroughWall, connectTrainer, train } from "./operator.js";

/*
 * A figure a leader can trust: the platform archiving a case closed today
 * (incident.archived: "closed long ago; keep in history") takes it off the
 * console's live views but not out of today's figures. The feed's clock is
 * paused, so nothing but this test's case moves 今日结案.
 */

const closedToday = (page: Page) => page.locator('[data-testid="kpi-tile"][data-kpi="closed"]').getAttribute("data-value").then(Number);

describe("today's figures when the platform archives a case", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let page: Page;
  let trainer: Socket;

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: 1 });
    app = await startConsole({ feed });
    page = await openConsole(app);
    await waitForState(page, "live");
    trainer = await connectTrainer(feed);
    await trainer.timeout(10_000).emitWithAck("pause", {});
  });
  afterAll(async () => {
    trainer?.close();
    await stopEverything();
  });

  it("keeps 今日结案 unchanged after a case closed today is archived", async () => {
    const report = await train(trainer, "inject", { categoryCode: "0401", source: "patrol", manual: true, title: "归档测试：楼道垃圾堆放" });
    await page.locator('[data-testid="kpi-tile"][data-kpi="closed"]').waitFor({ timeout: 60_000 });
    const before = await closedToday(page);
    await closeThroughWall(page, trainer, report.id, "现场核查，垃圾已清运");
    await expect.poll(() => closedToday(page), { timeout: 30_000 }).toBe(before + 1);
    await page.getByTestId("detail-close").click();

    // The closed case is in the queue under 已结案 until the platform archives it; then it is gone from every live view.
    await page.getByTestId("queue-filter-status").selectOption("closed");
    await page.getByTestId("queue-search").fill(report.id);
    const row = page.locator(`[data-testid="incident-row"][data-incident-id="${report.id}"]`);
    await row.waitFor({ timeout: 30_000 });
    const archived = await train(trainer, "archive", { incidentId: report.id });
    expect(archived).toMatchObject({ id: report.id, status: "closed" });
    await row.waitFor({ state: "detached", timeout: 30_000 });
    await expect(page.getByTestId("queue-total").innerText()).resolves.toBe("0");

    // The figures are recomputed at least every second: several passes later 今日结案 still counts the case.
    for (let pass = 0; pass < 5; pass++) {
      await page.waitForTimeout(1_000);
      expect(await closedToday(page)).toBe(before + 1);
    }
    await saveScreenshot(page, "kpi-archived-case-still-counted");
  });
});
