import polygonClipping from "polygon-clipping";
import type { MultiPolygon, Pair, Ring } from "polygon-clipping";

/*
 * Axis-aligned cutting of polygons, the one operation the region generators
 * are built from: every street, community and grid boundary they draw is a
 * north-south or east-west line, like Beijing's orthogonal street grid.
 *
 * Cut positions are found by bisection on a cheap half-plane area
 * (Sutherland-Hodgman on each ring: exact for area even where the true piece
 * would split in two) and then cut once with polygon-clipping, which returns
 * clean pieces. Cut positions are rounded to 1e-6° (about 0.1 m) so that the
 * GeoJSON's 6-decimal rounding moves no shared edge.
 */

export type { MultiPolygon };
export type Axis = 0 | 1;

const COORDINATE_STEP = 1e6;

export function roundCoordinate(value: number): number {
  return Math.round(value * COORDINATE_STEP) / COORDINATE_STEP;
}

/** Shoelace relative to the first vertex: absolute lon × lat products would cancel away 8 digits. */
function signedRingArea(ring: readonly Pair[]): number {
  const origin = ring[0];
  if (origin === undefined) return 0;
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as Pair;
    const b = ring[i] as Pair;
    sum += (a[0] - origin[0]) * (b[1] - origin[1]) - (b[0] - origin[0]) * (a[1] - origin[1]);
  }
  return sum / 2;
}

/** Planar area in square degrees; only ratios of it are used, so no projection. */
export function planarArea(shape: MultiPolygon): number {
  let total = 0;
  for (const polygon of shape) {
    polygon.forEach((ring, index) => {
      const area = Math.abs(signedRingArea(ring));
      total += index === 0 ? area : -area;
    });
  }
  return total;
}

/** Area of the part of a ring with coordinate[axis] < value, signed by orientation. */
function ringAreaBelow(ring: readonly Pair[], axis: Axis, value: number): number {
  const clipped: Pair[] = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as Pair;
    const b = ring[i] as Pair;
    const aIn = a[axis] < value;
    const bIn = b[axis] < value;
    if (aIn !== bIn) {
      const t = (value - a[axis]) / (b[axis] - a[axis]);
      clipped.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
    }
    if (bIn) clipped.push(b);
  }
  return signedRingArea(clipped);
}

/** Planar area of the part with coordinate[axis] < value (outer rings count up, holes down). */
export function areaBelow(shape: MultiPolygon, axis: Axis, value: number): number {
  let total = 0;
  for (const polygon of shape) {
    polygon.forEach((ring, index) => {
      const area = Math.abs(ringAreaBelow(ring, axis, value));
      total += index === 0 ? area : -area;
    });
  }
  return total;
}

export function extent(shape: MultiPolygon): [minX: number, minY: number, maxX: number, maxY: number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of shape) {
    for (const [x, y] of polygon[0] ?? []) {
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  }
  return [minX, minY, maxX, maxY];
}

/** The cut position (rounded) below which lies `fraction` of the shape's area. */
export function findCut(shape: MultiPolygon, axis: Axis, fraction: number): number {
  const bounds = extent(shape);
  let low = bounds[axis];
  let high = bounds[axis + 2] as number;
  const target = fraction * planarArea(shape);
  for (let i = 0; i < 60 && high - low > 1e-9; i++) {
    const middle = (low + high) / 2;
    if (areaBelow(shape, axis, middle) < target) low = middle;
    else high = middle;
  }
  return roundCoordinate((low + high) / 2);
}

function box(minX: number, minY: number, maxX: number, maxY: number): Ring[] {
  return [
    [
      [minX, minY],
      [maxX, minY],
      [maxX, maxY],
      [minX, maxY],
      [minX, minY],
    ],
  ];
}

/**
 * The common case without polygon-clipping: one polygon without holes whose
 * ring crosses the line exactly twice falls into exactly one simple piece on
 * each side, which Sutherland-Hodgman clipping computes exactly, many times
 * faster. Anything else (holes, several parts, a ring crossing the line four
 * times or touching it) returns undefined and goes to polygon-clipping.
 */
function cutSimple(shape: MultiPolygon, axis: Axis, value: number): [MultiPolygon, MultiPolygon] | undefined {
  const polygon = shape[0];
  const ring = polygon?.[0];
  if (shape.length !== 1 || polygon === undefined || polygon.length !== 1 || ring === undefined) return undefined;
  const closed = ring.length > 1 && (ring[0] as Pair)[0] === (ring[ring.length - 1] as Pair)[0] && (ring[0] as Pair)[1] === (ring[ring.length - 1] as Pair)[1];
  const points = closed ? ring.slice(0, -1) : ring;
  const below: Pair[] = [];
  const above: Pair[] = [];
  let crossings = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const a = points[j] as Pair;
    const b = points[i] as Pair;
    const aBelow = a[axis] < value;
    const bBelow = b[axis] < value;
    if (aBelow !== bBelow) {
      crossings++;
      const t = (value - a[axis]) / (b[axis] - a[axis]);
      const crossing: Pair = axis === 0 ? [value, a[1] + t * (b[1] - a[1])] : [a[0] + t * (b[0] - a[0]), value];
      below.push(crossing);
      above.push(crossing);
    }
    (bBelow ? below : above).push(b);
  }
  if (crossings !== 2) return undefined;
  const close = (piece: Pair[]): MultiPolygon => {
    const out = piece.filter((point, index) => {
      const previous = piece[(index + piece.length - 1) % piece.length] as Pair;
      return point[0] !== previous[0] || point[1] !== previous[1];
    });
    return out.length < 3 ? [] : [[[...out, out[0] as Pair]]];
  };
  return [close(below), close(above)];
}

function cutRaw(shape: MultiPolygon, axis: Axis, value: number): [MultiPolygon, MultiPolygon] {
  const simple = cutSimple(shape, axis, value);
  if (simple !== undefined) return simple;
  const [minX, minY, maxX, maxY] = extent(shape);
  const pad = 1;
  if (axis === 0) {
    return [
      polygonClipping.intersection(shape, box(minX - pad, minY - pad, value, maxY + pad)),
      polygonClipping.intersection(shape, box(value, minY - pad, maxX + pad, maxY + pad)),
    ];
  }
  return [
    polygonClipping.intersection(shape, box(minX - pad, minY - pad, maxX + pad, value)),
    polygonClipping.intersection(shape, box(minX - pad, value, maxX + pad, maxY + pad)),
  ];
}

function containsPoint(polygon: Ring[], [x, y]: Pair): boolean {
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i] as Pair;
      const b = ring[j] as Pair;
      if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
    }
  }
  return inside;
}

/** A part under this share of its piece's largest part is a sliver left by a concave boundary. */
const SLIVER_SHARE = 0.3;

/**
 * Hands the slivers of `from` (small parts cut off by a concave boundary) to
 * `to` across the cut line, where they join it along the line: a block should
 * be one polygon, not a block plus a stray corner. A part holding a pinned
 * point, or one that would not join `to`, stays.
 */
function moveSlivers(from: MultiPolygon, to: MultiPolygon, pinned: readonly Pair[]): [MultiPolygon, MultiPolygon] {
  if (from.length < 2) return [from, to];
  const areas = from.map((polygon) => planarArea([polygon]));
  const largest = Math.max(...areas);
  const keep: MultiPolygon = [];
  let receiver = to;
  from.forEach((polygon, index) => {
    if ((areas[index] as number) >= SLIVER_SHARE * largest || pinned.some((point) => containsPoint(polygon, point))) {
      keep.push(polygon);
      return;
    }
    const merged = polygonClipping.union(receiver, [polygon]);
    if (merged.length > receiver.length) keep.push(polygon);
    else receiver = merged;
  });
  return [keep, receiver];
}

/** The shape split by the line coordinate[axis] = value: [below, above], slivers tidied. */
export function cutAt(shape: MultiPolygon, axis: Axis, value: number, pinned: readonly Pair[] = []): [MultiPolygon, MultiPolygon] {
  const [below, above] = cutRaw(shape, axis, value);
  const [belowKept, aboveGrown] = moveSlivers(below, above, pinned);
  const [aboveKept, belowGrown] = moveSlivers(aboveGrown, belowKept, pinned);
  return [belowGrown, aboveKept];
}

/** Rounds a shape to the 6-decimal grid and lets polygon-clipping repair any self-touching ring. */
export function normalizeShape(shape: MultiPolygon): MultiPolygon {
  const rounded = shape.map((polygon) => polygon.map((ring) => ring.map(([x, y]): Pair => [roundCoordinate(x), roundCoordinate(y)])));
  return polygonClipping.union(rounded);
}

/** Width over height of the shape's box, with longitude shrunk by cos(latitude) so it is in metres. */
export function aspect(shape: MultiPolygon): number {
  const [minX, minY, maxX, maxY] = extent(shape);
  const lonScale = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  return ((maxX - minX) * lonScale) / Math.max(maxY - minY, 1e-12);
}
