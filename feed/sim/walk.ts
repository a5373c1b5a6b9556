import type { Fix } from "../../shared/protocol/types.js";
import type { SimGrid } from "../region.js";
import { randomPointIn } from "../region.js";
import type { DutyWindow } from "./duty.js";
import { mixSeed, Stream } from "./stream.js";

/*
 * One shift of one member as a track: an honest walk between random
 * waypoints of the grid at 0.8 to 1.4 m/s, a handheld fix every 10 to 30 s
 * with GPS scatter inside the reported accuracy, and breaks. Each shift draws
 * only from streams seeded by (seed, unit, day), so the same shift comes out
 * the same whether it is walked live or recomputed for a `tracks` request.
 * The planted frauds (fraud.ts) are other tracks with the same cadence.
 */

export const M_PER_DEG_LAT = 111_320;
const PAUSE_CHANCE = 0.004;
/** Per axis at most 0.6 × the accuracy: the offset stays under 0.85 × the accuracy, rounding included. */
const SCATTER_SHARE = 0.6;

/** What a track needs to know of its member. */
export type Walker = { id: string; hash: number; grid: SimGrid; walkSpeed: number };

export type ShiftTrack = {
  /** The shift's next fix, in time order; null after the shift's end. */
  next(): Fix | null;
};

/** Which stream of a shift: each purpose draws from its own, so adding draws to one never shifts another. */
export const PURPOSE = { cadence: 1, waypoints: 2, jumps: 3, twin: 4, spot: 5 } as const;
export type Purpose = (typeof PURPOSE)[keyof typeof PURPOSE];

/** The seed of one stream of one member's shift on `day`. */
export const shiftSeed = (seed: number, walker: Walker, day: number, purpose: Purpose): number => mixSeed(seed, walker.hash, day, purpose);

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

/** Whole metres: mostly 4 to 20, sometimes 30 to 80 (under trees, between tall buildings). */
export const drawAccuracy = (stream: Stream): number => Math.round(stream.chance(0.08) ? stream.range(30, 80) : stream.range(4, 20));

const scatter = (stream: Stream, accuracy: number): number => (stream.next() + stream.next() - 1) * accuracy * SCATTER_SHARE;

/** A fix at a true position, scattered within its accuracy. */
export function makeFix(stream: Stream, id: string, at: number, lon: number, lat: number, cos: number, heading: number | null, speed: number | null, scatterLimit = Infinity): Fix {
  const accuracy = drawAccuracy(stream);
  const spread = Math.min(accuracy, scatterLimit);
  const fixLon = lon + scatter(stream, spread) / (M_PER_DEG_LAT * cos);
  const fixLat = lat + scatter(stream, spread) / M_PER_DEG_LAT;
  return [id, round6(fixLon), round6(fixLat), at, heading, speed, accuracy];
}

export const cosOf = (grid: SimGrid): number => Math.cos((grid.centroid[1] * Math.PI) / 180);

/** Next fix time: 10 to 30 s on, in whole milliseconds. */
export const nextFixTime = (stream: Stream, at: number): number => at + Math.floor(stream.range(10_000, 30_000));
export const firstFixTime = (stream: Stream, start: number): number => start + Math.floor(stream.range(0, 20_000));

type Leg = { lon: number; lat: number; targetLon: number; targetLat: number; waypoints: Stream };

function walkLeg(leg: Leg, grid: SimGrid, cos: number, metres: number): void {
  let budget = metres;
  while (budget > 0) {
    const dx = (leg.targetLon - leg.lon) * M_PER_DEG_LAT * cos;
    const dy = (leg.targetLat - leg.lat) * M_PER_DEG_LAT;
    const distance = Math.sqrt(dx * dx + dy * dy);
    if (distance <= budget) {
      leg.lon = leg.targetLon;
      leg.lat = leg.targetLat;
      budget -= distance;
      [leg.targetLon, leg.targetLat] = randomPointIn(grid, leg.waypoints);
      if (distance < 1e-6 && budget > 0) break;
    } else {
      leg.lon += (dx / distance) * (budget / (M_PER_DEG_LAT * cos));
      leg.lat += (dy / distance) * (budget / M_PER_DEG_LAT);
      budget = 0;
    }
  }
}

/**
 * The honest walk. Waypoints come from their own stream, so the true position
 * at any moment between two fixes can be looked up without disturbing the
 * walk (`trueAt`): a twin device follows it exactly.
 */
export class Walk implements ShiftTrack {
  lastAt: number;
  nextAt: number;
  /** True position at `lastAt`, the time of the latest fix (the shift's start before the first), and where it heads. */
  private readonly leg: Leg;
  private pauseUntil = 0;
  private readonly cadence: Stream;
  private readonly cos: number;
  private readonly end: number;

  /** `seedDay`: the day whose walk this is (a replayed walk uses one day for all). */
  constructor(
    private readonly walker: Walker,
    window: DutyWindow,
    seed: number,
    seedDay = window.day,
  ) {
    this.cadence = new Stream(shiftSeed(seed, walker, seedDay, PURPOSE.cadence));
    const waypoints = new Stream(shiftSeed(seed, walker, seedDay, PURPOSE.waypoints));
    const [lon, lat] = randomPointIn(walker.grid, waypoints);
    const [targetLon, targetLat] = randomPointIn(walker.grid, waypoints);
    this.leg = { lon, lat, targetLon, targetLat, waypoints };
    this.cos = cosOf(walker.grid);
    this.lastAt = window.start;
    this.end = window.end;
    this.nextAt = firstFixTime(this.cadence, window.start);
  }

  next(): Fix | null {
    const at = this.nextAt;
    if (at >= this.end) return null;
    const leg = this.leg;
    const movingFrom = Math.max(this.lastAt, this.pauseUntil);
    if (at > movingFrom) walkLeg(leg, this.walker.grid, this.cos, (this.walker.walkSpeed * (at - movingFrom)) / 1000);
    this.lastAt = at;
    this.nextAt = nextFixTime(this.cadence, at);
    const moving = at >= this.pauseUntil;
    if (moving && this.cadence.chance(PAUSE_CHANCE)) this.pauseUntil = at + this.cadence.range(5, 25) * 60_000;
    const dx = (leg.targetLon - leg.lon) * this.cos;
    const dy = leg.targetLat - leg.lat;
    const heading = moving && (dx !== 0 || dy !== 0) ? Math.round(((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360) % 360 : null;
    const speed = moving ? Math.round(this.walker.walkSpeed * 10) / 10 : 0;
    return makeFix(this.cadence, this.walker.id, at, leg.lon, leg.lat, this.cos, heading, speed);
  }

  /** Where the walker truly is at `at`, between `lastAt` and `nextAt`. */
  trueAt(at: number): [number, number] {
    const movingFrom = Math.max(this.lastAt, this.pauseUntil);
    if (at <= movingFrom) return [this.leg.lon, this.leg.lat];
    const leg: Leg = { ...this.leg, waypoints: this.leg.waypoints.clone() };
    walkLeg(leg, this.walker.grid, this.cos, (this.walker.walkSpeed * (at - movingFrom)) / 1000);
    return [leg.lon, leg.lat];
  }
}
