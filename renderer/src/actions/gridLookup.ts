import type { RegionLayerResult } from "../../../shared/bridge/contract.js";
import { pointInPolygons } from "../../../shared/geo/polygon.js";
import type { PolygonRings } from "../../../shared/geo/region.js";

/*
 * Which grid a typed or clicked place is in, for a phone-in report, from the
 * region layer the engine validated and prepared (getRegionLayer). A layer
 * that did not load gives no grid: the platform then places the case.
 */

type GridShape = { code: string; polygons: PolygonRings[]; bbox: [number, number, number, number] };

export type GridIndex = { grids: GridShape[] };

export function buildGridIndex(result: RegionLayerResult): GridIndex {
  if (!result.ok) return { grids: [] };
  return { grids: result.layer.grids.map(({ code, polygons, bbox }) => ({ code, polygons, bbox })) };
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
