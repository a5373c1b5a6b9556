/**
 * A persistent (immutable, structurally shared) map for the page's big
 * collections: a change makes a new map object, so React compares by
 * identity as with a copied `Map`, but costs O(chunk + chunks) instead of
 * O(n). At city scale a single-case delta copied all 100,000 entries of the
 * incidents `Map`; here it copies one chunk of at most CHUNK entries and the
 * array of chunk pointers (~200 at 100,000 cases).
 *
 * Every key is given a chunk the first time any version sees it, and keeps
 * it for the life of the family of maps (`ChunkedMap.from` starts a new
 * family): new keys fill the last chunk, so iteration order is first-insertion
 * order, as a `Map`'s is, except that a key removed and added again keeps its
 * old place (a `Map` would move it to the end). Older versions are never
 * changed: they share untouched chunks with newer ones. When the keys gone
 * outnumber the live ones, a change starts a new family in the current order.
 */
export const CHUNK = 512;

/** What every version of one family shares: the chunk of each key ever seen (only ever added to). */
class Placement<K> {
  readonly chunkOf = new Map<K, number>();
  private fill = 0;
  private open = 0;

  place(key: K): number {
    const known = this.chunkOf.get(key);
    if (known !== undefined) return known;
    if (this.fill === CHUNK) {
      this.open++;
      this.fill = 0;
    }
    this.fill++;
    this.chunkOf.set(key, this.open);
    return this.open;
  }
}

export class ChunkedMap<K, V> implements ReadonlyMap<K, V> {
  private flat: V[] | null = null;

  private constructor(
    private readonly placement: Placement<K>,
    private readonly chunks: readonly ReadonlyMap<K, V>[],
    readonly size: number,
  ) {}

  static empty<K, V>(): ChunkedMap<K, V> {
    return new ChunkedMap<K, V>(new Placement<K>(), [], 0);
  }

  /** A new family holding `entries` (a later entry for the same key wins, as with `new Map(entries)`). */
  static from<K, V>(entries: Iterable<readonly [K, V]>): ChunkedMap<K, V> {
    const placement = new Placement<K>();
    const chunks: Map<K, V>[] = [];
    let size = 0;
    for (const [key, value] of entries) {
      const index = placement.place(key);
      let chunk = chunks[index];
      if (!chunk) chunks[index] = chunk = new Map<K, V>();
      if (!chunk.has(key)) size++;
      chunk.set(key, value);
    }
    return new ChunkedMap(placement, chunks, size);
  }

  /**
   * A new version with `removed` deleted, then `upserts` set (the order of
   * the bridge's change sets); `this` is left as it was. Returns `this` when
   * nothing is upserted or removed.
   */
  with(upserts: Iterable<readonly [K, V]>, removed: Iterable<K> = []): ChunkedMap<K, V> {
    let chunks: ReadonlyMap<K, V>[] | null = null;
    const copied = new Map<number, Map<K, V>>();
    let size = this.size;
    const writable = (index: number): Map<K, V> => {
      let chunk = copied.get(index);
      if (chunk) return chunk;
      chunks ??= this.chunks.slice();
      chunk = new Map(chunks[index] ?? []);
      chunks[index] = chunk;
      copied.set(index, chunk);
      return chunk;
    };
    for (const key of removed) {
      const index = this.placement.chunkOf.get(key);
      if (index === undefined || !(copied.get(index) ?? this.chunks[index])?.has(key)) continue;
      writable(index).delete(key);
      size--;
    }
    for (const [key, value] of upserts) {
      const chunk = writable(this.placement.place(key));
      if (!chunk.has(key)) size++;
      chunk.set(key, value);
    }
    if (!chunks) return this;
    const filled: ReadonlyMap<K, V>[] = chunks;
    // A chunk past the old end (a new key) leaves holes only if keys were placed by another version: fill them.
    for (let i = 0; i < filled.length; i++) if (!filled[i]) filled[i] = new Map<K, V>();
    const next = new ChunkedMap(this.placement, filled, size);
    // Keys keep their places for the family's life, so on a wall that runs for months the places of cases long gone
    // (and the chunks they emptied) would pile up: once they outnumber the live keys, start a new family (O(n), amortised
    // over at least as many changes).
    return this.placement.chunkOf.size > 2 * size + CHUNK ? ChunkedMap.from(next.entries()) : next;
  }

  /** How many keys this family has placed, live or gone (for tests: bounded by about twice the size). */
  get placedKeys(): number {
    return this.placement.chunkOf.size;
  }

  get(key: K): V | undefined {
    const index = this.placement.chunkOf.get(key);
    return index === undefined ? undefined : this.chunks[index]?.get(key);
  }

  has(key: K): boolean {
    const index = this.placement.chunkOf.get(key);
    return index !== undefined && (this.chunks[index]?.has(key) ?? false);
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const chunk of this.chunks) for (const [key, value] of chunk) callback.call(thisArg, value, key, this);
  }

  entries(): MapIterator<[K, V]> {
    return new ChunksIterator(this.chunks, (chunk) => chunk.entries());
  }

  keys(): MapIterator<K> {
    return new ChunksIterator(this.chunks, (chunk) => chunk.keys());
  }

  /**
   * The values in order, from an array made at the first call and kept with this version: every view that
   * walks the cases after a change (the map, the briefing, the export) then iterates a plain array.
   */
  values(): MapIterator<V> {
    if (!this.flat) {
      const flat = new Array<V>(this.size);
      let at = 0;
      for (const chunk of this.chunks) for (const value of chunk.values()) flat[at++] = value;
      this.flat = flat;
    }
    return this.flat.values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return "ChunkedMap";
  }
}

/** Walks each chunk's own iterator in turn: a plain `next()`, several times faster in V8 than a generator's `yield*`. */
class ChunksIterator<K, V, T> implements MapIterator<T> {
  private index = 0;
  private inner: Iterator<T> | null = null;

  constructor(
    private readonly chunks: readonly ReadonlyMap<K, V>[],
    private readonly open: (chunk: ReadonlyMap<K, V>) => Iterator<T>,
  ) {}

  next(): IteratorResult<T, undefined> {
    for (;;) {
      if (this.inner) {
        const step = this.inner.next();
        if (!step.done) return step;
        this.inner = null;
      }
      const chunk = this.chunks[this.index++];
      if (!chunk) return { done: true, value: undefined };
      this.inner = this.open(chunk);
    }
  }

  [Symbol.iterator](): MapIterator<T> {
    return this;
  }
}
