import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Journal, crc32, readJournal } from "./journal.js";
import { tempDir } from "./testing/harness.js";

const dirs: (() => void)[] = [];
afterEach(() => dirs.splice(0).forEach((remove) => remove()));

function journalPath(): string {
  const { dir, remove } = tempDir();
  dirs.push(remove);
  return join(dir, "cache.journal");
}

describe("journal", () => {
  it("computes the standard CRC-32", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
  });

  it("reads back every record appended, in order", () => {
    const path = journalPath();
    const { journal } = Journal.open<number>(path);
    journal.append(0, [1, 2]);
    journal.append(0, [3]);
    journal.close();
    expect(readJournal<number>(readFileSync(path)).records).toEqual([
      { generation: 0, ops: [1, 2] },
      { generation: 0, ops: [3] },
    ]);
  });

  it("ignores a record torn by a kill mid-write and cuts it off before appending more", () => {
    const path = journalPath();
    const first = Journal.open<string>(path).journal;
    first.append(0, ["kept"]);
    first.append(0, ["torn"]);
    first.close();
    truncateSync(path, readFileSync(path).length - 3);
    const { journal, read } = Journal.open<string>(path);
    expect(read.records.map((r) => r.ops)).toEqual([["kept"]]);
    expect(read.tornBytes).toBeGreaterThan(0);
    journal.append(0, ["after"]);
    journal.close();
    expect(readJournal<string>(readFileSync(path)).records.map((r) => r.ops)).toEqual([["kept"], ["after"]]);
  });

  it("stops at a record whose checksum does not match", () => {
    const path = journalPath();
    const { journal } = Journal.open<string>(path);
    journal.append(0, ["one"]);
    const firstLength = journal.bytes;
    journal.append(0, ["two"]);
    journal.append(0, ["three"]);
    journal.close();
    const bytes = readFileSync(path);
    bytes[firstLength + 10] = (bytes[firstLength + 10] as number) ^ 0xff;
    writeFileSync(path, bytes);
    expect(readJournal<string>(readFileSync(path)).records.map((r) => r.ops)).toEqual([["one"]]);
  });

  it("drops records of older generations and keeps newer ones, appending after them", () => {
    const path = journalPath();
    const { journal } = Journal.open<string>(path);
    journal.append(1, ["old"]);
    journal.append(2, ["new"]);
    journal.dropBefore(2);
    journal.append(2, ["newer"]);
    journal.close();
    expect(readJournal<string>(readFileSync(path)).records.map((r) => r.ops)).toEqual([["new"], ["newer"]]);
  });
});
