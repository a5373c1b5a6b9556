import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createGridIndex } from "./grid-index.js";
import { importRegionLayer } from "./import.js";
import { pointInPolygons, randomPointInPolygons } from "./polygon.js";
import type { RegionLayer } from "./region.js";

let layer: RegionLayer;

beforeAll(() => {
  const result = importRegionLayer(JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "resources", "region", "dongcheng.geojson"), "utf8")));
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.feature}: ${e.fault}`).join("\n"));
  layer = result.layer;
});

function bruteForce(lon: number, lat: number): string[] {
  return layer.grids.filter((grid) => pointInPolygons(lon, lat, grid.polygons)).map((grid) => grid.code);
}

describe("createGridIndex", () => {
  it("agrees with brute-force point-in-polygon on random points over Dongcheng and around it", () => {
    const index = createGridIndex(layer);
    const [minLon, minLat, maxLon, maxLat] = layer.district.bbox;
    fc.assert(
      fc.property(fc.double({ min: minLon - 0.01, max: maxLon + 0.01, noNaN: true }), fc.double({ min: minLat - 0.01, max: maxLat + 0.01, noNaN: true }), (lon, lat) => {
        const expected = bruteForce(lon, lat);
        // Even-odd ray casting gives a point one grid; the tiling test proves no overlaps.
        expect(expected.length).toBeLessThanOrEqual(1);
        expect(index.locate(lon, lat)).toBe(expected[0] ?? null);
        expect(index.locateAll(lon, lat)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("finds every grid from a point drawn inside it", () => {
    const index = createGridIndex(layer.grids);
    let state = 1;
    const random = (): number => {
      state = (state * 48_271) % 2_147_483_647;
      return state / 2_147_483_647;
    };
    for (const grid of layer.grids) {
      const [lon, lat] = randomPointInPolygons(grid.polygons, random);
      expect(index.locate(lon, lat)).toBe(grid.code);
      expect(index.locate(grid.labelAt[0], grid.labelAt[1])).toBe(grid.code);
    }
  });

  it("gives locate's answer from any hint: the point's own grid, a neighbour, an unknown code or none", () => {
    const index = createGridIndex(layer);
    const [minLon, minLat, maxLon, maxLat] = layer.district.bbox;
    const codes = layer.grids.map((grid) => grid.code);
    fc.assert(
      fc.property(
        fc.double({ min: minLon - 0.01, max: maxLon + 0.01, noNaN: true }),
        fc.double({ min: minLat - 0.01, max: maxLat + 0.01, noNaN: true }),
        fc.oneof(fc.constantFrom(...codes), fc.constant("110101000000999"), fc.constant(null), fc.constant(undefined)),
        (lon, lat, hint) => {
          const expected = index.locate(lon, lat);
          expect(index.locateFrom(hint, lon, lat)).toBe(expected);
          expect(index.locateFrom(expected, lon, lat)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
    expect(createGridIndex([]).locateFrom("x", 116.4, 39.9)).toBeNull();
  });

  it("answers null far outside the layer and for an empty layer", () => {
    expect(createGridIndex(layer).locate(121.47, 31.23)).toBeNull();
    expect(createGridIndex([]).locate(116.4, 39.9)).toBeNull();
    expect(createGridIndex([]).locateAll(116.4, 39.9)).toEqual([]);
  });
});
