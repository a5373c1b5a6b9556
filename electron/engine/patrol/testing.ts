/*
 * Synthetic tracks for the checks' tests and benchmark: an honest walk of a
 * grid at a handheld's cadence, and each kind of fraud made from it.
 */

export { random } from "../testing/random.js";

const M = 111_320;
export type SyntheticFix = { at: number; lon: number; lat: number; accuracy: number };

export type WalkOptions = { from: number; minutes: number; lon?: number; lat?: number; sizeM?: number; speedMps?: number; scatter?: number; cadence?: [number, number] };

/**
 * An honest patrol: waypoints in a square grid of `sizeM`, walked at
 * `speedMps`, a fix every 10-30 s, each off the true place by at most
 * `scatter` of its own stated accuracy (1 = as far as the handheld admits).
 */
export function honestWalk(rng: () => number, options: WalkOptions): SyntheticFix[] {
  const lon0 = options.lon ?? 116.41;
  const lat0 = options.lat ?? 39.91;
  const size = options.sizeM ?? 400;
  const speed = options.speedMps ?? 1.1;
  const scatter = options.scatter ?? 0.7;
  const [minGap, maxGap] = options.cadence ?? [10, 30];
  const cos = Math.cos((lat0 * Math.PI) / 180);
  const point = (): [number, number] => [rng() * size, rng() * size];
  let [x, y] = point();
  let [tx, ty] = point();
  const fixes: SyntheticFix[] = [];
  let at = options.from;
  const end = options.from + options.minutes * 60_000;
  while (at < end) {
    const step = (minGap + rng() * (maxGap - minGap)) * 1000;
    at += step;
    let budget = (speed * step) / 1000;
    while (budget > 0) {
      const d = Math.hypot(tx - x, ty - y);
      if (d <= budget) {
        x = tx;
        y = ty;
        budget -= d;
        [tx, ty] = point();
      } else {
        x += ((tx - x) / d) * budget;
        y += ((ty - y) / d) * budget;
        budget = 0;
      }
    }
    const accuracy = rng() < 0.08 ? 30 + rng() * 50 : 4 + rng() * 16;
    const angle = rng() * 2 * Math.PI;
    const off = rng() * accuracy * scatter;
    fixes.push({ at, lon: lon0 + (x + Math.cos(angle) * off) / (M * cos), lat: lat0 + (y + Math.sin(angle) * off) / M, accuracy });
  }
  return fixes;
}

/** The device left in one place: the same point with GPS scatter. */
export function stationaryDevice(rng: () => number, options: WalkOptions): SyntheticFix[] {
  return honestWalk(rng, { ...options, speedMps: 0 });
}

/** Mock-location jumps: now and then one fix `jumpM` away, then back on the walk. */
export function withJumps(rng: () => number, fixes: SyntheticFix[], everyMinutes = 15, jumpM = 1500): SyntheticFix[] {
  let next = fixes[0]!.at + everyMinutes * 60_000;
  return fixes.map((fix) => {
    if (fix.at < next) return fix;
    next = fix.at + everyMinutes * 60_000;
    const angle = rng() * 2 * Math.PI;
    return { ...fix, lon: fix.lon + (Math.cos(angle) * jumpM) / (M * Math.cos((fix.lat * Math.PI) / 180)), lat: fix.lat + (Math.sin(angle) * jumpM) / M };
  });
}

/** A second phone in the same pocket: its own cadence, within a few metres of the first. */
export function twinOf(rng: () => number, fixes: SyntheticFix[]): SyntheticFix[] {
  return fixes.filter(() => rng() < 0.7).map((fix) => ({ at: fix.at + 3_000, lon: fix.lon + (rng() - 0.5) * 6e-5, lat: fix.lat + (rng() - 0.5) * 5e-5, accuracy: 10 }));
}

/** The same fixes a whole number of days later. */
export function replayed(fixes: SyntheticFix[], days: number): SyntheticFix[] {
  return fixes.map((fix) => ({ ...fix, at: fix.at + days * 86_400_000 }));
}
