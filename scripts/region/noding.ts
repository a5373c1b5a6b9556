import type { Position, RegionFeatureCollection } from "../../shared/geo/geojson.js";
import { polygonsOf } from "../../shared/geo/geojson.js";

/*
 * Rounding to 6 decimals moves the point where a cut line meets a diagonal
 * boundary by up to 5 cm, off the edge its neighbour (or its parent) still
 * draws straight: centimetre slivers of gap and overlap along every diagonal
 * edge. Noding puts every such point into every edge it lies on, so that
 * neighbours and parents draw each shared boundary through the same vertices
 * and the layer tiles exactly.
 */

const MICRO = 1e6;
/** In micro-degrees: a rounded point lies within about 0.7 of the true edge. */
const ON_EDGE = 0.8;
const CELL = 2000;

type Point = [number, number];

function cellKey(x: number, y: number): number {
  return Math.floor(x / CELL) * 1_000_003 + Math.floor(y / CELL);
}

/**
 * Repeats until nothing changes: a point can sit within rounding of a piece
 * of an edge split by an earlier pass but not of the whole edge.
 */
export function nodeSharedVertices(layer: RegionFeatureCollection, maxPasses = 8): RegionFeatureCollection {
  let current = layer;
  for (let pass = 0; pass < maxPasses; pass++) {
    const { layer: next, inserted } = nodeOnce(current);
    current = next;
    if (inserted === 0) break;
  }
  return current;
}

function nodeOnce(layer: RegionFeatureCollection): { layer: RegionFeatureCollection; inserted: number } {
  let inserted = 0;
  const toMicro = ([lon, lat]: Position): Point => [Math.round(lon * MICRO), Math.round(lat * MICRO)];
  const cells = new Map<number, Point[]>();
  const known = new Set<string>();
  for (const feature of layer.features) {
    for (const polygon of polygonsOf(feature.geometry)) {
      for (const ring of polygon) {
        for (const position of ring) {
          const point = toMicro(position);
          const key = `${point[0]},${point[1]}`;
          if (known.has(key)) continue;
          known.add(key);
          const cell = cellKey(point[0], point[1]);
          const list = cells.get(cell);
          if (list === undefined) cells.set(cell, [point]);
          else list.push(point);
        }
      }
    }
  }

  const between = (a: Point, b: Point): Point[] => {
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const lengthSquared = dx * dx + dy * dy;
    const found: { t: number; point: Point }[] = [];
    for (let cx = Math.floor((Math.min(a[0], b[0]) - 1) / CELL); cx <= Math.floor((Math.max(a[0], b[0]) + 1) / CELL); cx++) {
      for (let cy = Math.floor((Math.min(a[1], b[1]) - 1) / CELL); cy <= Math.floor((Math.max(a[1], b[1]) + 1) / CELL); cy++) {
        for (const point of cells.get(cellKey(cx * CELL, cy * CELL)) ?? []) {
          const t = ((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / lengthSquared;
          if (t <= 0 || t >= 1) continue;
          const distance = Math.abs((point[0] - a[0]) * dy - (point[1] - a[1]) * dx) / Math.sqrt(lengthSquared);
          if (distance < ON_EDGE) found.push({ t, point });
        }
      }
    }
    return found.sort((p, q) => p.t - q.t).map((f) => f.point);
  };

  const nodeRing = (ring: Position[]): Position[] => {
    const out: Position[] = [];
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = toMicro(ring[i] as Position);
      const b = toMicro(ring[i + 1] as Position);
      out.push(ring[i] as Position);
      for (const [x, y] of between(a, b)) {
        out.push([x / MICRO, y / MICRO]);
        inserted++;
      }
    }
    out.push(ring[ring.length - 1] as Position);
    return out;
  };

  const features = layer.features.map((feature) => {
    const polygons = polygonsOf(feature.geometry).map((polygon) => polygon.map(nodeRing));
    const geometry = polygons.length === 1 ? { type: "Polygon" as const, coordinates: polygons[0] as Position[][] } : { type: "MultiPolygon" as const, coordinates: polygons };
    return { ...feature, geometry };
  });
  return { layer: { type: "FeatureCollection", features }, inserted };
}
