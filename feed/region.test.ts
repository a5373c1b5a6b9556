import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRng } from "./rng.js";
import { pointInPolygons } from "../shared/geo/polygon.js";
import { gridAt, randomPointIn, regionFromCollection, RegionError, type GeoJsonCollection } from "./region.js";
import { divisionLayer, fixtureLayer, parseDivisions } from "./region-synthetic.js";
import { DEFAULT_RESOURCES_DIR, loadRegion } from "./resources.js";

describe("region adapter", () => {
  it("turns grid features into sim grids with street, community, box and an inside centroid", () => {
    const region = regionFromCollection(fixtureLayer({ communities: 2, side: 2 }));
    expect(region.grids).toHaveLength(8);
    const grid = region.grids[0]!;
    expect(grid).toMatchObject({ code: "110101009001001", streetCode: "110101009", streetName: "东直门街道", communityCode: "110101009001", communityName: "胡家园社区" });
    expect(pointInPolygons(grid.centroid[0], grid.centroid[1], grid.polygons)).toBe(true);
    expect(gridAt(region, grid.centroid[0], grid.centroid[1])?.code).toBe(grid.code);
    const rng = createRng(1);
    for (let i = 0; i < 50; i++) {
      const [lon, lat] = randomPointIn(grid, rng);
      expect(pointInPolygons(lon, lat, grid.polygons)).toBe(true);
    }
  });

  it("keeps only one street's grids when asked, and refuses layers without usable grids", () => {
    expect(regionFromCollection(fixtureLayer(), { streetCode: "110101009" }).streetCode).toBe("110101009");
    expect(() => regionFromCollection(fixtureLayer(), { streetCode: "110101001" })).toThrow(RegionError);
    const bad: GeoJsonCollection = { type: "FeatureCollection", features: [{ type: "Feature", properties: { level: "grid", code: "123", name: "x" }, geometry: null }] };
    expect(() => regionFromCollection(bad)).toThrow(/15 digits/);
  });

  it("treats holes as outside", () => {
    const square = (a: number, b: number): [number, number][] => [[a, a], [b, a], [b, b], [a, b], [a, a]];
    const withHole = [[square(0, 10), square(4, 6)]];
    expect(pointInPolygons(2, 2, withHole)).toBe(true);
    expect(pointInPolygons(5, 5, withHole)).toBe(false);
  });

  it("builds a stand-in layer from the division table with every community inside its district", () => {
    const divisions = parseDivisions(readFileSync(join(DEFAULT_RESOURCES_DIR, "data", "beijing-divisions.csv"), "utf8"));
    const districts = JSON.parse(readFileSync(join(DEFAULT_RESOURCES_DIR, "data", "beijing-districts.geojson"), "utf8")) as GeoJsonCollection;
    const region = regionFromCollection(divisionLayer({ divisions, districts, districtCodes: ["110101"], streetCode: "110101009" }), { streetCode: "110101009" });
    expect(region.grids.length).toBe(40);
    expect(region.grids.every((g) => /^110101009\d{6}$/.test(g.code))).toBe(true);
    expect(region.grids[0]!.communityName).toMatch(/社区/);
  });

  it("loads the street scale with about the 34 grids of 东直门街道", async () => {
    const region = await loadRegion("street");
    expect(region.streetCode).toBe("110101009");
    expect(region.grids.length).toBeGreaterThanOrEqual(30);
    expect(region.grids.length).toBeLessThanOrEqual(45);
    expect(existsSync(join(DEFAULT_RESOURCES_DIR, "data"))).toBe(true);
  });
});
