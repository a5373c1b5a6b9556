import type { FaultParams, GeometryFaultCode } from "./faults.js";
import type { LonLat, PolygonRings, Ring } from "./region.js";
import { findSelfCrossing } from "./self-crossing.js";

/*
 * Geometry checks for an imported region layer. Each fault says where (which
 * polygon, ring, position or edges, counted from 1) so that whoever drew the
 * layer can find it in their GIS tool.
 */

/** `fault` in English for logs; `code` and `params` for the views to say it in the console's language. */
export type GeometryFault = { ok: false; fault: string; code: GeometryFaultCode; params: FaultParams };
export type GeometryResult = { ok: true; polygons: PolygonRings[] } | GeometryFault;

function failed(code: GeometryFaultCode, params: FaultParams, fault: string): GeometryFault {
  return { ok: false, fault, code, params };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function where(polygon: number, ring: number, polygonCount: number): string {
  const ringName = ring === 0 ? "outer ring" : `hole ${ring}`;
  return polygonCount > 1 ? `${ringName} of polygon ${polygon + 1}` : ringName;
}

function planarRingArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as LonLat;
    const b = ring[i + 1] as LonLat;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum / 2;
}

/**
 * Positions one ring may have. A grid's boundary has tens to hundreds; the
 * self-crossing check is near-linear for real rings (self-crossing.ts) but
 * quadratic at worst (every edge through one spot), so a ring stays bounded.
 */
export const MAX_RING_POSITIONS = 20_000;

/** Where a ring is, for the views: `polygon` counted from 1 (0 when the geometry has one), `hole` from 1 (0 for the outer ring). */
type RingPlace = { polygon: number; hole: number };

function checkRing(value: unknown, label: string, place: RingPlace): { ok: true; ring: Ring } | GeometryFault {
  if (!Array.isArray(value)) return failed("ringNotArray", place, `${label} is not an array of positions`);
  if (value.length > MAX_RING_POSITIONS) {
    return failed("ringTooLarge", { ...place, positions: value.length, max: MAX_RING_POSITIONS }, `the ${label} has ${value.length} positions; at most ${MAX_RING_POSITIONS} (simplify the layer)`);
  }
  const ring: Ring = [];
  for (let i = 0; i < value.length; i++) {
    const position: unknown = value[i];
    const at = { ...place, position: i + 1 };
    if (!Array.isArray(position) || position.length < 2) return failed("positionNotPair", at, `position ${i + 1} of the ${label} is not a [lon, lat] pair`);
    const [lon, lat]: unknown[] = position;
    if (typeof lon !== "number" || typeof lat !== "number" || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      return failed("positionNotFinite", at, `position ${i + 1} of the ${label} is not a pair of finite numbers`);
    }
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      return failed(
        "positionOutOfRange",
        { ...at, lon, lat },
        `position ${i + 1} of the ${label} (${lon}, ${lat}) is out of range: longitude must lie within ±180 and latitude within ±90 (WGS84 degrees, lon first)`,
      );
    }
    ring.push([lon, lat]);
  }
  if (ring.length < 4) return failed("ringTooShort", { ...place, positions: ring.length }, `the ${label} has ${ring.length} positions; a closed ring needs at least 4`);
  const first = ring[0] as LonLat;
  const last = ring[ring.length - 1] as LonLat;
  if (first[0] !== last[0] || first[1] !== last[1]) return failed("ringNotClosed", place, `the ${label} is not closed: its last position differs from its first`);
  const crossing = findSelfCrossing(ring);
  if (crossing !== null) {
    return failed("ringSelfCrossing", { ...place, edgeA: crossing[0], edgeB: crossing[1] }, `the ${label} intersects itself: edges ${crossing[0]} and ${crossing[1]} cross`);
  }
  if (planarRingArea(ring) === 0) return failed("ringZeroArea", place, `the ${label} has zero area`);
  return { ok: true, ring };
}

/** Validates a GeoJSON Polygon or MultiPolygon and returns it as a list of polygons. */
export function checkAreaGeometry(geometry: unknown): GeometryResult {
  if (!isRecord(geometry)) return failed("noGeometry", {}, "has no geometry");
  const { type, coordinates } = geometry;
  if (type !== "Polygon" && type !== "MultiPolygon") return failed("notAreaGeometry", { type: String(type) }, `geometry is a ${String(type)}, not a Polygon or MultiPolygon`);
  if (!Array.isArray(coordinates) || coordinates.length === 0) return failed("noCoordinates", { type }, `${type} has no coordinates`);
  const raw: unknown[] = type === "Polygon" ? [coordinates] : coordinates;
  const polygons: PolygonRings[] = [];
  for (let p = 0; p < raw.length; p++) {
    const polygon = raw[p];
    if (!Array.isArray(polygon) || polygon.length === 0) return failed("polygonNoRings", { polygon: p + 1 }, `polygon ${p + 1} has no rings`);
    const rings: PolygonRings = [];
    for (let r = 0; r < polygon.length; r++) {
      const checked = checkRing(polygon[r], where(p, r, raw.length), { polygon: raw.length > 1 ? p + 1 : 0, hole: r });
      if (!checked.ok) return checked;
      rings.push(checked.ring);
    }
    polygons.push(rings);
  }
  return { ok: true, polygons };
}
