import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ConnectionStatus, IncidentChanges } from "../../shared/bridge/contract.js";
import { writeFileAtomic, writeFileAtomicSync } from "./atomic-file.js";
import { CACHE_FILE, Cache, JOURNAL_FILE } from "./cache.js";
import { Journal, readJournal } from "./journal.js";
import { installFullDisk, type FullDisk } from "./testing/full-disk.js";
import { MiniFeed, makeIncident } from "./testing/mini-feed.js";
import { FAST, makeEngine, sqlite3, tempDir, until } from "./testing/harness.js";

/*
 * A full disk at the engine's file edge: every write goes through ./disk.ts,
 * which these tests replace with one that runs out of space after so many
 * bytes and throws the real ENOSPC error, then frees it.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  return dir;
}

function fullDisk(free = Number.POSITIVE_INFINITY, under?: string): FullDisk {
  const disk = installFullDisk(free, under);
  cleanups.push(() => disk.restore());
  return disk;
}

describe("journal on a full disk", () => {
  it("cuts off a record the disk refused part way, so the records appended after it still replay", () => {
    const path = join(dataDir(), "cache.journal");
    const disk = fullDisk();
    const { journal } = Journal.open<string>(path);
    journal.append(0, ["before"]);
    const whole = readFileSync(path).length;
    // Room for a few bytes of the next record: a short write, then ENOSPC.
    disk.allow(5);
    expect(() => journal.append(0, ["refused ".repeat(20)])).toThrow(expect.objectContaining({ code: "ENOSPC" }));
    expect(readFileSync(path).length).toBe(whole);
    expect(journal.bytes).toBe(whole);
    // Still full: refused again, still nothing torn.
    expect(() => journal.append(0, ["still full"])).toThrow(/ENOSPC/);
    expect(readFileSync(path).length).toBe(whole);
    disk.freeSpace();
    journal.append(0, ["after"]);
    journal.close();
    const read = readJournal<string>(readFileSync(path));
    expect(read.tornBytes).toBe(0);
    expect(read.records.map((record) => record.ops[0])).toEqual(["before", "after"]);
    // And a reopen (what the next start does) sees the same, with no tail to cut.
    const reopened = Journal.open<string>(path);
    reopened.journal.close();
    expect(reopened.read.records.map((record) => record.ops[0])).toEqual(["before", "after"]);
    expect(reopened.read.tornBytes).toBe(0);
  });

  it("takes back a record whose fsync failed: it was never acknowledged, and it is not replayed", () => {
    const path = join(dataDir(), "cache.journal");
    const disk = fullDisk();
    const { journal } = Journal.open<string>(path);
    journal.append(0, ["one"]);
    disk.failFsync = true;
    expect(() => journal.append(0, ["unsure"])).toThrow(/ENOSPC: no space left on device, fsync/);
    disk.freeSpace();
    journal.append(0, ["two"]);
    journal.close();
    expect(readJournal<string>(readFileSync(path)).records.map((record) => record.ops[0])).toEqual(["one", "two"]);
  });

  it("keeps the old journal whole when the compaction's rewrite of it does not fit", () => {
    const path = join(dataDir(), "cache.journal");
    const disk = fullDisk();
    const { journal } = Journal.open<string>(path);
    journal.append(1, ["old"]);
    const start = journal.bytes;
    journal.append(2, ["new"]);
    disk.fillUp();
    expect(() => journal.dropBefore(2, start)).toThrow(/ENOSPC/);
    expect(existsSync(`${path}.tmp`)).toBe(false);
    disk.freeSpace();
    journal.append(2, ["later"]);
    journal.close();
    expect(readJournal<string>(readFileSync(path)).records.map((record) => record.ops[0])).toEqual(["old", "new", "later"]);
  });
});

describe("atomic file writes on a full disk", () => {
  it("leave the old file as it was and no partial temp file behind (sync and async)", async () => {
    const dir = dataDir();
    const path = join(dir, "cache.sqlite");
    writeFileSync(path, "old content");
    const disk = fullDisk(4);
    expect(() => writeFileAtomicSync(path, Buffer.from("new content that does not fit"))).toThrow(/ENOSPC/);
    expect(readFileSync(path, "utf8")).toBe("old content");
    disk.allow(4);
    await expect(writeFileAtomic(path, Buffer.from("new content that does not fit"))).rejects.toMatchObject({ code: "ENOSPC" });
    expect(readFileSync(path, "utf8")).toBe("old content");
    expect(readdirSync(dir)).toEqual(["cache.sqlite"]);
    disk.freeSpace();
    await writeFileAtomic(path, Buffer.from("new"));
    expect(readFileSync(path, "utf8")).toBe("new");
  });
});

describe("the cache's compaction on a full disk", () => {
  it("fails as a rejected promise when the journal refuses the queued changes it settles first, never as a throw, and compacts once the disk is freed", async () => {
    const dir = dataDir();
    const disk = fullDisk(Number.POSITIVE_INFINITY, dir);
    const { cache } = await Cache.open(dir, () => undefined);
    cleanups.push(() => cache.close());
    disk.allow(0);
    // Queued, not yet journaled: the compaction journals it first, and the disk refuses.
    cache.queue([{ op: "incident", incident: makeIncident("A", 1) }]);
    let compaction: Promise<void> | undefined;
    expect(() => {
      compaction = cache.compact();
    }).not.toThrow();
    await expect(compaction).rejects.toMatchObject({ code: "ENOSPC" });
    disk.freeSpace();
    await cache.compact();
    expect(sqlite3(join(dir, CACHE_FILE), "SELECT id FROM incidents")).toBe("A");
  });
});

/** Opens a copy of the data directory as the next start would, and checks the file with the sqlite3 tool. */
async function reopen(dir: string): Promise<{ ids: string[]; lastSeq: number; outbox: string[]; torn: number; integrity: string }> {
  const copy = dataDir();
  cpSync(dir, copy, { recursive: true });
  const torn = readJournal(existsSync(join(copy, JOURNAL_FILE)) ? readFileSync(join(copy, JOURNAL_FILE)) : Buffer.alloc(0)).tornBytes;
  const integrity = existsSync(join(copy, CACHE_FILE)) ? sqlite3(join(copy, CACHE_FILE), "PRAGMA integrity_check") : "no file";
  const { cache, loaded, recovered } = await Cache.open(copy, () => undefined);
  expect(recovered).toBeUndefined();
  await cache.close();
  return { ids: loaded.incidents.map((incident) => incident.id).sort(), lastSeq: loaded.meta.lastSeq, outbox: loaded.outbox.map((entry) => entry.command.commandId), torn, integrity };
}

/**
 * A feed holding case A and an engine whose data directory (only it: copies
 * reopened elsewhere are not) sits on a disk that can be filled up.
 */
async function engineOnFullDisk(timing: Partial<typeof FAST>) {
  const feed = new MiniFeed();
  await feed.listen();
  cleanups.push(() => feed.close());
  feed.upsert(makeIncident("A", 1));
  const dir = join(dataDir(), "data");
  const disk = fullDisk(Number.POSITIVE_INFINITY, dir);
  const engine = makeEngine(feed.url, dir, { timing: { ...FAST, ...timing } });
  cleanups.push(() => engine.stop());
  return { feed, dir, disk, engine };
}

describe("the engine on a full disk", () => {
  it("keeps serving the feed's data, refuses what it cannot keep with a clear error, says so in the status, and resumes by itself with nothing lost", async () => {
    const { feed, dir, disk, engine } = await engineOnFullDisk({ compactEveryMs: 100 });
    const statuses: ConnectionStatus[] = [];
    const pushed: IncidentChanges[] = [];
    engine.on("status", (status) => statuses.push(status));
    engine.on("incidents", (changes) => pushed.push(changes));
    await engine.start();
    await until(() => engine.status().state === "live" && engine.replica.meta.lastSeq === feed.seq && engine.cache.cacheBytes > 0, "live, with cache.sqlite written");

    // Nearly full: the journal's small records fit, a whole cache.sqlite does not. The journal is the durable
    // record, so commands are still taken; the status says the disk is full.
    disk.allow(16 * 1024);
    feed.upsert(makeIncident("B", 1));
    await until(() => engine.status().storage?.problem === "disk_full", "the failed compaction reported", 10_000);
    expect(engine.status().storage).toMatchObject({ problem: "disk_full", dataDir: dir, message: expect.stringContaining("ENOSPC") });
    const taken = await engine.handlers.sendCommand({ type: "urge", incidentId: "A", payload: { note: "先督办" } });
    expect(taken.ok).toBe(true);
    await until(() => engine.outbox.list().length === 0 && feed.received.length === 1, "the command sent and answered");

    // Full: the journal refuses too.
    disk.fillUp();
    feed.upsert(makeIncident("C", 1));
    await until(() => engine.replica.incidents.has("C"), "C applied in memory");
    // Views are still served: C is pushed, and a page opening now gets the picture with C in it.
    await until(() => pushed.some((changes) => changes.upserts.some((incident) => incident.id === "C")), "C pushed to views");
    const initial = await engine.handlers.getInitialState({});
    const cases = await engine.handlers.getCases({ ids: ["A", "B", "C"] });
    expect(cases.ok && cases.value.map((incident) => incident.id).sort()).toEqual(["A", "B", "C"]);
    expect(initial.ok && initial.value.status.storage).toMatchObject({ problem: "disk_full", dataDir: dir });
    await until(() => statuses.at(-1)?.storage?.problem === "disk_full", "the status pushed to views says the disk is full");
    const diagnostics = await engine.handlers.getDiagnostics({});
    expect(diagnostics.ok && diagnostics.value.storage).toMatchObject({ problem: "disk_full", dataDir: dir });

    // An operator command cannot be kept: refused with the reason and the directory, and not queued or sent.
    const refused = await engine.handlers.sendCommand({ type: "urge", incidentId: "B", payload: { note: "磁盘满时督办" } });
    expect(refused).toMatchObject({ ok: false, error: { code: "unavailable", message: expect.stringContaining("磁盘已满") } });
    expect(!refused.ok && refused.error.message).toContain(dir);
    expect(engine.outbox.list()).toEqual([]);
    const report = await engine.handlers.sendCommand({ type: "report", payload: { title: "井盖缺失", categoryCode: "0101", priority: "normal", lon: 116.4, lat: 39.9, reporter: { name: "王五", phone: "13800001111" } } });
    expect(report).toMatchObject({ ok: false, error: { code: "unavailable" } });
    // Nor can a reporter be revealed: its audit record could not be written first.
    expect(await engine.handlers.revealReporter({ incidentId: "A", reason: "回访" })).toMatchObject({ ok: false, error: { code: "unavailable" } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(feed.received).toHaveLength(1);

    // A hard kill now: what was acknowledged is there, nothing is torn, the file is sound.
    const killed = await reopen(dir);
    expect(killed.torn).toBe(0);
    expect(killed.integrity).toBe("ok");
    expect(killed.ids).toEqual(expect.arrayContaining(["A", "B"]));
    expect(killed.outbox).toEqual([]);
    expect(disk.refused).toBeGreaterThan(0);

    // Space is freed: the journal takes what waited in memory, in order, and compaction catches up, unprompted.
    disk.freeSpace();
    await until(() => engine.status().storage === undefined, "writes resumed", 10_000);
    await until(() => statuses.at(-1)?.storage === undefined, "views told the disk is fine again");
    const after = await engine.handlers.sendCommand({ type: "urge", incidentId: "C", payload: { note: "恢复后督办" } });
    expect(after.ok).toBe(true);
    await until(() => engine.outbox.list().length === 0 && feed.received.length === 2, "the command after the disk was freed sent and answered");
    feed.upsert(makeIncident("D", 1));
    await until(() => engine.replica.meta.lastSeq === feed.seq, "D applied");
    await engine.stop();

    const reopened = await reopen(dir);
    expect(reopened).toEqual({ ids: ["A", "B", "C", "D"], lastSeq: feed.seq, outbox: [], torn: 0, integrity: "ok" });
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});

describe("the engine after a full disk is freed", () => {
  it("stops saying the disk is full once space is free, even when nothing new waits to be written", async () => {
    // Compaction is retried often here, so that what is left to clear the status is the journal's refusal.
    const { feed, disk, engine } = await engineOnFullDisk({ compactEveryMs: 200 });
    await engine.start();
    await until(() => engine.status().state === "live" && engine.replica.meta.lastSeq === feed.seq, "live");
    disk.fillUp();
    // Only the operator's command meets the full disk; the feed is quiet.
    expect(await engine.handlers.sendCommand({ type: "urge", incidentId: "A", payload: { note: "督办" } })).toMatchObject({ ok: false, error: { code: "unavailable" } });
    expect(engine.status().storage?.problem).toBe("disk_full");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(engine.status().storage?.problem, "still full: still said").toBe("disk_full");
    disk.freeSpace();
    await until(() => engine.status().storage === undefined, "the disk-full status cleared with no write to prove it", 3_000);
    expect(await engine.handlers.sendCommand({ type: "urge", incidentId: "A", payload: { note: "督办" } })).toMatchObject({ ok: true });
  });
});

describe("the outbox on a full disk", () => {
  it("does not send a command whose sending could not be journaled, and sends it as soon as the disk takes writes again", async () => {
    // The outbox's own retry is a minute away here: what sends the command is the disk coming back.
    const { feed, disk, engine } = await engineOnFullDisk({ retryBaseMs: 60_000, retryMaxMs: 60_000 });
    await engine.start();
    await until(() => engine.status().state === "live" && engine.replica.meta.lastSeq === feed.seq, "live");
    // Room for one journal record: the command, queued. Its "sending" step is refused.
    disk.writesLeft = 1;
    const queued = await engine.handlers.sendCommand({ type: "urge", incidentId: "A", payload: { note: "督办" } });
    expect(queued.ok).toBe(true);
    await until(() => engine.status().storage?.problem === "disk_full", "the refused step reported");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(feed.received).toEqual([]);
    // In memory as on disk: queued, never tried.
    expect(engine.outbox.list()).toMatchObject([{ state: "queued", attempts: 0 }]);
    disk.freeSpace();
    await until(() => feed.received.length === 1 && engine.outbox.list().length === 0, "sent and answered once the disk is back", 5_000);
  });
});
