import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BridgeEventName, BridgeEvents, ConsoleSettings } from "../../../shared/bridge/contract.js";
import type { EngineTiming } from "../engine.js";
import { ConsoleEngine } from "../engine.js";

/* Test scaffolding: engines with short timings in throwaway data directories. */

export const SETTINGS: ConsoleSettings = {
  subCenterName: "测试分中心",
  districtCode: "110101",
  language: "zh-CN",
  operator: { id: "op-1", name: "值班员" },
  briefing: { intervalSeconds: 20 },
  alertSound: false,
  demo: false,
  categories: [],
  departments: [],
};

export const FAST: Partial<EngineTiming> = {
  stallAfterMs: 1_000,
  snapshotTimeoutMs: 800,
  subscribeTimeoutMs: 2_000,
  gapWaitMs: 100,
  backoffBaseMs: 50,
  backoffMaxMs: 300,
  refusedRetryMs: 60_000,
  ackTimeoutMs: 500,
  retryBaseMs: 50,
  retryMaxMs: 300,
  pushMs: 20,
  positionsMs: 40,
};

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "engine-test-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function makeEngine(feedUrl: string, dataDir: string, change: Partial<ConstructorParameters<typeof ConsoleEngine>[0]> = {}): ConsoleEngine {
  return new ConsoleEngine({
    feedUrl,
    token: "secret",
    consoleId: "console-test",
    dataDir,
    settings: SETTINGS,
    regionLayer: null,
    timing: FAST,
    ...change,
  });
}

/** Polls until `check` holds (the engine works on timers and sockets), or fails with `what`. */
export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every payload of one event, in order. */
export function record<K extends BridgeEventName>(engine: ConsoleEngine, event: K): BridgeEvents[K][] {
  const seen: BridgeEvents[K][] = [];
  engine.on(event, (payload) => seen.push(payload));
  return seen;
}

/** Runs the sqlite3 CLI (outside acceptance tests read the cache with it); a missing binary fails with what to install. */
export function sqlite3(file: string, sql: string): string {
  try {
    return execFileSync("sqlite3", [file, sql], { encoding: "utf8" }).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error("the sqlite3 command-line tool is required by this test: apt-get install -y sqlite3", { cause: error });
    throw error;
  }
}
