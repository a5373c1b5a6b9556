import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { POSITION_STRIDE, type ConnectionStatus } from "../../../shared/bridge/contract.js";
import { sqlite3, tempDir, until } from "../testing/harness.js";
import { engineTestScope } from "../testing/scope.js";
import { heldIds, record, threadEngineOptions } from "../testing/thread-engine.js";
import { iso, makeIncident, makeUnit } from "../testing/mini-feed.js";
import { EngineStoppedError, WorkerEngine, type WorkerEngineOptions } from "./worker-engine.js";

/*
 * The engine on its own thread, driven only through the `Engine` interface a
 * shell holds, against a real (mini) feed over Socket.IO: calls and their
 * replies, pushed events with positions as typed arrays, logs, a stop that
 * flushes cache.sqlite, and a thread that crashes under waiting calls.
 */

const { cleanups, feed } = engineTestScope();

function workerEngine(feedUrl: string, change: Partial<WorkerEngineOptions> = {}): { engine: WorkerEngine; dataDir: string; logs: string[] } {
  const { options, dataDir, logs, remove } = threadEngineOptions(feedUrl);
  const engine = new WorkerEngine({ ...options, ...change });
  cleanups.push(remove, () => engine.stop());
  return { engine, dataDir, logs };
}

const CRASHING_ENTRY = new URL("../testing/crashing-engine-worker.ts", import.meta.url);

describe("WorkerEngine: the engine on a worker thread", () => {
  it("answers calls and pushes events from the feed, positions as a Float64Array, and logs through the owner", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    server.publish([{ type: "unit.upsert", unit: makeUnit("U1") }]);
    const { engine, logs } = workerEngine(server.url);
    const statuses = record(engine, "status");
    const incidents = record(engine, "incidents");
    const positions = record(engine, "positions");
    await engine.start();
    await until(() => statuses.at(-1)?.state === "live" && incidents.some((c) => c.reset), "live after the snapshot (a reset: pages ask again for the cases they hold)", 15_000);
    expect(await heldIds(engine, ["A"])).toEqual(["A"]);

    server.upsert(makeIncident("A", 2, { status: "registered" }));
    await until(() => incidents.some((c) => c.upserts.some((i) => i.id === "A" && i.version === 2)), "case A at version 2 pushed");
    server.emitRaw("positions", { at: iso(), fixes: [["U1", 116.41, 39.91, Date.now(), 90, 1.5, 5]] });
    await until(() => positions.length > 0, "a positions push");
    const pushed = positions.at(-1)?.data;
    expect(pushed).toBeInstanceOf(Float64Array);
    expect(Array.from(pushed?.subarray(0, 3) ?? [])).toEqual([0, 116.41, 39.91]);

    const initial = await engine.handlers.getInitialState({});
    if (!initial.ok) throw new Error(initial.error.message);
    const cases = await engine.handlers.getCases({ ids: ["A", "B"] });
    if (!cases.ok) throw new Error(cases.error.message);
    expect(cases.value.map((i) => [i.id, i.version, i.reporter?.masked])).toEqual([["A", 2, true]]);
    const roster = await engine.handlers.getRoster({});
    if (!roster.ok) throw new Error(roster.error.message);
    expect(roster.value.positions.data).toBeInstanceOf(Float64Array);
    expect(roster.value.positions.data.length).toBe(POSITION_STRIDE);
    const refused = await engine.handlers.getIncident({ id: "no-such-case" });
    expect(refused).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(logs.some((line) => line.startsWith("info "))).toBe(true);
  });

  it("stops by flushing cache.sqlite, after which calls reject with a clear error", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    server.upsert(makeIncident("B", 3));
    const { engine, dataDir } = workerEngine(server.url);
    const incidents = record(engine, "incidents");
    await engine.start();
    await until(() => incidents.some((c) => c.reset), "the snapshot applied", 15_000);
    expect(await heldIds(engine, ["A", "B"])).toEqual(["A", "B"]);
    await engine.stop();
    await engine.stop();
    const file = join(dataDir, "cache.sqlite");
    expect(existsSync(file)).toBe(true);
    expect(sqlite3(file, "SELECT id || ':' || version FROM incidents ORDER BY id")).toBe("A:1\nB:3");
    await expect(engine.handlers.getDiagnostics({})).rejects.toThrow(EngineStoppedError);
    await expect(engine.handlers.getDiagnostics({})).rejects.toThrow("the engine is stopped");
  });

  it("reports a crash of its thread: waiting and later calls reject, pages get status engine_stopped, stop still resolves", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    const { engine, logs } = workerEngine(server.url, { entry: CRASHING_ENTRY });
    const statuses = record(engine, "status");
    await engine.start();
    await until(() => statuses.at(-1)?.state === "live", "live", 15_000);
    const dataAsOf = statuses.at(-1)?.dataAsOf;

    const waiting = engine.handlers.acknowledgeAlert({ id: "crash-the-engine" });
    await expect(waiting).rejects.toThrow(/the engine stopped on an uncaught error: engine thread crashed on purpose/);
    const last = statuses.at(-1) as ConnectionStatus;
    expect(last).toMatchObject({ state: "offline", reason: { code: "engine_stopped", error: "engine thread crashed on purpose" } });
    expect(last.dataAsOf).toBe(dataAsOf);
    expect(logs.some((line) => line.startsWith("error the engine stopped on an uncaught error"))).toBe(true);
    await expect(engine.handlers.getInitialState({})).rejects.toThrow(EngineStoppedError);
    await engine.stop();
  });

  it("reports a thread that exits without an error the same way, with its exit code", async () => {
    const server = await feed();
    const { engine, logs } = workerEngine(server.url, { entry: CRASHING_ENTRY });
    const statuses = record(engine, "status");
    await engine.start();
    await expect(engine.handlers.acknowledgeAlert({ id: "exit-the-engine" })).rejects.toThrow("the engine's thread exited (code 3)");
    expect(statuses.at(-1)).toMatchObject({ state: "offline", reason: { code: "engine_stopped", error: "the engine's thread exited (code 3)" } });
    expect(logs).toContain("error the engine's thread exited (code 3)");
    await engine.stop();
  });

  it("reads the region layer from its file on the thread rather than taking the clone, and says so when it cannot", async () => {
    const file = fileURLToPath(new URL("../../../resources/region/dongcheng.geojson", import.meta.url));
    // An empty layer in the options: a prepared layer with grids can only have come from the file.
    const empty = { type: "FeatureCollection", features: [] };
    const { engine } = workerEngine("http://127.0.0.1:9", { regionLayer: empty, regionLayerFile: file });
    await engine.start();
    const prepared = await engine.handlers.getRegionLayer({});
    expect(prepared.ok && prepared.value.ok && prepared.value.layer.grids.length).toBeGreaterThan(100);

    const { engine: missing } = workerEngine("http://127.0.0.1:9", { regionLayer: empty, regionLayerFile: `${file}.gone` });
    await expect(missing.start()).rejects.toThrow(/the region layer .*dongcheng\.geojson\.gone could not be read again on the engine's thread/);
  });

  it("pushes the map's grid counts from the thread as Uint32Arrays, and has them in the initial state", async () => {
    const server = await feed();
    const file = fileURLToPath(new URL("../../../resources/region/dongcheng.geojson", import.meta.url));
    const { engine } = workerEngine(server.url, { regionLayer: { type: "FeatureCollection", features: [] }, regionLayerFile: file });
    const counts = record(engine, "gridCounts");
    await engine.start();
    const prepared = await engine.handlers.getRegionLayer({});
    if (!prepared.ok || !prepared.value.ok) throw new Error("the test layer did not load");
    const grid = prepared.value.layer.grids[5];
    if (!grid) throw new Error("the test layer has too few grids");
    server.upsert(makeIncident("A", 1, { gridCode: grid.code, lon: grid.labelAt[0], lat: grid.labelAt[1] }));
    await until(() => counts.some((c) => c.open[5] === 1), "case A counted in its grid", 15_000);
    const last = counts.at(-1);
    expect(last?.open).toBeInstanceOf(Uint32Array);
    expect(last?.overdue).toBeInstanceOf(Uint32Array);
    expect(last?.open.length).toBe(prepared.value.layer.grids.length);
    expect(Array.from(last?.open ?? []).reduce((a, b) => a + b, 0)).toBe(1);
    const initial = await engine.handlers.getInitialState({});
    if (!initial.ok) throw new Error(initial.error.message);
    expect(initial.value.gridCounts?.open).toBeInstanceOf(Uint32Array);
    expect(initial.value.gridCounts?.open[5]).toBe(1);
    expect(initial.value.gridCounts?.layer).toBe(last?.layer);
  });

  it("rejects start() with the engine's own message when the cache cannot be opened", async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    // A database from a newer console is refused and left untouched (README: Recovery).
    sqlite3(join(dir, "cache.sqlite"), "PRAGMA user_version = 999; CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);");
    const { engine } = workerEngine("http://127.0.0.1:9", { dataDir: dir });
    await expect(engine.start()).rejects.toThrow(/newer/);
    await engine.stop();
  });
});

