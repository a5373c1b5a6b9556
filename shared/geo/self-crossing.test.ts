import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { thinRing } from "./fixtures/long-rings.js";
import type { LonLat, Ring } from "./region.js";
import { edgesCross, findSelfCrossing, findSelfCrossingPlain } from "./self-crossing.js";

/** A simple (star-shaped) ring around (116.4, 39.9): points sorted by angle never cross. */
function starRing(radii: readonly number[], stretch: number): Ring {
  const ring: Ring = radii.map((r, k) => {
    const angle = (2 * Math.PI * k) / radii.length;
    return [116.4 + r * Math.cos(angle) * 0.01, 39.9 + r * Math.sin(angle) * 0.01 * stretch];
  });
  ring.push([...(ring[0] as LonLat)]);
  return ring;
}

function closed(points: readonly LonLat[]): Ring {
  return [...points, [...(points[0] as LonLat)]];
}

function agrees(ring: Ring): void {
  const fast = findSelfCrossing(ring);
  const plain = findSelfCrossingPlain(ring);
  expect(fast === null).toBe(plain === null);
  if (fast !== null) {
    expect(fast[0]).toBeLessThan(fast[1]);
    expect(edgesCross(ring, fast[0] - 1, fast[1] - 1)).toBe(true);
  }
}

const coordinate = fc.integer({ min: 0, max: 40 }).map((n) => n / 4);

describe("findSelfCrossing", () => {
  it("finds a crossing exactly when the plain every-pair check does, on random rings of random points (many touching and collinear, on a coarse lattice)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(coordinate, coordinate), { minLength: 3, maxLength: 160 }), (points) => {
        agrees(closed(points.map(([x, y]): LonLat => [116 + x * 0.001, 39 + y * 0.001])));
      }),
      { numRuns: 400 },
    );
  });

  it("agrees with the plain check on simple star-shaped rings and on the same rings with two vertices swapped", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.2, max: 1, noNaN: true }), { minLength: 3, maxLength: 300 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.nat(),
        fc.nat(),
        (radii, stretch, a, b) => {
          const ring = starRing(radii, stretch);
          expect(findSelfCrossing(ring)).toBeNull();
          agrees(ring);
          const i = a % radii.length;
          const j = b % radii.length;
          const swapped = ring.slice(0, -1);
          [swapped[i], swapped[j]] = [swapped[j] as LonLat, swapped[i] as LonLat];
          agrees(closed(swapped));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("names the crossing edges of a bow-tie, 1-based", () => {
    expect(findSelfCrossing(closed([[0, 0], [1, 1], [1, 0], [0, 1]]))).toEqual([1, 3]);
  });

  it("checks a thin ring of 60,000 edges in well under a second, where every pair would be 1.8 billion tests", () => {
    const ring: Ring = thinRing(30_000);
    const began = performance.now();
    expect(findSelfCrossing(ring)).toBeNull();
    const ms = performance.now() - began;
    expect(ms).toBeLessThan(1000);
    // One edge moved across the ring is found.
    const crossed = ring.map((p): LonLat => [p[0], p[1]]);
    crossed[1000] = [116.402, 39.81];
    const found = findSelfCrossing(crossed);
    expect(found).not.toBeNull();
    if (found) expect(edgesCross(crossed, found[0] - 1, found[1] - 1)).toBe(true);
  });
});
