import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Download } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { ARTIFACTS } from "./processes.js";

/*
 * export-handover: the handover record (交接班) printed as the briefing is, by
 * the web host's headless Chromium, taken as a download the way an operator
 * takes it. The PDF is checked by its header, its pages and its text
 * (pdftotext): the record's sections, 数据截至 on every page, the outgoing
 * operator's name masked and the phone number in the note masked.
 */

const NOTE = "东四街道噪音投诉请回电 13912345678 复核；G1 网格井盖待复查";
const EXPORT_TIMEOUT_MS = 150_000;
const pageCount = (pdf: Buffer): number => (pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
const pageText = (file: string, page: number): string => execFileSync("pdftotext", ["-f", String(page), "-l", String(page), "-layout", file, "-"], { encoding: "utf8" });

describe("export-handover: the handover record as a PDF download", () => {
  let feed: Feed;
  let app: ConsoleApp;

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: 10 });
    app = await startConsole({ feed });
  });
  afterAll(stopEverything);

  it("downloads the record with its sections, 数据截至 on every page, and the names and phones in it masked", async () => {
    const page = await openConsole(app);
    await waitForState(page, "live");
    await page.waitForFunction(() => (document.querySelector('[data-testid="handover-open"]')?.getAttribute("data-shift-from") ?? "") !== "", undefined, { timeout: 60_000 });
    await page.getByTestId("handover-open").click();
    const form = page.getByTestId("handover");
    await form.getByTestId("handover-name").fill("张伟");
    await form.getByTestId("handover-note").fill(NOTE);
    await form.getByTestId("handover-submit").click();
    const record = page.getByTestId("handover-record");
    const id = await record.getAttribute("data-handover-id", { timeout: 10_000 });
    expect(id).toBeTruthy();

    const [download] = await Promise.all([page.waitForEvent("download", { timeout: EXPORT_TIMEOUT_MS }), record.getByTestId("export-handover").click()]);
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, "export-handover.pdf");
    await (download as Download).saveAs(file);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const pages = pageCount(bytes);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect((download as Download).suggestedFilename()).toMatch(/^交接班记录-\d{8}-\d{4}\.pdf$/);

    const texts = Array.from({ length: pages }, (_, index) => pageText(file, index + 1));
    for (const text of texts) expect(text).toMatch(/数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}（北京时间）/);
    const whole = texts.join("\n");
    for (const heading of ["交接班记录", "新增案件", "已结案件", "本班超期", "待平台确认的指令", "告警与确认", "断线与停滞", "尚待接班"]) expect(whole).toContain(heading);
    expect(whole).toContain("张*");
    expect(whole).not.toContain("张伟");
    expect(whole).toContain("139****5678");
    expect(whole).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    expect(whole).toContain("G1 网格井盖待复查");
    await expect.poll(() => record.getByTestId("export-handover-status").getAttribute("data-state")).toBe("done");
    await saveScreenshot(page, "export-handover-done");
  });
});
