import type { LonLat, PolygonRings, RegionArea, RegionLayer, RegionLevel } from "../../../shared/geo/region.js";

/*
 * Reads the region GeoJSON the bridge returns (`getRegionLayer`) into a
 * RegionLayer. Lenient on purpose: a feature the map cannot draw is skipped and
 * counted, so one bad grid in a deployment's file does not blank the map.
 */

export class RegionLoadError extends Error {}

const LEVELS: readonly RegionLevel[] = ["district", "street", "community", "grid"];

type Feature = { properties?: Record<string, unknown> | null; geometry?: { type?: unknown; coordinates?: unknown } | null };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

function toRing(value: unknown): LonLat[] | null {
  if (!Array.isArray(value) || value.length < 3) return null;
  const ring: LonLat[] = [];
  for (const point of value) {
    if (!Array.isArray(point)) return null;
    const [lon, lat] = point as unknown[];
    if (typeof lon !== "number" || typeof lat !== "number" || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
    if (lon < -180 || lon > 180 || lat < -85 || lat > 85) return null;
    ring.push([lon, lat]);
  }
  return ring;
}

function toPolygon(value: unknown): PolygonRings | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const rings: PolygonRings = [];
  for (const ring of value) {
    const parsed = toRing(ring);
    if (!parsed) return null;
    rings.push(parsed);
  }
  return rings;
}

function toPolygons(geometry: Feature["geometry"]): PolygonRings[] | null {
  if (!geometry) return null;
  if (geometry.type === "Polygon") {
    const polygon = toPolygon(geometry.coordinates);
    return polygon ? [polygon] : null;
  }
  if (geometry.type === "MultiPolygon" && Array.isArray(geometry.coordinates)) {
    const polygons: PolygonRings[] = [];
    for (const part of geometry.coordinates) {
      const polygon = toPolygon(part);
      if (!polygon) return null;
      polygons.push(polygon);
    }
    return polygons.length > 0 ? polygons : null;
  }
  return null;
}

export function bboxOf(polygons: readonly PolygonRings[]): [number, number, number, number] {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0] ?? []) {
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}

/** Area-weighted centroid of the largest part's outer ring: a label point that sits inside ordinary (convex-ish) areas. */
export function labelPoint(polygons: readonly PolygonRings[]): LonLat {
  let best: LonLat = [0, 0];
  let bestArea = -1;
  for (const polygon of polygons) {
    const ring = polygon[0] ?? [];
    let area = 0, cx = 0, cy = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x0, y0] = ring[j] as LonLat;
      const [x1, y1] = ring[i] as LonLat;
      const cross = x0 * y1 - x1 * y0;
      area += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
    if (Math.abs(area) > bestArea && area !== 0) {
      bestArea = Math.abs(area);
      best = [cx / (3 * area), cy / (3 * area)];
    }
  }
  return best;
}

export function regionFromGeoJson(json: unknown): { layer: RegionLayer; skipped: number } {
  if (!isRecord(json) || json.type !== "FeatureCollection" || !Array.isArray(json.features)) throw new RegionLoadError("region layer is not a GeoJSON FeatureCollection");
  const byLevel: Record<RegionLevel, RegionArea[]> = { district: [], street: [], community: [], grid: [] };
  let skipped = 0;
  for (const raw of json.features as unknown[]) {
    const feature = raw as Feature;
    const props = isRecord(feature) && isRecord(feature.properties) ? feature.properties : null;
    const level = props?.level;
    const polygons = isRecord(feature) ? toPolygons(feature.geometry) : null;
    if (!props || !LEVELS.includes(level as RegionLevel) || typeof props.code !== "string" || typeof props.name !== "string" || !polygons) {
      skipped++;
      continue;
    }
    const area: RegionArea = { level: level as RegionLevel, code: props.code, name: props.name, polygons, labelAt: labelPoint(polygons), bbox: bboxOf(polygons) };
    if (typeof props.parentCode === "string") area.parentCode = props.parentCode;
    byLevel[level as RegionLevel].push(area);
  }
  const district = byLevel.district[0];
  if (!district) throw new RegionLoadError("region layer has no district feature");
  return { layer: { district, streets: byLevel.street, communities: byLevel.community, grids: byLevel.grid }, skipped };
}
