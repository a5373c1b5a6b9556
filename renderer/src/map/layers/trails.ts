import type { PositionSource } from "./units.js";

/*
 * The last half hour of each unit's track, kept in fixed-size ring buffers per
 * slot (typed arrays, no object per point) and fed by scanning the position
 * table for slots whose fix time moved. Building the PathLayer's binary data
 * copies the live window of each ring in time order; the map does that at a
 * low rate, not on every position update.
 */

export const TRAIL_WINDOW_MS = 30 * 60_000;

export type TrailOptions = {
  /** Points kept per unit. */
  capacity?: number;
  /** A new point is kept only this long after the previous one; fixes in between move the newest point. */
  minIntervalMs?: number;
};

export class TrailStore {
  readonly capacity: number;
  readonly minIntervalMs: number;
  slots = 0;
  /** Fix times in seconds after `origin`: Float32 keeps a second's resolution for half a year, at half the memory of Float64. */
  origin = 0;
  lon = new Float32Array(0);
  lat = new Float32Array(0);
  time = new Float32Array(0);
  /** Next write index within the slot's ring. */
  head = new Uint16Array(0);
  count = new Uint16Array(0);
  lastAt = new Float64Array(0);
  version = 0;

  constructor(options: TrailOptions = {}) {
    this.capacity = options.capacity ?? 64;
    this.minIntervalMs = options.minIntervalMs ?? 30_000;
  }

  private grow(slots: number): void {
    if (slots <= this.slots) return;
    const size = Math.max(256, 2 ** Math.ceil(Math.log2(slots)));
    const k = this.capacity;
    const copy = <T extends Float32Array | Float64Array | Uint16Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.lon = copy(this.lon, new Float32Array(size * k));
    this.lat = copy(this.lat, new Float32Array(size * k));
    this.time = copy(this.time, new Float32Array(size * k));
    this.head = copy(this.head, new Uint16Array(size));
    this.count = copy(this.count, new Uint16Array(size));
    this.lastAt = copy(this.lastAt, new Float64Array(size));
    this.slots = size;
  }

  /** Records every slot whose fix is newer than the last one seen (a scan of the whole table). Returns how many moved. */
  ingest(table: PositionSource): number {
    this.grow(table.length);
    let moved = 0;
    for (let slot = 0; slot < table.length; slot++) if (this.record(table, slot)) moved++;
    if (moved > 0) this.version++;
    return moved;
  }

  /** As `ingest`, for the first `count` of `slots` only (the slots the table says were written; repeats allowed). */
  ingestSlots(table: PositionSource, slots: ArrayLike<number>, count: number): number {
    this.grow(table.length);
    let moved = 0;
    for (let i = 0; i < count; i++) {
      const slot = slots[i] as number;
      if (slot < table.length && this.record(table, slot)) moved++;
    }
    if (moved > 0) this.version++;
    return moved;
  }

  /** Takes the slot's fix if it is newer than the last one seen. */
  private record(table: PositionSource, slot: number): boolean {
    const at = table.at[slot] as number;
    if (!(at > (this.lastAt[slot] as number))) return false;
    const k = this.capacity;
    if (this.origin === 0) this.origin = at;
    this.lastAt[slot] = at;
    const base = slot * k;
    const count = this.count[slot] as number;
    let head = this.head[slot] as number;
    const newest = (head - 1 + k) % k;
    const previous = (head - 2 + k) % k;
    const seconds = (at - this.origin) / 1000;
    // The newest point follows the unit until it lies minInterval after the one before; then it settles and the fix starts a new point.
    const provisional = count >= 2 && ((this.time[base + newest] as number) - (this.time[base + previous] as number)) * 1000 < this.minIntervalMs;
    const write = provisional ? newest : head;
    this.lon[base + write] = table.lon[slot] as number;
    this.lat[base + write] = table.lat[slot] as number;
    this.time[base + write] = seconds;
    if (!provisional) {
      head = (head + 1) % k;
      this.head[slot] = head;
      if (count < k) this.count[slot] = count + 1;
    }
    return true;
  }

  /** Forgets a slot (a unit removed, or its slot reused). */
  clear(slot: number): void {
    if (slot >= this.slots) return;
    this.count[slot] = 0;
    this.head[slot] = 0;
    this.lastAt[slot] = 0;
  }
}

export class TrailAttributes {
  length = 0;
  vertices = 0;
  startIndices = new Uint32Array(1);
  positions = new Float64Array(0);
  /** Per vertex: older points fade out. */
  colors = new Uint8Array(0);
  /** Slot of each path. */
  slots = new Int32Array(0);
  version = 0;

  reserve(paths: number, vertices: number): void {
    if (paths + 1 > this.startIndices.length) {
      const size = 2 ** Math.ceil(Math.log2(paths + 1));
      this.startIndices = new Uint32Array(size);
      this.slots = new Int32Array(size);
    }
    if (vertices * 2 > this.positions.length) {
      const size = 2 ** Math.ceil(Math.log2(vertices));
      this.positions = new Float64Array(size * 2);
      this.colors = new Uint8Array(size * 4);
    }
  }
}

export const TRAIL_COLOR: readonly [number, number, number] = [86, 180, 233];

/**
 * Copies the trails of the slots `include` accepts, points no older than
 * `windowMs` before `now`, oldest first, into `out`. A trail needs two points.
 * `candidates` (ascending slots), when given, are the only slots looked at:
 * the caller's list of staff in view, instead of a scan of every slot.
 */
export function buildTrailAttributes(
  store: TrailStore,
  now: number,
  include: (slot: number) => boolean,
  out: TrailAttributes,
  windowMs = TRAIL_WINDOW_MS,
  candidates?: ArrayLike<number>,
): TrailAttributes {
  const k = store.capacity;
  const since = (now - windowMs - store.origin) / 1000;
  const nowSeconds = (now - store.origin) / 1000;
  const n = candidates ? candidates.length : store.slots;
  const slotAt = candidates ? (i: number) => candidates[i] as number : (i: number) => i;
  let paths = 0;
  let vertices = 0;
  for (let i = 0; i < n; i++) {
    const slot = slotAt(i);
    if (!(slot < store.slots) || (store.count[slot] as number) < 2 || !include(slot)) continue;
    paths++;
    vertices += store.count[slot] as number;
  }
  out.reserve(paths, vertices);
  let path = 0;
  let v = 0;
  for (let i = 0; i < n && path < paths; i++) {
    const slot = slotAt(i);
    if (!(slot < store.slots)) continue;
    const count = store.count[slot] as number;
    if (count < 2 || !include(slot)) continue;
    const base = slot * k;
    const first = ((store.head[slot] as number) - count + k) % k;
    const start = v;
    for (let i = 0; i < count; i++) {
      const index = base + ((first + i) % k);
      const t = store.time[index] as number;
      if (t < since) continue;
      out.positions[v * 2] = store.lon[index] as number;
      out.positions[v * 2 + 1] = store.lat[index] as number;
      const age = Math.min(1, Math.max(0, (nowSeconds - t) / (windowMs / 1000)));
      const c = v * 4;
      out.colors[c] = TRAIL_COLOR[0];
      out.colors[c + 1] = TRAIL_COLOR[1];
      out.colors[c + 2] = TRAIL_COLOR[2];
      out.colors[c + 3] = Math.round(220 * (1 - age) + 20);
      v++;
    }
    if (v - start < 2) {
      v = start;
      continue;
    }
    out.startIndices[path] = start;
    out.slots[path] = slot;
    path++;
  }
  out.startIndices[path] = v;
  out.length = path;
  out.vertices = v;
  out.version++;
  return out;
}
