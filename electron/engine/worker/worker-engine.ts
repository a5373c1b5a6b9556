import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";
import { BRIDGE_CALLS, type BridgeCallName, type BridgeEventName, type BridgeEvents, type BridgeHandlers, type CallerSession, type ConnectionStatus, type Result } from "../../../shared/bridge/contract.js";
import type { Engine, EngineOptions } from "../api.js";
import type { EngineTiming } from "../engine.js";
import type { CrossedError, FromWorker, ToWorker, WorkerStart } from "./protocol.js";
import { EngineListeners } from "./listeners.js";

/*
 * The engine on a worker thread, behind the same `Engine` interface as the
 * in-process one: the process that owns the windows (Electron main) or the
 * HTTP server (the web host) only forwards calls and events, so opening the
 * cache, compacting and encoding never hold its event loop. Calls and events
 * cross by postMessage (./protocol.ts).
 *
 * When the thread dies (an uncaught error, an exit), the failure is logged,
 * calls waiting and every later call reject with an error saying so, and
 * pages get a status `offline` with reason `engine_stopped`: nothing waits
 * for an answer that cannot come. Under a supervisor (./supervisor.ts, what
 * the shells run) `onFailure` is told instead, and the supervisor words the
 * status and starts a new thread on the same cache.
 */

export type WorkerEngineOptions = EngineOptions & {
  timing?: Partial<EngineTiming>;
  /** The worker's script; by default ./entry.ts from a checkout, engine-worker.cjs beside a bundle. */
  entry?: URL;
  /** How long stop() waits for the flush before ending the thread anyway. */
  stopTimeoutMs?: number;
  /**
   * Told once when the thread dies unexpectedly (not after stop()), after
   * the waiting calls are rejected. When set, this engine sends no
   * `engine_stopped` status of its own: the one told reports it (./supervisor.ts).
   */
  onFailure?: (failure: EngineStoppedError) => void;
  /** The thread's heap limits (worker_threads `resourceLimits`): past them it ends with ERR_WORKER_OUT_OF_MEMORY, reported as a crash. */
  resourceLimits?: WorkerOptions["resourceLimits"];
};

type Waiting = { resolve: (value: Result<unknown> | undefined) => void; reject: (error: Error) => void };

const DEFAULT_STOP_TIMEOUT_MS = 15_000;

export class EngineStoppedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EngineStoppedError";
  }
}

export class WorkerEngine implements Engine {
  readonly handlers: BridgeHandlers;
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private readonly listeners = new EngineListeners(() => this.log);
  private readonly log: EngineOptions["log"];
  private readonly dataDir: string;
  private readonly stopTimeoutMs: number;
  private readonly onFailure: WorkerEngineOptions["onFailure"];
  private nextId = 1;
  private failure: EngineStoppedError | null = null;
  private exited = false;
  private stopping: Promise<void> | null = null;
  private lastStatus: ConnectionStatus | null = null;
  private readonly exit: Promise<void>;

  constructor(options: WorkerEngineOptions) {
    const { log, timing, entry, stopTimeoutMs, onFailure, resourceLimits, ...engineOptions } = options;
    this.log = log;
    this.onFailure = onFailure;
    this.dataDir = engineOptions.dataDir;
    this.stopTimeoutMs = stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    // A city's parsed layer took this thread 0.1-0.6 s to clone (BENCHMARKS.md, host): where it came from a file, the thread reads that instead.
    const layerFromFile = engineOptions.regionLayerFile !== undefined;
    const start: WorkerStart = {
      options: layerFromFile ? { ...engineOptions, regionLayer: null } : engineOptions,
      layerFromFile,
      logs: log !== undefined,
      ...(timing === undefined ? {} : { timing }),
    };
    this.worker = startTypeScriptWorker(entry ?? defaultEntry(), { workerData: start, name: "console-engine", ...(resourceLimits === undefined ? {} : { resourceLimits }) });
    this.worker.on("message", (message: FromWorker) => this.receive(message));
    this.worker.on("error", (error) => this.fail(`the engine stopped on an uncaught error: ${error.message}`, error));
    this.exit = new Promise((resolve) => {
      this.worker.once("exit", (code) => {
        this.exited = true;
        // An exit asked for by stop() is no failure; any other is.
        if (this.stopping === null) this.fail(`the engine's thread exited (code ${code})`);
        else this.rejectWaiting(new EngineStoppedError("the engine is stopped"));
        resolve();
      });
    });
    const handlers: Partial<Record<BridgeCallName, (request: unknown, caller?: CallerSession) => Promise<Result<unknown>>>> = {};
    for (const name of BRIDGE_CALLS) handlers[name] = (request, caller) => this.request({ type: "call", name, request, ...(caller === undefined ? {} : { caller }) }) as Promise<Result<unknown>>;
    this.handlers = handlers as BridgeHandlers;
  }

  on<K extends BridgeEventName>(event: K, listener: (payload: BridgeEvents[K]) => void): () => void {
    return this.listeners.on(event, listener);
  }

  async start(): Promise<void> {
    await this.request({ type: "start" });
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopWorker();
    return this.stopping;
  }

  private async stopWorker(): Promise<void> {
    if (this.exited || this.failure) {
      await this.worker.terminate();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), this.stopTimeoutMs)));
    try {
      const outcome = await Promise.race([this.send({ type: "stop", id: this.nextId++ }), deadline]);
      if (outcome === "late") this.log?.("error", `the engine did not stop within ${this.stopTimeoutMs} ms: ending its thread (the journal keeps what was not compacted)`);
    } finally {
      clearTimeout(timer);
      await this.worker.terminate();
      await this.exit;
    }
  }

  private request(message: Omit<Extract<ToWorker, { type: "call" }>, "id"> | { type: "start" }): Promise<Result<unknown> | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.stopping !== null || this.exited) return Promise.reject(new EngineStoppedError("the engine is stopped"));
    return this.send({ ...message, id: this.nextId++ } as ToWorker);
  }

  private send(message: ToWorker): Promise<Result<unknown> | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.set(message.id, { resolve, reject });
      try {
        this.worker.postMessage(message);
      } catch (error) {
        // A request that cannot be cloned (a function in it) is refused here, not sent.
        this.waiting.delete(message.id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case "done": {
        const waiting = this.waiting.get(message.id);
        if (!waiting) return;
        this.waiting.delete(message.id);
        if (message.ok) waiting.resolve(message.value);
        else waiting.reject(revive(message.error));
        return;
      }
      case "event":
        if (message.name === "status") this.lastStatus = message.payload as ConnectionStatus;
        this.emit(message.name, message.payload);
        return;
      case "log":
        this.log?.(message.level, message.message, message.fields);
        return;
    }
  }

  private emit(name: BridgeEventName, payload: BridgeEvents[BridgeEventName]): void {
    this.listeners.emit(name, payload);
  }

  private fail(message: string, cause?: Error): void {
    if (this.failure) return;
    this.failure = new EngineStoppedError(message, cause === undefined ? undefined : { cause });
    this.log?.("error", message, cause?.stack === undefined ? { dataDir: this.dataDir } : { dataDir: this.dataDir, stack: cause.stack });
    this.rejectWaiting(this.failure);
    if (this.onFailure) {
      this.onFailure(this.failure);
      return;
    }
    const now = new Date().toISOString();
    this.emit("status", {
      state: "offline",
      since: now,
      dataAsOf: this.lastStatus?.dataAsOf ?? null,
      epoch: this.lastStatus?.epoch ?? null,
      lastSeq: this.lastStatus?.lastSeq ?? 0,
      reason: { code: "engine_stopped", error: cause?.message ?? message },
      detail: message,
    });
  }

  /** The last status the thread sent, if any (its data time, epoch and seq carry over into the supervisor's). */
  get status(): ConnectionStatus | null {
    return this.lastStatus;
  }

  private rejectWaiting(error: Error): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const entry of waiting) entry.reject(error);
  }
}

/** The engine on its own thread; same options as `createEngine`. */
export function createWorkerEngine(options: WorkerEngineOptions): WorkerEngine {
  return new WorkerEngine(options);
}

function revive(crossed: CrossedError): Error {
  const error = new Error(crossed.message);
  error.name = crossed.name;
  if (crossed.stack !== undefined) error.stack = crossed.stack;
  return error;
}

/*
 * Where the worker's script is. From a checkout (tsx, vitest) this module is
 * ./worker-engine.ts and the script ./entry.ts; bundled, import.meta.url is
 * the bundle's own (scripts/build.mjs), and the worker's bundle lies beside it.
 */
export function defaultEntry(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("./entry.ts", here) : new URL("./engine-worker.cjs", here);
}

/**
 * A worker thread whose script may be TypeScript: a `.ts` script is loaded
 * through tsx's loader, registered inside the new thread (Node 20 does not
 * apply `--import` from a worker's execArgv before its main script).
 */
export function startTypeScriptWorker(script: URL, options: WorkerOptions): Worker {
  if (!script.pathname.endsWith(".ts")) return new Worker(script, options);
  const code = `import(${JSON.stringify(tsxLoaderUrl())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}

/** tsx's ESM API (`tsx/esm/api`, its `import` condition), found from this file: the thread's eval'd script has no module of its own to resolve from. */
function tsxLoaderUrl(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("tsx/package.json");
  const exported = (JSON.parse(readFileSync(manifest, "utf8")) as { exports?: Record<string, { import?: { default?: string } }> }).exports?.["./esm/api"]?.import?.default;
  if (exported === undefined) throw new Error(`tsx at ${path.dirname(manifest)} exports no ESM API (tsx/esm/api): a checkout needs tsx 4 to run the engine's worker from TypeScript`);
  return pathToFileURL(path.join(path.dirname(manifest), exported)).href;
}
