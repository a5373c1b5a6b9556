import type { Page } from "playwright-core";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { act, connectTrainer, detail, mapZoom, openCase, train, waitStatus } from "./operator.js";

/*
 * The operator's closed loop, driven through the wall as an operator would
 * (clicks and typing), with the reference feed's /trainer namespace playing
 * the platform's other side: a patrol report arrives, the operator registers
 * and dispatches it, the department responds, the operator verifies and
 * closes it; a poor answer sent back (rework); a report turned down with its
 * reason; and a new urgent case at the top of the queue within 3 s.
 */

describe("the operator's closed loop", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let page: Page;
  let trainer: Socket;

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: 10 });
    app = await startConsole({ feed });
    page = await openConsole(app);
    await waitForState(page, "live");
    trainer = await connectTrainer(feed);
  });
  afterAll(async () => {
    trainer?.close();
    await stopEverything();
  });

  it("registers, dispatches and, after the department responds, closes a patrol report", async () => {
    const report = await train(trainer, "inject", { categoryCode: "0401", source: "patrol", manual: true, title: "闭环测试：楼道垃圾堆放" });
    await openCase(page, report.id);
    await expect(detail(page).locator("[data-action]").evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-action")))).resolves.toEqual([
      "register",
      "reject",
      "annotate",
    ]);

    await act(page, "register", { note: "情况属实，予以立案" });
    await waitStatus(page, report.id, "registered");

    await detail(page).locator('[data-action="dispatch"]').click();
    // The category's usual department is preselected (0401 垃圾堆放 → D01 街道城管执法队, the first that handles 04).
    await expect(page.getByTestId("action-department").inputValue()).resolves.toBe("D01");
    await expect(page.getByTestId("action-respond-by").inputValue()).resolves.toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    await page.getByTestId("action-submit").click();
    await waitStatus(page, report.id, "dispatched");
    await expect(detail(page).innerText()).resolves.toContain("街道城管执法队");

    await train(trainer, "advance", { incidentId: report.id });
    await waitStatus(page, report.id, "processing");
    await train(trainer, "advance", { incidentId: report.id });
    await waitStatus(page, report.id, "responded");

    // Closing needs the verification result: an empty note is refused before anything is sent.
    await detail(page).locator('[data-action="close"]').click();
    await page.getByTestId("action-submit").click();
    await page.getByTestId("action-error-note").waitFor();
    await page.getByTestId("action-note").fill("现场核查，垃圾已清运");
    await page.getByTestId("action-submit").click();
    await waitStatus(page, report.id, "closed");
    await page.getByTestId("incident-history").getByText("现场核查，垃圾已清运").first().waitFor(); // fetched after the row shows the new status
    // A closed case leaves the open queue.
    await expect(page.getByTestId("queue-total").innerText()).resolves.toBe("0");
    await saveScreenshot(page, "loop-closed");
  });

  it("sends a poorly answered case back for rework, with the reason in its history", async () => {
    const report = await train(trainer, "inject", { categoryCode: "0501", source: "patrol", manual: true, title: "闭环测试：占道经营" });
    await openCase(page, report.id);
    await act(page, "register");
    await waitStatus(page, report.id, "registered");
    await act(page, "dispatch");
    await waitStatus(page, report.id, "dispatched");
    await train(trainer, "advance", { incidentId: report.id });
    await train(trainer, "advance", { incidentId: report.id, poor: true });
    await waitStatus(page, report.id, "responded");

    await expect(detail(page).locator("[data-action]").evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-action")))).resolves.toEqual([
      "close",
      "rework",
      "annotate",
    ]);
    await act(page, "rework", { note: "现场复核仍有摊位占道，请重新处置" });
    await waitStatus(page, report.id, "dispatched");
    await page.getByTestId("incident-history").getByText("现场复核仍有摊位占道").first().waitFor(); // fetched after the row shows the new status
    await expect(detail(page).innerText()).resolves.toMatch(/返工次数\s*1/);
  });

  it("turns a report down only with a reason, and shows the reason", async () => {
    const report = await train(trainer, "inject", { categoryCode: "0402", source: "resident_app", manual: true, title: "闭环测试：重复上报" });
    await openCase(page, report.id);
    await detail(page).locator('[data-action="reject"]').click();
    await page.getByTestId("action-submit").click();
    await page.getByTestId("action-error-note").waitFor();
    await expect(page.getByTestId("action-form").isVisible()).resolves.toBe(true);

    await page.getByTestId("action-note").fill("与已立案案件重复");
    await page.getByTestId("action-submit").click();
    await waitStatus(page, report.id, "rejected");
    await page.getByTestId("incident-history").getByText("与已立案案件重复").first().waitFor(); // fetched after the row shows the new status
    // Nothing is left to do on a rejected case but to annotate it.
    await expect(detail(page).locator("[data-action]").evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-action")))).resolves.toEqual(["annotate"]);
  });

  it("puts a new urgent case at the top of the queue within 3 s of the platform emitting it", async () => {
    await page.getByTestId("detail-close").click();
    await page.getByTestId("queue-search").fill("");
    await page.getByTestId("incident-queue").evaluate((element) => element.scrollTo(0, 0));
    const emittedAt = Date.now();
    const urgent = await train(trainer, "inject", { categoryCode: "0301", urgent: true, source: "hotline", manual: true, title: "闭环测试：燃气泄漏" });
    const top = page.locator('[data-testid="incident-row"]').first();
    await expect
      .poll(() => top.getAttribute("data-incident-id"), { timeout: 3_000, interval: 100 })
      .toBe(urgent.id);
    expect(Date.now() - emittedAt).toBeLessThan(3_000);
    // It also runs in the alert ticker until acknowledged.
    await page.locator('[data-testid="alert-item"][data-kind="urgent-case"]').first().waitFor({ timeout: 3_000 });
    await saveScreenshot(page, "loop-urgent-on-top");
  });

  it("flashes an SOS in the alert ticker until the operator acknowledges it (then it stays, dimmed, with who and when), and takes the map to the staff member on 查看", async () => {
    const reply = (await trainer.timeout(10_000).emitWithAck("sos", {})) as { ok: boolean };
    expect(reply.ok).toBe(true);
    const sos = page.locator('[data-testid="alert-item"][data-kind="alert"][data-level="critical"][data-acknowledged="false"]').first();
    await sos.waitFor({ timeout: 15_000 });
    await expect(sos.getAttribute("class")).resolves.toContain("ticker__item--flash");
    // 查看 takes the map to the staff member and opens their card, marked SOS.
    await sos.getByTestId("alert-open").click();
    const card = page.getByTestId("map-unit-card");
    await card.waitFor({ timeout: 15_000 });
    expect(await card.getAttribute("class")).toContain("sos");
    await expect.poll(() => mapZoom(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(16);
    await saveScreenshot(page, "sos-staff");
    const key = await sos.getAttribute("data-key");
    const item = page.locator(`[data-testid="alert-item"][data-key="${key ?? ""}"]`);
    await expect(item.getAttribute("data-unit-id")).resolves.toBeTruthy();
    await item.getByTestId("alert-ack").click();
    // Acknowledged items stay on the attention list, dimmed, no longer flashing, until they leave it.
    await page.locator(`[data-testid="alert-item"][data-key="${key ?? ""}"][data-acknowledged="true"]`).waitFor({ timeout: 15_000 });
    await expect(item.getAttribute("class")).resolves.not.toContain("ticker__item--flash");
    await expect(item.getByTestId("alert-acknowledged-by").innerText()).resolves.toContain("已确认");
  });

  it("logs a phone-in report placed by typed coordinates, with the reporter masked until revealed", async () => {
    const title = `登记测试：井盖缺失 ${Date.now() % 100_000}`;
    await page.keyboard.press("Escape");
    await page.keyboard.press("F2");
    const form = page.getByTestId("report-form");
    await form.waitFor();
    await form.getByTestId("report-category").selectOption("0601");
    // The category brings its default priority (0601 井盖缺失 is urgent).
    await expect(form.getByTestId("report-priority").inputValue()).resolves.toBe("urgent");
    await form.getByTestId("report-title").fill(title);
    await form.getByTestId("report-lon").fill("116.418");
    await form.getByTestId("report-lat").fill("39.930");
    // The grid found there, named for people; its code in data-grid-code and the tooltip.
    await expect.poll(() => form.getByTestId("report-grid").getAttribute("data-grid-code"), { timeout: 15_000 }).toMatch(/^\d{15}$/);
    await expect(form.getByTestId("report-grid").innerText()).resolves.toMatch(/网格 · .*社区/);
    await form.getByTestId("report-address").fill("东四十条 8 号");
    await form.getByTestId("report-reporter-name").fill("张三丰");
    await form.getByTestId("report-reporter-phone").fill("13912345678");
    await form.getByTestId("report-submit").click();
    await form.waitFor({ state: "detached", timeout: 30_000 });

    await page.getByTestId("queue-search").fill(title);
    const row = page.locator('[data-testid="incident-row"]').first();
    await row.waitFor({ timeout: 30_000 });
    await row.click({ timeout: 60_000 });
    await detail(page).waitFor();
    await expect(detail(page).innerText()).resolves.toContain("指挥中心登记");
    await expect(page.getByTestId("reporter-name").innerText()).resolves.toBe("张**");
    await expect(page.getByTestId("reporter-phone").innerText()).resolves.toBe("139****5678");
    await page.getByTestId("reveal-reporter").click();
    // No reason, no reveal: the button waits for one.
    await expect(page.getByTestId("reveal-confirm").isDisabled()).resolves.toBe(true);
    await page.getByTestId("reveal-reason").selectOption("callback");
    await page.getByTestId("reveal-confirm").click();
    await expect.poll(() => page.getByTestId("reporter-name").innerText(), { timeout: 10_000 }).toBe("张三丰");
    await expect(page.getByTestId("reporter-phone").innerText()).resolves.toBe("13912345678");
    await saveScreenshot(page, "loop-phone-in-report");
  });

  it("runs the desk from the keyboard: / to search, J and Enter to open, R and D to act, Esc to close", async () => {
    const report = await train(trainer, "inject", { categoryCode: "0401", source: "patrol", manual: true, title: "键盘测试：垃圾堆放" });
    await page.keyboard.press("Escape");
    await page.keyboard.press("/");
    await expect(page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).resolves.toBe("queue-search");
    await page.keyboard.press("Control+A");
    await page.keyboard.type(report.id);
    await page.locator(`[data-testid="incident-row"][data-incident-id="${report.id}"]`).waitFor({ timeout: 30_000 });
    // Leave the search box so letters act as shortcuts again.
    await page.locator('[role="banner"]').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("j");
    await page.keyboard.press("Enter");
    await page.locator(`[data-testid="incident-detail"][data-incident-id="${report.id}"]`).waitFor({ timeout: 30_000 });

    await page.keyboard.press("r");
    await page.getByTestId("action-form").waitFor();
    await expect(page.getByTestId("action-form").getAttribute("data-action")).resolves.toBe("register");
    await page.getByTestId("action-submit").press("Enter");
    await waitStatus(page, report.id, "registered");

    await page.locator('[role="banner"]').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("d");
    await expect(page.getByTestId("action-form").getAttribute("data-action")).resolves.toBe("dispatch");
    await page.keyboard.press("Escape");
    await page.getByTestId("action-form").waitFor({ state: "detached" });
    await page.keyboard.press("Escape");
    await page.getByTestId("incident-detail").waitFor({ state: "detached" });
  });
});
