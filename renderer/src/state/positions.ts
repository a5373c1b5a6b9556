import { POSITION_STRIDE } from "../../../shared/bridge/contract.js";

/**
 * Latest position per unit slot, in typed arrays the map hands to deck.gl as
 * binary attributes. Updated in place; `version` tells readers something moved.
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
      if (slot + 1 > this.length) this.length = slot + 1;
    }
    this.version++;
  }

  clear(): void {
    this.at.fill(0);
    this.length = 0;
    this.version++;
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
