import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { createFeedServer, type FeedServer } from "../../../feed/server.js";
import { fixtureLayer } from "../../../feed/region-synthetic.js";
import type { ConnectionStatus } from "../../../shared/bridge/contract.js";
import { sqlite3, tempDir, until } from "../testing/harness.js";
import { engineTestScope } from "../testing/scope.js";
import { heldIds, record, threadEngineOptions } from "../testing/thread-engine.js";
import { makeIncident } from "../testing/mini-feed.js";
import { CRASH_FILE } from "../testing/crash-hook.js";
import { SupervisedEngine, type SupervisedEngineOptions } from "./supervisor.js";

/*
 * The supervisor around the engine's thread, driven through the `Engine`
 * interface a shell holds: a real thread that really dies (an uncaught error,
 * process.exit, a file dropped from outside), a real (mini) feed over
 * Socket.IO, and the reference feed (feed/) for the outbox across a crash.
 */

const { cleanups, feed } = engineTestScope();
const CRASHING_ENTRY = new URL("../testing/crashing-engine-worker.ts", import.meta.url);
const QUICK = { backoffMs: [100, 200], maxCrashes: 3, windowMs: 60_000, callWaitMs: 10_000 };

function supervised(feedUrl: string, change: Partial<SupervisedEngineOptions> = {}): { engine: SupervisedEngine; dataDir: string; logs: string[] } {
  const { options, dataDir, logs, remove } = threadEngineOptions(feedUrl);
  const engine = new SupervisedEngine({ ...options, entry: CRASHING_ENTRY, restart: QUICK, ...change });
  cleanups.push(remove, () => engine.stop());
  return { engine, dataDir, logs };
}

/** A supervised engine started and live, with every status it pushes. */
async function live(feedUrl: string, change: Partial<SupervisedEngineOptions> = {}, what = "live"): Promise<ReturnType<typeof supervised> & { statuses: ConnectionStatus[] }> {
  const made = supervised(feedUrl, change);
  const statuses = record(made.engine, "status");
  await made.engine.start();
  await until(() => statuses.at(-1)?.state === "live", what, 15_000);
  return { ...made, statuses };
}

const reasons = (statuses: ConnectionStatus[]) => statuses.map((s) => s.reason?.code ?? s.state);

describe("SupervisedEngine: the engine's thread restarted when it dies", () => {
  it("restarts a crashed thread on the same cache: live again, listeners attached before the crash get the next case change, pages are told", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    const { engine, dataDir, logs } = supervised(server.url);
    const statuses = record(engine, "status");
    const incidents = record(engine, "incidents");
    const restarts: number[] = [];
    engine.onRestarted((restart) => restarts.push(restart.attempt));
    await engine.start();
    await until(() => statuses.at(-1)?.state === "live" && incidents.some((c) => c.reset), "live after the snapshot (a reset: pages ask again for the cases they hold)", 15_000);
    expect(await heldIds(engine, ["A"])).toEqual(["A"]);
    const dataAsOf = statuses.at(-1)?.dataAsOf;

    // The call the thread dies under answers `unknown_outcome` (it may have taken effect: never "not done"), never hangs.
    const dying = await engine.handlers.acknowledgeAlert({ id: "crash-the-engine" });
    expect(dying).toEqual({ ok: false, error: { code: "unknown_outcome", message: "the console's engine stopped while answering acknowledgeAlert; it is being restarted: check whether this took effect before repeating it" } });
    const restarting = statuses.find((s) => s.reason?.code === "engine_restarting");
    // Pages get a cause code, never the error's own text (it can quote input or paths): that goes to the log.
    expect(restarting).toMatchObject({ state: "offline", dataAsOf, reason: { code: "engine_restarting", error: "uncaught_error", attempt: 1, retryInS: 1 }, detail: "the engine is restarting (uncaught_error)" });
    expect(JSON.stringify(statuses)).not.toContain("on purpose");

    // A call made while it restarts waits for the new engine and gets its answer.
    const during = await engine.handlers.getIncident({ id: "A" });
    expect(during).toMatchObject({ ok: true, value: { id: "A", version: 1 } });
    await until(() => restarts.length === 1 && statuses.at(-1)?.state === "live", "live again after the restart", 15_000);
    expect(engine.restartCount).toBe(1);
    expect(reasons(statuses.slice(statuses.indexOf(restarting as ConnectionStatus)))).toContain("live");

    const before = incidents.length;
    server.upsert(makeIncident("A", 2, { status: "registered" }));
    await until(() => incidents.slice(before).some((c) => c.upserts.some((i) => i.id === "A" && i.version === 2)), "case A at version 2 from the new engine", 15_000);
    expect(logs.some((line) => line.startsWith("error the engine crashed (uncaught_error: engine thread crashed on purpose): restarting it on the same cache in 0.1 s (restart 1;"))).toBe(true);
    expect(logs).toContain("info the engine is running again (restart 1, after: uncaught_error)");
    const diagnostics = await engine.handlers.getDiagnostics({});
    expect(diagnostics.ok && diagnostics.value.restarts).toMatchObject({ count: 1, lastCause: "uncaught_error" });
    await engine.stop();
    // The new engine wrote the same cache.sqlite.
    expect(sqlite3(join(dataDir, "cache.sqlite"), "SELECT id || ':' || version FROM incidents")).toBe("A:2");
  });

  it("restarts a thread that exits on its own, and one crashed from outside the process (the e2e hook)", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    const { engine, dataDir, logs, statuses } = await live(server.url);
    await engine.handlers.acknowledgeAlert({ id: "exit-the-engine" });
    await until(() => engine.restartCount === 1 && statuses.at(-1)?.state === "live", "live after the exit", 15_000);
    expect(statuses.some((s) => s.reason?.code === "engine_restarting" && s.reason.error === "exit 3")).toBe(true);

    writeFileSync(join(dataDir, CRASH_FILE), "");
    await until(() => engine.restartCount === 2 && statuses.at(-1)?.state === "live", "live after the second crash", 15_000);
    const second = statuses.filter((s) => s.reason?.code === "engine_restarting").at(-1);
    expect(second?.reason).toEqual({ code: "engine_restarting", error: "uncaught_error", attempt: 2, retryInS: 1 });
    expect(logs.some((line) => line.includes("restarting it on the same cache in 0.2 s (restart 2;"))).toBe(true);
  });

  it("restarts a thread that ran out of its heap (resourceLimits), naming the cause", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    const { engine, logs, statuses } = await live(server.url, { resourceLimits: { maxOldGenerationSizeMb: 128 } });
    await expect(engine.handlers.acknowledgeAlert({ id: "oom-the-engine" })).resolves.toMatchObject({ ok: false, error: { code: "unknown_outcome" } });
    await until(() => engine.restartCount === 1 && statuses.at(-1)?.state === "live", "live after running out of memory", 30_000);
    const restarting = statuses.find((s) => s.reason?.code === "engine_restarting");
    expect(restarting?.reason).toMatchObject({ code: "engine_restarting", attempt: 1, error: "out_of_memory" });
    expect(logs.some((line) => /^error the engine crashed \(out_of_memory: .*memory.*\): restarting it/.test(line))).toBe(true);
    expect(await engine.handlers.getIncident({ id: "A" })).toMatchObject({ ok: true, value: { id: "A" } });
  });

  it("gives up after maxCrashes within the window, says so to pages, the log and every later call", async () => {
    const server = await feed();
    const { engine, logs, statuses } = await live(server.url, { restart: { ...QUICK, maxCrashes: 2 } });
    await engine.handlers.acknowledgeAlert({ id: "crash-the-engine" });
    await until(() => engine.restartCount === 1 && statuses.at(-1)?.state === "live", "live after one restart", 15_000);
    await engine.handlers.acknowledgeAlert({ id: "exit-the-engine" });
    await until(() => statuses.at(-1)?.reason?.code === "engine_stopped", "given up", 5_000);
    expect(statuses.at(-1)).toMatchObject({ state: "offline", reason: { code: "engine_stopped", error: "exit 3", crashes: 2, windowS: 60 } });
    expect(logs).toContain("error the engine crashed 2 times within 1 min: it is not restarted again; restart the console");
    const later = await engine.handlers.getDiagnostics({});
    expect(later).toEqual({ ok: false, error: { code: "unavailable", message: "the console's engine crashed 2 times within 1 min and is no longer restarted; restart the console" } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(engine.restartCount).toBe(1);
    await engine.stop();
  });

  it("answers `unavailable` to a call that waited callWaitMs while the engine restarts", async () => {
    const server = await feed();
    const { engine } = await live(server.url, { restart: { ...QUICK, backoffMs: [3_000], callWaitMs: 300 } });
    await engine.handlers.acknowledgeAlert({ id: "crash-the-engine" });
    const started = Date.now();
    const waited = await engine.handlers.getDiagnostics({});
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(waited).toEqual({ ok: false, error: { code: "unavailable", message: "the console's engine is restarting and did not come back within 0.3 s; try again in a moment" } });
  });

  it("treats a restarted engine's start that outlasts startTimeoutMs as a crash (start_timeout), counted toward giving up", async () => {
    const server = await feed();
    // 1 ms: no restarted engine starts that quickly, so every restart times out, as a hung one would.
    const { engine, logs, statuses } = await live(server.url, { restart: { ...QUICK, startTimeoutMs: 1 } }, "live (the first start is the shell's, not bounded)");
    await engine.handlers.acknowledgeAlert({ id: "crash-the-engine" });
    await until(() => statuses.at(-1)?.reason?.code === "engine_stopped", "given up after the restarts hung", 15_000);
    const restarting = statuses.filter((s) => s.reason?.code === "engine_restarting").map((s) => s.reason);
    expect(restarting).toEqual([
      { code: "engine_restarting", error: "uncaught_error", attempt: 1, retryInS: 1 },
      { code: "engine_restarting", error: "start_timeout", attempt: 2, retryInS: 1 },
    ]);
    expect(statuses.at(-1)?.reason).toEqual({ code: "engine_stopped", error: "start_timeout", crashes: 3, windowS: 60 });
    expect(logs.some((line) => line.startsWith("error the engine crashed (start_timeout: the restarted engine did not start within 0.001 s): restarting"))).toBe(true);
    expect(await engine.handlers.getIncident({ id: "A" })).toMatchObject({ ok: false, error: { code: "unavailable" } });
  });

  it("does not restart a thread that dies before its first start resolved: the shell reports the failed start", async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    writeFileSync(join(dir, CRASH_FILE), "");
    const { engine } = supervised("http://127.0.0.1:9", { dataDir: dir, regionLayerFile: "/nonexistent/layer.geojson" });
    await expect(engine.start()).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(engine.restartCount).toBe(0);
  });
});

describe("SupervisedEngine: the outbox across a crash, against the reference feed (feed/)", () => {
  async function referenceFeed(port: number, stateDir: string): Promise<FeedServer> {
    const server = await createFeedServer({ token: "secret", port, seed: 7, stateDir, saveMs: 100, region: fixtureLayer({ communities: 1, side: 2 }), warmupHours: 1, casesPerGridDay: 200, heartbeatMs: 200, tickMs: 50, paused: true });
    cleanups.push(() => server.close());
    return server;
  }
  /** The outbox as the engine now holds it (a new engine with an empty outbox pushes no `outbox` event). */
  async function outboxEmpty(engine: SupervisedEngine, what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const initial = await engine.handlers.getInitialState({});
      if (initial.ok && initial.value.outbox.length === 0) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const notesOn = (server: FeedServer, incidentId: string, note: string) => (server.store.incidents.get(incidentId)?.history ?? []).filter((h) => h.action === "annotate" && h.note === note).length;

  it("a command queued while the platform is away survives the crash and is applied once; one in flight at a crash is applied once", async () => {
    const { dir: stateDir, remove } = tempDir();
    cleanups.push(remove);
    let server = await referenceFeed(47161, stateDir);
    const { engine, dataDir } = supervised(server.url);
    const statuses = record(engine, "status");
    const outbox = record(engine, "outbox");
    await engine.start();
    await until(() => statuses.at(-1)?.state === "live", "live", 20_000);
    const open = [...server.store.incidents.values()].find((i) => i.status !== "closed" && i.status !== "rejected");
    if (!open) throw new Error("the reference feed has no open case");

    // In flight: the platform applies the command, and the thread is ended before its answer can come back (terminated from this
    // thread the moment the platform commits it), so the new engine finds it unanswered in the journal and sends it again.
    const thread = () => (engine as unknown as { engine: { worker: Worker } | null }).engine?.worker;
    const offDelta = server.store.onDelta((delta) => {
      if (JSON.stringify(delta).includes("in flight at a crash")) void thread()?.terminate();
    });
    const inFlight = await engine.handlers.sendCommand({ type: "annotate", incidentId: open.id, payload: { note: "in flight at a crash" } });
    expect(inFlight.ok).toBe(true);
    await until(() => statuses.some((s) => s.reason?.code === "engine_restarting"), "the thread ended", 10_000);
    offDelta();
    expect(statuses.find((s) => s.reason?.code === "engine_restarting")?.reason).toMatchObject({ error: "exit 1" });
    await until(() => engine.restartCount === 1 && statuses.at(-1)?.state === "live", "live after the first crash", 20_000);
    await outboxEmpty(engine, "the outbox empty after the restart");
    expect(notesOn(server, open.id, "in flight at a crash")).toBe(1);

    // Queued: the platform is down, the command waits in the journal, the thread dies, the platform comes back.
    server.save();
    await server.close();
    await until(() => statuses.at(-1)?.state !== "live", "offline", 10_000);
    const queued = await engine.handlers.sendCommand({ type: "annotate", incidentId: open.id, payload: { note: "queued across a crash" } });
    expect(queued.ok).toBe(true);
    await until(() => outbox.at(-1)?.some((e) => e.commandId === (queued.ok ? queued.value.commandId : "")) === true, "the command in the outbox", 5_000);
    writeFileSync(join(dataDir, CRASH_FILE), "");
    await until(() => engine.restartCount === 2, "restarted while the platform is away", 20_000);
    const initial = await engine.handlers.getInitialState({});
    expect(initial.ok && initial.value.outbox.map((e) => [e.commandId, e.state])).toEqual([[queued.ok ? queued.value.commandId : "", "queued"]]);
    server = await referenceFeed(47161, stateDir);
    await until(() => statuses.at(-1)?.state === "live", "live with the platform back", 20_000);
    await outboxEmpty(engine, "the queued command answered");
    expect(notesOn(server, open.id, "queued across a crash")).toBe(1);
    expect(notesOn(server, open.id, "in flight at a crash")).toBe(1);
  });
});

