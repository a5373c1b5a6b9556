import { describe, expect, it } from "vitest";
import type { RegionArea } from "../../../../shared/geo/region.js";
import { syntheticRegion } from "../dev/synthetic.js";
import { areaPath, buildPathBuffers, buildPolygonBuffers, drillTarget, findAreaByCode, prepareRegion } from "./region.js";

const square = (code: string, ring: [number, number][], hole?: [number, number][]): RegionArea => ({
  level: "grid", code, name: code, polygons: [hole ? [ring, hole] : [ring]], labelAt: [0, 0], bbox: [0, 0, 1, 1],
});

describe("region buffers", () => {
  it("packs every polygon's outer ring, closed, into one position array with its start and its area", () => {
    const a = square("a", [[0, 0], [1, 0], [1, 1], [0, 1]]);
    const b: RegionArea = { ...square("b", [[2, 0], [3, 0], [3, 1], [2, 0]]), polygons: [[[[2, 0], [3, 0], [3, 1], [2, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] };
    const buffers = buildPolygonBuffers([a, b]);
    expect(buffers.length).toBe(3);
    expect([...buffers.startIndices]).toEqual([0, 5, 9, 13]);
    expect([...buffers.partArea]).toEqual([0, 1, 1]);
    expect([...buffers.positions.subarray(8, 10)]).toEqual([0, 0]);
    expect(buffers.positions.length).toBe(13 * 2);
  });

  it("keeps holes as outline rings of the same area", () => {
    const holed = square("h", [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]);
    const paths = buildPathBuffers([holed]);
    expect(paths.length).toBe(2);
    expect([...paths.ringArea]).toEqual([0, 0]);
    expect([...paths.startIndices]).toEqual([0, 5, 9]);
    expect(buildPolygonBuffers([holed]).length).toBe(1);
  });

  it("links every grid to its community and street", () => {
    const region = prepareRegion(syntheticRegion({ streets: [2, 1], communities: [2, 1], grids: [2, 2] }));
    expect(region.grids.areas.length).toBe(16);
    for (let g = 0; g < 16; g++) {
      const community = region.communities.areas[region.gridCommunity[g] as number];
      const street = region.streets.areas[region.gridStreet[g] as number];
      expect(region.grids.areas[g]?.parentCode).toBe(community?.code);
      expect(community?.parentCode).toBe(street?.code);
    }
  });
});

describe("drill-down", () => {
  const region = prepareRegion(syntheticRegion({ streets: [2, 1], communities: [2, 1], grids: [2, 1] }));
  const street0 = region.streets.areas[0]!.code;
  const grid = (i: number) => region.grids.areas[i]!;

  it("walks district → street → community → grid on repeated clicks on one grid", () => {
    const first = drillTarget(region, null, 0);
    expect(first).toEqual({ level: "street", code: street0 });
    const second = drillTarget(region, first, 0);
    expect(second).toEqual({ level: "community", code: grid(0).parentCode });
    expect(drillTarget(region, second, 0)).toEqual({ level: "grid", code: grid(0).code });
  });

  it("switches to the clicked street when the click falls outside the selected one", () => {
    const otherStreetGrid = region.gridStreet.findIndex((s) => s === 1);
    expect(drillTarget(region, { level: "street", code: street0 }, otherStreetGrid)).toEqual({ level: "street", code: region.streets.areas[1]!.code });
  });

  it("gives the breadcrumb from the district down to a selected grid", () => {
    const path = areaPath(region, { level: "grid", code: grid(3).code });
    expect(path.map((p) => p.level)).toEqual(["district", "street", "community", "grid"]);
    expect(path[2]?.area.code).toBe(grid(3).parentCode);
    expect(areaPath(region, null).map((p) => p.area.name)).toEqual(["东城区"]);
  });
});

describe("an area by its code alone (the configured home area)", () => {
  const region = prepareRegion(syntheticRegion({ streets: [2, 1], communities: [2, 1], grids: [2, 1] }));
  it("finds a street by 9 digits, a community by 12 and a grid by 15, and nothing for a code the layer lacks", () => {
    const street = region.streets.areas[1];
    const community = region.communities.areas[0];
    const grid = region.grids.areas[0];
    expect(street && findAreaByCode(region, street.code)).toBe(street);
    expect(community && findAreaByCode(region, community.code)).toBe(community);
    expect(grid && findAreaByCode(region, grid.code)).toBe(grid);
    expect(findAreaByCode(region, "110101999")).toBeUndefined();
    expect(findAreaByCode(region, "1101")).toBeUndefined();
  });
});
