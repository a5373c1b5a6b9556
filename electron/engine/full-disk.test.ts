import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeFileAtomic, writeFileAtomicSync } from "./atomic-file.js";
import { Journal, readJournal } from "./journal.js";
import { installFullDisk, type FullDisk } from "./testing/full-disk.js";
import { tempDir } from "./testing/harness.js";

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

function fullDisk(free = Number.POSITIVE_INFINITY): FullDisk {
  const disk = installFullDisk(free);
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
