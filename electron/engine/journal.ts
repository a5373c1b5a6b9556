import { existsSync, fstatSync, readFileSync, readSync } from "node:fs";
import * as zlib from "node:zlib";
import { writeFileAtomicSync } from "./atomic-file.js";
import { disk } from "./disk.js";

/*
 * Append-only journal of cache changes, written (and fsynced) before a change
 * is shown or a command is sent. Each record is framed as
 *   u32 length | u32 crc32(payload) | payload (UTF-8 JSON)
 * so a record torn by a hard kill is detected and ignored. Each payload
 * carries the compaction generation it belongs to: a journal older than the
 * database file (compaction finished, rewrite not yet) is then never replayed
 * over newer data.
 *
 * An append the disk refuses part way (ENOSPC after some bytes, a failed
 * fsync) is cut off again at once, so the next record never lands behind
 * garbage: replay stops at the first torn record, and everything written
 * after one would be lost. If even the cut fails, it is retried before the
 * next append.
 */

const HEADER_BYTES = 8;
const MAX_RECORD_BYTES = 512 * 1024 * 1024;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The standard CRC-32 (IEEE 802.3), in JavaScript: the reference, and the fallback where zlib has none. */
export function crc32Js(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// zlib.crc32 (Node 20.15+, native) computes the same checksum, several times faster than the loop above.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** The standard CRC-32 of `bytes`, as every journal record is framed with. */
export const crc32: (bytes: Uint8Array) => number = typeof nativeCrc32 === "function" ? (bytes) => nativeCrc32(bytes) >>> 0 : crc32Js;

/** One framed record for `payload`; `encoded`: its JSON text, when the caller has it already. */
export function frame(payload: unknown, encoded: string = JSON.stringify(payload)): Buffer {
  const length = Buffer.byteLength(encoded, "utf8");
  const buffer = Buffer.allocUnsafe(HEADER_BYTES + length);
  buffer.write(encoded, HEADER_BYTES, "utf8");
  buffer.writeUInt32LE(length, 0);
  buffer.writeUInt32LE(crc32(buffer.subarray(HEADER_BYTES)), 4);
  return buffer;
}

export type JournalRecord<T> = { generation: number; ops: T[] };

/** `JSON.stringify(record)`, each op through `encodeOp` (which must give `JSON.stringify(op)`). */
export function encodeRecord<T>(record: JournalRecord<T>, encodeOp: (op: T) => string): string {
  let text = `{"generation":${JSON.stringify(record.generation)},"ops":[`;
  for (let i = 0; i < record.ops.length; i++) text += (i === 0 ? "" : ",") + encodeOp(record.ops[i] as T);
  return `${text}]}`;
}
/**
 * `damagedAt`: where a whole record follows the first bad one, so the bad bytes are damage in the middle
 * (a flipped bit, a bad sector), not a tail torn by a kill; null when nothing whole follows.
 */
export type JournalRead<T> = { records: JournalRecord<T>[]; validBytes: number; tornBytes: number; laterRecordAt: number | null };

/** Every record's payload begins so (encodeRecord, JSON.stringify): where to look for a whole record past damage. */
const RECORD_START = Buffer.from('{"generation":', "utf8");

/** The offset of the first whole record (length in range, checksum right) after `from`, or null. */
function findLaterRecord(bytes: Buffer, from: number): number | null {
  for (let at = bytes.indexOf(RECORD_START, from + HEADER_BYTES); at !== -1; at = bytes.indexOf(RECORD_START, at + 1)) {
    const start = at - HEADER_BYTES;
    const length = bytes.readUInt32LE(start);
    const end = at + length;
    if (length > MAX_RECORD_BYTES || end > bytes.length) continue;
    if (crc32(bytes.subarray(at, end)) === bytes.readUInt32LE(start + 4)) return start;
  }
  return null;
}

/** Reads every intact record; stops at the first torn or corrupt one. */
export function readJournal<T>(bytes: Buffer): JournalRead<T> {
  const records: JournalRecord<T>[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32LE(offset);
    const checksum = bytes.readUInt32LE(offset + 4);
    const end = offset + HEADER_BYTES + length;
    if (length > MAX_RECORD_BYTES || end > bytes.length) break;
    const body = bytes.subarray(offset + HEADER_BYTES, end);
    if (crc32(body) !== checksum) break;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      break;
    }
    if (!isRecord<T>(parsed)) break;
    records.push(parsed);
    offset = end;
  }
  const laterRecordAt = offset < bytes.length ? findLaterRecord(bytes, offset) : null;
  return { records, validBytes: offset, tornBytes: bytes.length - offset, laterRecordAt };
}

function isRecord<T>(value: unknown): value is JournalRecord<T> {
  if (typeof value !== "object" || value === null) return false;
  const record = value as { generation?: unknown; ops?: unknown };
  return typeof record.generation === "number" && Array.isArray(record.ops);
}

export class Journal<T> {
  private fd: number;
  private size: number;
  /** Set when a failed append could not be cut off: bytes past `size` are garbage to remove first. */
  private dirtyTail = false;

  private constructor(
    readonly path: string,
    fd: number,
    size: number,
    private readonly encodeOp?: (op: T) => string,
  ) {
    this.fd = fd;
    this.size = size;
  }

  /**
   * Opens (creating) the journal and cuts off a torn tail so new records are never written after garbage.
   * `encodeOp`: `JSON.stringify(op)`, for a caller that keeps parts of the text (see `encodeRecord`).
   * `beforeCut`: given the whole file before anything is cut, when there is something to cut (to keep a copy).
   */
  static open<T>(path: string, encodeOp?: (op: T) => string, beforeCut?: (bytes: Buffer, read: JournalRead<T>) => void): { journal: Journal<T>; read: JournalRead<T> } {
    const bytes = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
    const read = readJournal<T>(bytes);
    if (read.tornBytes > 0) beforeCut?.(bytes, read);
    const fd = disk().openSync(path, "a+");
    if (read.tornBytes > 0) {
      disk().ftruncateSync(fd, read.validBytes);
      disk().fsyncSync(fd);
    }
    return { journal: new Journal<T>(path, fd, read.validBytes, encodeOp), read };
  }

  get bytes(): number {
    return this.size;
  }

  /**
   * Appends one record and waits for it to reach the disk. If the disk refuses
   * (full: ENOSPC), it throws, and the journal is as it was before the call.
   */
  append(generation: number, ops: T[]): void {
    if (ops.length === 0) return;
    const record = { generation, ops } satisfies JournalRecord<T>;
    const buffer = frame(record, this.encodeOp ? encodeRecord(record, this.encodeOp) : undefined);
    if (this.dirtyTail) this.cutTail();
    try {
      let written = 0;
      while (written < buffer.length) written += disk().writeSync(this.fd, buffer, written, buffer.length - written);
      disk().fsyncSync(this.fd);
    } catch (error) {
      this.dirtyTail = true;
      try {
        this.cutTail();
      } catch {
        // Still dirty: cut before the next append. The original error is the one to report.
      }
      throw error;
    }
    this.size += buffer.length;
  }

  /** Removes whatever a failed append left after the last whole record. Freeing space needs none. */
  private cutTail(): void {
    disk().ftruncateSync(this.fd, this.size);
    disk().fsyncSync(this.fd);
    this.dirtyTail = false;
  }

  /**
   * Drops records older than `generation`, once the database file holds them
   * (`fromOffset`: where the first record of `generation` begins, when the caller knows it).
   * The kept records (written while the database file was being written) go to
   * a new file that replaces the journal atomically: a kill at any point
   * leaves either the old journal or the new one, never a partial one.
   */
  dropBefore(generation: number, fromOffset?: number): void {
    const body = fromOffset !== undefined && fromOffset >= 0 && fromOffset <= this.size ? this.tail(fromOffset) : this.kept(generation);
    if (this.dirtyTail) this.cutTail();
    // Closed first: Windows refuses to rename over a file that is open.
    disk().closeSync(this.fd);
    try {
      writeFileAtomicSync(this.path, body);
    } finally {
      this.fd = disk().openSync(this.path, "a+");
      this.size = fstatSync(this.fd).size;
    }
  }

  /**
   * The bytes from `offset` to the end, as written: the caller knows every record there is of the kept
   * generations and none before it is, so the whole journal is not read, checked and re-framed.
   */
  private tail(offset: number): Buffer {
    const body = Buffer.alloc(this.size - offset);
    let read = 0;
    while (read < body.length) {
      const n = readSync(this.fd, body, read, body.length - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    return body.subarray(0, read);
  }

  private kept(generation: number): Buffer {
    const kept = readJournal<T>(readFileSync(this.path)).records.filter((r) => r.generation >= generation);
    return Buffer.concat(kept.map((record) => frame(record)));
  }

  close(): void {
    disk().closeSync(this.fd);
  }
}
