import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCENES } from "../renderer/src/briefing/control.js";
import { maskName } from "../shared/domain/masking.js";
import { launchBrowser, openConsole, startConsole, startFeed, stopEverything, type ConsoleApp, type Feed } from "./harness.js";
import { personalDataFromFeed, type Personal } from "./personal-data.js";
import { ARTIFACTS } from "./processes.js";
import { compareWithBaseline } from "./baseline-compare.js";

/*
 * Briefing mode as a visitor and a presenter see it: stepped through with the
 * clicker keys at 1920×1080 and 3840×2160, each scene compared with the
 * committed baseline (e2e/baseline/), and the page text searched for the
 * personal data the feed really sent (reporters' names and phones, staff
 * phones). Also the operator wall on a 32:9 ultra-wide.
 *
 * The baseline: `UPDATE_BRIEFING_BASELINE=1 npm run test:e2e -- briefing`
 * rewrites it (15 images, about 4 MB: one per scene and size, nothing more).
 * Look at every image before committing it: the baseline is only as good as
 * the eyes that approved it.
 */

const UPDATE_VARIABLE = "UPDATE_BRIEFING_BASELINE";
const BRIEFING = '[data-testid="briefing"]';


/** Everything a visitor could read or a screen reader could say: text, attribute values and titles. */
const pageText = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const parts = [document.body.innerText];
    for (const element of document.querySelectorAll("*")) for (const attribute of element.attributes) parts.push(attribute.value);
    return parts.join("\n");
  });

function assertNoPersonalData(text: string, personal: Personal): void {
  // Mainland mobile numbers, whole or in masked form (139****5678): in briefing mode not even the masked form is shown.
  expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  expect(text).not.toMatch(/\d{3}\*{4}\d{4}/);
  // Masked names (王*): the briefing shows no reporter at all, masked or not. Staff names it shows masked (the patrol scene), and only those.
  let withoutStaff = text;
  for (const name of personal.staff) withoutStaff = withoutStaff.replaceAll(maskName(name), "");
  expect(withoutStaff).not.toMatch(/\p{Script=Han}\*+/u);
  for (const phone of personal.phones) expect(text.replace(/\D/g, "")).not.toContain(phone.replace(/\D/g, ""));
  const leaked = [...personal.names].filter((name) => Array.from(name).length >= 2 && text.includes(name));
  expect(leaked).toEqual([]);
}

/**
 * Opens a raw bridge socket from inside the page, with the secret the host served that page, and makes `name`
 * calls for up to `limit` cases whose reporter left a phone number: what any script in the page could do, bypassing the views.
 */
async function callWithPageSecret(page: Page, name: "revealReporter" | "sendCommand", limit: number): Promise<{ tried: string[]; results: unknown[] }> {
  return page.evaluate(
    async ({ name, limit }) => {
      const secret = document.querySelector<HTMLMetaElement>('meta[name="grid-console-bridge-secret"]')?.content ?? "";
      const ws = new WebSocket(`ws://${location.host}/bridge`, ["grid-console.bridge.v1", `grid-console.secret.${secret}`]);
      await new Promise<void>((resolve, reject) => {
        ws.onopen = () => resolve();
        ws.onerror = () => reject(new Error("the bridge refused the page's own secret"));
      });
      let nextId = 1;
      const call = (callName: string, request: unknown) =>
        new Promise<unknown>((resolve) => {
          const id = nextId++;
          const listener = (event: MessageEvent) => {
            if (typeof event.data !== "string") return;
            const message = JSON.parse(event.data) as { type: string; id?: number; result: unknown };
            if (message.type !== "reply" || message.id !== id) return;
            ws.removeEventListener("message", listener);
            resolve(message.result);
          };
          ws.addEventListener("message", listener);
          ws.send(JSON.stringify({ id, name: callName, request }));
        });
      // The page holds no cases: their ids come with the map's markers, the cases themselves from getCases.
      const markers = (await call("getIncidentMarkers", {})) as { value?: { ids: string[] } | null };
      const ids = (markers.value?.ids ?? []).filter((id) => id !== "").slice(0, 200);
      const cases = (await call("getCases", { ids })) as { value?: { id: string; reporter?: { phone?: string } }[] };
      const tried = (cases.value ?? []).filter((incident) => incident.reporter?.phone !== undefined).map((incident) => incident.id).slice(0, limit);
      const results: unknown[] = [];
      for (const incidentId of tried) {
        const request = name === "revealReporter" ? { incidentId, reason: "e2e" } : { type: "urge", incidentId, payload: { note: "e2e" } };
        results.push(await call(name, request));
      }
      ws.close();
      return { tried, results };
    },
    { name, limit },
  );
}

/** Reveals recorded in the console's cache for these cases (the sqlite3 tool reads it while the console runs). */
function reveals(app: ConsoleApp, incidentIds: string[]): number {
  if (incidentIds.length === 0) return 0;
  const list = incidentIds.map((id) => `'${id.replace(/'/g, "''")}'`).join(",");
  const out = execFileSync("sqlite3", [path.join(app.dataDir, "cache.sqlite"), `SELECT count(*) FROM reveals WHERE incident_id IN (${list})`], { encoding: "utf8" });
  return Number(out.trim());
}

/** Smallest font size in px among visible text in the page (HTML and SVG). */
const smallestText = (page: Page): Promise<number> =>
  page.evaluate(() => {
    let smallest = Number.POSITIVE_INFINITY;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element || (node.textContent ?? "").trim() === "") continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === "hidden") continue;
      smallest = Math.min(smallest, Number.parseFloat(getComputedStyle(element).fontSize));
    }
    return smallest;
  });

async function sceneState(page: Page): Promise<{ scene: string | null; index: string | null; blank: string | null; title: string }> {
  const root = page.locator(BRIEFING);
  return {
    scene: await root.getAttribute("data-scene"),
    index: await root.getAttribute("data-scene-index"),
    blank: await root.getAttribute("data-blank"),
    title: (await page.locator('[data-testid="briefing-scene-title"]').textContent()) ?? "",
  };
}

/**
 * Waits for the first data, then goes to the overview with the clicker (which
 * restarts the rotation timer) and waits for today's KPIs and the map there.
 */
async function openOverviewWithData(page: Page): Promise<void> {
  await page.waitForFunction((selector) => (document.querySelector(selector)?.getAttribute("data-as-of") ?? "") !== "", BRIEFING, { timeout: 150_000, polling: 500 });
  await page.keyboard.press("PageDown");
  for (let presses = 0; (await sceneState(page)).index !== "0" && presses < SCENES.length; presses++) await page.keyboard.press("PageUp");
  await page.waitForFunction(() => Number(document.querySelector('[data-kpi="reported"] .kpi-value')?.firstChild?.textContent ?? "0") > 0, undefined, { timeout: 30_000, polling: 500 });
  await page.locator(`${BRIEFING} [data-testid="map"] canvas`).first().waitFor({ timeout: 15_000 });
  await page.waitForTimeout(3_000);
}

const ZH_TITLES: Record<(typeof SCENES)[number], string> = {
  overview: "态势总览",
  hotSpots: "异常热点",
  ledger: "超期挂账",
  ranking: "部门考评排名",
  coverage: "巡查覆盖",
  patrols: "巡查核验",
  notable: "重点案件",
};

describe("briefing mode on the wall", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let browser: Browser;
  let scratch: Page;
  let personal: Personal;

  beforeAll(async () => {
    feed = await startFeed({ scale: "district", speed: 30, seed: 42 });
    app = await startConsole({ feed });
    browser = await launchBrowser();
    scratch = await (await browser.newContext()).newPage();
    personal = await personalDataFromFeed(feed);
  });

  afterAll(stopEverything);

  it("knows what personal data the feed sends, so the privacy checks below are not vacuous", () => {
    expect(personal.names.size).toBeGreaterThan(0);
    expect(personal.phones.size).toBeGreaterThan(0);
  });

  it("refuses a reveal from the briefing page's own bridge credentials, while the operator page reveals and the reveal is recorded", async () => {
    const briefing = await openConsole(app, { browser, query: "?view=briefing" });
    await briefing.waitForFunction((selector) => (document.querySelector(selector)?.getAttribute("data-as-of") ?? "") !== "", BRIEFING, { timeout: 150_000, polling: 500 });
    const fromBriefing = await callWithPageSecret(briefing, "revealReporter", 5);
    expect(fromBriefing.tried.length).toBeGreaterThan(0);
    for (const result of fromBriefing.results) expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    // Nor can it act on a case.
    const act = await callWithPageSecret(briefing, "sendCommand", 1);
    expect(act.results).toEqual([expect.objectContaining({ ok: false, error: expect.objectContaining({ code: "forbidden" }) })]);
    assertNoPersonalData(await pageText(briefing) + JSON.stringify(fromBriefing.results), personal);
    await briefing.context().close();
    expect(reveals(app, fromBriefing.tried)).toBe(0);

    const operator = await openConsole(app, { browser });
    await operator.locator('[data-testid="incident-row"]').first().waitFor({ timeout: 150_000 });
    const fromOperator = await callWithPageSecret(operator, "revealReporter", 1);
    const [revealed] = fromOperator.results as { ok: boolean; value?: { name?: string; phone?: string } }[];
    expect(revealed?.ok).toBe(true);
    // The real data, unmasked.
    expect(revealed?.value?.phone ?? "").toMatch(/^1[3-9]\d{9}$/);
    await operator.context().close();
    // The audit record reaches cache.sqlite at the next compaction (every 10 s while something changes).
    await expect.poll(() => reveals(app, fromOperator.tried), { timeout: 60_000, interval: 1_000 }).toBe(1);
  });

  for (const viewport of [
    { width: 1920, height: 1080 },
    { width: 3840, height: 2160 },
  ]) {
    it(`steps through every scene with the clicker at ${viewport.width}×${viewport.height}, matching the baseline, readable, with no personal data`, async () => {
      const page = await openConsole(app, { browser, query: "?view=briefing", viewport });
      await openOverviewWithData(page);
      const scale = viewport.height / 1080;
      expect(await page.locator(BRIEFING).evaluate((e) => getComputedStyle(e).cursor)).toBe("none");
      // Read-only: no case actions, no detail panel, no operator queue.
      expect(await page.locator('[data-action], [data-testid="incident-detail"], [data-testid="incident-queue"]').count()).toBe(0);
      // The wall rotates on its own (every 20 s by default); once the clicker is used it holds each scene for two
      // minutes. Each step below is still checked against the scene it started from, so a rotation cannot fool it.
      for (const [index, scene] of SCENES.entries()) {
        for (let presses = 0; (await sceneState(page)).index !== String(index); presses++) {
          expect(presses, `reaching ${scene}`).toBeLessThan(SCENES.length);
          const from = Number((await sceneState(page)).index);
          await page.keyboard.press(presses % 2 === 0 ? "PageDown" : "ArrowRight");
          expect(Number((await sceneState(page)).index)).toBe((from + 1) % SCENES.length);
        }
        await page.waitForTimeout(1_500);
        const state = await sceneState(page);
        expect(state).toEqual({ scene, index: String(index), blank: "false", title: ZH_TITLES[scene] });
        expect(await page.locator(`${BRIEFING} .briefing-body .briefing-card, ${BRIEFING} .briefing-body [data-testid="map"]`).count()).toBeGreaterThan(0);
        expect(await page.locator(`${BRIEFING} .briefing-dot`).count()).toBe(SCENES.length);
        expect(await page.locator(`${BRIEFING} .briefing-dot-current`).count()).toBe(1);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth && document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
        // 14 px at 1080p is the wall's floor; the briefing scales with the screen.
        expect(await smallestText(page)).toBeGreaterThanOrEqual(14 * scale - 0.5);
        assertNoPersonalData(await pageText(page), personal);
        await compareWithBaseline(page, scratch, `briefing-${viewport.width}x${viewport.height}-${index + 1}-${scene}`, UPDATE_VARIABLE);
        expect((await sceneState(page)).scene, "the screenshot shows the scene checked").toBe(scene);
      }
      // Wraps from the last scene to the first, and back.
      expect((await sceneState(page)).scene).toBe("notable");
      await page.keyboard.press("PageDown");
      expect((await sceneState(page)).scene).toBe("overview");
      await page.keyboard.press("ArrowLeft");
      expect((await sceneState(page)).scene).toBe("notable");
      await page.keyboard.press("PageUp");
      expect((await sceneState(page)).scene).toBe("patrols");
      await page.context().close();
    });
  }

  it("blanks the screen with B or '.', and brings the same scene back with the same key", async () => {
    const page = await openConsole(app, { browser, query: "?view=briefing" });
    await page.waitForFunction((selector) => (document.querySelector(selector)?.getAttribute("data-as-of") ?? "") !== "", BRIEFING, { timeout: 150_000, polling: 500 });
    const before = await sceneState(page);
    await page.keyboard.press("b");
    await expect.poll(async () => (await sceneState(page)).blank).toBe("true");
    expect(await page.locator('[data-testid="briefing-blank"]').isVisible()).toBe(true);
    // The briefing stays on while blank (the wall's contract), and rotation holds.
    expect(await page.locator(BRIEFING).count()).toBe(1);
    await page.keyboard.press("b");
    expect(await page.locator('[data-testid="briefing-blank"]').count()).toBe(0);
    expect((await sceneState(page)).scene).toBe(before.scene);
    await page.keyboard.press(".");
    expect((await sceneState(page)).blank).toBe("true");
    await page.keyboard.press(".");
    expect((await sceneState(page)).blank).toBe("false");
    await page.context().close();
  });

  it("shows the operator wall on a 32:9 ultra-wide with every region on screen, matching the baseline", async () => {
    const viewport = { width: 5120, height: 1440 };
    const page = await openConsole(app, { browser, viewport });
    await page
      .locator('[data-testid="kpi-panel"] [data-kpi="reported"]')
      .waitFor({ timeout: 150_000 })
      .catch(async (error: unknown) => {
        await page.screenshot({ path: path.join(ARTIFACTS, "operator-5120x1440-timeout.png"), timeout: 120_000 });
        throw error;
      });
    await page.locator('[data-testid="map"] canvas').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(5_000);
    for (const testId of ["kpi-panel", "map", "incident-queue", "connection-status"]) {
      const box = await page.locator(`[data-testid="${testId}"]`).first().boundingBox();
      if (!box) throw new Error(`${testId} is not on screen`);
      expect(box.x, testId).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, testId).toBeLessThanOrEqual(viewport.width + 1);
      expect(box.y + box.height, testId).toBeLessThanOrEqual(viewport.height + 1);
    }
    // rem follows the shorter side: 1440 / 1080 × 16 px, so the 14 px floor becomes 18.7 px.
    expect(await smallestText(page)).toBeGreaterThanOrEqual(14 * (1440 / 1080) - 0.5);
    await compareWithBaseline(page, scratch, "operator-5120x1440", UPDATE_VARIABLE);
    await page.context().close();
  });

  // Last: it restarts the console host.
  it("stays a briefing page when the console host restarts: it fetches its new secret from its own briefing address", async () => {
    const page = await openConsole(app, { browser, query: "?view=briefing" });
    await page.waitForFunction((selector) => (document.querySelector(selector)?.getAttribute("data-as-of") ?? "") !== "", BRIEFING, { timeout: 150_000, polling: 500 });
    const asOf = () => page.locator(BRIEFING).getAttribute("data-as-of");
    const refetched: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (request.resourceType() === "fetch" && url.pathname === "/") refetched.push(url.search);
    });
    await app.restart();
    // Anything newer than this can only have come from the new host: the old one is gone.
    const before = await asOf();
    // The new host has new secrets; the page reads its own from the address it was served at, the briefing one.
    await expect.poll(() => refetched.length, { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
    expect(new Set(refetched)).toEqual(new Set(["?view=briefing"]));
    // Back on the new host, still in briefing mode, with data moving again.
    await expect.poll(asOf, { timeout: 90_000, interval: 1_000 }).not.toBe(before);
    expect(await page.locator(BRIEFING).count()).toBe(1);
    assertNoPersonalData(await pageText(page), personal);
    await page.context().close();
  });
});
