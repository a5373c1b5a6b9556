import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import initSqlJs from "sql.js";
import { afterEach, describe, expect, it } from "vitest";
import { Cache } from "./cache.js";
import { frame } from "./journal.js";
import { REPORTER_KEY_FILE } from "./reporter-seal.js";
import { SCHEMA_VERSION, STAFF_PHONES_SEALED_VERSION, migrate } from "./schema.js";
import type { CacheOp } from "./model.js";
import { maskPhone } from "../../shared/domain/masking.js";
import { MiniFeed, makeIncident, makeUnit } from "./testing/mini-feed.js";
import { makeEngine, sqlite3, tempDir, until } from "./testing/harness.js";

/* Staff phones (the roster's Unit.phone) at rest: sealed in cache.sqlite and cache.journal like reporters, whole in memory. */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Logged = { level: string; message: string };

function directory(): string {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  return dir;
}

async function open(dir: string, lines: Logged[] = []): Promise<Awaited<ReturnType<typeof Cache.open>>> {
  const opened = await Cache.open(dir, (level, message) => void lines.push({ level, message }));
  cleanups.push(() => opened.cache.close());
  return opened;
}

const phoneOf = (i: number): string => `1380013${String(i).padStart(4, "0")}`;
const PHONES = Array.from({ length: 30 }, (_, i) => phoneOf(i));
const unitOp = (i: number, change: Parameters<typeof makeUnit>[1] = {}): CacheOp => ({ op: "unit", unit: makeUnit(`U${i}`, { phone: phoneOf(i), ...change }), slot: i });

/** The staff phones found in clear in `file` (as UTF-8 or UTF-16 text), none when it is absent. */
function clearPhones(file: string, phones: readonly string[] = PHONES): string[] {
  if (!existsSync(file)) return [];
  const bytes = readFileSync(file);
  return phones.filter((phone) => bytes.includes(Buffer.from(phone)) || bytes.includes(Buffer.from(phone, "utf16le")));
}

describe("staff phones at rest", () => {
  it("are never in clear in cache.journal or cache.sqlite (byte search and the sqlite3 CLI), and come back whole after a restart", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    cache.write(PHONES.map((_, i) => unitOp(i)));
    // A status change of the same person: journaled again, still sealed.
    cache.queue([unitOp(3, { status: "busy" })]);
    cache.flush();
    expect(clearPhones(join(dir, "cache.journal"))).toEqual([]);
    await cache.compact();
    expect(clearPhones(join(dir, "cache.sqlite"))).toEqual([]);
    const sqlitePath = join(dir, "cache.sqlite");
    expect(sqlite3(sqlitePath, "SELECT count(*) FROM units")).toBe(String(PHONES.length));
    expect(sqlite3(sqlitePath, "SELECT count(*) FROM units WHERE data LIKE '%138001%' OR data LIKE '%\"phone\"%'")).toBe("0");
    expect(sqlite3(sqlitePath, "SELECT count(*) FROM units WHERE data LIKE '%\"phoneSealed\"%'")).toBe(String(PHONES.length));
    // The rest of the row stays readable for outside tools.
    expect(sqlite3(sqlitePath, "SELECT name || '|' || status || '|' || json_extract(data, '$.role') FROM units WHERE id = 'U3'")).toBe("员U3|busy|grid_manager");
    await cache.close();
    expect(clearPhones(join(dir, "cache.sqlite"))).toEqual([]);
    expect(clearPhones(join(dir, "cache.journal"))).toEqual([]);

    const again = await open(dir);
    const byId = new Map(again.loaded.units.map(({ unit }) => [unit.id, unit]));
    expect(byId.get("U7")).toEqual(makeUnit("U7", { phone: phoneOf(7) }));
    expect(byId.get("U3")).toEqual(makeUnit("U3", { phone: phoneOf(3), status: "busy" }));
    expect(again.loaded.units.every(({ unit }) => !("phoneSealed" in unit))).toBe(true);
  });

  it("are read back from the journal alone when the console was killed before a compaction", async () => {
    const dir = directory();
    const first = await Cache.open(dir, () => undefined);
    first.cache.write([unitOp(1), unitOp(2, { phone: undefined })]);
    // No close: the journal is what a kill leaves.
    expect(clearPhones(join(dir, "cache.journal"))).toEqual([]);
    const copy = directory();
    for (const file of ["cache.journal", REPORTER_KEY_FILE]) copyFileSync(join(dir, file), join(copy, file));
    await first.cache.close();
    const { loaded } = await open(copy);
    expect(new Map(loaded.units.map(({ unit }) => [unit.id, unit.phone]))).toEqual(
      new Map([
        ["U1", phoneOf(1)],
        ["U2", undefined],
      ]),
    );
  });

  it("held in clear by a cache of schema 6 or an older release's journal are sealed on open (migration 7)", async () => {
    const dir = directory();
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    migrate(db, STAFF_PHONES_SEALED_VERSION - 1);
    const legacy = makeUnit("OLD", { phone: "13500000011" });
    db.run("INSERT INTO units (id, name, status, grid_code, data, slot) VALUES (?, ?, ?, ?, ?, ?)", ["OLD", legacy.name, legacy.status, legacy.gridCode, JSON.stringify(legacy), 0]);
    const noPhone = makeUnit("NOPHONE", { phone: undefined });
    db.run("INSERT INTO units (id, name, status, grid_code, data, slot) VALUES (?, ?, ?, ?, ?, ?)", ["NOPHONE", noPhone.name, noPhone.status, noPhone.gridCode, JSON.stringify(noPhone), 1]);
    writeFileSync(join(dir, "cache.sqlite"), db.export());
    db.close();
    writeFileSync(join(dir, "cache.journal"), frame({ generation: 0, ops: [{ op: "unit", unit: makeUnit("J", { phone: "13500000012" }), slot: 2 }] }));
    const legacyPhones = ["13500000011", "13500000012"];
    expect(clearPhones(join(dir, "cache.sqlite"), legacyPhones)).toEqual(["13500000011"]);

    const { cache, loaded } = await open(dir);
    expect(cache.schemaVersion).toBe(SCHEMA_VERSION);
    expect(new Map(loaded.units.map(({ unit }) => [unit.id, unit.phone]))).toEqual(
      new Map([
        ["OLD", "13500000011"],
        ["NOPHONE", undefined],
        ["J", "13500000012"],
      ]),
    );
    await cache.close();
    expect(clearPhones(join(dir, "cache.sqlite"), legacyPhones)).toEqual([]);
    expect(clearPhones(join(dir, "cache.journal"), legacyPhones)).toEqual([]);
    expect(sqlite3(join(dir, "cache.sqlite"), "PRAGMA user_version")).toBe(String(SCHEMA_VERSION));
    const reopened = await open(dir);
    expect(reopened.loaded.units.find(({ unit }) => unit.id === "OLD")?.unit.phone).toBe("13500000011");
  });

  it("with the key lost, are left out (the rest of the staff member stands) and said once in the log; never stored in clear", async () => {
    const dir = directory();
    const first = await open(dir);
    first.cache.write([unitOp(1), unitOp(2)]);
    await first.cache.close();
    rmSync(join(dir, REPORTER_KEY_FILE));
    const lines: Logged[] = [];
    const { cache, loaded } = await open(dir, lines);
    expect(loaded.units.map(({ unit }) => unit)).toEqual([makeUnit("U1", { phone: undefined }), makeUnit("U2", { phone: undefined })].map(({ phone: _p, ...unit }) => unit));
    expect(lines.filter((line) => line.level === "error" && /phones of some cached staff/.test(line.message))).toHaveLength(1);
    cache.write([unitOp(5)]);
    await cache.close();
    expect(clearPhones(join(dir, "cache.sqlite"))).toEqual([]);
    const again = await open(dir);
    expect(again.loaded.units.find(({ unit }) => unit.id === "U5")?.unit.phone).toBe(phoneOf(5));
  });

  it("through the engine: a roster from the feed is sealed in the data dir, and after a restart with the feed gone the wall shows the phones masked as before", async () => {
    const server = new MiniFeed();
    await server.listen();
    cleanups.push(() => server.close());
    server.upsert(makeIncident("A", 1));
    server.publish(PHONES.slice(0, 10).map((_, i) => ({ type: "unit.upsert" as const, unit: makeUnit(`U${i}`, { phone: phoneOf(i) }) })));
    const dir = directory();
    const engine = makeEngine(server.url, dir);
    await engine.start();
    await until(() => engine.status().state === "live" && engine.replica.meta.lastSeq === server.seq, "live and caught up");
    await engine.stop();
    await server.close();
    for (const file of ["cache.sqlite", "cache.journal"]) expect([file, clearPhones(join(dir, file))]).toEqual([file, []]);
    expect(sqlite3(join(dir, "cache.sqlite"), "SELECT count(*) FROM units WHERE data LIKE '%phoneSealed%'")).toBe("10");

    const again = makeEngine(server.url, dir);
    cleanups.push(() => again.stop());
    await again.start();
    const units = new Map(again.roster().units.map((unit) => [unit.id, unit.phone]));
    expect(units.size).toBe(10);
    for (let i = 0; i < 10; i++) expect(units.get(`U${i}`)).toBe(maskPhone(phoneOf(i)));
    expect(again.replica.units.get("U4")?.phone).toBe(phoneOf(4));
  });
});
