import type { LonLat, PolygonRings, Ring } from "./region.js";

/*
 * Planar helpers over WGS84 polygons as stored in the region layer: rings are
 * closed (first position repeated last), outer ring first, holes after.
 * Pure and allocation-light: the map and the simulation call them per grid.
 */

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

export function bboxOf(polygons: readonly PolygonRings[]): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const polygon of polygons) {
    // Holes lie inside their outer ring, so the outer ring bounds the polygon.
    for (const [lon, lat] of polygon[0] ?? []) {
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}

/**
 * Area in m² of a ring on the sphere, positive when counter-clockwise. The
 * trapezoid formula on sin(lat) (as d3 and turf use) is exact enough at grid
 * scale and needs no projection.
 */
export function ringAreaSquareMeters(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as LonLat;
    const b = ring[i + 1] as LonLat;
    sum += (a[0] - b[0]) * RAD * (Math.sin(a[1] * RAD) + Math.sin(b[1] * RAD));
  }
  return (sum * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2;
}

/** Area in m² of polygons with holes; orientation in the input does not matter. */
export function areaSquareMeters(polygons: readonly PolygonRings[]): number {
  let total = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, index) => {
      const area = Math.abs(ringAreaSquareMeters(ring));
      total += index === 0 ? area : -area;
    });
  }
  return total;
}

/** Even-odd ray casting over every ring, so holes exclude. Boundary points may go either way. */
export function pointInPolygons(lon: number, lat: number, polygons: readonly PolygonRings[]): boolean {
  let inside = false;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const a = ring[i] as LonLat;
        const b = ring[j] as LonLat;
        if (a[1] > lat !== b[1] > lat && lon < ((b[0] - a[0]) * (lat - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
      }
    }
  }
  return inside;
}

function distanceToEdgesSquared(lon: number, lat: number, polygons: readonly PolygonRings[], lonScale: number): number {
  let best = Infinity;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i] as LonLat;
        const b = ring[i + 1] as LonLat;
        const ax = a[0] * lonScale;
        const bx = b[0] * lonScale;
        const px = lon * lonScale;
        const dx = bx - ax;
        const dy = b[1] - a[1];
        const length = dx * dx + dy * dy;
        const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (lat - a[1]) * dy) / length));
        const ex = ax + t * dx - px;
        const ey = a[1] + t * dy - lat;
        const d = ex * ex + ey * ey;
        if (d < best) best = d;
      }
    }
  }
  return best;
}

/**
 * A point well inside the area for its label: the midpoint of the widest
 * interior run on a set of horizontal scan lines, whichever lies farthest from
 * the boundary. Always inside (unlike the centroid of a C-shaped block) and
 * close to the pole of inaccessibility for the block shapes the layer holds.
 */
export function labelPoint(polygons: readonly PolygonRings[], scanLines = 17): LonLat {
  const [minLon, minLat, maxLon, maxLat] = bboxOf(polygons);
  const lonScale = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  let best: LonLat = [(minLon + maxLon) / 2, (minLat + maxLat) / 2];
  let bestDistance = -1;
  for (let line = 1; line <= scanLines; line++) {
    const lat = minLat + ((maxLat - minLat) * line) / (scanLines + 1);
    const crossings: number[] = [];
    for (const polygon of polygons) {
      for (const ring of polygon) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = ring[i] as LonLat;
          const b = ring[i + 1] as LonLat;
          if (a[1] > lat !== b[1] > lat) crossings.push(a[0] + ((lat - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
        }
      }
    }
    crossings.sort((x, y) => x - y);
    for (let i = 0; i + 1 < crossings.length; i += 2) {
      const lon = ((crossings[i] as number) + (crossings[i + 1] as number)) / 2;
      const distance = distanceToEdgesSquared(lon, lat, polygons, lonScale);
      if (distance > bestDistance) {
        bestDistance = distance;
        best = [lon, lat];
      }
    }
  }
  return best;
}

/**
 * A uniformly random point inside the polygons, drawn by rejection from the
 * bounding box with the caller's seeded generator (so a simulation replays).
 * Falls back to the label point for slivers that reject every draw.
 */
export function randomPointInPolygons(polygons: readonly PolygonRings[], random: () => number, maxTries = 256): LonLat {
  const [minLon, minLat, maxLon, maxLat] = bboxOf(polygons);
  for (let i = 0; i < maxTries; i++) {
    const lon = minLon + random() * (maxLon - minLon);
    const lat = minLat + random() * (maxLat - minLat);
    if (pointInPolygons(lon, lat, polygons)) return [lon, lat];
  }
  return labelPoint(polygons);
}
