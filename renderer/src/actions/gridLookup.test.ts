import { describe, expect, it } from "vitest";
import { buildGridIndex, gridAt } from "./gridLookup.js";

const square = (x: number, y: number) => [
  [
    [x, y],
    [x + 1, y],
    [x + 1, y + 1],
    [x, y + 1],
    [x, y],
  ],
];

const layer = {
  type: "FeatureCollection",
  features: [
    { type: "Feature", properties: { level: "street", code: "110101001" }, geometry: { type: "Polygon", coordinates: square(0, 0) } },
    { type: "Feature", properties: { level: "grid", code: "110101001001001" }, geometry: { type: "Polygon", coordinates: square(0, 0) } },
    { type: "Feature", properties: { level: "grid", code: "110101001001002" }, geometry: { type: "MultiPolygon", coordinates: [square(1, 0), square(5, 5)] } },
    { type: "Feature", properties: { level: "grid" }, geometry: { type: "Polygon", coordinates: square(9, 9) } },
    "garbage",
  ],
};

describe("gridAt", () => {
  const index = buildGridIndex(layer);

  it("finds the grid containing a point, including a grid's second polygon", () => {
    expect(gridAt(index, 0.5, 0.5)).toBe("110101001001001");
    expect(gridAt(index, 1.5, 0.5)).toBe("110101001001002");
    expect(gridAt(index, 5.5, 5.5)).toBe("110101001001002");
  });

  it("gives null outside every grid and skips features that are not valid grids", () => {
    expect(gridAt(index, 9.5, 9.5)).toBeNull();
    expect(gridAt(index, -3, 0)).toBeNull();
    expect(index.grids).toHaveLength(2);
  });

  it("builds an empty index from something that is not a layer", () => {
    expect(buildGridIndex(null).grids).toEqual([]);
    expect(buildGridIndex({ features: "no" }).grids).toEqual([]);
  });
});
