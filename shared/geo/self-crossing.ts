import type { LonLat, Ring } from "./region.js";

/*
 * Whether a ring crosses itself: the check every grid of an imported layer
 * goes through. Only proper crossings of non-adjacent edges count (the
 * bow-tie, the usual digitizing fault); touching and collinear overlaps do
 * not. Edges are bucketed into a uniform grid of about one cell per edge, each
 * edge into the cells its line passes (not its whole bounding box, which a long
 * diagonal edge would fill), and only edges sharing a cell are compared. A
 * block-shaped or long, thin ring costs about linear time; a sweep by longitude
 * alone (the earlier check) compared every pair of a thin north-south ring,
 * and 60,000 edges took 32 s.
 */

function orientation(a: LonLat, b: LonLat, c: LonLat): number {
  return Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
}

function adjacent(i: number, j: number, edges: number): boolean {
  const gap = Math.abs(i - j);
  return gap <= 1 || gap === edges - 1;
}

/** Whether edges i and j (edge k runs from ring[k] to ring[k + 1]) properly cross. */
export function edgesCross(ring: Ring, i: number, j: number): boolean {
  const a = ring[i] as LonLat;
  const b = ring[i + 1] as LonLat;
  const c = ring[j] as LonLat;
  const d = ring[j + 1] as LonLat;
  return orientation(a, b, c) * orientation(a, b, d) < 0 && orientation(c, d, a) * orientation(c, d, b) < 0;
}

/** The plain check, every pair of edges: the reference the fast one is tested and benchmarked against. */
export function findSelfCrossingPlain(ring: Ring): [number, number] | null {
  const edges = ring.length - 1;
  for (let i = 0; i < edges; i++) {
    for (let j = i + 2; j < edges; j++) {
      if (!adjacent(i, j, edges) && edgesCross(ring, i, j)) return [i + 1, j + 1];
    }
  }
  return null;
}

/** Below this many edges the plain check is cheaper than building buckets. */
const PLAIN_BELOW = 48;

/**
 * The first crossing pair of non-adjacent edges found, as 1-based edge numbers
 * (smaller first), or null when the ring is simple. Finds a crossing exactly
 * when `findSelfCrossingPlain` does, not necessarily the same pair.
 */
export function findSelfCrossing(ring: Ring): [number, number] | null {
  const edges = ring.length - 1;
  if (edges < PLAIN_BELOW) return findSelfCrossingPlain(ring);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of ring) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const width = maxX - minX;
  const height = maxY - minY;
  // A ring on one line (or one point) has no proper crossing.
  if (!(width > 0 && height > 0)) return null;
  const cols = Math.max(1, Math.min(edges, Math.round(Math.sqrt((edges * width) / height))));
  const rows = Math.max(1, Math.min(edges, Math.round(edges / cols)));
  const cellWidth = width / cols;
  const cellHeight = height / rows;
  // Slack so that a crossing on a cell's border lands in a cell both edges were put in, whatever the rounding.
  const slackX = cellWidth * 1e-6;
  const slackY = cellHeight * 1e-6;
  const colOf = (x: number) => Math.min(cols - 1, Math.max(0, Math.floor((x - minX) / cellWidth)));
  const rowOf = (y: number) => Math.min(rows - 1, Math.max(0, Math.floor((y - minY) / cellHeight)));

  // (cell, edge) pairs, grown as needed, then grouped by cell with a counting sort.
  let cellOf = new Int32Array(edges * 4);
  let edgeOf = new Int32Array(edges * 4);
  let pairs = 0;
  const put = (cell: number, edge: number) => {
    if (pairs === cellOf.length) {
      const grownCells = new Int32Array(pairs * 2);
      grownCells.set(cellOf);
      cellOf = grownCells;
      const grownEdges = new Int32Array(pairs * 2);
      grownEdges.set(edgeOf);
      edgeOf = grownEdges;
    }
    cellOf[pairs] = cell;
    edgeOf[pairs] = edge;
    pairs++;
  };
  for (let e = 0; e < edges; e++) {
    const [x0, y0] = ring[e] as LonLat;
    const [x1, y1] = ring[e + 1] as LonLat;
    const west = Math.min(x0, x1);
    const east = Math.max(x0, x1);
    const firstCol = colOf(west - slackX);
    const lastCol = colOf(east + slackX);
    for (let col = firstCol; col <= lastCol; col++) {
      // The part of the edge inside this column, as a latitude range.
      let low: number;
      let high: number;
      if (x0 === x1) {
        low = Math.min(y0, y1);
        high = Math.max(y0, y1);
      } else {
        const from = Math.max(west, minX + col * cellWidth - slackX);
        const to = Math.min(east, minX + (col + 1) * cellWidth + slackX);
        const yFrom = y0 + ((from - x0) / (x1 - x0)) * (y1 - y0);
        const yTo = y0 + ((to - x0) / (x1 - x0)) * (y1 - y0);
        low = Math.min(yFrom, yTo);
        high = Math.max(yFrom, yTo);
      }
      const lastRow = rowOf(high + slackY);
      for (let row = rowOf(low - slackY); row <= lastRow; row++) put(col * rows + row, e);
    }
  }

  const cells = cols * rows;
  const start = new Int32Array(cells + 1);
  for (let p = 0; p < pairs; p++) {
    const next = (cellOf[p] as number) + 1;
    start[next] = (start[next] as number) + 1;
  }
  for (let c = 0; c < cells; c++) start[c + 1] = (start[c + 1] as number) + (start[c] as number);
  const fill = start.slice(0, cells);
  const members = new Int32Array(pairs);
  for (let p = 0; p < pairs; p++) {
    const cell = cellOf[p] as number;
    members[fill[cell] as number] = edgeOf[p] as number;
    fill[cell] = (fill[cell] as number) + 1;
  }
  for (let c = 0; c < cells; c++) {
    const end = start[c + 1] as number;
    for (let p = start[c] as number; p < end; p++) {
      const i = members[p] as number;
      for (let q = p + 1; q < end; q++) {
        const j = members[q] as number;
        if (!adjacent(i, j, edges) && edgesCross(ring, i, j)) return [Math.min(i, j) + 1, Math.max(i, j) + 1];
      }
    }
  }
  return null;
}
