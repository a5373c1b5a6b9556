import { UNIT_COLORS } from "./units.js";

/*
 * Staff glyphs merged on screen: at a given zoom, glyphs closer than
 * `separationPx` are drawn as one glyph with a count, until the map is zoomed
 * in far enough to separate them. Screen space is Web Mercator pixels at the
 * zoom (deck.gl's 512-pixel world), so panning changes nothing and the merge
 * is made again only when the positions (at most twice a second, hooks.ts)
 * or the zoom change.
 *
 * The merge is greedy, as supercluster's is: in slot order, a glyph not yet
 * taken takes every glyph not yet taken within the separation, and the group
 * sits at its members' mean. One pass can leave two groups closer than the
 * separation (their means moved), so passes repeat over the groups until one
 * merges nothing: then no two glyphs shown are closer than the separation.
 * A pass is a hash-grid walk, linear in the glyphs; at district scale
 * (a few thousand staff) the whole merge takes about a millisecond.
 */

/** A merged glyph: its members' mean position, how many, and the most urgent look among them. */
export type UnitCluster = {
  position: [number, number];
  count: number;
  /** 3 SOS, 2 busy, 1 on patrol, 0 stale: the cluster wears the most urgent. */
  rank: number;
  /** Slots of the members, ascending. */
  slots: number[];
  /** [west, south, east, north] of the members. */
  bounds: [number, number, number, number];
};

/** What the merge reads of the unit picture (`LiveSnapshot`). */
export type ClusterSource = {
  readonly length: number;
  readonly positions: Float64Array;
  readonly radii: Float32Array;
  readonly headingSizes: Float32Array;
  readonly fillColors: Uint8Array;
};

/** Radius of a merged glyph in CSS pixels at 1080p, by the digits of its count. */
export const clusterRadiusPx = (count: number): number => (count < 10 ? 13 : count < 100 ? 15 : 17);
/** Glyphs shown are at least this far apart (centre to centre, CSS px at 1080p): the largest merged glyph and a gap. */
export const CLUSTER_SEPARATION_PX = 36;

const WORLD_PX = 512;

/** Web Mercator world pixels at zoom 0 (deck.gl's 512-pixel tile). */
export function projectX(lon: number): number {
  return ((lon + 180) / 360) * WORLD_PX;
}
export function projectY(lat: number): number {
  const sin = Math.sin((Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180);
  return (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * WORLD_PX;
}
const unprojectX = (x: number): number => (x / WORLD_PX) * 360 - 180;
const unprojectY = (y: number): number => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / WORLD_PX))) * 180) / Math.PI;

const sameColor = (bytes: Uint8Array, at: number, color: readonly number[]): boolean =>
  bytes[at] === color[0] && bytes[at + 1] === color[1] && bytes[at + 2] === color[2];

/** A slot's look from its fill colour: the one place units.ts decides it. */
function rankOf(fillColors: Uint8Array, slot: number): number {
  const at = slot * 4;
  if (sameColor(fillColors, at, UNIT_COLORS.sos)) return 3;
  if (sameColor(fillColors, at, UNIT_COLORS.busy)) return 2;
  if (sameColor(fillColors, at, UNIT_COLORS.onPatrol)) return 1;
  return 0;
}

/** Glyphs of one pass: screen position and weight (members). */
type Glyphs = { x: Float64Array; y: Float64Array; weight: Float64Array; count: number };

/**
 * A hash grid over typed arrays (a bucket head per hashed cell, a next link
 * per glyph): no allocation per glyph, where a Map of arrays made thousands.
 * Cells that share a bucket only cost a few extra distance checks.
 */
class CellGrid {
  private heads = new Int32Array(0);
  private next = new Int32Array(0);
  private mask = 0;

  fill(glyphs: Glyphs, cell: number): void {
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, glyphs.count * 2)));
    if (this.heads.length !== size) this.heads = new Int32Array(size);
    if (this.next.length < glyphs.count) this.next = new Int32Array(glyphs.count);
    this.heads.fill(-1);
    this.mask = size - 1;
    for (let i = 0; i < glyphs.count; i++) {
      const bucket = this.bucket(Math.floor((glyphs.x[i] as number) / cell), Math.floor((glyphs.y[i] as number) / cell));
      this.next[i] = this.heads[bucket] as number;
      this.heads[bucket] = i;
    }
  }

  bucket(cx: number, cy: number): number {
    return (Math.imul(cx | 0, 73856093) ^ Math.imul(cy | 0, 19349663)) & this.mask;
  }

  first(bucket: number): number {
    return this.heads[bucket] as number;
  }

  after(i: number): number {
    return this.next[i] as number;
  }
}

/**
 * One greedy pass: groups glyphs closer than `separation`; returns the groups
 * and writes each glyph's group into `groupOf`.
 */
function mergePass(glyphs: Glyphs, separation: number, groupOf: Int32Array, grid: CellGrid): Glyphs {
  const { x, y, weight, count } = glyphs;
  grid.fill(glyphs, separation);
  groupOf.fill(-1, 0, count);
  const next: Glyphs = { x: new Float64Array(count), y: new Float64Array(count), weight: new Float64Array(count), count: 0 };
  const limit = separation * separation;
  // Neighbouring cells can hash to one bucket: each bucket is walked once per glyph.
  const seen = new Int32Array(9);
  for (let i = 0; i < count; i++) {
    if ((groupOf[i] as number) >= 0) continue;
    const group = next.count++;
    const xi = x[i] as number;
    const yi = y[i] as number;
    const cx = Math.floor(xi / separation);
    const cy = Math.floor(yi / separation);
    let sumX = 0;
    let sumY = 0;
    let sumW = 0;
    let walked = 0;
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const bucket = grid.bucket(cx + dx, cy + dy);
        let repeat = false;
        for (let k = 0; k < walked; k++) if (seen[k] === bucket) repeat = true;
        if (repeat) continue;
        seen[walked++] = bucket;
        for (let j = grid.first(bucket); j >= 0; j = grid.after(j)) {
          if ((groupOf[j] as number) >= 0) continue;
          const ex = (x[j] as number) - xi;
          const ey = (y[j] as number) - yi;
          if (ex * ex + ey * ey >= limit) continue;
          groupOf[j] = group;
          const w = weight[j] as number;
          sumX += (x[j] as number) * w;
          sumY += (y[j] as number) * w;
          sumW += w;
        }
      }
    }
    next.x[group] = sumX / sumW;
    next.y[group] = sumY / sumW;
    next.weight[group] = sumW;
  }
  return next;
}

/** The glyphs to draw: per slot, whether it is drawn alone (its radius and heading kept) or merged (both 0), and the merged glyphs. */
export type MergedUnits = {
  /** Bumps on every merge: the update trigger of the buffers below. */
  version: number;
  radii: Float32Array;
  headingSizes: Float32Array;
  clusters: UnitCluster[];
  /** Glyphs drawn: units alone plus merged glyphs. */
  glyphs: number;
};

/**
 * Merges the glyphs of `source` at `zoom` so that no two drawn are closer
 * than `separationPx` (CSS pixels) apart. Reuses its buffers between calls.
 */
export class UnitClusterIndex {
  private radii = new Float32Array(0);
  private headingSizes = new Float32Array(0);
  private version = 0;
  private readonly grid = new CellGrid();

  merge(source: ClusterSource, zoom: number, separationPx: number): MergedUnits {
    const { length, positions, radii } = source;
    if (this.radii.length < length) {
      this.radii = new Float32Array(source.radii.length);
      this.headingSizes = new Float32Array(source.headingSizes.length);
    }
    this.radii.fill(0);
    this.headingSizes.fill(0);
    const scale = 2 ** zoom;
    const slots: number[] = [];
    for (let slot = 0; slot < length; slot++) if ((radii[slot] as number) > 0) slots.push(slot);
    let glyphs: Glyphs = { x: new Float64Array(slots.length), y: new Float64Array(slots.length), weight: new Float64Array(slots.length).fill(1), count: slots.length };
    slots.forEach((slot, i) => {
      glyphs.x[i] = projectX(positions[slot * 2] as number) * scale;
      glyphs.y[i] = projectY(positions[slot * 2 + 1] as number) * scale;
    });
    // Each unit's glyph through the passes: the group it ends in.
    const finalOf = new Int32Array(slots.length);
    for (let i = 0; i < slots.length; i++) finalOf[i] = i;
    const groupOf = new Int32Array(slots.length);
    for (;;) {
      const next = mergePass(glyphs, separationPx, groupOf, this.grid);
      if (next.count === glyphs.count) break;
      for (let i = 0; i < finalOf.length; i++) finalOf[i] = groupOf[finalOf[i] as number] as number;
      glyphs = next;
    }
    // A lone unit keeps its own glyph; member lists are made only for the merged glyphs.
    const sizes = new Int32Array(glyphs.count);
    for (let i = 0; i < finalOf.length; i++) {
      const g = finalOf[i] as number;
      sizes[g] = (sizes[g] as number) + 1;
    }
    const clusters: UnitCluster[] = [];
    const listOf = new Map<number, number[]>();
    slots.forEach((slot, i) => {
      const g = finalOf[i] as number;
      if (sizes[g] === 1) {
        this.radii[slot] = radii[slot] as number;
        this.headingSizes[slot] = source.headingSizes[slot] as number;
        return;
      }
      let list = listOf.get(g);
      if (!list) listOf.set(g, (list = []));
      list.push(slot);
    });
    for (const [g, group] of listOf) {
      let rank = 0;
      const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const slot of group) {
        const x = positions[slot * 2] as number;
        const y = positions[slot * 2 + 1] as number;
        rank = Math.max(rank, rankOf(source.fillColors, slot));
        bounds[0] = Math.min(bounds[0], x);
        bounds[1] = Math.min(bounds[1], y);
        bounds[2] = Math.max(bounds[2], x);
        bounds[3] = Math.max(bounds[3], y);
      }
      // Where the merge put the glyph (the members' mean on screen), so the separation holds for what is drawn.
      clusters.push({ position: [unprojectX((glyphs.x[g] as number) / scale), unprojectY((glyphs.y[g] as number) / scale)], count: group.length, rank, slots: group, bounds });
    }
    return { version: ++this.version, radii: this.radii, headingSizes: this.headingSizes, clusters, glyphs: glyphs.count };
  }
}

/**
 * The zoom at which a merged glyph comes apart on a map `width`×`height`
 * pixels: its members' extent made a quarter of the shorter side, at least
 * one level deeper, at most `maxZoom`.
 */
export function separatingZoom(cluster: UnitCluster, zoom: number, width: number, height: number, maxZoom: number): number {
  const [west, south, east, north] = cluster.bounds;
  const span = Math.max(projectX(east) - projectX(west), projectY(south) - projectY(north)) * 2 ** zoom;
  const wanted = span > 0 ? zoom + Math.log2(Math.min(width, height) / 4 / span) : maxZoom;
  return Math.min(maxZoom, Math.max(zoom + 1, wanted));
}
