import { describe, expect, it } from "vitest";
import { buildTrailAttributes, TrailAttributes, TrailStore, TRAIL_WINDOW_MS } from "./trails.js";
import type { PositionSource } from "./units.js";

const T0 = Date.parse("2026-11-23T10:00:00+08:00");

function source(slots: number): PositionSource & { move(slot: number, lon: number, lat: number, at: number): void } {
  const s = { lon: new Float64Array(slots), lat: new Float64Array(slots), at: new Float64Array(slots), heading: new Float32Array(slots), length: slots,
    move(slot: number, lon: number, lat: number, at: number) { s.lon[slot] = lon; s.lat[slot] = lat; s.at[slot] = at; } };
  return s;
}

describe("trails", () => {
  it("keeps one point per interval and moves the newest with fixes in between", () => {
    const store = new TrailStore({ capacity: 8, minIntervalMs: 30_000 });
    const table = source(1);
    for (let i = 0; i <= 9; i++) {
      table.move(0, 116.4 + i * 0.001, 39.9, T0 + i * 10_000);
      store.ingest(table);
    }
    const out = buildTrailAttributes(store, T0 + 90_000, () => true, new TrailAttributes());
    expect(out.length).toBe(1);
    const lons = Array.from({ length: out.vertices }, (_, i) => out.positions[i * 2] as number);
    expect(lons[0]).toBeCloseTo(116.4, 5);
    expect(lons[lons.length - 1]).toBeCloseTo(116.409, 5);
    expect(out.vertices).toBe(4);
    for (let i = 1; i < lons.length; i++) expect(lons[i]).toBeGreaterThan(lons[i - 1] as number);
  });

  it("wraps its ring and returns points oldest first", () => {
    const store = new TrailStore({ capacity: 4, minIntervalMs: 0 });
    const table = source(1);
    for (let i = 0; i < 10; i++) {
      table.move(0, i, 0, T0 + i * 1000);
      store.ingest(table);
    }
    const out = buildTrailAttributes(store, T0 + 10_000, () => true, new TrailAttributes());
    expect(Array.from({ length: out.vertices }, (_, i) => out.positions[i * 2])).toEqual([6, 7, 8, 9]);
  });

  it("drops points older than the half-hour window and trails left with fewer than two points", () => {
    const store = new TrailStore({ capacity: 16, minIntervalMs: 0 });
    const table = source(2);
    table.move(0, 1, 0, T0);
    table.move(1, 5, 0, T0);
    store.ingest(table);
    table.move(0, 2, 0, T0 + TRAIL_WINDOW_MS + 60_000);
    store.ingest(table);
    table.move(0, 3, 0, T0 + TRAIL_WINDOW_MS + 120_000);
    store.ingest(table);
    const out = buildTrailAttributes(store, T0 + TRAIL_WINDOW_MS + 120_000, () => true, new TrailAttributes());
    expect(out.length).toBe(1);
    expect(out.slots[0]).toBe(0);
    expect(Array.from({ length: out.vertices }, (_, i) => out.positions[i * 2])).toEqual([2, 3]);
    expect([...out.startIndices.subarray(0, 2)]).toEqual([0, 2]);
  });

  it("ignores a fix no newer than the last one seen", () => {
    const store = new TrailStore({ minIntervalMs: 0 });
    const table = source(1);
    table.move(0, 1, 0, T0);
    expect(store.ingest(table)).toBe(1);
    expect(store.ingest(table)).toBe(0);
  });

  it("leaves out the slots the filter rejects", () => {
    const store = new TrailStore({ minIntervalMs: 0 });
    const table = source(2);
    for (let i = 0; i < 3; i++) {
      table.move(0, i, 0, T0 + i * 1000);
      table.move(1, i, 1, T0 + i * 1000);
      store.ingest(table);
    }
    const out = buildTrailAttributes(store, T0 + 3000, (slot) => slot === 1, new TrailAttributes());
    expect(out.length).toBe(1);
    expect(out.slots[0]).toBe(1);
  });
});
