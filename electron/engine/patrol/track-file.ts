import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../atomic-file.js";
import type { Interval } from "./coverage-windows.js";
import { MAX_POINTS_PER_UNIT, TrackStore, UnitTrack, type SpeedEvent } from "./track-store.js";

/*
 * The track store on disk (`<dataDir>/tracks.bin`), so a restart asks the
 * platform only for the hours the console was off. One file, written whole
 * and atomically: "GCT1", the header's length (u32 LE), the header (JSON:
 * the windows the store holds completely, and each unit's id, point count
 * and speed evidence), zero padding to 8 bytes, then per unit its times
 * (f64), longitudes (f32) and latitudes (f32), each padded to 8 bytes.
 * A file that does not read back whole is ignored (and kept aside): the
 * platform's tracks fill the store again.
 */

const MAGIC = "GCT1";
type Header = { covered: Interval[]; units: { id: string; n: number; speed: SpeedEvent[] }[] };
const pad8 = (n: number) => (n + 7) & ~7;

export function encodeTracks(store: TrackStore, covered: readonly Interval[]): Uint8Array {
  const header: Header = { covered: [...covered], units: [] };
  let body = 0;
  for (const [id, track] of store.units) {
    track.ensureSorted();
    header.units.push({ id, n: track.length, speed: track.speedEvents });
    body += pad8(track.length * 8) + 2 * pad8(track.length * 4);
  }
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const start = pad8(8 + json.length);
  const out = Buffer.alloc(start + body);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  let offset = start;
  for (const track of store.units.values()) {
    const n = track.length;
    out.set(new Uint8Array(track.at.buffer, 0, n * 8), offset);
    offset += pad8(n * 8);
    out.set(new Uint8Array(track.lon.buffer, 0, n * 4), offset);
    offset += pad8(n * 4);
    out.set(new Uint8Array(track.lat.buffer, 0, n * 4), offset);
    offset += pad8(n * 4);
  }
  return out;
}

export function decodeTracks(bytes: Uint8Array): { store: TrackStore; covered: Interval[] } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 8 || buffer.toString("latin1", 0, 4) !== MAGIC) throw new Error("not a track file");
  const length = buffer.readUInt32LE(4);
  if (8 + length > buffer.length) throw new Error("track file header cut short");
  const header = JSON.parse(buffer.toString("utf8", 8, 8 + length)) as Header;
  if (!Array.isArray(header.covered) || !Array.isArray(header.units)) throw new Error("track file header is not a track header");
  const store = new TrackStore();
  let offset = pad8(8 + length);
  for (const unit of header.units) {
    const n = unit.n;
    if (!Number.isSafeInteger(n) || n < 0 || n > MAX_POINTS_PER_UNIT || typeof unit.id !== "string") throw new Error("track file unit entry is invalid");
    if (!Array.isArray(unit.speed) || !unit.speed.every(isSpeedEvent)) throw new Error(`track file speed evidence of ${unit.id} is invalid`);
    const need = pad8(n * 8) + 2 * pad8(n * 4);
    if (offset + need > buffer.length) throw new Error("track file cut short");
    const track = new UnitTrack();
    const capacity = Math.max(64, n);
    track.at = new Float64Array(capacity);
    track.lon = new Float32Array(capacity);
    track.lat = new Float32Array(capacity);
    // Copied out: the file's buffer is not aligned for typed views at every offset.
    track.at.set(new Float64Array(buffer.buffer.slice(buffer.byteOffset + offset, buffer.byteOffset + offset + n * 8)));
    offset += pad8(n * 8);
    track.lon.set(new Float32Array(buffer.buffer.slice(buffer.byteOffset + offset, buffer.byteOffset + offset + n * 4)));
    offset += pad8(n * 4);
    track.lat.set(new Float32Array(buffer.buffer.slice(buffer.byteOffset + offset, buffer.byteOffset + offset + n * 4)));
    offset += pad8(n * 4);
    track.length = n;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(track.at[i]!) || !Number.isFinite(track.lon[i]!) || !Number.isFinite(track.lat[i]!)) throw new Error(`track file point ${i} of ${unit.id} is not a number`);
      if (i > 0 && track.at[i]! < track.at[i - 1]!) track.sorted = false;
    }
    track.speedEvents = unit.speed;
    store.units.set(unit.id, track);
    store.size += n;
  }
  const covered = header.covered.filter((w): w is Interval => Array.isArray(w) && w.length === 2 && w.every(Number.isFinite));
  return { store, covered };
}

const SPEED_FIELDS = ["from", "to", "lon", "lat", "toLon", "toLat", "distanceM", "seconds", "speedMps"] as const;
const isSpeedEvent = (value: unknown): value is SpeedEvent =>
  typeof value === "object" && value !== null && SPEED_FIELDS.every((field) => Number.isFinite((value as Record<string, unknown>)[field]));

export function readTrackFile(path: string): { store: TrackStore; covered: Interval[] } | null {
  if (!existsSync(path)) return null;
  return decodeTracks(readFileSync(path));
}

export function writeTrackFile(path: string, store: TrackStore, covered: readonly Interval[]): Promise<void> {
  return writeFileAtomic(path, encodeTracks(store, covered));
}
