import { createWorkerEngine } from "../engine/worker/worker-engine.js";
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

try {
  const feed = await feedTarget(config, log, APP_ROOT);
  const running = await startConsole(config, feed.target, createWorkerEngine, log);
  stopOnSignals(async () => {
    await running.stop();
    await feed.stop();
  }, log);
  process.stdout.write(`console at ${running.host.url}\n`);
} catch (error) {
  exitOnStartFailure(error);
}
