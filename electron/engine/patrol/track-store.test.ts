import { describe, expect, it } from "vitest";
import { TRACK_DAYS } from "../../../shared/domain/patrol.js";
import { missingWithin, piecesNewestFirst, pruneIntervals } from "./coverage-windows.js";
import { decodeTracks, encodeTracks } from "./track-file.js";
import { newRun, THIN_MS, TrackStore } from "./track-store.js";

const T0 = Date.parse("2026-12-05T09:00:00+08:00");
const DAY = 86_400_000;

describe("track store", () => {
  it("keeps one point a minute of a steady walk", () => {
    const store = new TrackStore();
    for (let i = 0; i < 600; i++) store.add("U", T0 + i * 10_000, 116.4 + i * 1e-5, 39.9, 10);
    expect(store.track("U")!.length).toBe(Math.ceil((600 * 10_000) / THIN_MS));
  });

  it("always keeps a jump, and records it with the speed net of both fixes' accuracy", () => {
    const store = new TrackStore();
    store.add("U", T0, 116.4, 39.9, 10);
    store.add("U", T0 + 10_000, 116.4, 39.92, 10);
    const track = store.track("U")!;
    expect(track.length).toBe(2);
    expect(track.speedEvents).toHaveLength(1);
    expect(track.speedEvents[0]!.distanceM).toBeGreaterThan(2200);
    expect(track.speedEvents[0]!.speedMps).toBeCloseTo((track.speedEvents[0]!.distanceM - 20) / 10, 5);
  });

  it("takes a backfilled window after live fixes, sorted on the next read, each fix once", () => {
    const store = new TrackStore();
    for (let i = 0; i < 10; i++) store.add("U", T0 + i * 60_000, 116.4, 39.9, 10);
    const run = newRun();
    for (let i = -10; i < 3; i++) store.add("U", T0 + i * 60_000, 116.4, 39.9, 10, run);
    expect(Array.from(store.slice("U", T0 - DAY, T0 + DAY).filter((_, i) => i % 3 === 0))).toEqual(Array.from({ length: 20 }, (_, i) => T0 + (i - 10) * 60_000));
  });

  it("judges a speed only within one run, never between a backfilled window and a live fix hours apart", () => {
    const store = new TrackStore();
    store.add("U", T0, 116.4, 39.9, 10);
    store.add("U", T0 - 3_600_000, 116.5, 39.9, 10, newRun());
    expect(store.track("U")!.speedEvents).toHaveLength(0);
  });

  it("forgets what is older than the week, and units with nothing left", () => {
    const store = new TrackStore();
    store.add("old", T0 - (TRACK_DAYS + 1) * DAY, 116.4, 39.9, 10);
    store.add("U", T0 - (TRACK_DAYS + 1) * DAY, 116.4, 39.9, 10);
    store.add("U", T0 - DAY, 116.4, 39.9, 10);
    store.prune(T0);
    expect(store.track("old")).toBeUndefined();
    expect(Array.from(store.slice("U", 0, T0))).toEqual([T0 - DAY, Math.fround(116.4), Math.fround(39.9)]);
  });

  it("reads back from its file what it wrote, and refuses a file cut short", () => {
    const store = new TrackStore();
    for (let i = 0; i < 100; i++) store.add(`U${i % 3}`, T0 + i * 70_000, 116.4 + i * 1e-4, 39.9, 10);
    store.add("U0", T0 + 100 * 70_000, 116.6, 39.9, 5);
    const bytes = encodeTracks(store, [[T0, T0 + DAY]]);
    const { store: back, covered } = decodeTracks(bytes);
    expect(covered).toEqual([[T0, T0 + DAY]]);
    for (const id of ["U0", "U1", "U2"]) expect(Array.from(back.slice(id, 0, T0 + DAY))).toEqual(Array.from(store.slice(id, 0, T0 + DAY)));
    expect(back.track("U0")!.speedEvents).toEqual(store.track("U0")!.speedEvents);
    expect(() => decodeTracks(bytes.subarray(0, bytes.length - 8))).toThrow(/cut short/);
    expect(() => decodeTracks(new TextEncoder().encode("not tracks"))).toThrow(/not a track file/);
    // A header that lies about its points or evidence is refused before anything is kept.
    const lying = (change: (header: { units: { n: number; speed: unknown[] }[] }) => void) => {
      const length = Buffer.from(bytes.buffer, bytes.byteOffset).readUInt32LE(4);
      const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString("utf8"));
      change(header);
      const json = Buffer.from(JSON.stringify(header));
      const out = Buffer.alloc(8);
      out.write("GCT1", 0, "latin1");
      out.writeUInt32LE(json.length, 4);
      return new Uint8Array(Buffer.concat([out, json, Buffer.alloc(((8 + json.length + 7) & ~7) - 8 - json.length), bytes.subarray((8 + length + 7) & ~7)]));
    };
    expect(() => decodeTracks(lying((h) => (h.units[0]!.speed = [null])))).toThrow(/speed evidence/);
    expect(() => decodeTracks(lying((h) => (h.units[0]!.n = 10 ** 7)))).toThrow(/invalid|cut short/);
  });
});

describe("covered windows", () => {
  it("finds exactly what no window covers", () => {
    expect(missingWithin([[10, 20], [15, 30], [40, 50]], 0, 60)).toEqual([[0, 10], [30, 40], [50, 60]]);
    expect(missingWithin([[0, 60]], 10, 50)).toEqual([]);
    expect(missingWithin([], 10, 50)).toEqual([[10, 50]]);
  });

  it("cuts what is missing into pieces, newest first", () => {
    expect(piecesNewestFirst([[0, 25], [30, 40]], 10)).toEqual([[30, 40], [15, 25], [5, 15], [0, 5]]);
  });

  it("forgets windows that ended before the cutoff and trims the one across it", () => {
    expect(pruneIntervals([[0, 10], [5, 30], [40, 50]], 20)).toEqual([[20, 30], [40, 50]]);
  });
});

describe("track store budget", () => {
  it("counts its points as they come and recounts them when pruned", () => {
    const store = new TrackStore();
    for (let i = 0; i < 50; i++) store.add(`U${i % 5}`, T0 + i * 61_000, 116.4, 39.9, 10);
    expect(store.points).toBe(50);
    store.prune(T0 + (TRACK_DAYS + 1) * DAY);
    expect(store.points).toBe(0);
    expect(store.full).toBe(false);
  });
});
