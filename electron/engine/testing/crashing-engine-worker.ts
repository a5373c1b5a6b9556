import { parentPort } from "node:worker_threads";
import "../worker/entry.js";

/*
 * The engine's worker script (../worker/entry.ts) with one way to crash it,
 * for ../worker/worker-engine.test.ts: an `acknowledgeAlert` call for the
 * alert id "crash-the-engine" throws on the thread, uncaught, while the
 * engine is still answering it, as a bug in the engine's own code would;
 * one for "exit-the-engine" ends the thread with exit code 3.
 * (The engine's listener is attached first, by the import: a listener
 * attached before it would receive the messages the entry needs.)
 */

parentPort?.on("message", (message: { type?: string; name?: string; request?: { id?: string } }) => {
  if (message.type !== "call" || message.name !== "acknowledgeAlert") return;
  if (message.request?.id === "crash-the-engine") throw new Error("engine thread crashed on purpose");
  // A thread that ends without an error (a dependency calling process.exit): in a worker, that ends the thread alone.
  if (message.request?.id === "exit-the-engine") process.exit(3);
});
