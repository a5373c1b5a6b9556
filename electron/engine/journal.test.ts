import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { Journal, crc32, crc32Js, encodeRecord, frame, readJournal } from "./journal.js";
import type { JournalRecord } from "./journal.js";
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
    expect(crc32Js(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it("computes with zlib the checksum the JavaScript CRC-32 computed", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.nat({ max: 16 }), (bytes, skip) => {
        // Views into a larger buffer too, as the reader hands it records.
        const view = bytes.subarray(Math.min(skip, bytes.length));
        expect(crc32(view)).toBe(crc32Js(view));
      }),
      { numRuns: 500 },
    );
  });

  it("frames records byte for byte as before, so journals written by older releases replay and new ones read back there", () => {
    // The framing of the release before: Buffer.concat of a header and the body, CRC-32 in JavaScript.
    const oldFrame = (payload: unknown): Buffer => {
      const body = Buffer.from(JSON.stringify(payload), "utf8");
      const head = Buffer.alloc(8);
      head.writeUInt32LE(body.length, 0);
      head.writeUInt32LE(crc32Js(body), 4);
      return Buffer.concat([head, body]);
    };
    const records: JournalRecord<unknown>[] = [
      { generation: 0, ops: [{ op: "incident", incident: { id: "A", title: "占道经营 \u2028 \"quoted\"", lon: 116.4 } }] },
      { generation: 3, ops: [{ op: "meta", meta: { epoch: "e1", lastSeq: 7, dataAsOf: null } }, { op: "outboxDel", commandId: "c-1" }] },
    ];
    for (const record of records) {
      expect(frame(record)).toEqual(oldFrame(record));
      expect(frame(record, encodeRecord(record, (op) => JSON.stringify(op)))).toEqual(oldFrame(record));
    }
    const path = journalPath();
    writeFileSync(path, Buffer.concat(records.map(oldFrame)));
    const { journal, read } = Journal.open<unknown>(path);
    expect(read.records).toEqual(records);
    expect(read.tornBytes).toBe(0);
    journal.append(4, ["new"]);
    journal.close();
    // A journal that encodes its ops itself writes the same bytes.
    const encoded = Journal.open<unknown>(path, (op) => JSON.stringify(op)).journal;
    encoded.append(5, [{ op: "x", n: [1, "二"] }, null]);
    encoded.close();
    const expected = [...records, { generation: 4, ops: ["new"] }, { generation: 5, ops: [{ op: "x", n: [1, "二"] }, null] }];
    expect(readFileSync(path)).toEqual(Buffer.concat(expected.map(oldFrame)));
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
