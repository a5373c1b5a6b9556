import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import initSqlJs from "sql.js";
import { afterEach, describe, expect, it } from "vitest";
import { writeFileAtomic, writeFileAtomicSync } from "./atomic-file.js";
import { Cache, REVEAL_AUDIT_DAYS } from "./cache.js";
import { moveAside } from "./cache-recovery.js";
import { checkDataDir, DataDirError, nodeDisk, useDisk } from "./disk.js";
import { frame } from "./journal.js";
import { REPORTER_KEY_FILE } from "./reporter-seal.js";
import { SCHEMA_VERSION, migrate } from "./schema.js";
import type { Command } from "../../shared/protocol/types.js";
import { makeIncident } from "./testing/mini-feed.js";
import { sqlite3, tempDir } from "./testing/harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Logged = { level: string; message: string; fields?: Record<string, unknown> };
function logger(): { log: (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void; lines: Logged[] } {
  const lines: Logged[] = [];
  return { lines, log: (level, message, fields) => void lines.push({ level, message, ...(fields ? { fields } : {}) }) };
}

function directory(): string {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  return dir;
}

async function open(dir: string, log = logger().log): Promise<Awaited<ReturnType<typeof Cache.open>>> {
  const opened = await Cache.open(dir, log);
  cleanups.push(() => opened.cache.close());
  return opened;
}

/** Files are made with the mode given whatever the umask; a umask of 0 would show a 0666 default. */
function withoutUmask(): void {
  const previous = process.umask(0);
  cleanups.push(() => void process.umask(previous));
}

const mode = (path: string): number => statSync(path).mode & 0o777;
const PHONE = "13912345678";
const posixOnly = process.platform === "win32" ? it.skip : it;

describe("the data dir on disk", () => {
  posixOnly("is made 0700, and every file the cache writes is 0600 (cache.sqlite, its journal, the key, atomic writes, recovered copies)", async () => {
    withoutUmask();
    const dir = join(directory(), "data");
    const { cache } = await open(dir);
    cache.write([{ op: "incident", incident: makeIncident("A", 1) }]);
    await cache.compact();
    expect(mode(dir)).toBe(0o700);
    for (const file of ["cache.sqlite", "cache.journal", REPORTER_KEY_FILE]) expect([file, mode(join(dir, file))]).toEqual([file, 0o600]);
    writeFileAtomicSync(join(dir, "region-prepared.json"), Buffer.from("{}"));
    await writeFileAtomic(join(dir, "tracks.bin"), Buffer.from("x"));
    expect(mode(join(dir, "region-prepared.json"))).toBe(0o600);
    expect(mode(join(dir, "tracks.bin"))).toBe(0o600);
    await cache.close();
    chmodSync(join(dir, "cache.sqlite"), 0o644);
    moveAside(dir, "test", () => undefined);
    const recovered = join(dir, "recovered");
    expect(mode(recovered)).toBe(0o700);
    for (const file of readdirSync(recovered)) expect([file, mode(join(recovered, file))]).toEqual([file, 0o600]);
  });

  posixOnly("tightens a data dir others could read, and a journal an older release left 0644, saying so", async () => {
    const dir = directory();
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, "cache.journal"), Buffer.alloc(0), { mode: 0o644 });
    chmodSync(join(dir, "cache.journal"), 0o644);
    const { log, lines } = logger();
    await open(dir, log);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, "cache.journal"))).toBe(0o600);
    expect(lines).toContainEqual(expect.objectContaining({ level: "warn", fields: { dir, was: "0755" } }));
  });
});

describe("deleted and expired personal data", () => {
  it("is zeroed in cache.sqlite when deleted (secure_delete), not left in a free page", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    const marker = "独一无二的标题-secure-delete";
    cache.write([{ op: "incident", incident: makeIncident("A", 1, { title: marker, status: "closed" }) }]);
    await cache.compact();
    expect(readFileSync(join(dir, "cache.sqlite")).includes(Buffer.from(marker))).toBe(true);
    expect(cache.prune(Date.parse("2027-01-01T00:00:00Z"), Date.parse("2027-01-01T00:00:00Z"))).toBe(1);
    await cache.compact();
    expect(readFileSync(join(dir, "cache.sqlite")).includes(Buffer.from(marker))).toBe(false);
  });

  it("prunes archived cases and recovered copies past the retention, and reveals past a year", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    const now = Date.parse("2026-12-06T00:00:00Z");
    const cutoff = now - 30 * 86_400_000;
    cache.write([
      { op: "incident", incident: makeIncident("OLD", 1, { status: "dispatched", updatedAt: "2026-10-01T08:00:00+08:00" }) },
      { op: "archive", id: "OLD", version: 2 },
      { op: "incident", incident: makeIncident("NEW", 1, { status: "dispatched", updatedAt: "2026-12-01T08:00:00+08:00" }) },
      { op: "archive", id: "NEW", version: 2 },
      { op: "reveal", at: "2025-12-01T08:00:00+08:00", operator: { id: "op", name: "n" }, incidentId: "NEW", reason: "old" },
      { op: "reveal", at: "2026-01-01T08:00:00+08:00", operator: { id: "op", name: "n" }, incidentId: "NEW", reason: "kept" },
    ]);
    const recovered = join(dir, "recovered");
    mkdirSync(recovered);
    writeFileSync(join(recovered, "cache-old.sqlite"), "x");
    writeFileSync(join(recovered, "cache-new.sqlite"), "x");
    utimesSync(join(recovered, "cache-old.sqlite"), new Date(cutoff - 1000), new Date(cutoff - 1000));
    expect(REVEAL_AUDIT_DAYS).toBe(365);
    expect(cache.prune(cutoff, now)).toBe(1);
    expect(cache.incident("OLD")).toBeUndefined();
    expect(cache.incident("NEW")?.id).toBe("NEW");
    expect(cache.reveals("NEW").map((r) => r.reason)).toEqual(["kept"]);
    expect(readdirSync(recovered)).toEqual(["cache-new.sqlite"]);
  });
});

describe("reporters at rest", () => {
  it("are never in clear in the journal or cache.sqlite, and come back whole in memory", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    const phones = Array.from({ length: 20 }, (_, i) => `1391234${String(i).padStart(4, "0")}`);
    cache.write(phones.map((phone, i) => ({ op: "incident", incident: makeIncident(`C${i}`, 1, { reporter: { name: `报告人${i}`, phone } }) })));
    cache.queue([{ op: "incident", incident: makeIncident("C0", 2, { reporter: { name: "报告人0", phone: phones[0] as string } }) }]);
    cache.flush();
    const clear = (file: string) => {
      const bytes = readFileSync(join(dir, file));
      return phones.filter((phone) => bytes.includes(Buffer.from(phone)) || bytes.includes(Buffer.from(phone, "utf16le"))).concat(bytes.includes(Buffer.from("报告人")) ? ["name"] : []);
    };
    expect(clear("cache.journal")).toEqual([]);
    await cache.compact();
    expect(clear("cache.sqlite")).toEqual([]);
    expect(sqlite3(join(dir, "cache.sqlite"), "SELECT count(*) FROM incidents WHERE data LIKE '%1391234%' OR data LIKE '%报告人%'")).toBe("0");
    await cache.close();
    expect(clear("cache.sqlite")).toEqual([]);
    expect(clear("cache.journal")).toEqual([]);
    const again = await open(dir);
    const byId = new Map(again.loaded.incidents.map((i) => [i.id, i.reporter]));
    expect(byId.get("C7")).toEqual({ name: "报告人7", phone: phones[7] });
    expect(again.cache.incident("C3")?.reporter).toEqual({ name: "报告人3", phone: phones[3] });
  });

  it("of a phone-in report waiting in the outbox are sealed too, and go to the platform whole after a restart", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    const report = {
      commandId: "cmd-1",
      type: "report",
      issuedAt: "2026-12-06T09:00:00+08:00",
      operator: { id: "o", name: "n" },
      payload: { clientRef: "r", title: "井盖缺失", categoryCode: "0101", priority: "normal", lon: 116.41, lat: 39.92, reporter: { name: "孙八", phone: "13400000009" } },
    } as Command;
    cache.write([{ op: "outboxPut", entry: { command: report, position: 1, state: "queued", attempts: 0 } }]);
    cache.write([{ op: "outboxPut", entry: { command: report, position: 1, state: "sending", attempts: 1 } }]);
    expect(readFileSync(join(dir, "cache.journal")).includes(Buffer.from("13400000009"))).toBe(false);
    await cache.close();
    expect(readFileSync(join(dir, "cache.sqlite")).includes(Buffer.from("13400000009"))).toBe(false);
    const again = await open(dir);
    expect(again.loaded.outbox.map((entry) => entry.command)).toEqual([report]);
  });

  it("seals a case's reporter again only when it changes", async () => {
    const dir = directory();
    const { cache } = await open(dir);
    cache.write([{ op: "incident", incident: makeIncident("A", 1) }, { op: "incident", incident: makeIncident("A", 2) }]);
    cache.write([{ op: "incident", incident: makeIncident("A", 3, { reporter: { name: "李四", phone: "13700000000" } }) }]);
    const records = readFileSync(join(dir, "cache.journal")).toString("utf8");
    const sealed = [...records.matchAll(/"sealed":"([^"]+)"/g)].map((m) => m[1]);
    expect(sealed).toHaveLength(3);
    expect(sealed[0]).toBe(sealed[1]);
    expect(sealed[2]).not.toBe(sealed[1]);
  });

  it("with the key lost, show as unavailable and leave the rest of the case, without a crash; new ones are sealed with a new key", async () => {
    const dir = directory();
    const first = await open(dir);
    first.cache.write([{ op: "incident", incident: makeIncident("A", 1, { reporter: { name: "张三", phone: PHONE, unitId: "T1" } }) }]);
    await first.cache.close();
    const oldKey = readFileSync(join(dir, REPORTER_KEY_FILE), "utf8");
    writeFileSync(join(dir, REPORTER_KEY_FILE), "");
    const { log, lines } = logger();
    // A damaged key is left as it is (it may be restored from a backup) and nothing is stored in clear meanwhile.
    const damaged = await Cache.open(dir, log);
    expect(damaged.loaded.incidents[0]).toMatchObject({ id: "A", title: "case A", reporter: { unitId: "T1", unavailable: true } });
    expect(lines.some((line) => line.level === "error" && /damaged/.test(line.message))).toBe(true);
    damaged.cache.write([{ op: "incident", incident: makeIncident("B", 1, { reporter: { name: "王五", phone: "13600000000" } }) }]);
    await damaged.cache.close();
    expect(readFileSync(join(dir, REPORTER_KEY_FILE), "utf8")).toBe("");
    expect(readFileSync(join(dir, "cache.sqlite")).includes(Buffer.from("13600000000"))).toBe(false);
    // Deleted: a new key is made; what the old one sealed stays unavailable.
    const { rmSync } = await import("node:fs");
    rmSync(join(dir, REPORTER_KEY_FILE));
    const lost = await open(dir);
    expect(readFileSync(join(dir, REPORTER_KEY_FILE), "utf8")).not.toBe(oldKey);
    expect(lost.loaded.incidents.find((i) => i.id === "A")).toMatchObject({ status: "reported", reporter: { unitId: "T1", unavailable: true } });
    expect(lost.loaded.incidents.find((i) => i.id === "B")?.reporter).toEqual({ unavailable: true });
  });

  it("held in clear by a cache of schema 4 or a journal of an older release are sealed on the way in", async () => {
    const dir = directory();
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    migrate(db, 4);
    const legacy = makeIncident("OLD", 1, { reporter: { name: "赵六", phone: "13500000001" } });
    db.run("INSERT INTO incidents (id, version, status, grid_code, updated_at, data) VALUES (?, ?, ?, ?, ?, ?)", ["OLD", 1, "reported", "g", legacy.updatedAt, JSON.stringify(legacy)]);
    writeFileSync(join(dir, "cache.sqlite"), db.export());
    db.close();
    writeFileSync(join(dir, "cache.journal"), frame({ generation: 0, ops: [{ op: "incident", incident: makeIncident("J", 1, { reporter: { name: "钱七", phone: "13500000002" } }) }] }));
    const { cache, loaded } = await open(dir);
    expect(cache.schemaVersion).toBe(SCHEMA_VERSION);
    expect(new Map(loaded.incidents.map((i) => [i.id, i.reporter]))).toEqual(
      new Map([
        ["OLD", { name: "赵六", phone: "13500000001" }],
        ["J", { name: "钱七", phone: "13500000002" }],
      ]),
    );
    await cache.close();
    const bytes = readFileSync(join(dir, "cache.sqlite"));
    expect(bytes.includes(Buffer.from("13500000001")) || bytes.includes(Buffer.from("13500000002"))).toBe(false);
    expect(existsSync(join(dir, "cache.journal")) ? readFileSync(join(dir, "cache.journal")).includes(Buffer.from("135000000")) : false).toBe(false);
  });
});

describe("a data dir the console may not write", () => {
  const refused = (code: string, path: string) => Object.assign(new Error(`${code}: refused, access '${path}'`), { code, path });

  it("stops the start naming the path and the fix (EACCES on the journal, EROFS on the dir), before anything is opened", () => {
    const dir = directory();
    writeFileSync(join(dir, "cache.journal"), "x");
    const journal = join(dir, "cache.journal");
    const denyJournal = (path: string) => {
      if (path === journal) throw refused("EACCES", path);
    };
    expect(() => checkDataDir(dir, undefined, denyJournal)).toThrow(DataDirError);
    expect(() => checkDataDir(dir, undefined, denyJournal)).toThrow(new RegExp(`${journal.replace(/[\\/]/g, ".")} cannot be read and written by this user \\(EACCES\\): give the console's user access`));
    const readOnly = (path: string) => {
      throw refused("EROFS", path);
    };
    expect(() => checkDataDir(dir, undefined, readOnly)).toThrow(/read-only file system \(EROFS\): remount it read-write, or set dataDir .* Nothing was moved/);
    expect(readFileSync(journal, "utf8")).toBe("x");
  });

  it("moves nothing aside when the journal refuses to open (EACCES is not damage): the cache and its queued commands stay", async () => {
    const dir = directory();
    const first = await open(dir);
    first.cache.write([{ op: "incident", incident: makeIncident("A", 1) }]);
    await first.cache.close();
    const journal = join(dir, "cache.journal");
    const restore = useDisk({
      ...nodeDisk,
      openSync(path, flags) {
        if (path === journal) throw refused("EACCES", path);
        return nodeDisk.openSync(path, flags);
      },
    });
    cleanups.push(restore);
    await expect(Cache.open(dir, () => undefined)).rejects.toThrow(DataDirError);
    expect(existsSync(join(dir, "cache.sqlite"))).toBe(true);
    expect(existsSync(journal)).toBe(true);
    expect(existsSync(join(dir, "recovered"))).toBe(false);
  });
});
