import type { LonLat, PolygonRings, Ring } from "./region.js";

/*
 * Geometry checks for an imported region layer. Each fault says where (which
 * polygon, ring, position or edges, counted from 1) so that whoever drew the
 * layer can find it in their GIS tool.
 */

export type GeometryResult = { ok: true; polygons: PolygonRings[] } | { ok: false; fault: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function where(polygon: number, ring: number, polygonCount: number): string {
  const ringName = ring === 0 ? "outer ring" : `hole ${ring}`;
  return polygonCount > 1 ? `${ringName} of polygon ${polygon + 1}` : ringName;
}

function orientation(a: LonLat, b: LonLat, c: LonLat): number {
  return Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
}

/**
 * The first pair of non-adjacent edges that properly cross, as 1-based edge
 * numbers, or null. Edges are swept by their west end so that only edges
 * overlapping in longitude are compared: near-linear for block-shaped rings.
 * Touching and collinear overlaps are not reported: cheap detection targets
 * the bow-tie, the usual digitizing fault.
 */
export function findSelfCrossing(ring: Ring): [number, number] | null {
  const edges = ring.length - 1;
  const order = Array.from({ length: edges }, (_, i) => i);
  const west = (i: number): number => Math.min((ring[i] as LonLat)[0], (ring[i + 1] as LonLat)[0]);
  const east = (i: number): number => Math.max((ring[i] as LonLat)[0], (ring[i + 1] as LonLat)[0]);
  order.sort((a, b) => west(a) - west(b));
  for (let x = 0; x < order.length; x++) {
    const i = order[x] as number;
    const limit = east(i);
    for (let y = x + 1; y < order.length && west(order[y] as number) <= limit; y++) {
      const j = order[y] as number;
      const gap = Math.abs(i - j);
      if (gap === 1 || gap === edges - 1) continue;
      const a = ring[i] as LonLat;
      const b = ring[i + 1] as LonLat;
      const c = ring[j] as LonLat;
      const d = ring[j + 1] as LonLat;
      if (orientation(a, b, c) * orientation(a, b, d) < 0 && orientation(c, d, a) * orientation(c, d, b) < 0) {
        return [Math.min(i, j) + 1, Math.max(i, j) + 1];
      }
    }
  }
  return null;
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
 * self-crossing check can grow with the square of a ring's edges when they
 * overlap in longitude (a long, thin ring), and 60,000 of them took 32 s.
 */
export const MAX_RING_POSITIONS = 20_000;

function checkRing(value: unknown, label: string): { ok: true; ring: Ring } | { ok: false; fault: string } {
  if (!Array.isArray(value)) return { ok: false, fault: `${label} is not an array of positions` };
  if (value.length > MAX_RING_POSITIONS) return { ok: false, fault: `the ${label} has ${value.length} positions; at most ${MAX_RING_POSITIONS} (simplify the layer)` };
  const ring: Ring = [];
  for (let i = 0; i < value.length; i++) {
    const position: unknown = value[i];
    if (!Array.isArray(position) || position.length < 2) return { ok: false, fault: `position ${i + 1} of the ${label} is not a [lon, lat] pair` };
    const [lon, lat]: unknown[] = position;
    if (typeof lon !== "number" || typeof lat !== "number" || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      return { ok: false, fault: `position ${i + 1} of the ${label} is not a pair of finite numbers` };
    }
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      return { ok: false, fault: `position ${i + 1} of the ${label} (${lon}, ${lat}) is out of range: longitude must lie within ±180 and latitude within ±90 (WGS84 degrees, lon first)` };
    }
    ring.push([lon, lat]);
  }
  if (ring.length < 4) return { ok: false, fault: `the ${label} has ${ring.length} positions; a closed ring needs at least 4` };
  const first = ring[0] as LonLat;
  const last = ring[ring.length - 1] as LonLat;
  if (first[0] !== last[0] || first[1] !== last[1]) return { ok: false, fault: `the ${label} is not closed: its last position differs from its first` };
  const crossing = findSelfCrossing(ring);
  if (crossing !== null) return { ok: false, fault: `the ${label} intersects itself: edges ${crossing[0]} and ${crossing[1]} cross` };
  if (planarRingArea(ring) === 0) return { ok: false, fault: `the ${label} has zero area` };
  return { ok: true, ring };
}

/** Validates a GeoJSON Polygon or MultiPolygon and returns it as a list of polygons. */
export function checkAreaGeometry(geometry: unknown): GeometryResult {
  if (!isRecord(geometry)) return { ok: false, fault: "has no geometry" };
  const { type, coordinates } = geometry;
  if (type !== "Polygon" && type !== "MultiPolygon") return { ok: false, fault: `geometry is a ${String(type)}, not a Polygon or MultiPolygon` };
  if (!Array.isArray(coordinates) || coordinates.length === 0) return { ok: false, fault: `${type} has no coordinates` };
  const raw: unknown[] = type === "Polygon" ? [coordinates] : coordinates;
  const polygons: PolygonRings[] = [];
  for (let p = 0; p < raw.length; p++) {
    const polygon = raw[p];
    if (!Array.isArray(polygon) || polygon.length === 0) return { ok: false, fault: `polygon ${p + 1} has no rings` };
    const rings: PolygonRings = [];
    for (let r = 0; r < polygon.length; r++) {
      const checked = checkRing(polygon[r], where(p, r, raw.length));
      if (!checked.ok) return checked;
      rings.push(checked.ring);
    }
    polygons.push(rings);
  }
  return { ok: true, polygons };
}
