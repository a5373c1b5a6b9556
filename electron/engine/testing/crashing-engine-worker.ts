import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import "../worker/entry.js";
import type { WorkerStart } from "../worker/protocol.js";
import { CRASH_FILE } from "./crash-hook.js";

/*
 * The engine's worker script (../worker/entry.ts) with ways to crash it, for
 * the worker and supervisor tests and e2e/engine-restart.test.ts. Only a
 * test names this script (WorkerEngine's `entry`; the web host's
 * CONSOLE_TEST_CRASHING_ENGINE, read by electron/cli/serve.ts from a
 * checkout): the console's own thread runs ../worker/entry.ts.
 * - an `acknowledgeAlert` call for the alert id "crash-the-engine" throws on
 *   the thread, uncaught, while the engine is still answering it, as a bug in
 *   the engine's own code would; one for "exit-the-engine" ends the thread
 *   with exit code 3; one for "oom-the-engine" fills the thread's heap until
 *   its limit ends it;
 * - a file named CRASH_FILE in the data directory is taken away and the
 *   thread throws (checked every 100 ms): a crash from outside the process
 *   (./crash-hook.ts).
 * (The engine's listener is attached first, by the import: a listener
 * attached before it would receive the messages the entry needs.)
 */

parentPort?.on("message", (message: { type?: string; name?: string; request?: { id?: string } }) => {
  if (message.type !== "call" || message.name !== "acknowledgeAlert") return;
  if (message.request?.id === "crash-the-engine") throw new Error("engine thread crashed on purpose");
  // A thread that ends without an error (a dependency calling process.exit): in a worker, that ends the thread alone.
  if (message.request?.id === "exit-the-engine") process.exit(3);
  // A leak: the thread fills its heap until its limit (WorkerEngine's resourceLimits) ends it.
  if (message.request?.id === "oom-the-engine") {
    const hog: number[][] = [];
    for (;;) hog.push(new Array<number>(1 << 20).fill(hog.length));
  }
});

const crashFile = path.join((workerData as WorkerStart).options.dataDir, CRASH_FILE);
setInterval(() => {
  if (!existsSync(crashFile)) return;
  rmSync(crashFile, { force: true });
  throw new Error("engine thread crashed on purpose (test hook file)");
}, 100).unref();
