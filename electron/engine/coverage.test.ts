import { describe, expect, it } from "vitest";
import { CoverageCounter, gridAreas } from "./coverage.js";
import type { StoredFix } from "./model.js";

const square = (code: string, lon: number, lat: number, size = 0.01) => ({
  type: "Feature",
  properties: { level: "grid", code, name: code, parentCode: "C1" },
  geometry: { type: "Polygon", coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]] },
});

const LAYER = {
  type: "FeatureCollection",
  features: [
    { type: "Feature", properties: { level: "community", code: "C1", name: "c" }, geometry: { type: "Polygon", coordinates: [[[116, 39], [117, 39], [117, 40], [116, 39]]] } },
    square("G-WEST", 116.40, 39.90),
    square("G-EAST", 116.41, 39.90),
  ],
};

// 2026-11-22 10:00 Beijing.
const TEN_AM = Date.parse("2026-11-22T10:00:00+08:00");
const fix = (unitId: string, lon: number, at: number): StoredFix => ({ unitId, lon, lat: 39.905, at, heading: null, speed: null, accuracy: null });

describe("patrol coverage", () => {
  it("reads only the grid features of a region layer", () => {
    expect(gridAreas(LAYER).map((g) => g.code)).toEqual(["G-WEST", "G-EAST"]);
    expect(gridAreas(null)).toEqual([]);
    expect(gridAreas({ features: "nope" })).toEqual([]);
  });

  it("counts a visit once a unit has stayed 5 minutes in a grid, once per unit, grid and Beijing hour; a fix passing through is none", () => {
    const counter = new CoverageCounter(LAYER);
    counter.record(
      [
        fix("U1", 116.405, TEN_AM),
        fix("U1", 116.406, TEN_AM + 4 * 60_000),
        fix("U1", 116.406, TEN_AM + 20 * 60_000),
        fix("U1", 116.415, TEN_AM + 30 * 60_000),
        fix("U1", 116.405, TEN_AM + 31 * 60_000),
        fix("U1", 116.405, TEN_AM + 45 * 60_000),
        fix("U1", 116.405, TEN_AM + 60 * 60_000),
        fix("U1", 116.405, TEN_AM + 65 * 60_000),
        fix("U2", 116.405, TEN_AM),
        fix("U3", 120.0, TEN_AM),
        fix("U3", 120.0, TEN_AM + 30 * 60_000),
      ],
      () => "ASSIGNED",
    );
    expect(counter.takeUnsaved().map((v) => `${v.unitId}:${v.gridCode}@${v.hour}`)).toEqual(["U1:G-WEST@10", "U1:G-WEST@11"]);
  });

  it("counts a grid left and walked back into within the hour once, and again in the next hour, across batches", () => {
    const counter = new CoverageCounter(LAYER);
    // West 10:00-10:06, east 10:07-10:20, west 10:59-11:06, east 11:07-11:13: each stay of 5 minutes or more is a visit.
    const stays = [
      fix("U1", 116.405, TEN_AM),
      fix("U1", 116.406, TEN_AM + 6 * 60_000),
      fix("U1", 116.415, TEN_AM + 7 * 60_000),
      fix("U1", 116.416, TEN_AM + 20 * 60_000),
      fix("U1", 116.405, TEN_AM + 22 * 60_000),
      fix("U1", 116.406, TEN_AM + 28 * 60_000),
      fix("U1", 116.405, TEN_AM + 59 * 60_000),
      fix("U1", 116.406, TEN_AM + 66 * 60_000),
      fix("U1", 116.415, TEN_AM + 67 * 60_000),
      fix("U1", 116.415, TEN_AM + 73 * 60_000),
    ];
    for (const step of stays) counter.record([step], () => "ASSIGNED");
    expect(counter.takeUnsaved().map((v) => `${v.gridCode}@${v.hour}`)).toEqual(["G-WEST@10", "G-EAST@10", "G-WEST@11", "G-EAST@11"]);
    expect(counter.summary(1, TEN_AM)).toEqual({ today: "2026-11-22", visitsByDay: { "2026-11-22": { "G-WEST": 2, "G-EAST": 2 } } });
  });

  it("counts nothing for a unit whose fixes may not make visits (off patrol, or a track in doubt)", () => {
    const counter = new CoverageCounter(LAYER);
    counter.record([fix("U1", 116.405, TEN_AM), fix("U1", 116.405, TEN_AM + 10 * 60_000)], () => undefined, () => false);
    expect(counter.takeUnsaved()).toEqual([]);
  });

  it("falls back to the unit's assigned grid without a layer", () => {
    const counter = new CoverageCounter(null);
    counter.record([fix("U1", 116.405, TEN_AM), fix("U1", 116.405, TEN_AM + 6 * 60_000)], (unitId) => (unitId === "U1" ? "G-ASSIGNED" : undefined));
    expect(counter.summary(1, TEN_AM).visitsByDay).toEqual({ "2026-11-22": { "G-ASSIGNED": 1 } });
  });

  it("splits days at Beijing midnight, not UTC midnight", () => {
    const counter = new CoverageCounter(LAYER);
    const beforeMidnight = Date.parse("2026-11-22T23:30:00+08:00");
    const stay = [0, 6, 20, 35, 50, 60].map((minute) => fix("U1", 116.405, beforeMidnight + minute * 60_000));
    counter.record(stay, () => undefined);
    expect(counter.summary(2, beforeMidnight + 60 * 60_000).visitsByDay).toEqual({ "2026-11-22": { "G-WEST": 1 }, "2026-11-23": { "G-WEST": 1 } });
  });

  it("hands new visits over for saving once, and forgets days past the retention", () => {
    const counter = new CoverageCounter(LAYER);
    counter.record([fix("U1", 116.405, TEN_AM), fix("U1", 116.405, TEN_AM + 6 * 60_000)], () => undefined);
    expect(counter.takeUnsaved()).toHaveLength(1);
    expect(counter.takeUnsaved()).toEqual([]);
    counter.prune(7, TEN_AM + 10 * 86_400_000);
    expect(counter.summary(30, TEN_AM + 10 * 86_400_000).visitsByDay).toEqual({});
  });
});

describe("patrol coverage stays", () => {
  it("starts a stay again after a silence and outside every grid: one fix after either is no visit", () => {
    const counter = new CoverageCounter(LAYER);
    counter.record([fix("U1", 116.405, TEN_AM), fix("U1", 116.405, TEN_AM + 60 * 60_000)], () => undefined);
    counter.record([fix("U1", 120.0, TEN_AM + 61 * 60_000), fix("U1", 116.405, TEN_AM + 62 * 60_000)], () => undefined);
    expect(counter.takeUnsaved()).toEqual([]);
  });
});
