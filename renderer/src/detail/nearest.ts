import type { UnitView } from "../../../shared/bridge/contract.js";
import { haversineMeters } from "../../../shared/geo/distance.js";

/** The slices of the position table the search reads (typed arrays in the app, plain arrays in tests). */
export type PositionColumns = { lon: ArrayLike<number>; lat: ArrayLike<number>; at: ArrayLike<number> };

export type NearbyUnit = { unit: UnitView; meters: number; fixAgeMs: number };

/** A fix older than this says where someone was, not where they are: left out of "nearest". */
export const FRESH_FIX_MS = 5 * 60_000;

/**
 * The on-patrol staff nearest to a point, by great-circle distance from their
 * latest fresh fix. Linear in the number of units: run on demand for one case,
 * not per frame.
 */
export function nearestOnPatrol(
  units: Iterable<UnitView>,
  positions: PositionColumns,
  lon: number,
  lat: number,
  now: number,
  limit = 5,
  maxAgeMs = FRESH_FIX_MS,
): NearbyUnit[] {
  const found: NearbyUnit[] = [];
  for (const unit of units) {
    if (unit.status !== "on_patrol") continue;
    const at = positions.at[unit.slot];
    if (at === undefined || at <= 0) continue;
    const fixAgeMs = now - at;
    if (fixAgeMs > maxAgeMs) continue;
    const unitLon = positions.lon[unit.slot];
    const unitLat = positions.lat[unit.slot];
    if (unitLon === undefined || unitLat === undefined) continue;
    found.push({ unit, meters: haversineMeters(lon, lat, unitLon, unitLat), fixAgeMs: Math.max(0, fixAgeMs) });
  }
  return found.sort((a, b) => a.meters - b.meters).slice(0, limit);
}

/** `850 m`, `1.3 km`. */
export const formatMeters = (meters: number): string => (meters < 1000 ? `${Math.round(meters)} m` : `${(meters / 1000).toFixed(1)} km`);
