import { areaBelow, aspect, cutAt, extent, findCut, planarArea, roundCoordinate } from "./cut.js";
import type { Axis, MultiPolygon } from "./cut.js";

/*
 * Guillotine partitions: each step cuts a shape in two along a north-south or
 * east-west line, so the result reads like city blocks rather than Voronoi
 * cells. Deterministic: no randomness, ties broken by input order.
 */

export type Anchor = { id: string; lon: number; lat: number };

function coordinate(anchor: Anchor, axis: Axis): number {
  return axis === 0 ? anchor.lon : anchor.lat;
}

/**
 * One piece per anchor, each containing its anchor. At every step the cut
 * goes between two groups of anchors (sorted along one axis), preferring wide
 * gaps between anchors (natural boundaries) and area shares that match the
 * anchor counts (streets of similar size).
 */
export function splitByAnchors(shape: MultiPolygon, anchors: readonly Anchor[]): Map<string, MultiPolygon> {
  const out = new Map<string, MultiPolygon>();
  const first = anchors[0];
  if (first === undefined) return out;
  if (anchors.length === 1) return out.set(first.id, shape);
  const [minX, minY, maxX, maxY] = extent(shape);
  const lonScale = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const total = planarArea(shape);
  let best: { axis: Axis; value: number; below: Anchor[]; above: Anchor[]; score: number } | undefined;
  for (const axis of [0, 1] as const) {
    const span = axis === 0 ? (maxX - minX) * lonScale : maxY - minY;
    const sorted = [...anchors].sort((a, b) => coordinate(a, axis) - coordinate(b, axis));
    for (let k = 1; k < sorted.length; k++) {
      const low = coordinate(sorted[k - 1] as Anchor, axis);
      const high = coordinate(sorted[k] as Anchor, axis);
      const gap = high - low;
      if (gap < 2e-4) continue;
      const share = k / sorted.length;
      const balanced = findCut(shape, axis, share);
      const value = roundCoordinate(Math.min(high - gap * 0.25, Math.max(low + gap * 0.25, balanced)));
      const fraction = areaBelow(shape, axis, value) / total;
      const score = Math.abs(fraction - share) - (0.6 * gap * (axis === 0 ? lonScale : 1)) / span;
      if (best === undefined || score < best.score) best = { axis, value, below: sorted.slice(0, k), above: sorted.slice(k), score };
    }
  }
  if (best === undefined) throw new Error(`anchors ${anchors.map((a) => a.id).join(", ")} are too close together to separate`);
  const [below, above] = cutAt(
    shape,
    best.axis,
    best.value,
    anchors.map((a): [number, number] => [a.lon, a.lat]),
  );
  for (const [id, piece] of splitByAnchors(below, best.below)) out.set(id, piece);
  for (const [id, piece] of splitByAnchors(above, best.above)) out.set(id, piece);
  return out;
}

/** `count` pieces of about equal area, cutting across the longer side each time. */
export function splitEqual(shape: MultiPolygon, count: number): MultiPolygon[] {
  if (count <= 1) return [shape];
  const axis: Axis = aspect(shape) >= 1 ? 0 : 1;
  const lowCount = Math.floor(count / 2);
  const [below, above] = cutAt(shape, axis, findCut(shape, axis, lowCount / count));
  return [...splitEqual(below, lowCount), ...splitEqual(above, count - lowCount)];
}

/**
 * `count` block-shaped pieces of about equal area in reading order: rows from
 * north to south, each row cut from west to east. Rows are chosen so that the
 * blocks come out near square.
 */
export function splitBlocks(shape: MultiPolygon, count: number): MultiPolygon[] {
  if (count <= 1) return [shape];
  const rows = Math.max(1, Math.min(count, Math.round(Math.sqrt(count / aspect(shape)))));
  const perRow = Array.from({ length: rows }, (_, row) => Math.floor(count / rows) + (row < count % rows ? 1 : 0));
  const out: MultiPolygon[] = [];
  let rest = shape;
  let restCount = count;
  for (const rowCount of perRow) {
    let row = rest;
    if (rowCount < restCount) {
      // Cut from the north: the part above the line holds this row's share.
      const [south, north] = cutAt(rest, 1, findCut(rest, 1, 1 - rowCount / restCount));
      row = north;
      rest = south;
    }
    restCount -= rowCount;
    let remaining = row;
    for (let left = rowCount; left > 1; left--) {
      const [west, east] = cutAt(remaining, 0, findCut(remaining, 0, 1 / left));
      out.push(west);
      remaining = east;
    }
    out.push(remaining);
  }
  return out;
}

/** Largest-remainder apportionment of `total` by weight, at least `minimum` each. */
export function apportion(weights: readonly number[], total: number, minimum = 1): number[] {
  const free = total - minimum * weights.length;
  if (free < 0) throw new Error(`cannot give ${weights.length} areas ${minimum} each out of ${total}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (w / sum) * free : free / weights.length));
  const counts = exact.map((e) => minimum + Math.floor(e));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, index) => ({ index, remainder: e - Math.floor(e) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    counts[index] = (counts[index] as number) + 1;
    left--;
  }
  return counts;
}
