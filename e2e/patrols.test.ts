import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATROL_REASONS } from "../shared/bridge/contract.js";
import { maskName } from "../shared/domain/masking.js";
import { BEIJING_OFFSET_MS } from "../shared/domain/time.js";
import { launchBrowser, openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { connectTrainer, switchLanguage } from "./operator.js";

/*
 * The views of verified patrol against a district with planted fraud: the
 * check list at /?view=patrols (every staff member, suspects first, verdicts
 * and reason codes from the contract), a suspect's staff card with the shift
 * drawn on the map, the assessment with its CSV, the tab beside the queue on
 * the operator wall, and the briefing scene with names masked. Screenshots of
 * each go to e2e/artifacts for people to look at. Whether the checks find the
 * planted staff is the engine's test (patrol precision is measured in bench).
 */

type Row = { unitId: string; verdict: string; reasons: string };
const ROW = '[data-testid="patrol-check"]';
const RANK: Record<string, number> = { suspect: 0, insufficient: 1, ok: 2 };

const readRows = (page: Page): Promise<Row[]> =>
  page.locator(ROW).evaluateAll((elements) =>
    elements.map((e) => ({ unitId: e.getAttribute("data-unit-id") ?? "", verdict: e.getAttribute("data-verdict") ?? "", reasons: e.getAttribute("data-reasons") ?? "" })),
  );

/** Latin words (two letters or more) in what `selector` shows or says to a screen reader. */
const latinWords = (page: Page, selector: string): Promise<string[]> =>
  page.locator(selector).evaluate((root) => {
    const labels = [...root.querySelectorAll("[title],[aria-label]")].flatMap((e) => [e.getAttribute("title") ?? "", e.getAttribute("aria-label") ?? ""]);
    return [...[(root as HTMLElement).innerText, ...labels].join(" ").matchAll(/[A-Za-z]{2,}/g)].map((m) => m[0]);
  });

const DAY_MS = 86_400_000;

/** The first instant at or after `now` that is `minutes` past midnight, Beijing time, on `weekday` (0 is Sunday). */
function nextBeijing(weekday: number, minutes: number, now = Date.now()): Date {
  for (let day = Math.floor((now + BEIJING_OFFSET_MS) / DAY_MS); ; day++) {
    const at = day * DAY_MS - BEIJING_OFFSET_MS + minutes * 60_000;
    if (at >= now && new Date(day * DAY_MS).getUTCDay() === weekday) return new Date(at);
  }
}

/*
 * The feed's clock starts at the next Monday 10:00 Beijing, whenever the test
 * runs. Each planted case is proven from its person's latest shift, a replay
 * from the same shift a day earlier too, and the console backfills those
 * tracks newest window first, six hours of every fix in the district a
 * window: what takes time is how many fixes lie between now and the oldest
 * track needed. On a Monday morning that stretch (back to Saturday afternoon,
 * for the 16:00-24:00 officer's replay) is a quiet weekend: about 2.4 million
 * fixes for seed 42, against 4 to 6.7 million at most other times of a week
 * (reckoned from the duty plans in feed/sim).
 */
const FEED_START = nextBeijing(1, 10 * 60);

describe("the patrol views", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let browser: Browser;
  let trainer: Socket;
  let planted: { unitId: string; kind: string; twinOf?: string }[];
  /** The operator's list at ?view=patrols, opened by the first test that needs it (any of them may run alone). */
  let opened: Promise<Page> | null = null;
  /** When the patrol screen first showed the console live. */
  let liveAt = 0;
  const patrolPage = (): Promise<Page> =>
    (opened ??= (async () => {
      const page = await openConsole(app, { browser, query: "?view=patrols" });
      await waitForState(page, "live");
      liveAt = Date.now();
      return page;
    })());
  /** The list's suspects, waited for: the checks run on the engine's tracks (backfilled from the platform's). */
  const firstSuspect = async (page: Page) => {
    const suspect = page.locator(`${ROW}[data-verdict="suspect"]`).first();
    await suspect.waitFor({ timeout: 120_000 });
    return suspect;
  };

  beforeAll(async () => {
    feed = await startFeed({ scale: "district", speed: 20, fraud: 0.02, start: FEED_START });
    app = await startConsole({ feed });
    browser = await launchBrowser();
    trainer = await connectTrainer(feed);
    planted = ((await trainer.timeout(10_000).emitWithAck("planted", {})) as { planted: typeof planted }).planted;
  });

  afterAll(async () => {
    trainer?.close();
    await stopEverything();
  });

  it("lists every staff member at ?view=patrols: one row each, suspects first, verdicts and reasons from the contract's words", async () => {
    expect(planted.length).toBeGreaterThan(0);
    const page = await patrolPage();
    await page.locator(ROW).first().waitFor({ timeout: 120_000 });
    // The checks run on the engine's tracks (backfilled from the platform's); give the first suspects time to appear.
    await expect.poll(async () => (await readRows(page)).filter((r) => r.verdict === "suspect").length, { timeout: 120_000, interval: 2_000 }).toBeGreaterThan(0);
    const rows = await readRows(page);
    // A district has about 1,800 staff: every one of them is drawn.
    expect(rows.length).toBeGreaterThan(1000);
    expect(new Set(rows.map((r) => r.unitId)).size).toBe(rows.length);
    for (const row of rows) {
      expect(["ok", "suspect", "insufficient"]).toContain(row.verdict);
      const reasons = row.reasons === "" ? [] : row.reasons.split(" ");
      for (const reason of reasons) expect(PATROL_REASONS).toContain(reason);
      if (row.verdict === "suspect") expect(reasons.length).toBeGreaterThan(0);
      else expect(reasons).toEqual([]);
    }
    const ranks = rows.map((r) => RANK[r.verdict] ?? 9);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // Words, not only codes: the header counts each verdict with its word, and says where the tracks came from.
    const summary = page.getByTestId("patrol-summary");
    expect(await summary.innerText()).toMatch(/可疑[\s\S]*数据不足[\s\S]*正常/);
    expect(await summary.getAttribute("data-source")).toMatch(/^(platform|live)$/);
    const first = page.locator(`${ROW}[data-verdict="suspect"]`).first();
    expect(await first.locator(".patrol-evidence li").count()).toBeGreaterThan(0);
    // A count filters the list to its verdict, and back.
    await summary.locator('button[data-verdict="suspect"]').click();
    await expect.poll(async () => new Set((await readRows(page)).map((r) => r.verdict))).toEqual(new Set(["suspect"]));
    await summary.locator('button[data-verdict="suspect"]').click();
    await expect.poll(async () => (await readRows(page)).length).toBe(rows.length);
    // Every word of the list in Chinese (grid codes and unit ids are data, not words).
    expect(await latinWords(page, ".patrol-screen__main")).toEqual([]);
    await saveScreenshot(page, "patrols-list");
  });

  it("lists exactly the staff the feed planted as suspect, each with the reason planted, within a minute of going live", async () => {
    const page = await patrolPage();
    const wanted = new Map(planted.map((p) => [p.unitId, p.kind]));
    const wrong = async () => {
      const rows = await readRows(page);
      const suspects = rows.filter((r) => r.verdict === "suspect");
      const missed = [...wanted].filter(([unitId, kind]) => !suspects.some((r) => r.unitId === unitId && r.reasons.split(" ").includes(kind)));
      const extra = suspects.filter((r) => !wanted.has(r.unitId));
      return [...missed.map(([unitId, kind]) => `${unitId} not ${kind}`), ...extra.map((r) => `${r.unitId} wrongly ${r.reasons}`)];
    };
    // The tracks the platform serves count: the checks judge the backfilled week, not only what came live.
    await expect.poll(wrong, { timeout: Math.max(5_000, liveAt + 60_000 - Date.now()), interval: 2_000 }).toEqual([]);
  });

  it("opens a suspect's staff card with the verdict and draws that shift on the map", async () => {
    const page = await patrolPage();
    const suspect = await firstSuspect(page);
    const unitId = await suspect.getAttribute("data-unit-id");
    const zoomBefore = await page.locator(".map-canvas").getAttribute("data-zoom");
    await suspect.click();
    const card = page.getByTestId("map-unit-card");
    await card.waitFor({ timeout: 30_000 });
    const verdict = card.getByTestId("unit-patrol-verdict");
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.getAttribute("data-verdict")).toBe("suspect");
    expect(await verdict.getAttribute("data-reasons")).toBe(await suspect.getAttribute("data-reasons"));
    expect(await suspect.getAttribute("aria-current")).toBe("true");
    // The map flies to the shift's track once it arrives.
    await expect.poll(() => page.locator(".map-canvas").getAttribute("data-zoom"), { timeout: 30_000 }).not.toBe(zoomBefore);
    await page.waitForTimeout(3_000);
    await saveScreenshot(page, `patrols-suspect-card-${unitId ?? ""}`);
    // The same in English: verdicts, reasons and evidence are worded, not codes.
    await switchLanguage(page, "en");
    await expect.poll(() => verdict.innerText()).toMatch(/Patrol check[\s\S]*Suspect/);
    expect(await page.getByTestId("patrol-summary").innerText()).toMatch(/Suspect[\s\S]*Too little data[\s\S]*OK/);
    await page.waitForTimeout(2_000);
    await saveScreenshot(page, "patrols-suspect-card-en");
    await switchLanguage(page, "zh-CN");
  });

  it("shows the week's assessment, sortable by a column, with the definitions, and exports it as CSV with a BOM", async () => {
    const page = await patrolPage();
    await page.getByTestId("patrol-screen-assessment").click();
    await page.getByTestId("assessment-row").first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("assessment-definitions").innerText()).toContain("巡查时长");
    const hours = page.locator('th:has([data-column="patrolHours"])');
    await hours.locator("button").click();
    expect(await hours.getAttribute("aria-sort")).toBe("descending");
    const column = await page.locator('[data-testid="assessment-row"] td:nth-child(4)').evaluateAll((cells) => cells.map((c) => Number(c.textContent)));
    expect(column).toEqual([...column].sort((a, b) => b - a));
    expect(await latinWords(page, ".patrol-screen__main")).toEqual([]);
    await saveScreenshot(page, "patrols-assessment");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("assessment-export").click()]);
    const week = await page.getByTestId("assessment").getAttribute("data-week");
    expect(download.suggestedFilename()).toBe(`巡查考核-${week}.csv`);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString("utf8").slice(1).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^考核周（周一）,人员编号,姓名/);
    expect(lines.length - 1).toBe(await page.getByTestId("assessment-row").count());

    await page.locator('[data-week-choice="last"]').click();
    await expect.poll(() => page.getByTestId("assessment").getAttribute("data-week")).not.toBe(week);
    opened = null;
    await page.context().close();
  });

  it("is a tab beside the queue on the operator wall, counting the suspects", async () => {
    const wall = await openConsole(app, { browser });
    await waitForState(wall, "live");
    await wall.getByTestId("patrol-tab").click();
    await wall.locator(ROW).first().waitFor({ timeout: 60_000 });
    await wall.getByTestId("patrol-suspects").waitFor({ timeout: 30_000 });
    await wall.locator(`${ROW}[data-verdict="suspect"]`).first().click();
    await wall.getByTestId("unit-patrol-verdict").waitFor({ timeout: 30_000 });
    await wall.waitForTimeout(3_000);
    await saveScreenshot(wall, "wall-patrol-tab");
    // The assessment opens over the KPIs and the map, the patrol column beside it; Escape closes it.
    await wall.getByTestId("assessment-open").click();
    await wall.getByTestId("assessment-row").first().waitFor({ timeout: 60_000 });
    await saveScreenshot(wall, "wall-assessment");
    await wall.keyboard.press("Escape");
    await wall.getByTestId("assessment").waitFor({ state: "detached" });
    // The queue is back as it was.
    await wall.getByTestId("queue-tab").click();
    await wall.getByTestId("incident-queue").waitFor({ state: "visible" });
    await wall.context().close();
  });

  it("shows the suspects in the briefing with every name masked", async () => {
    // The names whole, as the operator's list shows them.
    const list = await patrolPage();
    await firstSuspect(list);
    const briefing = await openConsole(app, { browser, query: "?view=briefing" });
    const root = briefing.getByTestId("briefing");
    await briefing.waitForFunction(() => (document.querySelector('[data-testid="briefing"]')?.getAttribute("data-as-of") ?? "") !== "", undefined, { timeout: 150_000, polling: 500 });
    for (let presses = 0; (await root.getAttribute("data-scene")) !== "patrols" && presses < 10; presses++) await briefing.keyboard.press("PageDown");
    expect(await root.getAttribute("data-scene")).toBe("patrols");
    await briefing.getByTestId("briefing-patrol-counts").waitFor({ timeout: 30_000 });
    const names = () => list.locator(`${ROW}[data-verdict="suspect"] .patrol-row__name`).allInnerTexts();
    const body = () => briefing.locator(".briefing-body").innerText();
    // The first suspects are listed, masked as the briefing masks names elsewhere (the two pages may take a new set of checks a moment apart).
    await expect.poll(async () => (await body()).includes(maskName((await names())[0] ?? "")), { timeout: 30_000, interval: 1_000 }).toBe(true);
    const suspectNames = await names();
    const text = await body();
    expect(suspectNames.length).toBeGreaterThan(0);
    for (const name of suspectNames) if (Array.from(name).length >= 2) expect(text).not.toContain(name);
    await saveScreenshot(briefing, "briefing-patrols");
    await briefing.context().close();
  });
});
