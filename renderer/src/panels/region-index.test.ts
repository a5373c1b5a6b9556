import { describe, expect, it } from "vitest";
import { regionIndex } from "./region-index.js";

describe("region index", () => {
  it("collects names of every level and the grid list, skipping features without code or name", () => {
    const index = regionIndex({
      type: "FeatureCollection",
      features: [
        { type: "Feature", properties: { level: "community", code: "110101001001", name: "东四社区" }, geometry: null },
        { type: "Feature", properties: { level: "grid", code: "110101001001001", name: "东四一网格", parentCode: "110101001001" }, geometry: null },
        { type: "Feature", properties: { level: "grid", code: "110101001001002" }, geometry: null },
        { type: "Feature", properties: null, geometry: null },
      ],
    });
    expect([...index.names]).toEqual([
      ["110101001001", "东四社区"],
      ["110101001001001", "东四一网格"],
    ]);
    expect(index.gridCodes).toEqual(["110101001001001"]);
  });

  it("gives an empty index for something that is not a feature collection", () => {
    expect(regionIndex("nonsense")).toEqual({ names: new Map(), gridCodes: [] });
  });
});
