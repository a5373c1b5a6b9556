import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { POSITION_STRIDE } from "../../shared/bridge/contract.js";
import { Cache } from "./cache.js";
import { iso, makeIncident, makeUnit } from "./testing/mini-feed.js";
import { record, sqlite3, until } from "./testing/harness.js";
import { engineTestScope } from "./testing/scope.js";
import type { ConsoleEngine } from "./engine.js";

const { feed, engineFor, directory } = engineTestScope();


describe("engine against a feed", () => {
  it("applies the snapshot, then deltas in order, and shows masked cases with status live", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    server.publish([{ type: "unit.upsert", unit: makeUnit("U1") }]);
    const engine = engineFor(server.url, directory());
    await engine.start();
    await until(() => engine.status().state === "live" && engine.replica.incidents.size === 1, "live with one case");
    server.upsert(makeIncident("B", 1));
    server.upsert(makeIncident("A", 2, { status: "registered" }));
    await until(() => engine.replica.meta.lastSeq === server.seq, "caught up");
    const cases = await engine.handlers.getCases({ ids: ["A"] });
    if (!cases.ok) throw new Error(cases.error.message);
    const a = cases.value.find((i) => i.id === "A");
    expect(a?.version).toBe(2);
    expect(a?.reporter).toEqual({ name: "张*", phone: "139****5678", masked: true });
    expect(a && "history" in a).toBe(false);
    const initial = await engine.handlers.getInitialState({});
    if (!initial.ok) throw new Error(initial.error.message);
    const roster = await engine.handlers.getRoster({});
    if (!roster.ok) throw new Error(roster.error.message);
    expect(roster.value.units.map((u) => [u.id, u.slot, u.phone])).toEqual([["U1", 0, "138****1111"]]);
    expect(initial.value.status).toMatchObject({ state: "live", epoch: "epoch-1", lastSeq: server.seq });
  });

  it("pushes batched incident changes with reset after a snapshot and positions as one typed array", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    server.publish([{ type: "unit.upsert", unit: makeUnit("U1") }, { type: "unit.upsert", unit: makeUnit("U2") }]);
    const engine = engineFor(server.url, directory());
    const incidents = record(engine, "incidents");
    const positions = record(engine, "positions");
    await engine.start();
    await until(() => incidents.some((c) => c.reset), "a reset push");
    // A page holds only the cases it shows: a reset tells it every case may have changed, and it asks for its own again.
    expect(incidents.find((c) => c.reset)).toEqual({ upserts: [], removed: [], reset: true });
    const cases = await engine.handlers.getCases({ ids: ["A", "Z"] });
    expect(cases.ok && cases.value.map((i) => i.id)).toEqual(["A"]);
    const now = Date.now();
    server.emitRaw("positions", { at: iso(), fixes: [["U2", 116.4, 39.9, now, 90, 1.5, 5], ["U2", 116.5, 39.95, now - 1000, null, null, null], ["U1", 116.41, 39.91, now, null, null, null]] });
    await until(() => positions.length > 0, "a positions push");
    const data = positions.at(-1)?.data ?? new Float64Array();
    const rows: number[][] = [];
    for (let i = 0; i < data.length; i += POSITION_STRIDE) rows.push(Array.from(data.subarray(i, i + POSITION_STRIDE)));
    const u2 = rows.find((r) => r[0] === engine.replica.slotOf("U2"));
    expect(u2?.slice(1, 4)).toEqual([116.4, 39.9, now]);
    expect(rows).toHaveLength(2);
  });

  it("writes the fixes that changed to cache.sqlite with a compaction once they are due, and the rest at stop", async () => {
    const server = await feed();
    server.publish([{ type: "unit.upsert", unit: makeUnit("U1") }, { type: "unit.upsert", unit: makeUnit("U2") }]);
    const dir = directory();
    const engine = engineFor(server.url, dir, { timing: { compactEveryMs: 50, savePositionsMs: 300 } });
    await engine.start();
    await until(() => engine.replica.units.size === 2, "the roster");
    const file = join(dir, "cache.sqlite");
    const now = Date.now();
    server.emitRaw("positions", { at: iso(), fixes: [["U1", 116.41, 39.91, now, null, null, null], ["U2", 116.42, 39.92, now, 90, 1.5, 5]] });
    await until(() => existsSync(file) && sqlite3(file, "SELECT count(*) FROM positions") === "2", "both fixes in cache.sqlite", 5_000);
    server.emitRaw("positions", { at: iso(), fixes: [["U1", 116.43, 39.93, now + 1000, null, null, null]] });
    await until(() => sqlite3(file, "SELECT lon FROM positions WHERE unit_id = 'U1'") === "116.43", "the moved fix in cache.sqlite", 5_000);
    expect(sqlite3(file, "SELECT unit_id, slot, lon, lat, at, heading, speed, accuracy FROM positions ORDER BY unit_id")).toBe(`U1|0|116.43|39.93|${now + 1000}|||\nU2|1|116.42|39.92|${now}|90.0|1.5|5.0`);
    server.emitRaw("positions", { at: iso(), fixes: [["U2", 116.44, 39.94, now + 2000, null, null, null]] });
    await until(() => engine.replica.fixes.get("U2")?.lon === 116.44, "the last fix applied");
    await engine.stop();
    expect(sqlite3(file, "SELECT lon FROM positions ORDER BY unit_id")).toBe("116.43\n116.44");
    expect(sqlite3(file, "PRAGMA integrity_check")).toBe("ok");
  });

  it("persists the picture so that sqlite3 reads epoch and last_seq from cache.sqlite after stop", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 3, { status: "dispatched" }));
    const dir = directory();
    const engine = engineFor(server.url, dir);
    await engine.start();
    await until(() => engine.replica.meta.lastSeq === server.seq && engine.status().state === "live", "caught up");
    await engine.stop();
    const file = join(dir, "cache.sqlite");
    expect(sqlite3(file, "PRAGMA integrity_check")).toBe("ok");
    expect(sqlite3(file, "SELECT value FROM meta WHERE key = 'epoch'")).toBe("epoch-1");
    expect(sqlite3(file, "SELECT value FROM meta WHERE key = 'last_seq'")).toBe(String(server.seq));
    expect(sqlite3(file, "SELECT id, version, status FROM incidents")).toBe("A|3|dispatched");
  });

  it("writes cache.sqlite soon after a snapshot, while it keeps running, for tools that read it live", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    const dir = directory();
    const engine = engineFor(server.url, dir);
    await engine.start();
    await until(() => engine.status().state === "live", "live");
    const file = join(dir, "cache.sqlite");
    await until(() => existsSync(file) && sqlite3(file, "SELECT value FROM meta WHERE key = 'last_seq'") === String(server.seq), "the snapshot in cache.sqlite");
    expect(sqlite3(file, "PRAGMA integrity_check")).toBe("ok");
    expect(sqlite3(file, "SELECT id FROM incidents")).toBe("A");
  });

  it("reports a corrupt cache on screen, keeps it under recovered/, and rebuilds from the platform", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    const dir = directory();
    writeFileSync(join(dir, "cache.sqlite"), Buffer.from("SQLite format 3\0".padEnd(4096, "\u0001")));
    const engine = engineFor(server.url, dir);
    await engine.start();
    const initial = await engine.handlers.getInitialState({});
    if (!initial.ok) throw new Error(initial.error.message);
    expect(initial.value.status.cacheRecovered?.movedTo).toContain(join(dir, "recovered"));
    await until(() => engine.replica.incidents.has("A"), "rebuilt from the snapshot");
    expect(engine.status().cacheRecovered).toBeDefined();
  });

  it("drops an archived case from live views and keeps it readable as history", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    server.upsert(makeIncident("B", 1));
    const engine = engineFor(server.url, directory());
    const pushes = record(engine, "incidents");
    await engine.start();
    await until(() => engine.status().state === "live", "live");
    server.publish([{ type: "incident.archived", id: "A", version: 2 }]);
    // A view holding A is told it went (a removal, or a reset when it came with the snapshot's tick); asked again, the engine has only B.
    const lastIndex = (test: (push: (typeof pushes)[number]) => boolean) => pushes.reduce((last, push, index) => (test(push) ? index : last), -1);
    const told = () => pushes.some((push) => push.removed.includes("A")) || lastIndex((push) => push.reset) > lastIndex((push) => push.upserts.some((i) => i.id === "A"));
    await until(() => engine.replica.meta.lastSeq === server.seq && !engine.replica.incidents.has("A") && told(), "A gone from the views");
    const held = await engine.handlers.getCases({ ids: ["A", "B"] });
    expect(held.ok && held.value.map((i) => i.id)).toEqual(["B"]);
    const full = await engine.handlers.getIncident({ id: "A" });
    expect(full.ok && full.value.id).toBe("A");
  });

  it("prunes closed cases past the retention from the cache and the views, and keeps open ones however old", async () => {
    const dir = directory();
    const { cache } = await Cache.open(dir, () => undefined);
    const old = "2020-01-01T00:00:00.000+08:00";
    cache.write([
      { op: "incident", incident: makeIncident("closed-old", 3, { status: "closed", updatedAt: old }) },
      { op: "incident", incident: makeIncident("open-old", 3, { status: "processing", updatedAt: old }) },
      { op: "incident", incident: makeIncident("closed-recent", 3, { status: "closed", updatedAt: new Date().toISOString() }) },
    ]);
    await cache.close();
    const engine = engineFor("http://127.0.0.1:9", dir, { retentionDays: 30 });
    await engine.start();
    expect([...engine.replica.incidents.keys()].sort()).toEqual(["closed-recent", "open-old"]);
    await engine.stop();
    expect(sqlite3(join(dir, "cache.sqlite"), "SELECT id FROM incidents ORDER BY id")).toBe("closed-recent\nopen-old");
  });

  it("resumes with the cached epoch and seq after a restart and receives only the missed deltas", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    const dir = directory();
    const first = engineFor(server.url, dir);
    await first.start();
    await until(() => first.status().state === "live", "live");
    await first.stop();
    server.upsert(makeIncident("B", 1));
    const second = engineFor(server.url, dir);
    await second.start();
    await until(() => second.replica.incidents.size === 2, "the missed case");
    expect(server.subscribes.at(-1)).toEqual({ epoch: "epoch-1", sinceSeq: 1 });
  });

  it("shows the cached picture offline within the cold-start budget, with the cache's data time", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    const dir = directory();
    const first = engineFor(server.url, dir);
    await first.start();
    await until(() => first.status().state === "live", "live");
    await first.stop();
    await server.close();
    const began = Date.now();
    const second = engineFor(server.url, dir);
    await second.start();
    const initial = await second.handlers.getInitialState({});
    expect(Date.now() - began).toBeLessThan(2000);
    if (!initial.ok) throw new Error(initial.error.message);
    expect([...second.replica.incidents.keys()]).toEqual(["A"]);
    expect(initial.value.status.dataAsOf).not.toBeNull();
    await until(() => second.status().state === "offline", "offline");
  });

  it("queues a command made offline, shows it pending on its case, and delivers it once when the feed returns", async () => {
    const server = await feed();
    server.upsert(makeIncident("A", 1));
    const dir = directory();
    const first = engineFor(server.url, dir);
    await first.start();
    await until(() => first.status().state === "live", "live");
    await first.stop();
    const offline = engineFor("http://127.0.0.1:9", dir);
    await offline.start();
    // The engine keeps its views of cases between calls: a command queued since must still show on its case.
    const caseIn = async (engine: ConsoleEngine) => {
      const cases = await engine.handlers.getCases({ ids: ["A"] });
      if (!cases.ok) throw new Error(cases.error.message);
      return cases.value.find((i) => i.id === "A");
    };
    expect((await caseIn(offline))?.pending).toBeUndefined();
    const sent = await offline.handlers.sendCommand({ type: "register", incidentId: "A", payload: { note: "ok" } });
    if (!sent.ok) throw new Error(sent.error.message);
    expect(offline.incidentView("A")?.pending).toEqual([{ commandId: sent.value.commandId, type: "register" }]);
    expect((await caseIn(offline))?.pending).toEqual([{ commandId: sent.value.commandId, type: "register" }]);
    await offline.stop();
    const online = engineFor(server.url, dir);
    await online.start();
    expect((await caseIn(online))?.pending).toEqual([{ commandId: sent.value.commandId, type: "register" }]);
    await until(() => online.outbox.list().length === 0 && online.replica.incidents.get("A")?.status === "registered", "delivered");
    expect(server.received.filter((c) => c.commandId === sent.value.commandId)).toHaveLength(1);
    expect(online.incidentView("A")?.pending).toBeUndefined();
    const delivered = await caseIn(online);
    expect(delivered?.pending).toBeUndefined();
    expect(delivered?.status).toBe("registered");
  });
});
