import { TRACK_DAYS } from "../../../shared/domain/patrol.js";
import { metresBetween, SPEED_LIMIT_MPS } from "./geometry.js";

/*
 * Every staff member's track for the last TRACK_DAYS days, as the checks need
 * it: one point a minute is enough to see who stood still, who walked with
 * whom and who replayed a day, so points closer than THIN_MS to the last kept
 * one are left out. A jump is never left out, and is judged on arrival against
 * the unit's previous raw fix, since thinning would hide it: that is the
 * speed evidence, kept beside the track.
 *
 * Storage per point: epoch ms as a double, lon and lat as floats (about 0.7 m
 * at Beijing's longitude), 16 bytes; a week of a district (about 1,800
 * staff, 5 million points) is some 80 MB. Arrays grow by doubling and points may arrive out of
 * order (a backfilled window after live fixes): a unit's track is sorted
 * again only when it is next read.
 */

export const THIN_MS = 60_000;
/**
 * Past this many points (about 190 MB) new points are kept every
 * THIN_FULL_MS instead, and the monitor asks the platform for no more: a
 * district's week is some 5 million, a city's would be 35 times that.
 */
export const POINT_BUDGET = 12_000_000;
const THIN_FULL_MS = 5 * 60_000;
/** A unit keeps at most this many points: a week at one a minute, with room for jumps. */
export const MAX_POINTS_PER_UNIT = TRACK_DAYS * 1440 + 2_000;

export type SpeedEvent = { from: number; to: number; lon: number; lat: number; toLon: number; toLat: number; distanceM: number; seconds: number; speedMps: number };

type RawFix = { at: number; lon: number; lat: number; accuracy: number };

export class UnitTrack {
  at = new Float64Array(64);
  lon = new Float32Array(64);
  lat = new Float32Array(64);
  length = 0;
  sorted = true;
  speedEvents: SpeedEvent[] = [];

  push(at: number, lon: number, lat: number): void {
    if (this.length === this.at.length) this.grow();
    if (this.length > 0 && at < this.at[this.length - 1]!) this.sorted = false;
    this.at[this.length] = at;
    this.lon[this.length] = lon;
    this.lat[this.length] = lat;
    this.length++;
  }

  private grow(): void {
    const size = Math.min(this.at.length * 2, MAX_POINTS_PER_UNIT);
    if (size === this.at.length) {
      // Full: the oldest quarter goes (pruning normally keeps it from getting here).
      this.ensureSorted();
      this.dropBefore(this.at[Math.floor(this.length / 4)]!);
      return;
    }
    const at = new Float64Array(size);
    const lon = new Float32Array(size);
    const lat = new Float32Array(size);
    at.set(this.at.subarray(0, this.length));
    lon.set(this.lon.subarray(0, this.length));
    lat.set(this.lat.subarray(0, this.length));
    this.at = at;
    this.lon = lon;
    this.lat = lat;
  }

  ensureSorted(): void {
    if (this.sorted) return;
    const order = Array.from({ length: this.length }, (_, i) => i).sort((a, b) => this.at[a]! - this.at[b]!);
    const at = this.at.slice(0, this.length);
    const lon = this.lon.slice(0, this.length);
    const lat = this.lat.slice(0, this.length);
    let n = 0;
    for (const i of order) {
      // The same fix from live and from a backfill is kept once.
      if (n > 0 && this.at[n - 1] === at[i]) continue;
      this.at[n] = at[i]!;
      this.lon[n] = lon[i]!;
      this.lat[n] = lat[i]!;
      n++;
    }
    this.length = n;
    this.sorted = true;
  }

  /** Index of the first point at or after `time` (the track sorted). */
  indexAt(time: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at[mid]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  dropBefore(time: number): void {
    this.ensureSorted();
    const first = this.indexAt(time);
    if (first > 0) {
      this.at.copyWithin(0, first, this.length);
      this.lon.copyWithin(0, first, this.length);
      this.lat.copyWithin(0, first, this.length);
      this.length -= first;
    }
    if (this.speedEvents.length > 0 && this.speedEvents[0]!.from < time) this.speedEvents = this.speedEvents.filter((e) => e.from >= time);
  }
}

export class TrackStore {
  readonly units = new Map<string, UnitTrack>();
  /** The live feed's run; each backfilled window gets its own (`newRun`). */
  readonly live = newRun();
  /** Bumped by every change, so the checks know when to run again. */
  version = 0;
  /** Points held, all units together: counted up as points come, and recounted at each prune (a re-sort drops repeats). */
  size = 0;

  get full(): boolean {
    return this.size >= POINT_BUDGET;
  }

  track(unitId: string): UnitTrack | undefined {
    return this.units.get(unitId);
  }

  /**
   * One fix. `run` names the sequence it belongs to ("live", or one
   * backfilled window): a speed is judged only between fixes of the same run,
   * in time order, so a backfilled window never compares with a live fix
   * hours later.
   */
  add(unitId: string, at: number, lon: number, lat: number, accuracy: number | null, run: RunState = this.live): void {
    let track = this.units.get(unitId);
    if (!track) this.units.set(unitId, (track = new UnitTrack()));
    const raw = run.last.get(unitId);
    const fix: RawFix = { at, lon, lat, accuracy: accuracy ?? DEFAULT_ACCURACY_M };
    let jump = false;
    if (raw !== undefined) {
      // Late or repeated fixes of a run add nothing it does not have.
      if (at <= raw.at) return;
      const seconds = (at - raw.at) / 1000;
      const distanceM = metresBetween(raw.lon, raw.lat, lon, lat);
      // Scatter within both fixes' stated accuracy is not movement.
      const speedMps = Math.max(0, distanceM - raw.accuracy - fix.accuracy) / seconds;
      if (speedMps > SPEED_LIMIT_MPS) {
        jump = true;
        // A window asked for again brings its jumps again.
        if (!track.speedEvents.some((e) => e.from === raw.at && e.to === at)) track.speedEvents.push({ from: raw.at, to: at, lon: raw.lon, lat: raw.lat, toLon: lon, toLat: lat, distanceM, seconds, speedMps });
      }
    }
    run.last.set(unitId, fix);
    if (!jump && at - (run.kept.get(unitId) ?? -Infinity) < (this.full ? THIN_FULL_MS : THIN_MS)) return;
    run.kept.set(unitId, at);
    const before = track.length;
    track.push(at, lon, lat);
    this.size += track.length - before;
    this.version++;
  }

  /** Forgets points older than TRACK_DAYS before `now`. */
  prune(now: number): void {
    const cutoff = now - TRACK_DAYS * 86_400_000;
    this.size = 0;
    for (const [unitId, track] of this.units) {
      track.dropBefore(cutoff);
      this.size += track.length;
      if (track.length === 0) {
        this.units.delete(unitId);
        this.live.last.delete(unitId);
        this.live.kept.delete(unitId);
      }
    }
    this.version++;
  }

  /** Points of one unit between `from` and `to` as [at, lon, lat] triples. */
  slice(unitId: string, from: number, to: number): Float64Array {
    const track = this.units.get(unitId);
    if (!track) return new Float64Array(0);
    track.ensureSorted();
    const first = track.indexAt(from);
    const end = track.indexAt(to + 1);
    const out = new Float64Array(Math.max(0, end - first) * 3);
    for (let i = first, o = 0; i < end; i++, o += 3) {
      out[o] = track.at[i]!;
      out[o + 1] = track.lon[i]!;
      out[o + 2] = track.lat[i]!;
    }
    return out;
  }

  get points(): number {
    return this.size;
  }
}

/** A handheld that states no accuracy is taken as a typical phone's. */
const DEFAULT_ACCURACY_M = 20;

/** One time-ordered sequence of fixes: each unit's last fix in it, and when it last kept one. */
export type RunState = { last: Map<string, RawFix>; kept: Map<string, number> };
export const newRun = (): RunState => ({ last: new Map(), kept: new Map() });
