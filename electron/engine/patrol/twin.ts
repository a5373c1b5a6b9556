import type { PatrolEvidence } from "../../../shared/bridge/contract.js";
import { metresBetween, metresPerDegree } from "./geometry.js";
import type { TrackStore, UnitTrack } from "./track-store.js";

/*
 * Two devices moving together: one person carrying a colleague's phone.
 * Each track is sampled every STEP_MINUTES on the minute (interpolated between
 * its two points around it, when they are at most SAMPLE_GAP_MS apart), so two
 * devices with their own cadences are compared at the same instants; half an
 * hour together is six such instants, plenty to tell a pair from two
 * colleagues whose rounds crossed. Per minute, samples
 * are hashed into cells of TWIN_M and only neighbouring cells are compared:
 * the cost grows with the samples, not with the square of the staff. A pair
 * is twins on a day when, over at least TWIN_MINUTES minutes both devices
 * reported, at least TWIN_SHARE of them were within TWIN_M, and they moved
 * (colleagues sharing an office stand still; that is the stationary check's).
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;
const SAMPLE_GAP_MS = 150_000;
const STEP_MINUTES = 5;
export const TWIN_M = 25;
export const TWIN_MINUTES = 30;
const TWIN_SHARE = 0.8;
/** The pair's common path must span at least this much ground. */
const TWIN_MOVED_M = 150;
/** Pairs are counted per Beijing day; the window spans at most 9 days, so 16 day numbers never collide. */
const DAY_SLOTS = 16;
const NEIGHBOURS: readonly (readonly [number, number])[] = [[1, -1], [1, 0], [1, 1], [0, 1]];

export type TwinFinding = { from: number; to: number; evidence: PatrolEvidence };

type PairDay = { close: number; gapSum: number; from: number; to: number; minLon: number; maxLon: number; minLat: number; maxLat: number; lon: number; lat: number };

/** Minute samples of every track since `since`: per sample its minute, unit index and place. */
type Samples = { minute: Float64Array; unit: Uint32Array; lon: Float64Array; lat: Float64Array; length: number };

function sampleOnMinutes(tracks: readonly UnitTrack[], since: number): Samples {
  // Counted first: sized by the track's span, nights and days off would make it several times larger than its samples.
  let capacity = 0;
  forEachSample(tracks, since, () => capacity++);
  const out: Samples = { minute: new Float64Array(capacity), unit: new Uint32Array(capacity), lon: new Float64Array(capacity), lat: new Float64Array(capacity), length: 0 };
  forEachSample(tracks, since, (u, m, track, i, f) => {
    const n = out.length++;
    out.minute[n] = m;
    out.unit[n] = u;
    out.lon[n] = track.lon[i - 1]! + (track.lon[i]! - track.lon[i - 1]!) * f;
    out.lat[n] = track.lat[i - 1]! + (track.lat[i]! - track.lat[i - 1]!) * f;
  });
  return out;
}

/** Every sampled minute of every track since `since`: between points i-1 and i, at fraction f. */
function forEachSample(tracks: readonly UnitTrack[], since: number, visit: (unit: number, minute: number, track: UnitTrack, i: number, f: number) => void): void {
  tracks.forEach((track, u) => {
    track.ensureSorted();
    for (let i = Math.max(1, track.indexAt(since)); i < track.length; i++) {
      const t0 = track.at[i - 1]!;
      const t1 = track.at[i]!;
      if (t1 - t0 > SAMPLE_GAP_MS) continue;
      // Sampled minutes in (t0, t1]: each of a track's once.
      const first = Math.floor(t0 / MINUTE_MS) + 1;
      for (let m = first + ((STEP_MINUTES - (first % STEP_MINUTES)) % STEP_MINUTES); m * MINUTE_MS <= t1; m += STEP_MINUTES) {
        visit(u, m, track, i, t1 === t0 ? 0 : (m * MINUTE_MS - t0) / (t1 - t0));
      }
    }
  });
}

export function twinEvidence(store: TrackStore, since: number): Map<string, TwinFinding[]> {
  const ids = [...store.units.keys()];
  const tracks = ids.map((id) => store.units.get(id)!);
  const samples = sampleOnMinutes(tracks, since);
  const result = new Map<string, TwinFinding[]>();
  if (samples.length === 0) return result;

  // Samples by minute: a counting sort over the window.
  let minMinute = Infinity;
  let maxMinute = -Infinity;
  for (let s = 0; s < samples.length; s++) {
    minMinute = Math.min(minMinute, samples.minute[s]!);
    maxMinute = Math.max(maxMinute, samples.minute[s]!);
  }
  const span = maxMinute - minMinute + 1;
  const starts = new Uint32Array(span + 1);
  for (let s = 0; s < samples.length; s++) starts[samples.minute[s]! - minMinute + 1]!++;
  for (let m = 1; m <= span; m++) starts[m]! += starts[m - 1]!;
  const order = new Uint32Array(samples.length);
  const fill = starts.slice();
  for (let s = 0; s < samples.length; s++) order[fill[samples.minute[s]! - minMinute]!++] = s;

  // Metres per degree at the samples' median latitude (one far-away fix must not set the cells' size).
  const scale = metresPerDegree(samples.lat.slice(0, samples.length).sort()[samples.length >> 1]!);
  // Each sample in metres on a plane through the district (a few kilometres across: the plane is exact enough).
  const x = new Float64Array(samples.length);
  const y = new Float64Array(samples.length);
  const cellX = new Int32Array(samples.length);
  const cellY = new Int32Array(samples.length);
  for (let s = 0; s < samples.length; s++) {
    x[s] = samples.lon[s]! * scale.lon;
    y[s] = samples.lat[s]! * scale.lat;
    cellX[s] = Math.floor(x[s]! / TWIN_M);
    cellY[s] = Math.floor(y[s]! / TWIN_M);
  }
  const pairs = new Map<number, PairDay>();
  const n = ids.length;
  // Per minute, an open-addressing table of cells (typed arrays, no allocation per minute): cell → its first sample, then `next`.
  const next = new Int32Array(samples.length);
  let size = 1024;
  let tableX = new Int32Array(size);
  let tableY = new Int32Array(size);
  let tableHead = new Int32Array(size).fill(-1);
  const used: number[] = [];
  const slotOf = (x: number, y: number): number => {
    let slot = (Math.imul(x, 73856093) ^ Math.imul(y, 19349663)) & (size - 1);
    while (tableHead[slot] !== -1 && (tableX[slot] !== x || tableY[slot] !== y)) slot = (slot + 1) & (size - 1);
    return slot;
  };
  const compare = (s: number, t: number, at: number, day: number) => {
    const a = samples.unit[s]!;
    const b = samples.unit[t]!;
    if (a === b) return;
    const dx = x[s]! - x[t]!;
    const dy = y[s]! - y[t]!;
    if (dx * dx + dy * dy > TWIN_M * TWIN_M) return;
    const gap = Math.sqrt(dx * dx + dy * dy);
    const pairKey = (Math.min(a, b) * n + Math.max(a, b)) * DAY_SLOTS + (day % DAY_SLOTS);
    let pair = pairs.get(pairKey);
    if (!pair) pairs.set(pairKey, (pair = { close: 0, gapSum: 0, from: at, to: at, minLon: Infinity, maxLon: -Infinity, minLat: Infinity, maxLat: -Infinity, lon: samples.lon[s]!, lat: samples.lat[s]! }));
    pair.close++;
    pair.gapSum += gap;
    pair.from = Math.min(pair.from, at);
    pair.to = Math.max(pair.to, at);
    pair.minLon = Math.min(pair.minLon, samples.lon[s]!);
    pair.maxLon = Math.max(pair.maxLon, samples.lon[s]!);
    pair.minLat = Math.min(pair.minLat, samples.lat[s]!);
    pair.maxLat = Math.max(pair.maxLat, samples.lat[s]!);
  };
  for (let m = 0; m < span; m++) {
    const start = starts[m]!;
    const end = starts[m + 1]!;
    if (end - start < 2) continue;
    if ((end - start) * 2 > size) {
      while ((end - start) * 2 > size) size *= 2;
      tableX = new Int32Array(size);
      tableY = new Int32Array(size);
      tableHead = new Int32Array(size).fill(-1);
    }
    for (const slot of used) tableHead[slot] = -1;
    used.length = 0;
    for (let o = start; o < end; o++) {
      const s = order[o]!;
      const slot = slotOf(cellX[s]!, cellY[s]!);
      if (tableHead[slot] === -1) {
        tableX[slot] = cellX[s]!;
        tableY[slot] = cellY[s]!;
        used.push(slot);
      }
      next[s] = tableHead[slot]!;
      tableHead[slot] = s;
    }
    const at = (m + minMinute) * MINUTE_MS;
    const day = Math.floor((at + BEIJING_MS) / DAY_MS);
    for (let o = start; o < end; o++) {
      const s = order[o]!;
      // The same cell (each pair once: later in its list) and four of the eight neighbours (the other four see s).
      for (let t = next[s]!; t !== -1; t = next[t]!) compare(s, t, at, day);
      for (const [dx, dy] of NEIGHBOURS) {
        const slot = slotOf(cellX[s]! + dx, cellY[s]! + dy);
        for (let t = tableHead[slot]!; t !== -1; t = next[t]!) compare(s, t, at, day);
      }
    }
  }
  for (const [pairKey, pair] of pairs) {
    if (pair.close * STEP_MINUTES < TWIN_MINUTES) continue;
    const pairIndex = Math.floor(pairKey / DAY_SLOTS);
    const a = Math.floor(pairIndex / n);
    const b = pairIndex % n;
    if (metresBetween(pair.minLon, pair.minLat, pair.maxLon, pair.maxLat) < TWIN_MOVED_M) continue;
    const both = minutesBoth(tracks[a]!, tracks[b]!, pair.from, pair.to);
    if (pair.close < both * TWIN_SHARE) continue;
    const meanGapM = Math.round((pair.gapSum / pair.close) * 10) / 10;
    for (const [self, other] of [[a, b], [b, a]] as const) {
      const list = result.get(ids[self]!) ?? [];
      list.push({ from: pair.from, to: pair.to, evidence: { reason: "twin", from: pair.from, to: pair.to, lon: pair.lon, lat: pair.lat, otherUnitId: ids[other]!, meanGapM, sharedMinutes: pair.close * STEP_MINUTES } });
      result.set(ids[self]!, list);
    }
  }
  return result;
}

/** Sampled instants between `from` and `to` at which both tracks had a point within a minute. */
function minutesBoth(ta: UnitTrack, tb: UnitTrack, from: number, to: number): number {
  let both = 0;
  let j = tb.indexAt(from - MINUTE_MS);
  for (let m = from; m <= to; m += MINUTE_MS * STEP_MINUTES) {
    const i = ta.indexAt(m - MINUTE_MS);
    if (i >= ta.length || ta.at[i]! > m + MINUTE_MS) continue;
    while (j < tb.length && tb.at[j]! < m - MINUTE_MS) j++;
    if (j < tb.length && tb.at[j]! <= m + MINUTE_MS) both++;
  }
  return both;
}
