import { readFileSync } from "node:fs";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { BRIDGE_EVENTS, type CallerSession, type Result } from "../../../shared/bridge/contract.js";
import { createEngine } from "../index.js";
import { crossError, transferables, type FromWorker, type ToWorker, type WorkerStart } from "./protocol.js";

/*
 * The engine's thread: the engine the shells used to run in-process, made by
 * the same factory, answering ./worker-engine.ts. Bundled on its own to
 * dist/electron/engine-worker.cjs (scripts/build.mjs); from a checkout it is
 * loaded through tsx. An uncaught error here ends the thread, and the proxy
 * reports it: nothing in this file catches what the engine throws on its
 * own timers.
 */

if (isMainThread || parentPort === null) throw new Error("electron/engine/worker/entry.ts runs as a worker thread (createWorkerEngine), not on its own");
const port = parentPort;
const start = workerData as WorkerStart;

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function postLog(level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>): void {
  try {
    post({ type: "log", level, message, ...(fields === undefined ? {} : { fields }) });
  } catch {
    // A field that cannot be cloned (a function, a socket) is logged as text rather than lost.
    post({ type: "log", level, message, fields: { fields: String(JSON.stringify(fields, (_key, value: unknown) => (typeof value === "function" ? "[function]" : value))) } });
  }
}

/** The layer the shell read and checked (config/prepare.ts), read again here rather than cloned across. */
function regionLayer(): unknown {
  const file = start.options.regionLayerFile;
  if (!start.layerFromFile || file === undefined) return start.options.regionLayer;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as unknown;
  } catch (error) {
    throw new Error(`the region layer ${file} could not be read again on the engine's thread: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

const engine = createEngine({
  ...start.options,
  regionLayer: regionLayer(),
  ...(start.timing === undefined ? {} : { timing: start.timing }),
  ...(start.logs ? { log: postLog } : {}),
});

for (const name of BRIDGE_EVENTS) {
  engine.on(name, (payload) => post({ type: "event", name, payload }, transferables(payload)));
}

function settle(id: number, work: Promise<unknown>, asResult: boolean): void {
  work.then(
    (value) => {
      if (!asResult) return post({ type: "done", id, ok: true });
      const message: FromWorker = { type: "done", id, ok: true, value: value as NonNullable<Extract<FromWorker, { ok: true }>["value"]> };
      post(message, transferables(message.value));
    },
    (error: unknown) => post({ type: "done", id, ok: false, error: crossError(error) }),
  );
}

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "call": {
      const { name, request, caller } = message;
      // The owner's dispatcher checked the name and the request against the contract before sending.
      const handler = engine.handlers[name] as (request: unknown, caller?: CallerSession) => Promise<Result<unknown>>;
      settle(message.id, Promise.resolve().then(() => handler(request, caller)), true);
      return;
    }
    case "start":
      settle(message.id, engine.start(), false);
      return;
    case "stop":
      // The proxy ends the thread once this answers, that is once the cache is flushed.
      settle(message.id, engine.stop(), false);
      return;
  }
});
