import { describe, expect, it } from "vitest";
import type { RegionArea } from "../../../shared/geo/region.js";
import { regionIndex } from "./region-index.js";

const area = (level: RegionArea["level"], code: string, name: string): RegionArea => ({ level, code, name, polygons: [], bbox: [0, 0, 1, 1], labelAt: [0.5, 0.5] });

describe("region index", () => {
  it("collects names of every level and the grid list, leaving out areas derived without a name", () => {
    const index = regionIndex({
      ok: true,
      warnings: [],
      errors: [],
      layer: {
        district: area("district", "110101", "东城区"),
        // Derived by the importer from its communities: named by its code.
        streets: [area("street", "110101001", "110101001")],
        communities: [area("community", "110101001001", "东四社区")],
        grids: [area("grid", "110101001001001", "东四一网格"), area("grid", "110101001001002", "东四二网格")],
      },
    });
    expect([...index.names]).toEqual([
      ["110101", "东城区"],
      ["110101001001", "东四社区"],
      ["110101001001001", "东四一网格"],
      ["110101001001002", "东四二网格"],
    ]);
    expect(index.gridCodes).toEqual(["110101001001001", "110101001001002"]);
  });

  it("gives an empty index for a layer that did not load", () => {
    expect(regionIndex({ ok: false, errors: [{ feature: "(layer)", fault: "is not a GeoJSON FeatureCollection", code: "notFeatureCollection", params: {} }] })).toEqual({ names: new Map(), gridCodes: [] });
  });
});
