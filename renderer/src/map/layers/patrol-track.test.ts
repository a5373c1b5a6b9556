import { describe, expect, it } from "vitest";
import type { PatrolEvidence } from "../../../../shared/bridge/contract.js";
import { patrolBounds, patrolMarks, trackPath } from "./patrol-track.js";

describe("a shift's track and findings on the map", () => {
  const evidence: PatrolEvidence[] = [
    { reason: "stationary", from: 0, to: 1, lon: 116.40, lat: 39.90, radiusM: 3 },
    { reason: "speed", from: 0, to: 1, lon: 116.40, lat: 39.90, toLon: 116.44, toLat: 39.92, distanceM: 4000, seconds: 40, speedMps: 100 },
    { reason: "twin", from: 0, to: 1, lon: 116.41, lat: 39.91, otherUnitId: "u2", meanGapM: 5, sharedMinutes: 60 },
    { reason: "replay", from: 0, to: 1, lon: 116.42, lat: 39.93, sourceDay: "2026-12-04", medianGapM: 4, matchedMinutes: 60 },
  ];
  const marks = patrolMarks(evidence, ["still", "jump", "twin", "replay"]);

  it("circles where it stood still, never smaller than a visible radius", () => {
    expect(marks.circles).toEqual([{ position: [116.4, 39.9], radiusM: 12 }]);
  });

  it("draws a jump between its two fixes and labels it halfway", () => {
    expect(marks.jumps).toEqual([{ from: [116.4, 39.9], to: [116.44, 39.92] }]);
    expect(marks.labels[1]?.position[0]).toBeCloseTo(116.42);
    expect(marks.labels[1]?.position[1]).toBeCloseTo(39.91);
  });

  it("labels every finding with its words, in order", () => {
    expect(marks.labels.map((m) => [m.reason, m.label])).toEqual([
      ["stationary", "still"],
      ["speed", "jump"],
      ["twin", "twin"],
      ["replay", "replay"],
    ]);
  });

  it("takes lon/lat from the [at, lon, lat] triples, with the track's two ends", () => {
    const { positions, ends } = trackPath(new Float64Array([1, 116.1, 39.1, 2, 116.2, 39.2, 3, 116.3, 39.3]));
    expect([...positions]).toEqual([116.1, 39.1, 116.2, 39.2, 116.3, 39.3]);
    expect(ends).toEqual([
      [116.1, 39.1],
      [116.3, 39.3],
    ]);
    expect(trackPath(new Float64Array(0)).ends).toEqual([]);
  });

  it("bounds the track and the marks together (a jump's far end included)", () => {
    const { positions } = trackPath(new Float64Array([1, 116.1, 39.1, 2, 116.2, 39.2]));
    expect(patrolBounds(positions, marks)).toEqual([116.1, 39.1, 116.44, 39.93]);
    expect(patrolBounds(new Float64Array(0), { circles: [], jumps: [], labels: [] })).toBeNull();
  });
});
