import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { regionAreasOf } from "../../shared/geo/geojson.js";
import type { RegionFeatureCollection } from "../../shared/geo/geojson.js";
import { createGridIndex } from "../../shared/geo/grid-index.js";
import { importRegionLayer } from "../../shared/geo/import.js";
import type { RegionArea } from "../../shared/geo/region.js";
import { generateCityLayer } from "./city.js";
import { parseDivisions } from "./divisions.js";

let layer: RegionFeatureCollection;
let seconds: number;

beforeAll(() => {
  const started = performance.now();
  layer = generateCityLayer();
  seconds = (performance.now() - started) / 1000;
});

describe("generateCityLayer", () => {
  it("holds every Beijing district, street and community with its real code, name and parent", () => {
    const divisions = parseDivisions(readFileSync(join(import.meta.dirname, "..", "..", "resources", "data", "beijing-divisions.csv"), "utf8"));
    const areas = layer.features.filter((f) => f.properties.level !== "grid").map((f) => f.properties);
    expect(areas).toHaveLength(16 + 349 + 7535);
    const expected = new Map(divisions.map((d) => [d.code, d]));
    for (const { code, name, level, parentCode } of areas) {
      const division = expected.get(code);
      expect(division, code).toBeDefined();
      expect({ name, level, parentCode: parentCode ?? division?.parentCode }).toEqual({ name: division?.name, level: division?.level, parentCode: division?.parentCode });
    }
  });

  it("cuts about 30,000 grids, four per community, coded community + 001..004", () => {
    const grids = layer.features.filter((f) => f.properties.level === "grid");
    expect(grids).toHaveLength(7535 * 4);
    for (const grid of grids) {
      const { code, parentCode = "" } = grid.properties;
      expect(code).toMatch(/^\d{12}00[1-4]$/);
      expect(code.startsWith(parentCode)).toBe(true);
    }
  });

  it("passes the deployment layer validation district by district (checked here: 东城区 and the two-part 朝阳区)", () => {
    for (const district of ["110101", "110105"]) {
      const result = importRegionLayer({ type: "FeatureCollection", features: layer.features.filter((f) => f.properties.code.startsWith(district)) });
      expect(result.ok ? [] : result.errors.slice(0, 3), district).toEqual([]);
    }
  });

  it("runs in memory in a few seconds", () => {
    // Generous for a shared, loaded CI machine; about 3 s on one idle core.
    expect(seconds).toBeLessThan(20);
  });

  it("gives a grid index that finds each of a sample of city grids from its label point", () => {
    const grids = regionAreasOf(layer).grid;
    expect(grids).toHaveLength(30_140);
    const index = createGridIndex(grids);
    for (let i = 0; i < grids.length; i += 97) {
      const grid = grids[i] as RegionArea;
      expect(index.locate(grid.labelAt[0], grid.labelAt[1])).toBe(grid.code);
    }
  });
});
