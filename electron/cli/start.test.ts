import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { spawnReady, stopChildren } from "../../scripts/lib/children.js";
import { electronBinary } from "./launch.js";

/*
 * `npm start` in a checkout without the Electron binary, as a user runs it:
 * the web host, the demo asked for only when no feed is configured, and the
 * keyed `console at` line. A browser that does not exist keeps it from
 * opening a window. Where the Electron binary is installed, npm start opens
 * the shell instead, so these do not apply.
 */

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const DEMO_LINE = "No feed configured: running the built-in demo and training feed";
const withoutElectron = electronBinary() === null ? it : it.skip;

afterEach(() => stopChildren());

async function start(args: string[], env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "npm-start-"));
  return spawnReady("start", process.execPath, ["--import", "tsx", "electron/cli/start.ts", "--port", "0", "--data-dir", dataDir, "--browser", path.join(dataDir, "no-such-browser"), ...args], /console at (\S+)/, {
    cwd: REPO,
    timeoutMs: 120_000,
    env,
  });
}

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on("error", reject)
      .end();
  });
}

describe("npm start in a checkout", () => {
  withoutElectron("asks for the demo itself when no feed is configured, says so, and prints the keyed console URL", async () => {
    const child = await start([]);
    expect(child.output()).toContain(DEMO_LINE);
    expect(child.output()).toMatch(/demo: running the reference feed embedded/);
    const url = new URL(child.ready);
    expect(url.hostname).toBe("127.0.0.1");
    expect(url.searchParams.get("key")).toMatch(/^[0-9a-f]{64}$/);
    expect(await status(child.ready)).toBe(303);
    expect(await status(url.origin)).toBe(403);
    expect(await child.stop("SIGTERM")).toBe(0);
  }, 150_000);

  withoutElectron("runs no demo when a feed is configured", async () => {
    const child = await start(["--feed-url", "http://127.0.0.1:9"], { GRID_CONSOLE_TOKEN: "start-test-token" });
    expect(child.output()).not.toContain(DEMO_LINE);
    expect(child.output()).not.toMatch(/demo: running/);
    expect(child.output()).not.toContain("start-test-token");
    expect(await child.stop("SIGTERM")).toBe(0);
  }, 150_000);
});
