import type { Page } from "playwright-core";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { act, closeThroughWall, connectTrainer, detail, openCase, train, waitStatus } from "./operator.js";

/*
 * The attention list is the engine's: an urgent case already open when the
 * console starts is on it at once, and an acknowledgement made on one page
 * shows on every other page and survives a restart of the console. Also
 * 评价 (evaluate) on a closed case, which reaches the platform once.
 */

/** The feed's speed: its clock runs this many times ours. */
const SPEED = 10;
const item = (page: Page, incidentId: string) => page.locator(`[data-testid="alert-item"][data-incident-id="${incidentId}"]`);

describe("the attention list", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let page: Page;
  let trainer: Socket;
  let urgent: { id: string };
  let second: { id: string };

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: SPEED });
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

  it("sends 评价 on a closed case once: the platform records it and the history shows it", async () => {
    const report = await train(trainer, "inject", { categoryCode: "0401", source: "hotline", manual: true, title: "评价测试：楼道垃圾堆放" });
    await waitForState(page, "live");
    await closeThroughWall(page, trainer, report.id, "现场核查，已清运");

    await detail(page).locator('[data-action="evaluate"]').click();
    const form = page.getByTestId("action-form");
    // A rating is required: nothing is sent without one.
    await form.getByTestId("action-submit").click();
    await form.getByTestId("action-error-rating").waitFor();
    await form.getByTestId("action-rating").selectOption("basically_satisfied");
    await form.getByTestId("action-note").fill("居民表示处理及时");
    await form.getByTestId("action-submit").click();
    await form.waitFor({ state: "detached", timeout: 30_000 });

    await page.getByTestId("incident-evaluation").and(page.locator('[data-rating="basically_satisfied"]')).waitFor({ timeout: 30_000 });
    const history = page.getByTestId("incident-history");
    await history.getByText("基本满意：居民表示处理及时").first().waitFor({ timeout: 30_000 });
    await expect(history.locator('[data-history-action="evaluate"]').count()).resolves.toBe(1);
    // Once evaluated, the case offers no second evaluate, and nothing waits to be sent.
    await expect(detail(page).locator('[data-action="evaluate"]').count()).resolves.toBe(0);
    await expect.poll(() => page.getByTestId("outbox-count").innerText(), { timeout: 15_000 }).toBe("0");
    await saveScreenshot(page, "evaluate-history");
  });

  it("brings an acknowledged urgent case back, unacknowledged, when it then goes overdue", async () => {
    const gas = await train(trainer, "inject", { categoryCode: "0301", urgent: true, source: "hotline", manual: true, title: "关注测试：燃气表漏气" });
    // Deadlines are judged on the platform's clock, here the feed's at 10× (its time at the inject is the case's creation).
    const injectedAt = Date.now();
    const feedNow = () => Date.parse(gas.createdAt) + (Date.now() - injectedAt) * SPEED;
    await page.keyboard.press("Escape");
    await openCase(page, gas.id);
    await act(page, "register");
    await waitStatus(page, gas.id, "registered");
    // Dispatched with a response deadline ten platform minutes away (a minute here), so the case goes overdue while the test watches.
    await detail(page).locator('[data-action="dispatch"]').click();
    const respondBy = feedNow() + 10 * 60_000;
    await page.getByTestId("action-respond-by").fill(beijingLocal(respondBy));
    await page.getByTestId("action-close-by").fill(beijingLocal(respondBy + 3_600_000));
    await page.getByTestId("action-submit").click();
    await waitStatus(page, gas.id, "dispatched");

    await item(page, gas.id).and(page.locator('[data-reasons="urgent"]')).getByTestId("alert-ack").click();
    await item(page, gas.id).and(page.locator('[data-acknowledged="true"]')).waitFor({ timeout: 10_000 });
    // The deadline passes with no change to the case: the engine's minute sweep finds it, and the acknowledgement no longer holds.
    await item(page, gas.id).and(page.locator('[data-acknowledged="false"][data-reasons="urgent overdue"]')).waitFor({ timeout: 240_000 });
    // The form keeps whole minutes: the deadline is the minute `respondBy` falls in.
    expect(feedNow()).toBeGreaterThan(Math.floor(respondBy / 60_000) * 60_000);
  }, 360_000);
});

/** A `datetime-local` value in Beijing wall time, as the dispatch form reads it. */
const beijingLocal = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
