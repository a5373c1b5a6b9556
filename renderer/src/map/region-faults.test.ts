import { describe, expect, it } from "vitest";
import { REGION_FAULT_CODES, type RegionImportIssue } from "../../../shared/geo/faults.js";
import { importRegionLayer } from "../../../shared/geo/import.js";
import { regionLayerFaults } from "../state/region.js";
import { describeRegionFault } from "./region-faults.js";

/** Parameters every code may name, so that each sentence can be filled. */
const PARAMS = {
  type: "Point",
  polygon: 2,
  hole: 1,
  position: 7,
  positions: 3,
  max: 20000,
  lon: 39.9,
  lat: 116.4,
  edgeA: 3,
  edgeB: 9,
  count: 2,
  codes: "110101, 110102",
  kept: "110101",
  error: "boom",
  property: "code",
  level: "grid",
  levels: "district, street, community, grid",
  code: "11010100100100",
  digits: 15,
  parentLevel: "community",
  parentCode: "110101001001",
  other: "#3 110101001001001 东华门1",
  meters: 330,
  others: "110101001001002",
  child: "grid",
};

describe("describeRegionFault", () => {
  it("says every fault code in Chinese and in English, every placeholder filled", () => {
    for (const code of REGION_FAULT_CODES) {
      const issue: RegionImportIssue = { feature: "#5", fault: "English for the log", code, params: PARAMS, index: 5, areaCode: "110101001001001", name: "东华门1" };
      const zh = describeRegionFault(issue, "zh-CN");
      const en = describeRegionFault(issue, "en");
      for (const text of [zh.what, zh.where, en.what, en.where]) expect(text, code).not.toMatch(/[{}]/);
      expect(zh.where).toBe("第 5 个要素 · 110101001001001 东华门1");
      expect(en.where).toBe("Feature #5 · 110101001001001 东华门1");
      // Chinese throughout, but for the names a GIS tool shows (GeoJSON types, property keys, level keywords) and the values.
      const latin = zh.what.replace(/GeoJSON|FeatureCollection|Feature|MultiPolygon|Polygon|Point|WGS84|district|street|community|grid|code|boom/g, "");
      expect(latin, code).not.toMatch(/[A-Za-z]/);
      expect(zh.what).not.toBe(en.what);
    }
  });

  it("names the ring of a fault: the outer ring, a hole, and which polygon of several", () => {
    const ring = (params: Record<string, number>) => describeRegionFault({ feature: "#1", fault: "", code: "ringNotClosed", params, index: 1 }, "zh-CN").what;
    expect(ring({ polygon: 0, hole: 0 })).toBe("外环未闭合：最后一个点与第一个点不同");
    expect(ring({ polygon: 0, hole: 2 })).toBe("第 2 个内环未闭合：最后一个点与第一个点不同");
    expect(ring({ polygon: 3, hole: 0 })).toBe("第 3 个多边形的外环未闭合：最后一个点与第一个点不同");
    expect(describeRegionFault({ feature: "#1", fault: "", code: "ringSelfCrossing", params: { polygon: 2, hole: 1, edgeA: 4, edgeB: 9 }, index: 1 }, "en").what).toBe(
      "The hole 1 of polygon 2 intersects itself: edges 4 and 9 cross",
    );
  });

  it("translates what the importer reports for a real broken layer, the whole layer and a derived area named as such", () => {
    const square = [[[116.4, 39.9], [116.41, 39.9], [116.41, 39.91], [116.4, 39.9]]];
    const result = importRegionLayer({
      type: "FeatureCollection",
      features: [
        { type: "Feature", properties: { code: "110101001001001", name: "甲" }, geometry: { type: "Polygon", coordinates: [[[116.4, 39.9], [116.41, 39.91], [116.41, 39.9], [116.4, 39.91], [116.4, 39.9]]] } },
        { type: "Feature", properties: { code: "110101001001002", name: "乙" }, geometry: { type: "Polygon", coordinates: square } },
      ],
    });
    expect(result.ok).toBe(true);
    const said = result.errors.map((e) => describeRegionFault(e, "zh-CN"));
    expect(said).toEqual([{ where: "第 0 个要素 · 110101001001001 甲", what: "外环自相交：第 1 条边与第 3 条边交叉" }]);
    expect(describeRegionFault({ feature: "(layer)", fault: "", code: "noGrids", params: {} }, "zh-CN")).toEqual({ where: "整个图层", what: "没有可以绘制的网格" });
    expect(describeRegionFault({ feature: "(derived community 110101001001)", fault: "", code: "dissolveFailed", params: { level: "community", code: "110101001001", error: "x" }, areaCode: "110101001001" }, "zh-CN").where).toBe(
      "推导出的社区 110101001001",
    );
  });

  it("says a sound layer has no faults, one on its way nothing yet, and a failed ask one fault of the whole layer", () => {
    expect(regionLayerFaults({ state: "pending" })).toBeNull();
    const sound = importRegionLayer({
      type: "FeatureCollection",
      features: [{ type: "Feature", properties: { code: "110101001001001", name: "甲" }, geometry: { type: "Polygon", coordinates: [[[116.4, 39.9], [116.41, 39.9], [116.41, 39.91], [116.4, 39.9]]] } }],
    });
    expect(sound.ok).toBe(true);
    expect(regionLayerFaults({ state: "ready", result: sound })).toEqual([]);
    const failed = regionLayerFaults({ state: "failed", message: "the engine is starting" });
    expect(failed).toEqual([expect.objectContaining({ code: "importFailed", params: { error: "the engine is starting" } })]);
    expect(describeRegionFault(failed?.[0] as RegionImportIssue, "zh-CN")).toEqual({ where: "整个图层", what: "图层处理失败：the engine is starting" });
  });
});
