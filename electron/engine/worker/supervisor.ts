import { BRIDGE_CALLS, BRIDGE_EVENTS, type BridgeCallName, type BridgeEventName, type BridgeEvents, type BridgeHandlers, type CallerSession, type ConnectionStatus, type Diagnostics, type Result } from "../../../shared/bridge/contract.js";
import type { Engine } from "../api.js";
import { EngineStoppedError, WorkerEngine, type WorkerEngineOptions } from "./worker-engine.js";
import { EngineListeners } from "./listeners.js";

/*
 * The engine's thread, restarted when it dies. A thread that ends
 * unexpectedly (an uncaught error, process.exit inside it, its heap limit) is
 * started again after a backoff (1 s, 2 s, 5 s, 10 s, 30 s by default) on the
 * same data directory: the new engine opens the same cache.sqlite and replays
 * its journal, so nothing committed is lost, and it reloads the outbox, so a
 * queued command is sent by the new engine with the same commandId (the
 * platform applies a commandId at most once: README, Outbox). After
 * `maxCrashes` crashes within `windowMs` it gives up and says so.
 *
 * Pages see it: status `offline` with reason `engine_restarting` (what broke,
 * which restart, in how many seconds) while it is down, then the new engine's
 * own statuses (connecting, live); on giving up, `engine_stopped` with the
 * count. Listeners attached with `on` stay attached across restarts, and
 * `onRestarted` tells the shells when a new engine is up, so they make their
 * pages resynchronise (electron/host/server.ts sends `resync`).
 *
 * Calls made while it restarts wait for the new engine up to `callWaitMs`,
 * then answer `unavailable`; a call the dying thread was answering answers
 * `unknown_outcome` (it may or may not have taken effect: a command may be in
 * the outbox already, and the new engine sends it). The crash and each
 * restart are logged with the cause.
 */

export type RestartPolicy = {
  /** The wait before restart n is backoffMs[n - 1]; the last one is repeated. */
  backoffMs: readonly number[];
  /** Crashes within `windowMs` after which the engine is not restarted again. */
  maxCrashes: number;
  windowMs: number;
  /** How long a call made while restarting waits for the new engine before answering `unavailable`. */
  callWaitMs: number;
  /** How long a restarted engine's start() may take; longer is treated as a crash (`start_timeout`), counted toward giving up. */
  startTimeoutMs: number;
};

export const DEFAULT_RESTART_POLICY: RestartPolicy = { backoffMs: [1_000, 2_000, 5_000, 10_000, 30_000], maxCrashes: 5, windowMs: 10 * 60_000, callWaitMs: 15_000, startTimeoutMs: 120_000 };

export type SupervisedEngineOptions = WorkerEngineOptions & { restart?: Partial<RestartPolicy> };

/**
 * What broke, as a code pages word in their language: `out_of_memory`,
 * `exit <code>`, `uncaught_error`, `start_timeout` (a restarted engine's
 * start() took longer than `startTimeoutMs`), `start_failed` (it refused to
 * start), `terminated` (anything else). The failure's own text (an error
 * message can quote input or file paths) goes to the log only.
 */
export type EngineCrashCause = "out_of_memory" | `exit ${number}` | "uncaught_error" | "start_timeout" | "start_failed" | "terminated";

/** What `onRestarted` listeners get: the cause of the crash the new engine replaces, and which restart it is. */
export type EngineRestart = { attempt: number; cause: EngineCrashCause };

type Waiter = (engine: WorkerEngine | null) => void;

export class SupervisedEngine implements Engine {
  readonly handlers: BridgeHandlers;
  private readonly options: WorkerEngineOptions;
  private readonly policy: RestartPolicy;
  private readonly log: WorkerEngineOptions["log"];
  private readonly listeners = new EngineListeners(() => this.log);
  private readonly restartListeners = new Set<(restart: EngineRestart) => void>();
  /** The engine in charge: running, or starting after a crash; null while waiting out a backoff. */
  private engine: WorkerEngine | null;
  /** Whether `engine` answers calls: the first from the start (as a WorkerEngine does), a restarted one once its start() resolved. */
  private ready = true;
  private waiters: Waiter[] = [];
  /** When each crash within the window happened (epoch ms). */
  private crashes: number[] = [];
  private restartTimer: NodeJS.Timeout | null = null;
  private gaveUp: Extract<NonNullable<ConnectionStatus["reason"]>, { code: "engine_stopped" }> | null = null;
  private stopping: Promise<void> | null = null;
  private lastStatus: ConnectionStatus | null = null;
  private restarts = 0;
  private lastRestart: { lastAt: string; lastCause: EngineCrashCause } | null = null;
  /** Whether the first start() resolved: a thread that dies before that is a failed start, not a crash to restart from. */
  private started = false;

  constructor(options: SupervisedEngineOptions) {
    const { restart, ...engineOptions } = options;
    this.options = engineOptions;
    this.policy = { ...DEFAULT_RESTART_POLICY, ...restart };
    if (this.policy.backoffMs.length === 0) throw new Error("the engine's restart policy needs at least one backoff");
    this.log = engineOptions.log;
    this.engine = this.spawn();
    const handlers: Partial<Record<BridgeCallName, (request: unknown, caller?: CallerSession) => Promise<Result<unknown>>>> = {};
    for (const name of BRIDGE_CALLS) handlers[name] = (request, caller) => this.call(name, request, caller);
    this.handlers = handlers as BridgeHandlers;
  }

  on<K extends BridgeEventName>(event: K, listener: (payload: BridgeEvents[K]) => void): () => void {
    return this.listeners.on(event, listener);
  }

  /** Told each time a new engine is up after a crash (the shells make their pages resynchronise). */
  onRestarted(listener: (restart: EngineRestart) => void): () => void {
    this.restartListeners.add(listener);
    return () => void this.restartListeners.delete(listener);
  }

  /** Starts the first engine. A first start that fails is the shell's to report (a cache from a newer console, a bad layer): it is not retried. */
  async start(): Promise<void> {
    const engine = this.engine;
    if (engine === null || this.stopping !== null) throw new EngineStoppedError("the engine is stopped");
    await engine.start();
    this.started = true;
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.wake(null);
    const engine = this.engine;
    this.engine = null;
    await engine?.stop();
  }

  private spawn(): WorkerEngine {
    const engine: WorkerEngine = new WorkerEngine({ ...this.options, onFailure: (failure) => this.crashed(engine, failure) });
    for (const name of BRIDGE_EVENTS) {
      engine.on(name, (payload) => {
        // A thread being replaced may still deliver what it had sent before it died; only the engine in charge speaks.
        if (engine !== this.engine) return;
        this.emit(name, payload);
      });
    }
    return engine;
  }

  private async call(name: BridgeCallName, request: unknown, caller: CallerSession | undefined): Promise<Result<unknown>> {
    const engine = await this.whenReady();
    if (engine === null) {
      if (this.stopping !== null) throw new EngineStoppedError("the engine is stopped");
      return { ok: false, error: { code: "unavailable", message: this.unavailableMessage() } };
    }
    const handler = engine.handlers[name] as (request: unknown, caller?: CallerSession) => Promise<Result<unknown>>;
    try {
      const result = await handler(request, caller);
      // The engine knows nothing of the threads before it: the diagnostics get the restarts from here.
      if (name === "getDiagnostics" && result.ok && this.lastRestart !== null) return { ok: true, value: { ...(result.value as Diagnostics), restarts: { count: this.restarts, ...this.lastRestart } } };
      return result;
    } catch (error) {
      if (!(error instanceof EngineStoppedError) || this.stopping !== null) throw error;
      return {
        ok: false,
        error: { code: "unknown_outcome", message: `the console's engine stopped while answering ${name}; it is being restarted: check whether this took effect before repeating it` },
      };
    }
  }

  private unavailableMessage(): string {
    if (this.gaveUp) return `the console's engine crashed ${this.gaveUp.crashes} times within ${Math.round((this.gaveUp.windowS ?? 0) / 60)} min and is no longer restarted; restart the console`;
    return `the console's engine is restarting and did not come back within ${this.policy.callWaitMs / 1000} s; try again in a moment`;
  }

  /** The engine once it answers calls; null when it is stopped, gave up, or not back within `callWaitMs`. */
  private whenReady(): Promise<WorkerEngine | null> {
    if (this.stopping !== null || this.gaveUp) return Promise.resolve(null);
    if (this.engine !== null && this.ready) return Promise.resolve(this.engine);
    return new Promise((resolve) => {
      const waiter: Waiter = (engine) => {
        clearTimeout(timer);
        resolve(engine);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(null);
      }, this.policy.callWaitMs);
      this.waiters.push(waiter);
    });
  }

  private wake(engine: WorkerEngine | null): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter(engine);
  }

  private crashed(engine: WorkerEngine, failure: Error, code: EngineCrashCause = causeCodeOf(failure)): void {
    if (engine !== this.engine || this.stopping !== null || !this.started) return;
    this.lastStatus = engine.status ?? this.lastStatus;
    this.engine = null;
    this.ready = false;
    // The thread is gone or going; this only releases what is left of it.
    engine.stop().catch(() => undefined);
    const now = Date.now();
    this.crashes = [...this.crashes.filter((at) => now - at < this.policy.windowMs), now];
    const cause = code;
    const text = causeOf(failure);
    const windowS = Math.round(this.policy.windowMs / 1000);
    if (this.crashes.length >= this.policy.maxCrashes) {
      this.gaveUp = { code: "engine_stopped", error: cause, crashes: this.crashes.length, windowS };
      this.log?.("error", `the engine crashed ${this.crashes.length} times within ${Math.round(windowS / 60)} min: it is not restarted again; restart the console`, { cause, error: text, dataDir: this.options.dataDir });
      this.wake(null);
      this.emitStatus(this.gaveUp);
      return;
    }
    const attempt = this.crashes.length;
    const delayMs = this.policy.backoffMs[Math.min(attempt, this.policy.backoffMs.length) - 1] ?? 0;
    this.log?.("error", `the engine crashed (${cause}: ${text}): restarting it on the same cache in ${delayMs / 1000} s (restart ${attempt}; ${attempt} crash(es) within ${Math.round(windowS / 60)} min, ${this.policy.maxCrashes} stop restarting)`, {
      cause,
      attempt,
      delayMs,
      dataDir: this.options.dataDir,
      ...(failure.cause instanceof Error && failure.cause.stack !== undefined ? { stack: failure.cause.stack } : {}),
    });
    this.emitStatus({ code: "engine_restarting", error: cause, attempt, retryInS: Math.ceil(delayMs / 1000) });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      void this.restart(attempt, cause);
    }, delayMs);
  }

  private async restart(attempt: number, cause: EngineCrashCause): Promise<void> {
    if (this.stopping !== null) return;
    this.restarts++;
    const engine = this.spawn();
    this.engine = engine;
    this.log?.("info", `restarting the engine (restart ${attempt}, after: ${cause})`, { attempt, dataDir: this.options.dataDir });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), this.policy.startTimeoutMs);
    });
    try {
      const outcome = await Promise.race([engine.start().then(() => "started" as const), timeout]);
      if (outcome === "timeout") {
        // A start that hangs (the cache locked, a replay that never ends) would leave pages on engine_restarting for good: it is a crash like any other.
        if (engine === this.engine && this.stopping === null) this.crashed(engine, new Error(`the restarted engine did not start within ${this.policy.startTimeoutMs / 1000} s`), "start_timeout");
        return;
      }
    } catch (error) {
      // A start that failed without the thread dying (the cache would not open) is a crash like any other; one whose thread died was counted already.
      if (engine === this.engine && this.stopping === null) this.crashed(engine, error instanceof Error ? error : new Error(String(error)), error instanceof EngineStoppedError ? undefined : "start_failed");
      return;
    } finally {
      clearTimeout(timer);
    }
    if (engine !== this.engine || this.stopping !== null) return;
    this.ready = true;
    this.lastRestart = { lastAt: new Date().toISOString(), lastCause: cause };
    this.log?.("info", `the engine is running again (restart ${attempt}, after: ${cause})`, { attempt });
    this.wake(engine);
    for (const listener of this.restartListeners) {
      try {
        listener({ attempt, cause });
      } catch (error) {
        this.log?.("error", "an engine restart listener threw", { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  /** Restarts since this supervisor was made (diagnostics, tests). */
  get restartCount(): number {
    return this.restarts;
  }

  private emitStatus(reason: Extract<NonNullable<ConnectionStatus["reason"]>, { code: "engine_stopped" | "engine_restarting" }>): void {
    const last = this.lastStatus;
    this.emit("status", {
      state: "offline",
      since: new Date().toISOString(),
      dataAsOf: last?.dataAsOf ?? null,
      epoch: last?.epoch ?? null,
      lastSeq: last?.lastSeq ?? 0,
      reason,
      detail: reason.code === "engine_restarting" ? `the engine is restarting (${reason.error})` : `the engine stopped (${reason.error})`,
    });
  }

  private emit(name: BridgeEventName, payload: BridgeEvents[BridgeEventName]): void {
    if (name === "status") this.lastStatus = payload as ConnectionStatus;
    this.listeners.emit(name, payload);
  }
}

/** The engine on its own thread, restarted when that thread dies (what the shells run). */
export function createSupervisedEngine(options: SupervisedEngineOptions): SupervisedEngine {
  return new SupervisedEngine(options);
}

/** What broke, in one line, for the log only: the uncaught error's message, or the exit code. */
function causeOf(failure: Error): string {
  return failure.cause instanceof Error ? failure.cause.message : failure.message;
}

/** What broke, as a code (./worker-engine.ts words an exit "the engine's thread exited (code N)" and keeps an uncaught error as the cause). */
export function causeCodeOf(failure: Error): EngineCrashCause {
  const cause = failure.cause;
  if (cause instanceof Error) {
    if ((cause as Error & { code?: unknown }).code === "ERR_WORKER_OUT_OF_MEMORY") return "out_of_memory";
    return "uncaught_error";
  }
  const exit = /\(code (-?\d+)\)/.exec(failure.message);
  if (exit) return `exit ${Number(exit[1])}`;
  return "terminated";
}
