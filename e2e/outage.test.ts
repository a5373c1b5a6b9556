import { createServer, connect, type Server, type Socket as NetSocket } from "node:net";
import type { Page } from "playwright-core";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { act, openCase, train, waitStatus } from "./operator.js";

/*
 * Working through a network outage. The console reaches the feed through a
 * TCP relay in this process; cutting the relay is the network going down
 * while the platform (the feed) keeps running and keeps its state, exactly as
 * in a real outage, and the trainer still reaches the feed directly. What the
 * operator does offline waits in the outbox and reaches the platform once
 * when the network returns, also across a console restarted while offline.
 */

type Relay = { url: string; cut(): void; restore(): void; close(): Promise<void> };

async function startRelay(target: URL): Promise<Relay> {
  let up = true;
  const open = new Set<NetSocket>();
  const server: Server = createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("relay has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut() {
      up = false;
      for (const socket of open) socket.destroy();
    },
    restore() {
      up = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const outboxCount = (page: Page) => page.getByTestId("outbox-count").innerText();

/** History entries of the open case whose action reads `name` (the timeline shows actions by their Chinese names). */
async function historyCount(page: Page, name: string): Promise<number> {
  return page.locator('[data-testid="incident-history"] .timeline__action', { hasText: name }).count();
}

describe("an outage", () => {
  let feed: Feed;
  let relay: Relay;
  let app: ConsoleApp;
  let page: Page;
  let trainer: Socket;

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: 10 });
    relay = await startRelay(new URL(feed.url));
    app = await startConsole({ feedUrl: relay.url, token: feed.token });
    page = await openConsole(app);
    await waitForState(page, "live");
    trainer = io(`${feed.url}/trainer`, { auth: { token: feed.trainerToken }, transports: ["websocket"], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      trainer.once("connect", () => resolve());
      trainer.once("connect_error", reject);
    });
  });
  afterAll(async () => {
    trainer?.close();
    await relay?.close();
    await stopEverything();
  });

  it("queues an action taken offline and delivers it once when the network returns", async () => {
    const report = await train(trainer, "inject", { categoryCode: "0401", source: "patrol", manual: true, title: "断网测试：垃圾堆放" });
    await openCase(page, report.id);
    expect(await outboxCount(page)).toBe("0");

    relay.cut();
    await waitForState(page, "offline", 30_000);
    await expect(page.getByTestId("outage-banner").innerText()).resolves.toContain("离线");

    await act(page, "register", { note: "断网期间立案" });
    await expect.poll(() => outboxCount(page), { timeout: 10_000 }).toBe("1");
    await page.getByTestId("incident-pending").waitFor();
    // The map and the queue stay usable while offline.
    await expect(page.getByTestId("map").isVisible()).resolves.toBe(true);
    await expect(page.locator(`[data-testid="incident-row"][data-incident-id="${report.id}"]`).count()).resolves.toBe(1);
    await saveScreenshot(page, "outage-offline-queued");

    relay.restore();
    await waitForState(page, "live", 90_000);
    await waitStatus(page, report.id, "registered");
    await expect.poll(() => outboxCount(page), { timeout: 30_000 }).toBe("0");
    await expect.poll(() => historyCount(page, "立案"), { timeout: 10_000 }).toBe(1);
    await expect(page.getByTestId("incident-pending").count()).resolves.toBe(0);
  });

  it("keeps what was queued across a console restarted while offline, and drains the outbox when back online", async () => {
    const report = await train(trainer, "inject", { categoryCode: "0402", source: "hotline", manual: true, title: "断网测试：重启后补发" });
    await openCase(page, report.id);

    relay.cut();
    await waitForState(page, "offline", 30_000);
    await act(page, "annotate", { note: "断网备注，重启前录入" });
    await expect.poll(() => outboxCount(page), { timeout: 10_000 }).toBe("1");

    await app.restart();
    // The page reconnects to the restarted console, which starts from its cache, still offline.
    await waitForState(page, "offline", 90_000);
    await expect.poll(() => outboxCount(page), { timeout: 30_000 }).toBe("1");
    await openCase(page, report.id);
    await act(page, "register");
    await expect.poll(() => outboxCount(page), { timeout: 10_000 }).toBe("2");
    await saveScreenshot(page, "outage-restarted-offline");

    relay.restore();
    await waitForState(page, "live", 90_000);
    await expect.poll(() => outboxCount(page), { timeout: 60_000 }).toBe("0");
    await waitStatus(page, report.id, "registered");
    await expect.poll(() => historyCount(page, "备注"), { timeout: 10_000 }).toBe(1);
    await expect(historyCount(page, "立案")).resolves.toBe(1);
    await expect(page.getByTestId("incident-history").innerText()).resolves.toContain("断网备注，重启前录入");
  });

  it("shows the platform's refusal of an action overtaken while offline, and lets the operator dismiss it", async () => {
    const report = await train(trainer, "inject", { categoryCode: "0501", source: "patrol", manual: true, title: "断网测试：版本冲突" });
    await openCase(page, report.id);
    await act(page, "register");
    await waitStatus(page, report.id, "registered");
    await act(page, "dispatch");
    await waitStatus(page, report.id, "dispatched");

    relay.cut();
    await waitForState(page, "offline", 30_000);
    await act(page, "urge", { note: "请尽快处置" });
    await expect.poll(() => outboxCount(page), { timeout: 10_000 }).toBe("1");
    // Meanwhile the department answers on the platform, so urging no longer applies.
    await train(trainer, "advance", { incidentId: report.id });
    await train(trainer, "advance", { incidentId: report.id });

    relay.restore();
    await waitForState(page, "live", 90_000);
    const problem = page.getByTestId("outbox-problem").first();
    await problem.waitFor({ timeout: 60_000 });
    await expect(problem.getByTestId("outbox-problem-message").innerText()).resolves.toContain("responded");
    await expect(problem.innerText()).resolves.toContain("已反馈");
    await waitStatus(page, report.id, "responded");
    await saveScreenshot(page, "outage-conflict");

    await problem.getByTestId("outbox-dismiss").click();
    await expect.poll(() => page.getByTestId("outbox-problem").count(), { timeout: 10_000 }).toBe(0);
  });
});
