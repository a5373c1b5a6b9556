import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Page } from "playwright-core";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConsole, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { connectTrainer, openCase, train } from "./operator.js";

/*
 * Issue 16: the reveal audit records the page that asked. Two browser pages
 * on one web host reveal the same reporter; the two rows in cache.sqlite,
 * read with the sqlite3 tool, carry the configured operator and two
 * different sessions, each made by the host for that page's bridge socket.
 */

let feed: Feed;
let app: ConsoleApp;
let pages: Page[];
let trainer: Socket;

beforeAll(async () => {
  feed = await startFeed({ scale: "street" });
  app = await startConsole({ feed });
  pages = [await openConsole(app), await openConsole(app)];
  for (const page of pages) await waitForState(page, "live");
  trainer = await connectTrainer(feed);
}, 240_000);
afterAll(async () => {
  trainer.close();
  await stopEverything();
});

function recorded(incidentId: string): string[] {
  const out = execFileSync("sqlite3", ["-separator", "|", path.join(app.dataDir, "cache.sqlite"), `SELECT operator_id, session FROM reveals WHERE incident_id = '${incidentId}' ORDER BY id`], { encoding: "utf8" }).trim();
  return out === "" ? [] : out.split("\n");
}

describe("the reveal audit", () => {
  it("records each page's own session, made by the host, beside the configured operator", async () => {
    const incident = await train(trainer, "inject", { categoryCode: "0401", source: "hotline", title: "会话测试：两个页面" });
    for (const page of pages) {
      await openCase(page, incident.id);
      await page.getByTestId("reveal-reporter").click();
      await page.getByTestId("reveal-reason").selectOption("callback");
      await page.getByTestId("reveal-confirm").click();
      await expect.poll(() => page.getByTestId("reporter-phone").innerText(), { timeout: 15_000 }).toMatch(/^1\d{10}$/);
    }
    // The audit reaches cache.sqlite at the next compaction (every 10 s while something changes).
    await expect.poll(() => recorded(incident.id).length, { timeout: 60_000, interval: 1_000 }).toBe(2);
    const rows = recorded(incident.id).map((line) => {
      const [operatorId, session] = line.split(/\|(.*)/s);
      return { operatorId, session: JSON.parse(session ?? "null") as { id: string; startedAt: string; role: string; view: string } };
    });
    for (const row of rows) {
      expect(row.operatorId).toBe("duty");
      expect(row.session).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{32}$/), startedAt: expect.stringMatching(/\+08:00$/), role: "operator", view: "console" });
    }
    expect(rows[0]?.session.id).not.toBe(rows[1]?.session.id);
  }, 300_000);
});
