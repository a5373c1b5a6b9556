import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CRASH_FILE } from "../electron/engine/testing/crash-hook.js";
import { CONNECTION_STATUS, openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { act, connectTrainer, openCase, train, waitStatus } from "./operator.js";

/*
 * The engine's thread crashing under a running console (`npm run serve`),
 * and coming back by itself (electron/engine/worker/supervisor.ts). The
 * console runs with the test-only crash hook (CONSOLE_TEST_CRASHING_ENGINE,
 * electron/cli/serve.ts): a file dropped into its data directory makes the
 * thread throw. The page shows the restarting state in Chinese, then live;
 * an action taken while the engine restarts waits for it and reaches the
 * platform once; the queue takes new cases from the new engine.
 */

const outboxCount = (page: Page) => page.getByTestId("outbox-count").innerText();
const historyCount = (page: Page, name: string) => page.locator('[data-testid="incident-history"] .timeline__action', { hasText: name }).count();

describe("the engine's thread crashes", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let page: Page;
  let trainer: Socket;

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: 10 });
    // Read by `npm run serve` (electron/cli/serve.ts) from the environment this process hands its children.
    process.env.CONSOLE_TEST_CRASHING_ENGINE = "1";
    // The first restart waits 6 s, long enough to read and photograph the restarting state on a loaded machine.
    process.env.CONSOLE_TEST_RESTART_BACKOFF_MS = "6000";
    app = await startConsole({ feed });
    page = await openConsole(app);
    await waitForState(page, "live");
    trainer = await connectTrainer(feed);
  });
  afterAll(async () => {
    delete process.env.CONSOLE_TEST_CRASHING_ENGINE;
    delete process.env.CONSOLE_TEST_RESTART_BACKOFF_MS;
    trainer?.close();
    await stopEverything();
  });

  it("shows the restart, comes back live by itself, and delivers an action taken meanwhile once", async () => {
    const report = await train(trainer, "inject", { categoryCode: "0401", source: "patrol", manual: true, title: "引擎重启测试：垃圾堆放" });
    await openCase(page, report.id);
    expect(await outboxCount(page)).toBe("0");

    writeFileSync(path.join(app.dataDir, CRASH_FILE), "");
    await waitForState(page, "offline", 30_000);
    const banner = await page.getByTestId("outage-banner").innerText();
    expect(banner).toContain("控制台数据引擎正在自动重启");
    expect(banner).toContain("控制台数据引擎意外停止（未处理的程序错误），6 秒后自动重启（第 1 次）");
    // The error's own text (it can quote input or paths) stays in the log: pages get a cause code.
    expect(banner).not.toContain("on purpose");
    expect(await page.locator(CONNECTION_STATUS).getAttribute("title")).toContain("6 秒后自动重启（第 1 次）");
    await saveScreenshot(page, "engine-restarting");

    // Taken while the engine is down: the call waits for the new engine (up to 15 s) instead of failing.
    await act(page, "register", { note: "引擎重启期间立案" });
    await waitForState(page, "live", 60_000);
    await waitStatus(page, report.id, "registered");
    await expect.poll(() => outboxCount(page), { timeout: 30_000 }).toBe("0");
    await expect.poll(() => historyCount(page, "立案"), { timeout: 10_000 }).toBe(1);
    await expect(page.getByTestId("outage-banner").count()).resolves.toBe(0);

    // The queue is fed by the new engine: a case reported now shows up.
    const after = await train(trainer, "inject", { categoryCode: "0402", source: "hotline", manual: true, title: "引擎重启测试：重启后新案件" });
    await page.getByTestId("queue-search").fill(after.id);
    await page.locator(`[data-testid="incident-row"][data-incident-id="${after.id}"]`).waitFor({ timeout: 60_000 });
    await saveScreenshot(page, "engine-restarted-live");

    // The diagnostics say it happened, in Chinese, with the cause.
    await page.getByTestId("diagnostics-button").click();
    await expect.poll(() => page.getByTestId("diagnostics-engine-restarts").innerText(), { timeout: 30_000 }).toMatch(/^1 次，最近一次 \d{2}-\d{2} \d{2}:\d{2}:\d{2}（未处理的程序错误）$/);
    await saveScreenshot(page, "engine-restarted-diagnostics");
    // Its close button: Escape goes to the open case first.
    await page.getByTestId("diagnostics").locator(".dialog__header button").click();
    await page.getByTestId("diagnostics").waitFor({ state: "detached" });

    const log = app.output();
    expect(log).toContain("the engine crashed (uncaught_error: engine thread crashed on purpose (test hook file)): restarting it on the same cache in 6 s (restart 1;");
    expect(log).toContain("the engine is running again (restart 1, after: uncaught_error)");
    expect(log).toContain("asking every page to resynchronise");
  });
});
