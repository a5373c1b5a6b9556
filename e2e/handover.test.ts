import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import type { Socket } from "socket.io-client";
import { act, connectTrainer, openCase, switchLanguage, train } from "./operator.js";

/*
 * 交接班: the outgoing operator writes a note; the record is kept in the cache,
 * shown to the next session of the console (after a restart) until someone
 * takes the shift over, and gone after that, also after another restart. It
 * is never shown on the briefing wall.
 */

const NOTE = "G1 网格井盖缺失待复查；夜班请关注东四街道噪音投诉";
const record = (page: Page) => page.getByTestId("handover-record");

/** The page has asked the engine for the handover: the button says when the current shift began. */
async function handoverLoaded(page: Page): Promise<string> {
  const button = page.getByTestId("handover-open");
  await page.waitForFunction(() => (document.querySelector('[data-testid="handover-open"]')?.getAttribute("data-shift-from") ?? "") !== "", undefined, { timeout: 60_000 });
  return (await button.getAttribute("data-shift-from")) ?? "";
}

describe("the handover (交接班)", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let trainer: Socket;

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: 10 });
    trainer = await connectTrainer(feed);
    app = await startConsole({ feed });
  });
  afterAll(async () => {
    trainer?.close();
    await stopEverything();
  });

  it("keeps the outgoing operator's note with the shift's record, shows it after a restart until acknowledged, and not after that", async () => {
    const page = await openConsole(app);
    await waitForState(page, "live");
    await handoverLoaded(page);
    // The shift: a case reported, an alert acknowledged, then the platform lost with a command still waiting.
    // Urgent, so the shift surely has an alert to acknowledge: a street's own cases need not hold one at that moment.
    const report = await train(trainer, "inject", { categoryCode: "0401", source: "patrol", manual: true, urgent: true, title: "交接测试：楼道垃圾堆放" });
    const alert = page.locator(`[data-testid="alert-item"][data-incident-id="${report.id}"][data-acknowledged="false"]`);
    await alert.getByTestId("alert-ack").click({ timeout: 30_000 });
    await openCase(page, report.id);
    await feed.stop();
    await waitForState(page, "offline", 30_000);
    await act(page, "register", { note: "断网期间立案" });
    await expect.poll(() => page.getByTestId("outbox-count").innerText(), { timeout: 10_000 }).toContain("1");
    await page.getByTestId("handover-open").click();
    const form = page.getByTestId("handover");
    await form.waitFor();
    await form.getByTestId("handover-name").fill("张伟");
    await form.getByTestId("handover-note").fill(NOTE);
    await saveScreenshot(page, "handover-form");
    await form.getByTestId("handover-submit").click();
    await form.waitFor({ state: "detached", timeout: 10_000 });
    const id = await record(page).getAttribute("data-handover-id", { timeout: 10_000 });
    expect(id).toBeTruthy();
    const written = await record(page).innerText();
    expect(written).toContain(`立案 ${report.id}`);
    // Listed as opened in the shift, and again as the command still waiting for the platform.
    expect(written.split(report.id).length - 1).toBeGreaterThanOrEqual(2);
    expect(written).toContain("交班时仍未恢复");
    // The acknowledgement is listed with who and when (Beijing time).
    expect(written).toMatch(/于 \d\d-\d\d \d\d:\d\d 确认/);
    await page.context().close();

    await feed.restart();
    await app.restart();
    const next = await openConsole(app);
    await record(next).waitFor({ timeout: 60_000 });
    await expect(record(next).getAttribute("data-handover-id")).resolves.toBe(id);
    await expect(record(next).getByTestId("handover-note-shown").innerText()).resolves.toBe(NOTE);
    const text = await record(next).innerText();
    for (const heading of ["交班记录", "张伟", "新增案件", "已结案件", "本班超期", "待平台确认的指令", "告警与确认", "断线与停滞"]) expect(text).toContain(heading);
    await waitForState(next, "live");
    await saveScreenshot(next, "handover-record");
    await switchLanguage(next, "en");
    await next.waitForFunction(() => document.querySelector('[data-testid="handover-record"]')?.textContent?.includes("Handover record") ?? false, undefined, { timeout: 10_000 });
    await switchLanguage(next, "zh-CN");
    // "Later" folds it into a banner that stays until someone takes the shift over.
    await record(next).getByTestId("handover-later").click();
    await next.getByTestId("handover-banner").waitFor({ timeout: 15_000 });
    await expect(record(next).count()).resolves.toBe(0);
    await next.getByTestId("handover-show").click();
    await record(next).waitFor({ timeout: 15_000 });

    // The leaders' wall never shows it, even while it waits.
    const wall = await openConsole(app, { query: "?view=briefing" });
    await wall.getByTestId("briefing").waitFor({ timeout: 60_000 });
    await wall.waitForTimeout(2_000);
    await expect(record(wall).count()).resolves.toBe(0);
    await wall.context().close();

    await record(next).getByTestId("handover-incoming").fill("李娜");
    await record(next).getByTestId("handover-acknowledge").click();
    await record(next).waitFor({ state: "detached", timeout: 10_000 });
    await next.context().close();

    await app.restart();
    const third = await openConsole(app);
    await waitForState(third, "live");
    // The new shift began at the handover: the page has its answer, and no record waits.
    const shiftFrom = await handoverLoaded(third);
    expect(Date.parse(shiftFrom)).toBeGreaterThan(0);
    await expect(record(third).count()).resolves.toBe(0);
    await expect(third.getByTestId("handover-banner").count()).resolves.toBe(0);
  });
});
