/*
 * A sorted list kept in chunks (the queue index's order of every case and its
 * views, queue-index.ts). In one array of 100,000 objects, putting an item in
 * or taking one out moves every item after it: tens of microseconds when a
 * case moves across the queue (a status that changes its tier), since V8
 * records each moved pointer for the garbage collector. Here it moves the
 * items after it in its chunk only, and finding it is a binary search over
 * the chunks' last items, then within one chunk.
 *
 * `compare` must be a total order on the items held (no two items equal).
 */

/** Chunks are split past twice this; a chunk left empty is dropped. */
const CHUNK = 256;

export class SortedChunks<T> {
  private chunks: T[][] = [];
  private count = 0;

  private constructor(private readonly compare: (a: T, b: T) => number) {}

  /** From items already in `compare`'s order. */
  static from<T>(sorted: readonly T[], compare: (a: T, b: T) => number): SortedChunks<T> {
    const list = new SortedChunks(compare);
    for (let i = 0; i < sorted.length; i += CHUNK) list.chunks.push(sorted.slice(i, i + CHUNK));
    list.count = sorted.length;
    return list;
  }

  get length(): number {
    return this.count;
  }

  /** Puts `item` in its place. */
  insert(item: T): void {
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      this.count = 1;
      return;
    }
    // The first chunk whose last item sorts after `item`, or the last chunk.
    const c = Math.min(this.chunkFor(item), this.chunks.length - 1);
    const chunk = this.chunks[c] as T[];
    chunk.splice(this.lowerBound(chunk, item), 0, item);
    this.count++;
    if (chunk.length > 2 * CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(CHUNK));
  }

  /** Takes `item` (this very object) out; false when it is not held. */
  remove(item: T): boolean {
    const c = this.chunkFor(item);
    const chunk = this.chunks[c];
    if (chunk === undefined) return false;
    const at = this.lowerBound(chunk, item);
    if (chunk[at] !== item) return false;
    chunk.splice(at, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(c, 1);
    return true;
  }

  /** Items `start` to `end` (exclusive), as `Array.prototype.slice` would give them. */
  slice(start: number, end: number): T[] {
    const out: T[] = [];
    let skipped = 0;
    for (const chunk of this.chunks) {
      if (out.length >= end - start) break;
      if (skipped + chunk.length <= start) {
        skipped += chunk.length;
        continue;
      }
      const from = Math.max(0, start - skipped);
      const to = Math.min(chunk.length, end - skipped);
      for (let i = from; i < to; i++) out.push(chunk[i] as T);
      skipped += chunk.length;
    }
    return out;
  }

  /** The items that pass `keep`, in order. */
  filter(keep: (item: T) => boolean): T[] {
    const out: T[] = [];
    for (const chunk of this.chunks) for (const item of chunk) if (keep(item)) out.push(item);
    return out;
  }

  /** Every item in order. */
  toArray(): T[] {
    return this.filter(() => true);
  }

  /** The index of the first chunk whose last item is not before `item` (`chunks.length` when none). */
  private chunkFor(item: T): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid] as T[];
      if (this.compare(chunk[chunk.length - 1] as T, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private lowerBound(items: readonly T[], item: T): number {
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(items[mid] as T, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
