import { describe, expect, it } from "vitest";
import { haversineMeters } from "./distance.js";
import { areaSquareMeters, bboxOf, labelPoint, pointInPolygons, randomPointInPolygons, ringAreaSquareMeters } from "./polygon.js";
import type { PolygonRings, Ring } from "./region.js";

function square(lon: number, lat: number, size: number): Ring {
  return [
    [lon, lat],
    [lon + size, lat],
    [lon + size, lat + size],
    [lon, lat + size],
    [lon, lat],
  ];
}

/** A C-shaped block whose box centre lies in the notch, outside the block. */
const C_SHAPE: PolygonRings = [
  [
    [0, 0],
    [0.01, 0],
    [0.01, 0.002],
    [0.002, 0.002],
    [0.002, 0.008],
    [0.01, 0.008],
    [0.01, 0.01],
    [0, 0.01],
    [0, 0],
  ].map(([x, y]) => [116.4 + (x as number), 39.9 + (y as number)] as [number, number]),
];

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("polygon helpers", () => {
  it("measures a 0.01° cell in Beijing as the product of its haversine sides", () => {
    const ring = square(116.4, 39.9, 0.01);
    const expected = haversineMeters(116.4, 39.905, 116.41, 39.905) * haversineMeters(116.4, 39.9, 116.4, 39.91);
    expect(Math.abs(areaSquareMeters([[ring]]) - expected) / expected).toBeLessThan(1e-3);
    expect(ringAreaSquareMeters(ring)).toBeGreaterThan(0);
    expect(ringAreaSquareMeters([...ring].reverse())).toBeLessThan(0);
  });

  it("subtracts holes from the area and treats points in a hole as outside", () => {
    const polygon: PolygonRings = [square(116.4, 39.9, 0.01), square(116.402, 39.902, 0.002)];
    expect(areaSquareMeters([polygon]) / areaSquareMeters([[square(116.4, 39.9, 0.01)]])).toBeCloseTo(0.96, 3);
    expect(pointInPolygons(116.403, 39.903, [polygon])).toBe(false);
    expect(pointInPolygons(116.401, 39.901, [polygon])).toBe(true);
    expect(pointInPolygons(116.42, 39.901, [polygon])).toBe(false);
  });

  it("bounds a multipolygon by all its parts", () => {
    expect(bboxOf([[square(116.4, 39.9, 0.01)], [square(116.5, 39.8, 0.01)]])).toEqual([116.4, 39.8, 116.51, 39.91]);
  });

  it("places the label inside a C-shaped block, where the box centre would miss", () => {
    const [centreLon, centreLat] = [116.405, 39.905];
    expect(pointInPolygons(centreLon, centreLat, [C_SHAPE])).toBe(false);
    const [lon, lat] = labelPoint([C_SHAPE]);
    expect(pointInPolygons(lon, lat, [C_SHAPE])).toBe(true);
  });

  it("draws random points inside the polygon, the same ones for the same seed", () => {
    const first = Array.from({ length: 200 }, ((random) => () => randomPointInPolygons([C_SHAPE], random))(seeded(7)));
    const again = Array.from({ length: 200 }, ((random) => () => randomPointInPolygons([C_SHAPE], random))(seeded(7)));
    expect(again).toEqual(first);
    for (const [lon, lat] of first) expect(pointInPolygons(lon, lat, [C_SHAPE])).toBe(true);
    const inLowerArm = first.filter(([, lat]) => lat < 39.902).length;
    // The lower arm is 0.002 of the 0.0052 area units (38%).
    expect(inLowerArm / first.length).toBeGreaterThan(0.25);
    expect(inLowerArm / first.length).toBeLessThan(0.52);
  });
});
