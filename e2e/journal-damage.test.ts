import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { frame } from "../electron/engine/journal.js";
import { makeIncident } from "../electron/engine/testing/mini-feed.js";
import { launchBrowser, openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState } from "./harness.js";

/*
 * Issue 16: a journal damaged in the middle (a flipped bit, not a tail torn
 * by a kill) is copied whole to recovered/ before it is cut, and the console
 * says so on screen, naming the copy and where the damage is.
 */

afterAll(stopEverything);

describe("a journal damaged in the middle", () => {
  it("is kept whole in recovered/ and named on the operator's screen, while the console goes live from the platform", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "grid-console-e2e-journal-"));
    const bytes = Buffer.concat(["A", "B", "C"].map((id) => frame({ generation: 0, ops: [{ op: "incident", incident: makeIncident(id, 1) }] })));
    const at = bytes.indexOf('"id":"B"');
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
    writeFileSync(path.join(dataDir, "cache.journal"), bytes);

    const feed = await startFeed();
    const app = await startConsole({ feed, dataDir });
    const copies = readdirSync(path.join(dataDir, "recovered")).filter((name) => name.endsWith(".damaged.journal"));
    expect(copies).toHaveLength(1);
    expect(readFileSync(path.join(dataDir, "recovered", copies[0] as string))).toEqual(bytes);

    const browser = await launchBrowser();
    const page = await openConsole(app, { browser });
    await waitForState(page, "live");
    const notice = page.getByTestId("cache-recovered");
    await notice.waitFor({ state: "visible", timeout: 60_000 });
    const text = (await notice.textContent()) ?? "";
    expect(text).toContain(path.join(dataDir, "recovered", copies[0] as string));
    expect(text).toMatch(/damaged at byte \d+ of \d+/);
    // Copied, not moved: the notice says the damaged file is kept there.
    expect(text).toContain("损坏的文件已保存至");
    await saveScreenshot(page, "journal-damaged-notice");
  }, 300_000);
});
