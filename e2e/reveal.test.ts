import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Page } from "playwright-core";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConsole, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { connectTrainer, openCase, train } from "./operator.js";

/*
 * Issue 16: revealing a reporter asks a reason, is recorded with the
 * operator before the name and phone are shown, and the page masks them again
 * after a minute, and at once on another case. Real time: the minute is
 * waited out, as the person at the desk would.
 */

const MASKED_PHONE = /^1\d{2}\*{4}\d{4}$/;
const CLEAR_PHONE = /^1\d{10}$/;

let feed: Feed;
let app: ConsoleApp;
let page: Page;
let trainer: Socket;

beforeAll(async () => {
  feed = await startFeed({ scale: "street" });
  app = await startConsole({ feed });
  page = await openConsole(app);
  await waitForState(page, "live");
  trainer = await connectTrainer(feed);
}, 240_000);
afterAll(async () => {
  trainer.close();
  await stopEverything();
});

/** The reveals the console's cache holds for a case, as the sqlite3 tool reads them while it runs. */
function recorded(incidentId: string): string {
  return execFileSync("sqlite3", ["-separator", "|", path.join(app.dataDir, "cache.sqlite"), `SELECT operator_id, operator_name, reason FROM reveals WHERE incident_id = '${incidentId}'`], { encoding: "utf8" }).trim();
}

async function reveal(): Promise<number> {
  await page.getByTestId("reveal-reporter").click();
  await expect(page.getByTestId("reveal-confirm").isDisabled()).resolves.toBe(true);
  await page.getByTestId("reveal-reason").selectOption("callback");
  await page.getByTestId("reveal-confirm").click();
  await expect.poll(() => page.getByTestId("reporter-phone").innerText(), { timeout: 15_000 }).toMatch(CLEAR_PHONE);
  return Date.now();
}

describe("revealing a reporter", () => {
  it("is recorded with the operator and the reason, and masked again after a minute, and at once on another case", async () => {
    const first = await train(trainer, "inject", { categoryCode: "0401", source: "hotline", title: "回访测试：垃圾堆放" });
    const second = await train(trainer, "inject", { categoryCode: "0401", source: "hotline", title: "回访测试：第二件" });

    await openCase(page, first.id);
    await expect(page.getByTestId("reporter-phone").innerText()).resolves.toMatch(MASKED_PHONE);
    const shownAt = await reveal();
    await expect(page.getByTestId("reveal-countdown").isVisible()).resolves.toBe(true);
    // The audit reaches cache.sqlite at the next compaction (every 10 s while something changes).
    await expect.poll(() => recorded(first.id), { timeout: 60_000, interval: 1_000 }).toBe("duty|值班员|回访核实");

    await expect.poll(() => page.getByTestId("reporter-phone").innerText(), { timeout: 80_000, interval: 1_000 }).toMatch(MASKED_PHONE);
    const shownFor = Date.now() - shownAt;
    expect(shownFor).toBeGreaterThanOrEqual(55_000);
    expect(shownFor).toBeLessThan(75_000);

    await reveal();
    await openCase(page, second.id);
    await openCase(page, first.id);
    await expect(page.getByTestId("reporter-phone").innerText()).resolves.toMatch(MASKED_PHONE);
    await expect.poll(() => recorded(first.id).split("\n").length, { timeout: 60_000, interval: 1_000 }).toBe(2);
  }, 300_000);
});
