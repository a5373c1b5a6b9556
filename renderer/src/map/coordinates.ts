import { gcj02, gcj02ToWgs84, wgs84, wgs84ToGcj02 } from "../../../shared/geo/coords.js";
import type { PositionSource } from "./layers/units.js";

/*
 * A feed declared GCJ-02 is drawn on the WGS84 region layer after conversion.
 * Staff positions are converted per new fix only (the table keeps fix times),
 * into arrays of their own, so the position table stays what the feed said.
 */

/** Sub-decimetre is plenty for a map pin, and takes two or three steps of the inverse instead of many. */
const TOLERANCE_DEG = 1e-6;
const MAX_STEPS = 4;

export function toWgs84(lon: number, lat: number): [number, number] {
  const [x, y] = gcj02ToWgs84(gcj02(lon, lat), TOLERANCE_DEG, MAX_STEPS);
  return [x, y];
}

export class Gcj02Positions implements PositionSource {
  lon = new Float64Array(0);
  lat = new Float64Array(0);
  at: Float64Array = new Float64Array(0);
  heading: Float32Array = new Float32Array(0);
  length = 0;
  private convertedAt = new Float64Array(0);

  /** Converts the fixes that changed since the last call (a scan of the whole table); returns this view of the table in WGS84. */
  sync(table: PositionSource): PositionSource {
    this.take(table);
    for (let slot = 0; slot < table.length; slot++) this.convert(table, slot);
    return this;
  }

  /** As `sync`, looking only at the first `count` of `slots` (the slots the table says were written). */
  syncSlots(table: PositionSource, slots: ArrayLike<number>, count: number): PositionSource {
    this.take(table);
    for (let i = 0; i < count; i++) {
      const slot = slots[i] as number;
      if (slot < table.length) this.convert(table, slot);
    }
    return this;
  }

  private take(table: PositionSource): void {
    if (this.lon.length < table.lon.length) {
      const grow = (old: Float64Array) => {
        const next = new Float64Array(table.lon.length);
        next.set(old);
        return next;
      };
      this.lon = grow(this.lon);
      this.lat = grow(this.lat);
      this.convertedAt = grow(this.convertedAt);
    }
    this.at = table.at;
    this.heading = table.heading;
    this.length = table.length;
  }

  private convert(table: PositionSource, slot: number): void {
    const at = table.at[slot] as number;
    if (at === this.convertedAt[slot]) return;
    this.convertedAt[slot] = at;
    const [lon, lat] = toWgs84(table.lon[slot] as number, table.lat[slot] as number);
    this.lon[slot] = lon;
    this.lat[slot] = lat;
  }
}

export function toGcj02(lon: number, lat: number): [number, number] {
  const [x, y] = wgs84ToGcj02(wgs84(lon, lat));
  return [x, y];
}
