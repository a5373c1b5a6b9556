import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { _electron as electron } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { electronBinary } from "../electron/cli/launch.js";
import { REPO } from "./processes.js";
import { startFeed, stopEverything, waitForState } from "./harness.js";

/*
 * The Electron shell, where an Electron binary exists. Since Electron 42 the
 * npm package downloads its binary only on first use, which CI and offline
 * checkouts never do, so there it is skipped, with the reason in its title
 * (electronBinary reads path.txt: looking never triggers the download).
 */

const binary = electronBinary();
const title = binary ? "Electron shell opens the console window and goes live" : "Electron shell smoke test (skipped: no Electron binary; the electron package downloads it on first use)";

describe("electron", () => {
  afterAll(stopEverything);

  it.skipIf(binary === null)(title, async () => {
    const feed = await startFeed({ speed: 10 });
    const app = await electron.launch({
      executablePath: binary ?? "",
      args: [path.join(REPO, "dist", "electron", "main.cjs"), "--feed-url", feed.url, "--data-dir", mkdtempSync(path.join(tmpdir(), "grid-electron-")), "--wall-display", "auto", "--operator-display", "none"],
      cwd: REPO,
      env: { ...process.env, GRID_CONSOLE_TOKEN: feed.token } as Record<string, string>,
    });
    try {
      const page = await app.firstWindow();
      expect(page.url()).toMatch(/^app:\/\/console\//);
      expect(await page.evaluate(() => typeof (window as unknown as { consoleBridge?: unknown }).consoleBridge)).toBe("object");
      await waitForState(page, "live");
    } finally {
      await app.close();
    }
  });
});
