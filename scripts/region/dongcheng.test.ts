import { readFileSync } from "node:fs";
import { join } from "node:path";
import polygonClipping from "polygon-clipping";
import type { MultiPolygon } from "polygon-clipping";
import { beforeAll, describe, expect, it } from "vitest";
import { polygonsOf } from "../../shared/geo/geojson.js";
import type { RegionFeature, RegionFeatureCollection } from "../../shared/geo/geojson.js";
import { areaSquareMeters, bboxOf, pointInPolygons, ringAreaSquareMeters } from "../../shared/geo/polygon.js";
import { buildDongchengLayer } from "./dongcheng.js";
import { parseAnchors, parseDivisions } from "./divisions.js";
import type { Division } from "./divisions.js";
import { serializeLayer } from "./features.js";

/*
 * The region check: the committed default layer against the reference data
 * it was built from. Reads the committed file, not a fresh build, because the
 * file is what the console and the feed server load.
 */

const root = join(import.meta.dirname, "..", "..");
const read = (...path: string[]): string => readFileSync(join(root, ...path), "utf8");

let committed: string;
let layer: RegionFeatureCollection;
let divisions: Map<string, Division>;
const ofLevel = (level: string): RegionFeature[] => layer.features.filter((f) => f.properties.level === level);
const shape = (feature: RegionFeature): MultiPolygon => polygonsOf(feature.geometry);
const area = (polygons: MultiPolygon): number => areaSquareMeters(polygons);

beforeAll(() => {
  committed = read("resources", "region", "dongcheng.geojson");
  layer = JSON.parse(committed) as RegionFeatureCollection;
  divisions = new Map(parseDivisions(read("resources", "data", "beijing-divisions.csv")).map((d) => [d.code, d]));
});

/** Children tile the parent: no two overlap, and together they cover it exactly. */
function expectTiles(parent: RegionFeature, children: RegionFeature[]): void {
  const parentArea = area(shape(parent));
  for (let i = 0; i < children.length; i++) {
    for (let j = i + 1; j < children.length; j++) {
      const overlap = polygonClipping.intersection(shape(children[i] as RegionFeature), shape(children[j] as RegionFeature));
      expect(area(overlap), `${children[i]?.properties.code} overlaps ${children[j]?.properties.code}`).toBeLessThan(1);
    }
  }
  const [first, ...rest] = children.map(shape);
  const union = polygonClipping.union(first as MultiPolygon, ...rest);
  const gaps = area(polygonClipping.difference(shape(parent), union));
  const spill = area(polygonClipping.difference(union, shape(parent)));
  expect(gaps, `gaps inside ${parent.properties.code}`).toBeLessThan(Math.max(1, parentArea * 1e-6));
  expect(spill, `children of ${parent.properties.code} spill outside it`).toBeLessThan(Math.max(1, parentArea * 1e-6));
}

describe("resources/region/dongcheng.geojson", () => {
  it("is exactly what npm run region generates from resources/data", () => {
    const fresh = buildDongchengLayer({
      divisionsCsv: read("resources", "data", "beijing-divisions.csv"),
      districtsGeojson: read("resources", "data", "beijing-districts.geojson"),
      anchorsCsv: read("resources", "data", "dongcheng-street-anchors.csv"),
    });
    expect(serializeLayer(fresh)).toBe(committed);
  });

  it("holds Dongcheng, all 17 of its streets and all 169 of its communities, with the real codes, names and parents", () => {
    expect(ofLevel("district").map((f) => f.properties)).toEqual([{ level: "district", code: "110101", name: "东城区" }]);
    const streets = ofLevel("street");
    const communities = ofLevel("community");
    expect(streets).toHaveLength(17);
    expect(communities).toHaveLength(169);
    for (const feature of [...streets, ...communities]) {
      const { code, name, level, parentCode } = feature.properties;
      expect(divisions.get(code), code).toEqual({ code, name, level, parentCode });
    }
    const expectedCommunities = [...divisions.values()].filter((d) => d.level === "community" && d.code.startsWith("110101"));
    expect(new Set(communities.map((f) => f.properties.code))).toEqual(new Set(expectedCommunities.map((d) => d.code)));
  });

  it("cuts about 589 grids, each coded as its community's 12 digits plus a 3-digit sequence from 001", () => {
    const grids = ofLevel("grid");
    expect(grids.length).toBeGreaterThanOrEqual(560);
    expect(grids.length).toBeLessThanOrEqual(620);
    const communities = new Set(ofLevel("community").map((f) => f.properties.code));
    const sequences = new Map<string, number[]>();
    for (const grid of grids) {
      const { code, parentCode = "" } = grid.properties;
      expect(code).toMatch(/^\d{15}$/);
      expect(communities.has(parentCode), `${code}'s community ${parentCode}`).toBe(true);
      expect(code.slice(0, 12)).toBe(parentCode);
      sequences.set(parentCode, [...(sequences.get(parentCode) ?? []), Number(code.slice(12))]);
    }
    for (const [community, numbers] of sequences) {
      expect(
        numbers.sort((a, b) => a - b),
        community,
      ).toEqual(numbers.map((_, i) => i + 1));
    }
    expect(sequences.size).toBe(169);
  });

  it("places each street around its anchor point from dongcheng-street-anchors.csv", () => {
    const anchors = parseAnchors(read("resources", "data", "dongcheng-street-anchors.csv"));
    expect(anchors).toHaveLength(17);
    for (const anchor of anchors) {
      const street = ofLevel("street").find((f) => f.properties.code === anchor.code);
      expect(street && pointInPolygons(anchor.lon, anchor.lat, polygonsOf(street.geometry)), anchor.name).toBe(true);
    }
  });

  it("splits 东直门街道's 10 communities into 34 grids", () => {
    const communities = ofLevel("community").filter((f) => f.properties.parentCode === "110101009");
    const codes = new Set(communities.map((f) => f.properties.code));
    expect(communities).toHaveLength(10);
    expect(ofLevel("grid").filter((f) => codes.has(f.properties.parentCode ?? ""))).toHaveLength(34);
  });

  it("numbers each community's grids west to east, then north to south", () => {
    const byCommunity = new Map<string, RegionFeature[]>();
    for (const grid of ofLevel("grid")) byCommunity.set(grid.properties.parentCode ?? "", [...(byCommunity.get(grid.properties.parentCode ?? "") ?? []), grid]);
    let pairs = 0;
    for (const grids of byCommunity.values()) {
      const sorted = grids.sort((a, b) => (a.properties.code < b.properties.code ? -1 : 1)).map((g) => ({ code: g.properties.code, box: bboxOf(polygonsOf(g.geometry)) }));
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length; j++) {
          const [earlier, later] = [sorted[i], sorted[j]] as [(typeof sorted)[number], (typeof sorted)[number]];
          const eps = 1e-7;
          // A later grid is never wholly north of an earlier one...
          expect(later.box[1] >= earlier.box[3] - eps, `${later.code} lies north of ${earlier.code}`).toBe(false);
          // ...and in the same row (overlapping latitudes), never wholly west of it.
          const sameRow = later.box[1] < earlier.box[3] - eps && later.box[3] > earlier.box[1] + eps && Math.abs(later.box[3] - earlier.box[3]) < eps;
          if (sameRow) expect(later.box[2] <= earlier.box[0] + eps, `${later.code} lies west of ${earlier.code} in the same row`).toBe(false);
          pairs++;
        }
      }
    }
    expect(pairs).toBeGreaterThan(589);
  });

  it("tiles: grids cover each community, communities each street, streets the district, without gaps or overlaps", () => {
    const children = new Map<string, RegionFeature[]>();
    for (const feature of layer.features) {
      const parent = feature.properties.parentCode;
      if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), feature]);
    }
    const parents = layer.features.filter((f) => f.properties.level !== "grid");
    expect(parents).toHaveLength(1 + 17 + 169);
    for (const parent of parents) expectTiles(parent, children.get(parent.properties.code) ?? []);
  });

  it("draws every area as one counter-clockwise polygon in WGS84 with 6-decimal coordinates inside Dongcheng's box", () => {
    for (const feature of layer.features) {
      expect(feature.geometry.type, feature.properties.code).toBe("Polygon");
      for (const polygon of polygonsOf(feature.geometry)) {
        // RFC 7946: outer rings counter-clockwise, holes clockwise.
        polygon.forEach((ring, index) => expect(ringAreaSquareMeters(ring) > 0, `${feature.properties.code} ring ${index}`).toBe(index === 0));
        for (const ring of polygon) {
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          for (const [lon, lat] of ring) {
            expect(Math.abs(lon * 1e6 - Math.round(lon * 1e6))).toBeLessThan(1e-6);
            expect(Math.abs(lat * 1e6 - Math.round(lat * 1e6))).toBeLessThan(1e-6);
            expect(lon).toBeGreaterThan(116.37);
            expect(lon).toBeLessThan(116.46);
            expect(lat).toBeGreaterThan(39.85);
            expect(lat).toBeLessThan(39.98);
          }
        }
      }
    }
  });

  it("keeps grids within a community about equal in area (so about equal in households)", () => {
    const byCommunity = new Map<string, number[]>();
    for (const grid of ofLevel("grid")) {
      const parent = grid.properties.parentCode ?? "";
      byCommunity.set(parent, [...(byCommunity.get(parent) ?? []), area(shape(grid))]);
    }
    for (const [community, areas] of byCommunity) {
      const mean = areas.reduce((a, b) => a + b, 0) / areas.length;
      for (const value of areas) expect(Math.abs(value - mean) / mean, community).toBeLessThan(0.35);
    }
  });
});
