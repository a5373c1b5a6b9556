import fc from "fast-check";
import polygonClipping from "polygon-clipping";
import type { MultiPolygon, Pair } from "polygon-clipping";
import { describe, expect, it } from "vitest";
import { areaBelow, cutAt, planarArea } from "./cut.js";
import { apportion, splitBlocks, splitByAnchors, splitEqual } from "./partition.js";

/** A star-shaped (often concave) simple polygon around Dongcheng, counter-clockwise. */
const starPolygon = fc.array(fc.double({ min: 0.2, max: 1, noNaN: true }), { minLength: 5, maxLength: 14 }).map((radii): MultiPolygon => {
  const ring: Pair[] = radii.map((r, i) => {
    const angle = (2 * Math.PI * i) / radii.length;
    return [116.4 + 0.01 * r * Math.cos(angle), 39.9 + 0.01 * r * Math.sin(angle)];
  });
  return [[[...ring, ring[0] as Pair]]];
});

const overlapArea = (a: MultiPolygon, b: MultiPolygon): number => planarArea(polygonClipping.intersection(a, b));
const RECTANGLE: MultiPolygon = [
  [
    [
      [116.4, 39.9],
      [116.42, 39.9],
      [116.42, 39.91],
      [116.4, 39.91],
      [116.4, 39.9],
    ],
  ],
];

describe("cutAt", () => {
  it("splits any simple polygon into two pieces that cover it exactly and do not overlap", () => {
    fc.assert(
      fc.property(starPolygon, fc.constantFrom(0 as const, 1 as const), fc.double({ min: -0.008, max: 0.008, noNaN: true }), (shape, axis, offset) => {
        const [below, above] = cutAt(shape, axis, (axis === 0 ? 116.4 : 39.9) + offset);
        const total = planarArea(shape);
        expect(Math.abs(planarArea(below) + planarArea(above) - total)).toBeLessThan(total * 1e-9);
        expect(overlapArea(below, above)).toBeLessThan(total * 1e-9);
        expect(planarArea(polygonClipping.difference(shape, below, above))).toBeLessThan(total * 1e-9);
      }),
      { numRuns: 150 },
    );
  });

  it("cuts a convex shape exactly along the line", () => {
    const [west, east] = cutAt(RECTANGLE, 0, 116.405);
    expect(planarArea(west) / planarArea(RECTANGLE)).toBeCloseTo(0.25, 9);
    expect(planarArea(east) / planarArea(RECTANGLE)).toBeCloseTo(0.75, 9);
    expect(areaBelow(RECTANGLE, 1, 39.902) / planarArea(RECTANGLE)).toBeCloseTo(0.2, 9);
  });
});

describe("partitions", () => {
  it("apportions a total by weight, at least the minimum each, largest remainders first", () => {
    expect(apportion([1, 1, 1], 10)).toEqual([4, 3, 3]);
    expect(apportion([10, 0, 0], 5)).toEqual([3, 1, 1]);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.1, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 200 }), (weights, extra) => {
        const counts = apportion(weights, weights.length + extra);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(weights.length + extra);
        expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
      }),
    );
    expect(() => apportion([1, 1], 1)).toThrow(/cannot give 2 areas 1 each out of 1/);
  });

  it("cuts equal areas that tile the shape", () => {
    fc.assert(
      fc.property(starPolygon, fc.integer({ min: 1, max: 9 }), (shape, count) => {
        const pieces = splitEqual(shape, count);
        const total = planarArea(shape);
        expect(pieces).toHaveLength(count);
        expect(Math.abs(pieces.reduce((sum, piece) => sum + planarArea(piece), 0) - total)).toBeLessThan(total * 1e-9);
      }),
      { numRuns: 40 },
    );
  });

  it("numbers blocks in reading order: rows north to south, west to east within a row", () => {
    const blocks = splitBlocks(RECTANGLE, 6);
    const centres = blocks.map((block) => {
      const ring = block[0]?.[0] ?? [];
      const xs = ring.map((p) => p[0]);
      const ys = ring.map((p) => p[1]);
      return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2] as const;
    });
    // A 2 km × 1.1 km rectangle into six near-square blocks: two rows of three.
    expect(centres.map(([x, y]) => [Math.round((x - 116.4) * 300), Math.round((39.91 - y) * 400)])).toEqual([
      [1, 1],
      [3, 1],
      [5, 1],
      [1, 3],
      [3, 3],
      [5, 3],
    ]);
    // Cut positions are rounded to 1e-6°, so shares are equal to about 1e-5.
    for (const block of blocks) expect(planarArea(block) / planarArea(RECTANGLE)).toBeCloseTo(1 / 6, 4);
  });

  it("gives each anchor its own piece, containing it", () => {
    const anchors = [
      { id: "a", lon: 116.401, lat: 39.901 },
      { id: "b", lon: 116.415, lat: 39.902 },
      { id: "c", lon: 116.405, lat: 39.908 },
      { id: "d", lon: 116.418, lat: 39.909 },
    ];
    const pieces = splitByAnchors(RECTANGLE, anchors);
    expect([...pieces.keys()].sort()).toEqual(["a", "b", "c", "d"]);
    for (const anchor of anchors) {
      const piece = pieces.get(anchor.id) ?? [];
      const point: MultiPolygon = [
        [
          [
            [anchor.lon - 1e-6, anchor.lat - 1e-6],
            [anchor.lon + 1e-6, anchor.lat - 1e-6],
            [anchor.lon + 1e-6, anchor.lat + 1e-6],
            [anchor.lon - 1e-6, anchor.lat + 1e-6],
            [anchor.lon - 1e-6, anchor.lat - 1e-6],
          ],
        ],
      ];
      expect(overlapArea(piece, point), anchor.id).toBeGreaterThan(0);
    }
  });
});
