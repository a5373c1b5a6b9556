import { pointInPolygons } from "../../../shared/geo/polygon.js";
import type { PolygonRings } from "../../../shared/geo/region.js";

/*
 * Which grid a typed or clicked place is in, for a phone-in report. The
 * region layer reaches views as `unknown` (getRegionLayer), so it is read
 * defensively: anything that is not a grid polygon is skipped.
 */

type GridShape = { code: string; polygons: PolygonRings[]; bbox: [number, number, number, number] };

export type GridIndex = { grids: GridShape[] };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

function asPolygons(geometry: unknown): PolygonRings[] | null {
  if (!isRecord(geometry) || !Array.isArray(geometry.coordinates)) return null;
  if (geometry.type === "Polygon") return [geometry.coordinates as PolygonRings];
  if (geometry.type === "MultiPolygon") return geometry.coordinates as PolygonRings[];
  return null;
}

function bboxOf(polygons: PolygonRings[]): [number, number, number, number] {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const polygon of polygons) {
    for (const point of polygon[0] ?? []) {
      if (!Array.isArray(point) || typeof point[0] !== "number" || typeof point[1] !== "number") continue;
      minLon = Math.min(minLon, point[0]);
      maxLon = Math.max(maxLon, point[0]);
      minLat = Math.min(minLat, point[1]);
      maxLat = Math.max(maxLat, point[1]);
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}

export function buildGridIndex(layer: unknown): GridIndex {
  const grids: GridShape[] = [];
  if (!isRecord(layer) || !Array.isArray(layer.features)) return { grids };
  for (const feature of layer.features as unknown[]) {
    if (!isRecord(feature) || !isRecord(feature.properties)) continue;
    const { level, code } = feature.properties;
    if (level !== "grid" || typeof code !== "string") continue;
    const polygons = asPolygons(feature.geometry);
    if (!polygons) continue;
    grids.push({ code, polygons, bbox: bboxOf(polygons) });
  }
  return { grids };
}

/** The grid code at a point, or null outside every known grid (the platform then places the case). */
export function gridAt(index: GridIndex, lon: number, lat: number): string | null {
  for (const grid of index.grids) {
    const [minLon, minLat, maxLon, maxLat] = grid.bbox;
    if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) continue;
    if (pointInPolygons(lon, lat, grid.polygons)) return grid.code;
  }
  return null;
}
