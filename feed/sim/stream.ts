/*
 * A random stream whose whole state is one number, seeded from (seed, unit,
 * day, purpose). A shift's walk draws from its own stream, so any past or
 * future fix is a pure function of the seed: the feed can answer `tracks`
 * for any time by recomputing, and live fixes equal the recomputed ones.
 * The shared simulation Rng cannot do that: its draws depend on everything
 * that happened before.
 */

/** FNV-1a of a string: a stable number for a unit id, independent of roster order. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Mixes the parts into one seed (murmur3's finalizer after each part). */
export function mixSeed(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    hash = Math.imul(hash ^ (part | 0), 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
    // Days are above 2^14 and seeds may be large: fold the high part in too.
    hash ^= Math.floor(part / 4294967296) | 0;
  }
  return hash >>> 0;
}

/** mulberry32, as rng.ts, with its state in the open so a stream is a plain value. */
export class Stream {
  constructor(private state: number) {}

  /** An independent copy that continues from here: a look ahead that leaves this stream where it is. */
  clone(): Stream {
    return new Stream(this.state);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}
