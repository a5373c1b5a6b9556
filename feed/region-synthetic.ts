import type { GeoJsonCollection, GeoJsonFeature, GeoJsonGeometry } from "./region.js";
import { bboxOf, pointInPolygons } from "../shared/geo/polygon.js";
import type { PolygonRings } from "../shared/geo/region.js";

/*
 * Stand-in region layers: a tiny one for tests, and one built from the real
 * division codes and names (resources/data/beijing-divisions.csv) placed inside
 * their district boundaries, used when the generated layer is not there (the
 * city scale for benchmarks needs ~30,000 grids, not survey-grade shapes).
 */

export type Division = { code: string; name: string; level: "district" | "street" | "community"; parentCode: string };

export function parseDivisions(text: string): Division[] {
  const out: Division[] = [];
  for (const line of text.replace(/^\uFEFF/, "").split(/\r?\n/).slice(1)) {
    const [code = "", name = "", level = "", parentCode = ""] = line.split(",").map((c) => c.trim());
    if (code === "" || (level !== "district" && level !== "street" && level !== "community")) continue;
    out.push({ code, name, level, parentCode });
  }
  return out;
}

const rect = (minLon: number, minLat: number, maxLon: number, maxLat: number): GeoJsonGeometry => ({
  type: "Polygon",
  coordinates: [[[minLon, minLat], [maxLon, minLat], [maxLon, maxLat], [minLon, maxLat], [minLon, minLat]]],
});

const named = (level: string, code: string, name: string, parentCode?: string): GeoJsonFeature => ({
  type: "Feature",
  properties: parentCode ? { level, code, name, parentCode } : { level, code, name },
  geometry: null,
});

/** Splits a cell into `side × side` grid rectangles, numbered west to east, north to south. */
function gridCells(communityCode: string, communityName: string, box: [number, number, number, number], side: number): GeoJsonFeature[] {
  const [minLon, minLat, maxLon, maxLat] = box;
  const w = (maxLon - minLon) / side;
  const h = (maxLat - minLat) / side;
  const features: GeoJsonFeature[] = [];
  for (let row = 0; row < side; row++) {
    for (let col = 0; col < side; col++) {
      const sequence = row * side + col + 1;
      const top = maxLat - row * h;
      features.push({
        type: "Feature",
        properties: { level: "grid", code: `${communityCode}${String(sequence).padStart(3, "0")}`, name: `${communityName.replace(/居委会|村委会/, "")}第${sequence}网格`, parentCode: communityCode },
        geometry: rect(minLon + col * w, top - h, minLon + (col + 1) * w, top),
      });
    }
  }
  return features;
}

/** Square cells whose centers fall inside the area, at least `count` of them, row by row. */
function cellsInside(polygons: PolygonRings[], count: number): [number, number, number, number][] {
  const [minLon, minLat, maxLon, maxLat] = bboxOf(polygons);
  let perSide = Math.ceil(Math.sqrt(count));
  for (let attempt = 0; attempt < 30; attempt++, perSide = Math.ceil(perSide * 1.2) + 1) {
    const w = (maxLon - minLon) / perSide;
    const h = (maxLat - minLat) / perSide;
    const cells: [number, number, number, number][] = [];
    for (let row = 0; row < perSide && cells.length < count; row++) {
      for (let col = 0; col < perSide && cells.length < count; col++) {
        const lon = minLon + (col + 0.5) * w;
        const lat = maxLat - (row + 0.5) * h;
        if (pointInPolygons(lon, lat, polygons)) cells.push([lon - w / 2, lat - h / 2, lon + w / 2, lat + h / 2]);
      }
    }
    if (cells.length >= count) return cells;
  }
  throw new Error("could not place the communities inside the district");
}

const polygonsOf = (geometry: GeoJsonGeometry | null): PolygonRings[] => {
  if (!geometry) return [];
  if (geometry.type === "Polygon") return [geometry.coordinates as PolygonRings];
  return geometry.coordinates as PolygonRings[];
};

/**
 * A layer of the given districts from the division table: every community a
 * square inside its district boundary, cut into `side × side` grids.
 */
export function divisionLayer(options: {
  divisions: readonly Division[];
  districts: GeoJsonCollection;
  districtCodes: readonly string[];
  streetCode?: string;
  side?: number;
}): GeoJsonCollection {
  const side = options.side ?? 2;
  const features: GeoJsonFeature[] = [];
  for (const districtCode of options.districtCodes) {
    const boundary = options.districts.features.find((f) => f.properties?.code === districtCode);
    const district = options.divisions.find((d) => d.code === districtCode);
    if (!boundary || !district) throw new Error(`district ${districtCode} is not in the reference data`);
    features.push(named("district", district.code, district.name));
    const streets = options.divisions.filter((d) => d.level === "street" && d.parentCode === districtCode);
    for (const street of streets) features.push(named("street", street.code, street.name, districtCode));
    const streetCodes = new Set(streets.map((s) => s.code));
    const communities = options.divisions.filter((d) => d.level === "community" && streetCodes.has(d.parentCode));
    const cells = cellsInside(polygonsOf(boundary.geometry), communities.length);
    communities.forEach((community, index) => {
      if (options.streetCode && community.parentCode !== options.streetCode) return;
      features.push(named("community", community.code, community.name, community.parentCode));
      features.push(...gridCells(community.code, community.name, cells[index]!, side));
    });
  }
  return { type: "FeatureCollection", features };
}

/** A small regular layer for tests: one street of `communities × side²` grids near Dongzhimen. */
export function fixtureLayer(options: { communities?: number; side?: number; origin?: [number, number] } = {}): GeoJsonCollection {
  const communities = options.communities ?? 2;
  const side = options.side ?? 2;
  const [lon0, lat0] = options.origin ?? [116.43, 39.94];
  const size = 0.006;
  const features: GeoJsonFeature[] = [named("district", "110101", "东城区"), named("street", "110101009", "东直门街道", "110101")];
  for (let c = 0; c < communities; c++) {
    const code = `110101009${String(c + 1).padStart(3, "0")}`;
    const name = ["胡家园社区", "新中街社区", "清水苑社区", "十字坡社区"][c % 4] ?? "社区";
    features.push(named("community", code, name, "110101009"));
    features.push(...gridCells(code, name, [lon0 + c * size, lat0, lon0 + (c + 1) * size, lat0 + size], side));
  }
  return { type: "FeatureCollection", features };
}
