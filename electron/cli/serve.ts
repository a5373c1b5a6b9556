import type { EngineOptions } from "../engine/api.js";
import { createSupervisedEngine } from "../engine/worker/supervisor.js";
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
 * e2e/engine-restart.test.ts only: GRID_CONSOLE_TEST_CRASHING_ENGINE=1 runs
 * the engine's thread from electron/engine/testing/crashing-engine-worker.ts,
 * which crashes when a file appears in the data directory, so the test can
 * crash it from outside. Nothing in the configuration reaches it, and only a
 * checkout run through tsx has the script (this file is not bundled).
 */
const crashingEntry = process.env.GRID_CONSOLE_TEST_CRASHING_ENGINE === "1" && import.meta.url.endsWith(".ts") ? new URL("../engine/testing/crashing-engine-worker.ts", import.meta.url) : undefined;
if (crashingEntry) log("warn", "GRID_CONSOLE_TEST_CRASHING_ENGINE is set: the engine runs with the test-only crash hook (e2e only)");
const createEngine = (options: EngineOptions) => createSupervisedEngine(crashingEntry === undefined ? options : { ...options, entry: crashingEntry });

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
