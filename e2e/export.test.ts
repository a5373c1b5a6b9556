import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Download, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGUAGE_STORAGE_KEY } from "../renderer/src/app/boot.js";
import { launchBrowser, openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { personalDataFromFeed, type Personal } from "./personal-data.js";
import { ARTIFACTS } from "./processes.js";

/*
 * export-briefing (DESIGN.md's test contract): the situation as a PDF, a
 * download on the web host. The host prints the export document in its own
 * headless Chromium; the test takes the download as a user would, checks it
 * is a PDF with pages, and reads its text back (pdftotext, installed by
 * .ci/run): every section, 数据截至 on every page, and none of the personal
 * data the feed really sent. The PDFs are kept in the artifacts to look at.
 */

const SECTIONS = ["态势指标", "案件分布图", "部门挂账榜", "重点案件", "巡查覆盖", "巡查核验"];
const EXPORT_TIMEOUT_MS = 150_000;

/** Page objects (`/Type /Page`, not the `/Pages` tree). */
const pageCount = (pdf: Buffer): number => (pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;

const pageText = (file: string, page: number): string => execFileSync("pdftotext", ["-f", String(page), "-l", String(page), "-layout", file, "-"], { encoding: "utf8" });

async function download(page: Page, trigger: () => Promise<void>, name: string): Promise<{ file: string; bytes: Buffer; suggested: string }> {
  const [pdf] = await Promise.all([page.waitForEvent("download", { timeout: EXPORT_TIMEOUT_MS }), trigger()]);
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await (pdf as Download).saveAs(file);
  return { file, bytes: readFileSync(file), suggested: pdf.suggestedFilename() };
}

function assertNoPersonalData(text: string, personal: Personal): void {
  // Whole mainland mobile numbers: titles may keep a masked form (139****5678), never the number.
  expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  for (const phone of personal.phones) expect(text.replace(/\D/g, "")).not.toContain(phone.replace(/\D/g, ""));
  const leaked = [...personal.names].filter((name) => Array.from(name).length >= 2 && text.includes(name));
  expect(leaked).toEqual([]);
}

describe("export-briefing: the situation as a PDF download", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let browser: Browser;
  let personal: Personal;

  beforeAll(async () => {
    feed = await startFeed({ speed: 20 });
    app = await startConsole({ feed });
    browser = await launchBrowser();
    personal = await personalDataFromFeed(feed);
  });
  afterAll(stopEverything);

  it("the console's button downloads a PDF with every section, 数据截至 on every page and no personal data", async () => {
    const page = await openConsole(app, { browser });
    await waitForState(page, "live");
    const { file, bytes, suggested } = await download(page, () => page.getByTestId("export-briefing").first().click(), "export-console.pdf");

    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const pages = pageCount(bytes);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(suggested).toMatch(/^态势简报-\d{8}-\d{4}\.pdf$/);

    const texts = Array.from({ length: pages }, (_, index) => pageText(file, index + 1));
    for (const text of texts) expect(text).toMatch(/数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}（北京时间）/);
    const whole = texts.join("\n");
    for (const section of SECTIONS) expect(whole).toContain(section);
    expect(whole).toContain("按期结案率");
    expect(whole).toContain("口径");
    assertNoPersonalData(whole, personal);
    await expect.poll(() => page.getByTestId("export-status").getAttribute("data-state")).toBe("done");
    await saveScreenshot(page, "export-console-done");
  });

  it("P on the briefing wall, in English, exports the same document with English beneath the Chinese", async () => {
    const page = await openConsole(app, { browser, query: "?view=briefing" });
    await page.evaluate((key) => window.localStorage.setItem(key, "en"), LANGUAGE_STORAGE_KEY);
    await page.reload();
    await page.getByTestId("briefing").waitFor();
    await expect.poll(() => page.getByTestId("export-briefing").textContent()).toContain("Export");
    const { file, bytes } = await download(page, () => page.keyboard.press("p"), "export-briefing-en.pdf");

    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const first = pageText(file, 1);
    expect(first).toContain("数据截至");
    expect(first).toContain("Data as of");
    expect(first).toContain("Key indicators");
    assertNoPersonalData(Array.from({ length: pageCount(bytes) }, (_, index) => pageText(file, index + 1)).join("\n"), personal);
    await saveScreenshot(page, "export-briefing-en");
  });

  it("with no Chromium to print with, the button says so and names the browser setting", async () => {
    const bare = await startConsole({ feed, args: ["--browser", "/nonexistent/chromium"] });
    const page = await openConsole(bare, { browser });
    await waitForState(page, "live");
    await page.getByTestId("export-briefing").first().click();
    const status = page.getByTestId("export-status");
    await expect.poll(() => status.getAttribute("data-state"), { timeout: 30_000 }).toBe("failed");
    const text = (await status.textContent()) ?? "";
    expect(text).toContain("导出失败");
    expect(text).toContain("Chromium");
    expect(text).toContain("browser");
    await saveScreenshot(page, "export-console-no-browser");
    await bare.stop();
  });

  it("refuses a request without the page's secret, and says why in both languages", async () => {
    const page = await openConsole(app, { browser });
    await waitForState(page, "live");
    const reply = await page.evaluate(async () => {
      const response = await fetch("/export/briefing.pdf");
      return { status: response.status, body: (await response.json()) as { code: string; message: string } };
    });
    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe("unauthorized");
    expect(reply.body.message).toMatch(/导出.*\/.*export/);
  });
});
