import type { EngineOptions } from "../engine/api.js";
import { DEFAULT_RESTART_POLICY, createSupervisedEngine } from "../engine/worker/supervisor.js";
import { createLog } from "../host/log.js";
import { APP_ROOT, configOrExit, exitOnStartFailure, startConsole, stopOnSignals } from "./console-host.js";
import { feedTarget } from "./embedded-feed.js";

/*
 * `npm run serve -- --port <p> --feed-url <url> --token <t> --data-dir <dir>`:
 * the engine and the web host, no window. The ready line on stdout is the
 * contract scripts wait for; everything else goes to stderr.
 */

const log = createLog();
const config = configOrExit(process.argv.slice(2), "npm run serve --");

/*
 * e2e/engine-restart.test.ts only: CONSOLE_TEST_CRASHING_ENGINE=1 runs
 * the engine's thread from electron/engine/testing/crashing-engine-worker.ts,
 * which crashes when a file appears in the data directory, so the test can
 * crash it from outside; with it, CONSOLE_TEST_RESTART_BACKOFF_MS sets
 * the first restart's wait, so the test sees the restarting state for long
 * enough to read it. Nothing in the configuration reaches either, and only a
 * checkout run through tsx has the script (this file is not bundled). Not
 * GRID_CONSOLE_*: those are the configuration, which refuses names it does
 * not know.
 */
const crashingEntry = process.env.CONSOLE_TEST_CRASHING_ENGINE === "1" && import.meta.url.endsWith(".ts") ? new URL("../engine/testing/crashing-engine-worker.ts", import.meta.url) : undefined;
if (crashingEntry) log("warn", "CONSOLE_TEST_CRASHING_ENGINE is set: the engine runs with the test-only crash hook (e2e only)");
const testBackoffMs = Number(process.env.CONSOLE_TEST_RESTART_BACKOFF_MS);
const createEngine = (options: EngineOptions) =>
  createSupervisedEngine(
    crashingEntry === undefined
      ? options
      : { ...options, entry: crashingEntry, ...(Number.isFinite(testBackoffMs) && testBackoffMs > 0 ? { restart: { backoffMs: [testBackoffMs, ...DEFAULT_RESTART_POLICY.backoffMs.slice(1)] } } : {}) },
  );

try {
  const feed = await feedTarget(config, log, APP_ROOT);
  const running = await startConsole(config, feed.target, createEngine, log);
  stopOnSignals(async () => {
    await running.stop();
    await feed.stop();
  }, log);
  process.stdout.write(`console at ${running.host.url}\n`);
} catch (error) {
  exitOnStartFailure(error);
}
