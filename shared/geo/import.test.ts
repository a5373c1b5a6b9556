import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { polygonsOf } from "./geojson.js";
import type { Position, RegionFeature, RegionFeatureCollection } from "./geojson.js";
import { REGION_FAULT_CODES, type RegionFaultCode } from "./faults.js";
import { MAX_LAYER_POSITIONS, countPositions, importRegionLayer } from "./import.js";
import { MAX_RING_POSITIONS } from "./validate-geometry.js";
import type { RegionImportIssue } from "./import.js";

let base: RegionFeatureCollection;
/** The district with one street (东直门) and what lies in it: small, so each broken copy imports fast. */
let small: RegionFeatureCollection;
/** Index in the small layer of the grid the broken layers tamper with, and its code. */
let gridAt: number;
let gridCode: string;

beforeAll(() => {
  base = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "resources", "region", "dongcheng.geojson"), "utf8")) as RegionFeatureCollection;
  small = { type: "FeatureCollection", features: base.features.filter((f) => f.properties.level === "district" || f.properties.code.startsWith("110101009")) };
  gridAt = small.features.findIndex((f) => f.properties.level === "grid");
  gridCode = small.features[gridAt]?.properties.code ?? "";
});

/** The faults of the small layer after `change`; the layer's other grids are still drawn (at least `drawn` of its 34). */
function broken(change: (layer: RegionFeatureCollection, grid: RegionFeature) => void, drawn = 33): RegionImportIssue[] {
  const layer = structuredClone(small);
  change(layer, layer.features[gridAt] as RegionFeature);
  const result = importRegionLayer(layer);
  if (result.errors.length === 0) throw new Error("the broken layer was accepted as sound");
  if (!result.ok) throw new Error(`nothing was drawn: ${JSON.stringify(result.errors.slice(0, 3))}`);
  expect(result.layer.grids.length).toBeGreaterThanOrEqual(drawn);
  return result.errors;
}

function outerRing(feature: RegionFeature): Position[] {
  if (feature.geometry.type !== "Polygon") throw new Error("fixture grids are single polygons");
  return feature.geometry.coordinates[0] as Position[];
}

describe("importRegionLayer", () => {
  it("accepts the committed Dongcheng layer whole, sorted by code, with bboxes and labels inside", () => {
    const result = importRegionLayer(base);
    if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
    expect(result.warnings).toEqual([]);
    expect(result.layer.district.code).toBe("110101");
    expect([result.layer.streets.length, result.layer.communities.length, result.layer.grids.length]).toEqual([17, 169, 589]);
    const codes = result.layer.grids.map((g) => g.code);
    expect(codes).toEqual([...codes].sort());
    for (const grid of result.layer.grids) {
      expect(grid.labelAt[0]).toBeGreaterThan(grid.bbox[0]);
      expect(grid.labelAt[1]).toBeLessThan(grid.bbox[3]);
    }
  });

  it("reads a deployment's own property keys, numeric codes and no level property", () => {
    const renamed = {
      type: "FeatureCollection",
      features: base.features.map((f) => ({
        type: "Feature",
        geometry: f.geometry,
        properties: { GRID_CODE: Number(f.properties.code), GRID_NAME: f.properties.name, PARENT: f.properties.parentCode },
      })),
    };
    const result = importRegionLayer(renamed, { code: "GRID_CODE", name: "GRID_NAME", level: "LEVEL", parentCode: "PARENT" });
    expect(result.ok && [result.layer.streets.length, result.layer.communities.length, result.layer.grids.length]).toEqual([17, 169, 589]);
  });

  it("derives the streets and the district of a layer holding only communities and grids, and says so", () => {
    const partial = { type: "FeatureCollection", features: base.features.filter((f) => f.properties.level === "community" || f.properties.level === "grid") };
    const result = importRegionLayer(partial);
    if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
    expect(result.layer.district.code).toBe("110101");
    expect(result.layer.streets.map((s) => s.code)).toContain("110101009");
    expect(result.warnings.map((w) => w.fault)).toEqual(["has no street features: derived 17 from the community features", "has no district features: derived 1 from the street features"]);
  });

  it("refuses a ring past its cap before checking its crossings (they grow with its square), naming the feature", () => {
    const errors = broken((_, grid) => {
      const ring: Position[] = Array.from({ length: MAX_RING_POSITIONS }, (_, i) => [116.4 + Math.cos((i / MAX_RING_POSITIONS) * 2 * Math.PI) * 0.001, 39.9 + Math.sin((i / MAX_RING_POSITIONS) * 2 * Math.PI) * 0.001]);
      ring.push(ring[0] as Position);
      grid.geometry = { type: "Polygon", coordinates: [ring] };
    });
    expect(errors[0]?.feature).toContain(gridCode);
    expect(errors[0]?.fault).toMatch(/at most 20000/);
  });

  it("counts a layer's positions over every ring of every feature, Polygon and MultiPolygon alike", () => {
    const square: Position[] = [[0, 0], [1, 0], [1, 1], [0, 0]];
    expect(countPositions([{ geometry: { type: "Polygon", coordinates: [square, square] } }, { geometry: { type: "MultiPolygon", coordinates: [[square], [square]] } }, { geometry: null }, 5])).toBe(16);
    expect(countPositions(base.features)).toBeGreaterThan(1000);
  });

  it("refuses a layer past its position cap whole, before checking any feature, naming both counts", () => {
    // 1,001 grids of 10,000 positions each (one ring shared by all, so the test holds 10,000 positions, not 10 million).
    const ring: Position[] = Array.from({ length: 10_000 }, (_, i) => [116.4 + Math.cos((i / 10_000) * 2 * Math.PI) * 0.001, 39.9 + Math.sin((i / 10_000) * 2 * Math.PI) * 0.001]);
    ring.push(ring[0] as Position);
    const grids = Array.from({ length: 1_001 }, (_, i) => ({ type: "Feature", properties: { code: `110101001001${String(i).padStart(3, "0")}`, name: `网格${i}`, level: "grid" }, geometry: { type: "Polygon", coordinates: [ring] } }));
    const positions = countPositions(grids);
    expect(positions).toBeGreaterThan(MAX_LAYER_POSITIONS);
    const started = performance.now();
    const result = importRegionLayer({ type: "FeatureCollection", features: grids });
    expect(result).toEqual({ ok: false, errors: [{ feature: "(layer)", fault: `has ${positions} positions; at most ${MAX_LAYER_POSITIONS} (simplify the layer)`, code: "layerTooLarge", params: { positions, max: MAX_LAYER_POSITIONS } }] });
    // One counting pass: checking a thousand 10,000-edge rings for crossings would take far longer.
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("accepts the one-street layer the broken cases start from", () => {
    const result = importRegionLayer(small);
    expect(result.ok && [result.layer.streets.length, result.layer.communities.length, result.layer.grids.length]).toEqual([1, 10, 34]);
  });

  it("rejects a layer that is not a FeatureCollection, or holds no grids", () => {
    expect(importRegionLayer({ type: "Feature" })).toEqual({ ok: false, errors: [{ feature: "(layer)", fault: "is not a GeoJSON FeatureCollection", code: "notFeatureCollection", params: {} }] });
    expect(importRegionLayer(null).ok).toBe(false);
    const result = importRegionLayer({ type: "FeatureCollection", features: small.features.filter((f) => f.properties.level !== "grid") });
    expect(result.ok).toBe(false);
    expect(result.errors).toContainEqual({ feature: "(layer)", fault: "has no grid features", code: "noGrids", params: {} });
  });

  const cases: { broken: string; change: (layer: RegionFeatureCollection, grid: RegionFeature) => void; fault: RegExp; code: RegionFaultCode; params?: Record<string, string | number>; omitted?: boolean }[] = [
    { broken: "a point for a geometry", change: (_, grid) => Object.assign(grid, { geometry: { type: "Point", coordinates: [116.4, 39.9] } }), fault: /geometry is a Point, not a Polygon or MultiPolygon/, code: "notAreaGeometry", params: { type: "Point" } },
    { broken: "an unclosed ring", change: (_, grid) => outerRing(grid).pop(), fault: /outer ring is not closed/, code: "ringNotClosed", params: { polygon: 0, hole: 0 } },
    { broken: "a ring of three positions", change: (_, grid) => outerRing(grid).splice(1, outerRing(grid).length - 3), fault: /outer ring has 3 positions; a closed ring needs at least 4/, code: "ringTooShort", params: { polygon: 0, hole: 0, positions: 3 } },
    {
      broken: "a bow-tie ring",
      change: (_, grid) => {
        const ring = outerRing(grid);
        const [west, south] = [Math.min(...ring.map((p) => p[0])), Math.min(...ring.map((p) => p[1]))];
        const [east, north] = [Math.max(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[1]))];
        grid.geometry = {
          type: "Polygon",
          coordinates: [
            [
              [west, south],
              [east, north],
              [east, south],
              [west, north],
              [west, south],
            ],
          ],
        };
      },
      fault: /outer ring intersects itself: edges \d+ and \d+ cross/,
      code: "ringSelfCrossing",
      params: { polygon: 0, hole: 0, edgeA: 1, edgeB: 3 },
    },
    {
      broken: "a ring collapsed onto a line",
      change: (_, grid) => {
        const [west, south] = outerRing(grid)[0] as Position;
        grid.geometry = {
          type: "Polygon",
          coordinates: [
            [
              [west, south],
              [west + 0.002, south],
              [west + 0.001, south],
              [west, south],
            ],
          ],
        };
      },
      fault: /outer ring has zero area/,
      code: "ringZeroArea",
    },
    { broken: "a NaN coordinate", change: (_, grid) => ((outerRing(grid)[1] as Position)[0] = Number.NaN), fault: /position 2 of the outer ring is not a pair of finite numbers/, code: "positionNotFinite", params: { polygon: 0, hole: 0, position: 2 } },
    { broken: "latitude and longitude swapped", change: (_, grid) => outerRing(grid).forEach((p) => p.reverse()), fault: /position 1 of the outer ring \(39\.\d+, 116\.\d+\) is out of range/, code: "positionOutOfRange" },
    { broken: "a grid code of 14 digits", change: (_, grid) => (grid.properties.code = grid.properties.code.slice(0, 14)), fault: /code "\d{14}" is not a 15-digit grid code/, code: "badCode" },
    { broken: "letters in a code", change: (_, grid) => (grid.properties.code = `${grid.properties.code.slice(0, 12)}A01`), fault: /is not a 15-digit grid code/, code: "badCode", params: { digits: 15, level: "grid" } },
    {
      broken: "a grid code that does not start with its community code",
      change: (layer, grid) => (grid.properties.parentCode = layer.features.find((f) => f.properties.level === "community" && f.properties.code !== grid.properties.parentCode)?.properties.code),
      fault: /grid code \d{15} does not start with its community code \d{12}/,
      code: "parentMismatch",
    },
    { broken: "a grid in a community the layer lacks", change: (_, grid) => ((grid.properties.code = `110101001999${grid.properties.code.slice(12)}`), delete grid.properties.parentCode), fault: /its community 110101001999 is not in the layer/, code: "parentMissing", params: { parentLevel: "community", parentCode: "110101001999" } },
    { broken: "no name", change: (_, grid) => (grid.properties.name = " "), fault: /has no name \(property "name"\)/, code: "noName", params: { property: "name" } },
    { broken: "an unknown level", change: (_, grid) => Object.assign(grid.properties, { level: "block" }), fault: /level "block" is not one of district, street, community, grid/, code: "badLevel", params: { level: "block" } },
    {
      broken: "a corner pulled 330 m north of the district",
      change: (layer, grid) => {
        const districtNorth = Math.max(...polygonsOf((layer.features[0] as RegionFeature).geometry).flatMap((polygon) => polygon.flatMap((ring) => ring.map((p) => p[1]))));
        const ring = outerRing(grid);
        const north = Math.max(...ring.map((p) => p[1]));
        const corner = ring.findIndex((p) => p[1] === north);
        ring[corner] = [(ring[corner] as Position)[0], districtNorth + 0.003];
        if (corner === 0) ring[ring.length - 1] = [...(ring[0] as Position)];
      },
      fault: /reaches about \d+ m beyond the bounds of the district 110101/,
      code: "beyondParent",
      params: { parentLevel: "district", parentCode: "110101" },
      omitted: false,
    },
    {
      broken: "a grid moved outside the district",
      change: (_, grid) => outerRing(grid).forEach((p) => (p[1] -= 0.2)),
      fault: /lies outside the district 110101/,
      code: "outsideParent",
      omitted: false,
    },
  ];
  for (const { broken: what, change, fault, code, params = {}, omitted = true } of cases) {
    it(`faults a grid with ${what}, naming the feature, the fault and its code, and draws the rest`, () => {
      const errors = broken(change);
      const named = errors.filter((e) => e.index === gridAt);
      expect(named.map((e) => e.fault).join("\n")).toMatch(fault);
      expect(named).toContainEqual(expect.objectContaining({ code, params: expect.objectContaining(params), omitted, feature: expect.stringMatching(new RegExp(`^#${gridAt} `)) }));
      for (const e of errors) expect(REGION_FAULT_CODES).toContain(e.code);
    });
  }

  it("rejects a grid drawn over its neighbour", () => {
    const errors = broken((layer, grid) => {
      const neighbour = layer.features.find((f) => f.properties.level === "grid" && f.properties.parentCode === grid.properties.parentCode && f !== grid);
      if (neighbour !== undefined) neighbour.geometry = structuredClone(grid.geometry);
    });
    expect(errors.map((e) => e.fault)).toContain(`overlaps grid ${gridCode}`);
  });

  it("rejects a duplicated code, naming both features", () => {
    const errors = broken((layer, grid) => layer.features.push(structuredClone(grid)));
    const name = small.features[gridAt]?.properties.name ?? "";
    expect(errors).toEqual([
      {
        feature: `#${small.features.length} ${gridCode} ${name}`,
        fault: `code ${gridCode} is already used by feature #${gridAt} ${gridCode} ${name}`,
        code: "duplicateCode",
        params: { code: gridCode, other: `#${gridAt} ${gridCode} ${name}` },
        index: small.features.length,
        areaCode: gridCode,
        name,
        omitted: true,
      },
    ]);
  });

  it("rejects a second district", () => {
    const errors = broken((layer) => layer.features.push({ ...structuredClone(layer.features[0] as RegionFeature), properties: { level: "district", code: "110102", name: "西城区" } }));
    expect(errors.map((e) => e.fault)).toContain("a layer holds one district, and #0 110101 东城区 is already it");
  });

  it("reports every broken feature at once, not just the first", () => {
    const errors = broken((layer) => {
      for (const feature of layer.features.filter((f) => f.properties.level === "grid").slice(0, 5)) feature.properties.code = "x";
    }, 29);
    expect(errors).toHaveLength(5);
  });

  it("draws a layer with one broken grid without it: the other grids are there, the broken one is named with its place in the file", () => {
    const layer = structuredClone(small);
    outerRing(layer.features[gridAt] as RegionFeature).pop();
    const result = importRegionLayer(layer);
    if (!result.ok) throw new Error("nothing drawn");
    expect(result.layer.grids).toHaveLength(33);
    expect(result.layer.grids.map((g) => g.code)).not.toContain(gridCode);
    expect(result.errors).toEqual([expect.objectContaining({ index: gridAt, areaCode: gridCode, code: "ringNotClosed", omitted: true })]);
  });

  it("leaves out the grids of a community it cannot draw, each saying its community was left out", () => {
    const layer = structuredClone(small);
    const community = layer.features.find((f) => f.properties.level === "community") as RegionFeature;
    Object.assign(community, { geometry: { type: "Point", coordinates: [116.4, 39.9] } });
    const inside = layer.features.filter((f) => f.properties.level === "grid" && f.properties.code.startsWith(community.properties.code)).length;
    const result = importRegionLayer(layer);
    if (!result.ok) throw new Error("nothing drawn");
    expect(result.layer.grids).toHaveLength(34 - inside);
    expect(result.errors[0]).toMatchObject({ areaCode: community.properties.code, code: "notAreaGeometry" });
    const cascaded = result.errors.filter((e) => e.code === "parentLeftOut");
    expect(cascaded).toHaveLength(inside);
    for (const fault of cascaded) expect(fault.params).toEqual({ parentLevel: "community", parentCode: community.properties.code });
  });

  it("fails whole only when no grid is left to draw", () => {
    const layer = structuredClone(small);
    for (const feature of layer.features) if (feature.properties.level === "grid") outerRing(feature).pop();
    const result = importRegionLayer(layer);
    expect(result.ok).toBe(false);
    expect(result.errors.filter((e) => e.code === "ringNotClosed")).toHaveLength(34);
    expect(result.errors.at(-1)).toMatchObject({ code: "noGrids", fault: "has no grid that can be drawn" });
  });

  it("gives every warning a code too", () => {
    const partial = { type: "FeatureCollection", features: small.features.filter((f) => f.properties.level === "grid") };
    const result = importRegionLayer(partial);
    if (!result.ok) throw new Error("nothing drawn");
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => [w.code, w.params])).toEqual([
      ["derivedLevel", { level: "community", count: 10, child: "grid" }],
      ["derivedLevel", { level: "street", count: 1, child: "community" }],
      ["derivedLevel", { level: "district", count: 1, child: "street" }],
    ]);
  });
});
