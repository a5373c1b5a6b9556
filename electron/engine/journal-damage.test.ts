import { appendFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Cache } from "./cache.js";
import { frame, readJournal } from "./journal.js";
import { makeIncident } from "./testing/mini-feed.js";
import { tempDir } from "./testing/harness.js";

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

/** Three records, one case each, with no compaction: the journal alone holds them. */
function threeRecords(dir: string): Buffer {
  const records = ["A", "B", "C"].map((id) => frame({ generation: 0, ops: [{ op: "incident", incident: makeIncident(id, 1) }] }));
  writeFileSync(join(dir, "cache.journal"), Buffer.concat(records));
  return Buffer.concat(records);
}

describe("a damaged journal", () => {
  it("is told apart from a torn tail: a whole record after the bad one is damage in the middle", () => {
    const records = ["A", "B", "C"].map((id) => frame({ generation: 0, ops: [id] }));
    const bytes = Buffer.concat(records);
    const flipped = Buffer.from(bytes);
    const at = (records[0] as Buffer).length + 20;
    flipped.writeUInt8(flipped.readUInt8(at) ^ 0x01, at);
    const middle = readJournal(flipped);
    expect(middle.records).toHaveLength(1);
    expect(middle.laterRecordAt).toBe((records[0] as Buffer).length + (records[1] as Buffer).length);
    const torn = readJournal(bytes.subarray(0, bytes.length - 5));
    expect(torn.records).toHaveLength(2);
    expect(torn.laterRecordAt).toBeNull();
    expect(readJournal(bytes).laterRecordAt).toBeNull();
  });

  it("damaged in the middle (a flipped bit) is copied whole to recovered/ before it is cut, and the console is told", async () => {
    const dir = directory();
    const bytes = threeRecords(dir);
    const at = bytes.indexOf('"id":"B"');
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
    writeFileSync(join(dir, "cache.journal"), bytes);
    const { loaded, recovered } = await open(dir);
    expect(loaded.incidents.map((i) => i.id)).toEqual(["A"]);
    expect(recovered?.reason).toMatch(/damaged at byte \d+ of \d+: 1 records before it replayed/);
    expect(recovered?.movedTo).toMatch(/recovered[\\/]cache-.*\.damaged\.journal$/);
    expect(readFileSync(recovered?.movedTo as string)).toEqual(bytes);
    expect(readdirSync(join(dir, "recovered")).some((name) => name.endsWith(".reason.txt"))).toBe(true);
    // The live journal is cut after the good record, so new records are never written behind the damage.
    expect(readJournal(readFileSync(join(dir, "cache.journal"))).tornBytes).toBe(0);
  });

  it("torn at the tail by a kill is cut with no copy and nothing on screen", async () => {
    const dir = directory();
    threeRecords(dir);
    appendFileSync(join(dir, "cache.journal"), frame({ generation: 0, ops: [{ op: "incident", incident: makeIncident("D", 1) }] }).subarray(0, 20));
    const { loaded, recovered } = await open(dir);
    expect(loaded.incidents.map((i) => i.id).sort()).toEqual(["A", "B", "C"]);
    expect(recovered).toBeUndefined();
    expect(existsSync(join(dir, "recovered"))).toBe(false);
  });
});
