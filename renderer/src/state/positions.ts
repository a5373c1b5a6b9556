import { POSITION_STRIDE } from "../../../shared/bridge/contract.js";

/** Entries the change journal keeps: a reader further behind than this starts over from the whole table. */
export const JOURNAL_SIZE = 2 ** 18;

/**
 * Latest position per unit slot, in typed arrays the map hands to deck.gl as
 * binary attributes. Updated in place; `version` tells readers something moved,
 * and the journal which slots: readers that keep their own cursor
 * (`changedSince`) then do work in proportion to the fixes, not the roster.
 */
export class PositionTable {
  lon = new Float64Array(1024);
  lat = new Float64Array(1024);
  /** Epoch ms of the fix; 0 = no fix yet. */
  at = new Float64Array(1024);
  heading = new Float32Array(1024).fill(Number.NaN);
  speed = new Float32Array(1024).fill(Number.NaN);
  /** One past the highest slot seen. */
  length = 0;
  version = 0;
  /** Ring of the slots written, in order (a slot appears once per fix); entry `n` sits at `n % JOURNAL_SIZE`. */
  private readonly journal = new Int32Array(JOURNAL_SIZE);
  /** Journal entries written so far (the cursor a reader that is up to date holds). */
  journalEnd = 0;

  apply(data: Float64Array): void {
    for (let i = 0; i + POSITION_STRIDE <= data.length; i += POSITION_STRIDE) {
      const slot = data[i] as number;
      const at = data[i + 3] as number;
      if (!(slot >= 0) || !Number.isInteger(slot)) continue;
      this.ensure(slot + 1);
      // Latest fix wins by its own timestamp, never by arrival order.
      if (at < (this.at[slot] as number)) continue;
      this.lon[slot] = data[i + 1] as number;
      this.lat[slot] = data[i + 2] as number;
      this.at[slot] = at;
      this.heading[slot] = data[i + 4] as number;
      this.speed[slot] = data[i + 5] as number;
      this.journal[this.journalEnd % JOURNAL_SIZE] = slot;
      this.journalEnd++;
      if (slot + 1 > this.length) this.length = slot + 1;
    }
    this.version++;
  }

  clear(): void {
    this.at.fill(0);
    this.length = 0;
    this.version++;
    // Every reader's cursor falls out of the journal: they start over from the whole table.
    this.journalEnd += JOURNAL_SIZE + 1;
  }

  /**
   * Slots written since a reader's cursor `since` (an earlier `journalEnd`),
   * oldest first, repeats included, passed to `visit`; returns false, visiting
   * nothing, when the journal no longer reaches back that far (or `since` is
   * not a cursor of this table): the reader must then read the whole table.
   */
  changedSince(since: number, visit: (slot: number) => void): boolean {
    if (!(since >= 0) || since > this.journalEnd || this.journalEnd - since > JOURNAL_SIZE) return false;
    for (let n = since; n < this.journalEnd; n++) visit(this.journal[n % JOURNAL_SIZE] as number);
    return true;
  }

  private ensure(size: number): void {
    if (size <= this.lon.length) return;
    let capacity = this.lon.length;
    while (capacity < size) capacity *= 2;
    const grow = <T extends Float64Array | Float32Array>(old: T, make: (n: number) => T, fill = 0): T => {
      const next = make(capacity);
      if (fill !== 0) next.fill(fill);
      next.set(old);
      return next;
    };
    this.lon = grow(this.lon, (n) => new Float64Array(n));
    this.lat = grow(this.lat, (n) => new Float64Array(n));
    this.at = grow(this.at, (n) => new Float64Array(n));
    this.heading = grow(this.heading, (n) => new Float32Array(n), Number.NaN);
    this.speed = grow(this.speed, (n) => new Float32Array(n), Number.NaN);
  }
}
