import { describe, expect, it } from "vitest";
import type { RegionLayerResult } from "../../../shared/bridge/contract.js";
import type { PolygonRings, RegionArea } from "../../../shared/geo/region.js";
import { buildGridIndex, gridAt } from "./gridLookup.js";

const square = (x: number, y: number): PolygonRings => [
  [
    [x, y],
    [x + 1, y],
    [x + 1, y + 1],
    [x, y + 1],
    [x, y],
  ],
];

const area = (level: RegionArea["level"], code: string, polygons: PolygonRings[], bbox: RegionArea["bbox"]): RegionArea => ({ level, code, name: code, polygons, bbox, labelAt: [bbox[0], bbox[1]] });

const prepared: RegionLayerResult = {
  ok: true,
  warnings: [],
  errors: [],
  layer: {
    district: area("district", "110101", [square(0, 0)], [0, 0, 9, 9]),
    streets: [area("street", "110101001", [square(0, 0)], [0, 0, 1, 1])],
    communities: [],
    grids: [area("grid", "110101001001001", [square(0, 0)], [0, 0, 1, 1]), area("grid", "110101001001002", [square(1, 0), square(5, 5)], [1, 0, 6, 6])],
  },
};

describe("gridAt", () => {
  const index = buildGridIndex(prepared);

  it("finds the grid containing a point, including a grid's second polygon", () => {
    expect(gridAt(index, 0.5, 0.5)).toBe("110101001001001");
    expect(gridAt(index, 1.5, 0.5)).toBe("110101001001002");
    expect(gridAt(index, 5.5, 5.5)).toBe("110101001001002");
  });

  it("gives null outside every grid, and in a street that is no grid", () => {
    expect(gridAt(index, 9.5, 9.5)).toBeNull();
    expect(gridAt(index, -3, 0)).toBeNull();
    expect(gridAt(index, 3.5, 3.5)).toBeNull();
    expect(index.grids).toHaveLength(2);
  });

  it("builds an empty index from a layer that did not load", () => {
    expect(buildGridIndex({ ok: false, errors: [{ feature: "(layer)", fault: "has no grid features", code: "noGrids", params: {} }] }).grids).toEqual([]);
  });
});
