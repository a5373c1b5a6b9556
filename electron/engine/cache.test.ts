import { appendFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import initSqlJs from "sql.js";
import { afterEach, describe, expect, it } from "vitest";
import { Cache } from "./cache.js";
import { frame } from "./journal.js";
import type { CacheOp } from "./model.js";
import { SCHEMA_VERSION } from "./schema.js";
import { makeIncident, makeUnit } from "./testing/mini-feed.js";
import { sqlite3, tempDir } from "./testing/harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const quiet = (): undefined => undefined;

function directory(): string {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  return dir;
}

async function open(dir: string): Promise<Awaited<ReturnType<typeof Cache.open>>> {
  const opened = await Cache.open(dir, quiet);
  cleanups.push(() => opened.cache.close());
  return opened;
}

const meta = (lastSeq: number): CacheOp => ({ op: "meta", meta: { epoch: "e1", lastSeq, dataAsOf: "2026-11-22T09:00:00.000+08:00" } });

describe("cache", () => {
  it("keeps what was written when the process dies before any compaction", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    cache.write([{ op: "incident", incident: makeIncident("A", 2) }, { op: "unit", unit: makeUnit("U1"), slot: 0 }, meta(7)]);
    // No close: the second open sees only what the first left on disk.
    const again = await Cache.open(dir, quiet);
    cleanups.push(() => again.cache.close());
    const loaded = again.cache.load();
    expect(loaded.meta).toMatchObject({ epoch: "e1", lastSeq: 7 });
    expect(loaded.incidents.map((i) => [i.id, i.version])).toEqual([["A", 2]]);
    expect(loaded.units.map((u) => [u.unit.id, u.slot])).toEqual([["U1", 0]]);
  });

  it("compaction writes a file sqlite3 accepts and empties the journal", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    cache.write([{ op: "incident", incident: makeIncident("A", 1) }, meta(1)]);
    expect(cache.journalBytes).toBeGreaterThan(0);
    await cache.compact();
    expect(cache.journalBytes).toBe(0);
    const file = join(dir, "cache.sqlite");
    expect(sqlite3(file, "PRAGMA integrity_check")).toBe("ok");
    expect(sqlite3(file, "SELECT key, value FROM meta WHERE key IN ('epoch', 'last_seq') ORDER BY key")).toBe("epoch|e1\nlast_seq|1");
    cache.write([{ op: "incident", incident: makeIncident("B", 1) }]);
    expect(cache.load().incidents).toHaveLength(2);
  });

  it("keeps changes written while a compaction is writing the file", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    cache.write([{ op: "incident", incident: makeIncident("A", 1) }]);
    const compaction = cache.compact();
    cache.write([{ op: "incident", incident: makeIncident("B", 1) }]);
    await compaction;
    expect(cache.journalBytes).toBeGreaterThan(0);
    const again = await Cache.open(dir, quiet);
    cleanups.push(() => again.cache.close());
    expect(again.loaded.incidents.map((i) => i.id).sort()).toEqual(["A", "B"]);
  });

  it("never replays journal records that compaction already wrote into the file", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    cache.write([{ op: "unit", unit: makeUnit("U1", { status: "busy" }), slot: 0 }]);
    await cache.compact();
    cache.write([{ op: "unit", unit: makeUnit("U1", { status: "sos" }), slot: 0 }]);
    // A kill between the file's rename and the journal's rewrite leaves the old record in front.
    const journal = join(dir, "cache.journal");
    const tail = readFileSync(journal);
    writeFileSync(journal, Buffer.concat([frame({ generation: 0, ops: [{ op: "unit", unit: makeUnit("U1", { status: "off_duty" }), slot: 0 }] }), tail]));
    const again = await Cache.open(dir, quiet);
    cleanups.push(() => again.cache.close());
    expect(again.cache.load().units[0]?.unit.status).toBe("sos");
  });

  it("ignores a torn journal tail and keeps every complete record before it", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    cache.write([{ op: "incident", incident: makeIncident("A", 1) }]);
    appendFileSync(join(dir, "cache.journal"), frame({ generation: 0, ops: [{ op: "incident", incident: makeIncident("B", 1) }] }).subarray(0, 20));
    const again = await Cache.open(dir, quiet);
    cleanups.push(() => again.cache.close());
    expect(again.cache.load().incidents.map((i) => i.id)).toEqual(["A"]);
  });

  it("moves a corrupt cache aside under recovered/, says why, and starts empty", async () => {
    const dir = directory();
    writeFileSync(join(dir, "cache.sqlite"), Buffer.from("this is not a database at all, it is a shopping list".repeat(100)));
    writeFileSync(join(dir, "cache.journal"), Buffer.from("junk"));
    const { cache, recovered } = await open(dir);
    expect(recovered?.movedTo).toContain(join(dir, "recovered"));
    expect(recovered?.reason).toBeTruthy();
    expect(existsSync(recovered?.movedTo ?? "")).toBe(true);
    expect(readdirSync(join(dir, "recovered")).some((name) => name.endsWith(".journal"))).toBe(true);
    expect(cache.load().incidents).toEqual([]);
    expect(cache.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it("refuses a cache written by a newer release instead of destroying it", async () => {
    const dir = directory();
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    writeFileSync(join(dir, "cache.sqlite"), db.export());
    await expect(Cache.open(dir, quiet)).rejects.toThrow(/newer than this console/);
    expect(existsSync(join(dir, "cache.sqlite"))).toBe(true);
  });

  it("prunes closed and rejected cases older than the cutoff and keeps open ones", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    const old = "2026-01-01T00:00:00.000+08:00";
    cache.write([
      { op: "incident", incident: makeIncident("closed-old", 5, { status: "closed", updatedAt: old }) },
      { op: "incident", incident: makeIncident("rejected-old", 2, { status: "rejected", updatedAt: old }) },
      { op: "incident", incident: makeIncident("open-old", 2, { status: "processing", updatedAt: old }) },
      { op: "incident", incident: makeIncident("closed-new", 5, { status: "closed", updatedAt: "2026-11-22T00:00:00.000+08:00" }) },
    ]);
    expect(cache.prune(Date.parse("2026-06-01T00:00:00.000+08:00"))).toBe(2);
    expect(cache.load().incidents.map((i) => i.id).sort()).toEqual(["closed-new", "open-old"]);
  });

  it("records reveals and keeps archived cases readable as history", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    cache.write([
      { op: "incident", incident: makeIncident("A", 1) },
      { op: "archive", id: "A", version: 2 },
      { op: "reveal", at: "2026-11-22T09:00:00.000+08:00", operator: { id: "op", name: "n" }, incidentId: "A", reason: "call back" },
    ]);
    expect(cache.load().incidents).toEqual([]);
    expect(cache.incident("A")?.id).toBe("A");
    expect(cache.reveals("A")).toEqual([{ at: "2026-11-22T09:00:00.000+08:00", operatorId: "op", reason: "call back" }]);
  });

  it("journals and writes only the last meta op of a tick, with every other op, and replays to the same state", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    cache.queue([{ op: "incident", incident: makeIncident("A", 1) }, meta(1)]);
    cache.queue([{ op: "incident", incident: makeIncident("B", 1) }, meta(2)]);
    cache.queue([{ op: "archive", id: "A", version: 2 }, meta(3)]);
    cache.flush();
    const journal = readFileSync(join(dir, "cache.journal"));
    const ops = JSON.parse(journal.subarray(8).toString("utf8")) as { generation: number; ops: CacheOp[] };
    expect(ops.ops.map((op) => op.op)).toEqual(["incident", "incident", "archive", "meta"]);
    // The record is framed byte for byte as JSON.stringify frames it, though the cache builds its text from parts;
    // the reporters in it are sealed.
    expect(journal).toEqual(frame(ops));
    const sealed = (incident: ReturnType<typeof makeIncident>) => ({ ...incident, reporter: { sealed: expect.any(String) as string } });
    expect(ops).toEqual({ generation: 0, ops: [{ op: "incident", incident: sealed(makeIncident("A", 1)) }, { op: "incident", incident: sealed(makeIncident("B", 1)) }, { op: "archive", id: "A", version: 2 }, meta(3)] });
    expect(cache.load()).toMatchObject({ meta: { lastSeq: 3 }, incidents: [{ id: "B" }] });
    const again = await Cache.open(dir, quiet);
    cleanups.push(() => again.cache.close());
    expect(again.loaded).toMatchObject({ meta: { lastSeq: 3 }, incidents: [{ id: "B" }] });
  });

  it("rolls a failed write back with SQLite's journal in memory, and leaves a file sqlite3 opens in its usual mode", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    cache.write([{ op: "incident", incident: makeIncident("A", 1) }, meta(1)]);
    expect(cache.load().incidents).toHaveLength(1);
    const db = (cache as unknown as { db: { exec(sql: string): { values: unknown[][] }[] } }).db;
    expect(db.exec("PRAGMA journal_mode")[0]?.values).toEqual([["memory"]]);
    db.exec("BEGIN");
    db.exec("DELETE FROM incidents");
    db.exec("ROLLBACK");
    expect(cache.load().incidents.map((i) => i.id)).toEqual(["A"]);
    await cache.compact();
    expect(db.exec("PRAGMA journal_mode")[0]?.values).toEqual([["memory"]]);
    const file = join(dir, "cache.sqlite");
    expect(sqlite3(file, "PRAGMA journal_mode")).toBe("delete");
    expect(sqlite3(file, "PRAGMA integrity_check")).toBe("ok");
  });

  it("writes a case's row with the same JSON text it journaled", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    const incident = makeIncident("B", 1, { title: "占道 \u2028 \"经营\"" });
    cache.queue([{ op: "incident", incident }]);
    cache.flush();
    const journaled = readFileSync(join(dir, "cache.journal")).subarray(8).toString("utf8");
    await cache.compact();
    const row = sqlite3(join(dir, "cache.sqlite"), "SELECT data FROM incidents WHERE id = 'B'");
    expect(journaled).toBe(`{"generation":0,"ops":[{"op":"incident","incident":${row}}]}`);
    expect(JSON.parse(row)).toEqual({ ...incident, reporter: { sealed: expect.any(String) as string } });
    // Stored as text (what other tools read with sqlite3), though it is bound as UTF-8 bytes.
    expect(sqlite3(join(dir, "cache.sqlite"), "SELECT typeof(data), length(data) = length(CAST(data AS BLOB)) FROM incidents WHERE id = 'B'")).toBe("text|0");
    expect(sqlite3(join(dir, "cache.sqlite"), "SELECT count(*) FROM incidents WHERE json_valid(data) AND json_extract(data, '$.title') = '占道 ' || char(8232) || ' \"经营\"'")).toBe("1");
  });

  it("replays journals of older releases, which carried a meta op per delta", async () => {
    const dir = directory();
    writeFileSync(join(dir, "cache.journal"), Buffer.concat([frame({ generation: 0, ops: [{ op: "incident", incident: makeIncident("A", 1) }, meta(1), { op: "incident", incident: makeIncident("B", 1) }, meta(2)] }), frame({ generation: 0, ops: [meta(5)] })]));
    const { loaded } = await open(dir);
    expect(loaded.meta.lastSeq).toBe(5);
    expect(loaded.incidents.map((i) => i.id).sort()).toEqual(["A", "B"]);
  });

  describe("case and staff upserts, written once per id until the database is read", () => {
    const row = (dir: string, id: string) => sqlite3(join(dir, "cache.sqlite"), `SELECT version, archived FROM incidents WHERE id = '${id}'`);

    it("writes the latest of many upserts of one case, and a hard kill replays every one from the journal", async () => {
      const dir = directory();
      const { cache } = await open(dir);
      for (let version = 1; version <= 5; version++) cache.queue([{ op: "incident", incident: makeIncident("A", version) }, meta(version)]);
      cache.queue([{ op: "unit", unit: makeUnit("U1"), slot: 0 }]);
      cache.queue([{ op: "unit", unit: { ...makeUnit("U1"), status: "busy" }, slot: 0 }]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(cache.incident("A")?.version).toBe(5);
      // No close: the journal alone brings it back.
      const again = await Cache.open(dir, quiet);
      cleanups.push(() => again.cache.close());
      const loaded = again.cache.load();
      expect(loaded.incidents.map((i) => [i.id, i.version])).toEqual([["A", 5]]);
      expect(loaded.units.map((u) => [u.unit.id, u.unit.status])).toEqual([["U1", "busy"]]);
      expect(loaded.meta.lastSeq).toBe(5);
    });

    it("keeps an archive after the upserts before it, and an upsert after it live again", async () => {
      const dir = directory();
      const { cache } = await open(dir);
      cache.queue([{ op: "incident", incident: makeIncident("A", 1) }]);
      cache.queue([{ op: "incident", incident: makeIncident("A", 2) }]);
      cache.queue([{ op: "archive", id: "A", version: 3 }]);
      cache.queue([{ op: "incident", incident: makeIncident("B", 1) }]);
      await cache.compact();
      expect(row(dir, "A")).toBe("3|1");
      cache.queue([{ op: "archive", id: "B", version: 2 }]);
      cache.queue([{ op: "incident", incident: makeIncident("B", 3) }]);
      await cache.compact();
      expect(row(dir, "B")).toBe("3|0");
      expect(cache.load().incidents.map((i) => i.id)).toEqual(["B"]);
    });

    it("keeps a snapshot's reset after the upserts before it and before the ones after it", async () => {
      const dir = directory();
      const { cache } = await open(dir);
      cache.queue([{ op: "incident", incident: makeIncident("A", 1) }, { op: "unit", unit: makeUnit("U1"), slot: 0 }]);
      cache.queue([{ op: "reset" }, { op: "incident", incident: makeIncident("B", 1) }, { op: "unit", unit: makeUnit("U2"), slot: 1 }]);
      await cache.compact();
      expect(row(dir, "A")).toBe("1|1");
      expect(row(dir, "B")).toBe("1|0");
      expect(cache.load().units.map((u) => u.unit.id)).toEqual(["U2"]);
    });

    it("writes a snapshot's worth of cases, more than it holds back per id", async () => {
      const dir = directory();
      const { cache } = await open(dir);
      const ops: CacheOp[] = Array.from({ length: 12_000 }, (_, i) => ({ op: "incident" as const, incident: makeIncident(`S${i}`, 1) }));
      cache.queue(ops);
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
      await cache.compact();
      expect(sqlite3(join(dir, "cache.sqlite"), "SELECT COUNT(*) FROM incidents")).toBe("12000");
    });
  });
});
