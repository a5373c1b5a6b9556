import type { LonLat, PolygonRings, RegionLevel } from "../shared/geo/region.js";
import type { Rng } from "./rng.js";
import { bboxOf, pointInPolygons } from "../shared/geo/polygon.js";

/*
 * The sim's view of the region layer: grids with their street and community,
 * polygons and a bounding box for walking and placing cases. Built from any
 * GeoJSON FeatureCollection in the project's region format (resources/region),
 * so the feed never depends on how that file was made.
 */

export type GeoJsonGeometry =
  | { type: "Polygon"; coordinates: number[][][] }
  | { type: "MultiPolygon"; coordinates: number[][][][] };
export type GeoJsonFeature = {
  type: "Feature";
  properties: { level?: string; code?: string; name?: string; parentCode?: string } | null;
  geometry: GeoJsonGeometry | null;
};
export type GeoJsonCollection = { type: "FeatureCollection"; features: GeoJsonFeature[] };

export type SimGrid = {
  code: string;
  name: string;
  streetCode: string;
  streetName: string;
  communityCode: string;
  communityName: string;
  polygons: PolygonRings[];
  bbox: [number, number, number, number];
  centroid: LonLat;
};

export type SimRegion = {
  districtCode: string;
  districtName: string;
  /** Set when the region is one street (the hello scope names it). */
  streetCode?: string;
  grids: SimGrid[];
};

export class RegionError extends Error {
  override name = "RegionError";
}

function toRings(geometry: GeoJsonGeometry | null): PolygonRings[] {
  if (!geometry) return [];
  const asRing = (ring: number[][]): LonLat[] => ring.map((p) => [Number(p[0]), Number(p[1])] as LonLat);
  if (geometry.type === "Polygon") return [geometry.coordinates.map(asRing)];
  if (geometry.type === "MultiPolygon") return geometry.coordinates.map((poly) => poly.map(asRing));
  return [];
}

/** A uniformly random point inside the grid (rejection sampling in its box). */
export function randomPointIn(grid: SimGrid, rng: Pick<Rng, "range">): LonLat {
  const [minLon, minLat, maxLon, maxLat] = grid.bbox;
  for (let attempt = 0; attempt < 40; attempt++) {
    const lon = rng.range(minLon, maxLon);
    const lat = rng.range(minLat, maxLat);
    if (pointInPolygons(lon, lat, grid.polygons)) return [lon, lat];
  }
  return grid.centroid;
}

function interiorPoint(polygons: PolygonRings[], bbox: [number, number, number, number]): LonLat {
  const center: LonLat = [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2];
  if (pointInPolygons(center[0], center[1], polygons)) return center;
  // Concave shapes: scan a coarse lattice for the first inside point nearest the box center.
  let best: LonLat = polygons[0]?.[0]?.[0] ?? center;
  let bestDistance = Infinity;
  for (let i = 1; i < 12; i++) {
    for (let j = 1; j < 12; j++) {
      const lon = bbox[0] + ((bbox[2] - bbox[0]) * i) / 12;
      const lat = bbox[1] + ((bbox[3] - bbox[1]) * j) / 12;
      const distance = (lon - center[0]) ** 2 + (lat - center[1]) ** 2;
      if (distance < bestDistance && pointInPolygons(lon, lat, polygons)) {
        best = [lon, lat];
        bestDistance = distance;
      }
    }
  }
  return best;
}

const isLevel = (value: unknown): value is RegionLevel => value === "district" || value === "street" || value === "community" || value === "grid";

/**
 * Grids of a region FeatureCollection, optionally only those of one street.
 * Names of streets and communities come from their own features when present.
 */
export function regionFromCollection(collection: GeoJsonCollection, options: { streetCode?: string } = {}): SimRegion {
  if (collection?.type !== "FeatureCollection" || !Array.isArray(collection.features)) throw new RegionError("not a GeoJSON FeatureCollection");
  const names = new Map<string, string>();
  let district: { code: string; name: string } | undefined;
  const gridFeatures: { code: string; name: string; polygons: PolygonRings[] }[] = [];
  for (const feature of collection.features) {
    const props = feature?.properties;
    if (!props || !isLevel(props.level) || typeof props.code !== "string") continue;
    const name = typeof props.name === "string" ? props.name : props.code;
    names.set(props.code, name);
    if (props.level === "district") district = { code: props.code, name };
    if (props.level !== "grid") continue;
    if (!/^\d{15}$/.test(props.code)) throw new RegionError(`grid code "${props.code}" is not 15 digits`);
    if (options.streetCode && !props.code.startsWith(options.streetCode)) continue;
    const polygons = toRings(feature.geometry);
    if (polygons.length === 0) throw new RegionError(`grid ${props.code} has no polygon`);
    gridFeatures.push({ code: props.code, name, polygons });
  }
  if (gridFeatures.length === 0) throw new RegionError(options.streetCode ? `no grids in street ${options.streetCode}` : "no grid features");
  const grids = gridFeatures.map(({ code, name, polygons }): SimGrid => {
    const bbox = bboxOf(polygons);
    const streetCode = code.slice(0, 9);
    const communityCode = code.slice(0, 12);
    return {
      code,
      name,
      streetCode,
      streetName: names.get(streetCode) ?? streetCode,
      communityCode,
      communityName: names.get(communityCode) ?? communityCode,
      polygons,
      bbox,
      centroid: interiorPoint(polygons, bbox),
    };
  });
  grids.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const districtCode = district?.code ?? gridFeatures[0]!.code.slice(0, 6);
  const region: SimRegion = { districtCode, districtName: district?.name ?? names.get(districtCode) ?? districtCode, grids };
  if (options.streetCode) region.streetCode = options.streetCode;
  return region;
}

/** The grid containing a point, if any (linear scan with a box pre-check: reports are rare). */
export function gridAt(region: SimRegion, lon: number, lat: number): SimGrid | undefined {
  return region.grids.find((g) => lon >= g.bbox[0] && lon <= g.bbox[2] && lat >= g.bbox[1] && lat <= g.bbox[3] && pointInPolygons(lon, lat, g.polygons));
}
