import type { PatrolCheck, PatrolEvidence, PatrolReason, PatrolShift, PatrolVerdict } from "../../../shared/bridge/contract.js";
import { MIN_SHIFT_FIXES, MIN_SHIFT_MINUTES, SHIFT_GAP_MINUTES, TRACK_DAYS } from "../../../shared/domain/patrol.js";
import { metresBetween, SPEED_LIMIT_MPS } from "./geometry.js";
import { replayEvidence } from "./replay.js";
import type { SpeedEvent, TrackStore, UnitTrack } from "./track-store.js";
import { twinEvidence, type TwinFinding } from "./twin.js";

/*
 * The authenticity checks over the track store. Each finding is evidence that
 * the patrol did not happen as reported; being outside one's own grid is not,
 * and is never judged. A shift too short to judge is `insufficient`, never
 * `ok` or `suspect`.
 */

const MINUTE_MS = 60_000;
/** Stationary: on patrol at least this long with 90% of the fixes within this radius of their median. */
export const STATIONARY_RADIUS_M = 30;
/**
 * A shift with fewer excursions than this is not suspect of speed: one stray
 * fix (out and straight back, two jumps) can be a glitch the handheld
 * under-reported; a device that keeps appearing elsewhere is not.
 */
export const SPEED_EXCURSIONS_SUSPECT = 2;
/** Evidence listed per reason at most; the count of shifts stays exact. */
const EVIDENCE_PER_REASON = 5;

/** A shift's span within its unit's track: points first..end-1. */
export type ShiftSpan = { first: number; end: number; from: number; to: number };

export function shiftsOf(track: UnitTrack, since: number): ShiftSpan[] {
  track.ensureSorted();
  const spans: ShiftSpan[] = [];
  const gap = SHIFT_GAP_MINUTES * MINUTE_MS;
  let first = track.indexAt(since);
  for (let i = first + 1; i <= track.length; i++) {
    if (i === track.length || track.at[i]! - track.at[i - 1]! > gap) {
      if (i > first) spans.push({ first, end: i, from: track.at[first]!, to: track.at[i - 1]! });
      first = i;
    }
  }
  return spans;
}

export type CheckOptions = {
  now: number;
  /** Filled with every unit's judged shifts, oldest first (for the assessment). */
  shifts?: Map<string, PatrolShift[]>;
  /**
   * Finished shifts judged by the last run, by unit and end; replaced with
   * this run's. A finished shift is not judged again (the caller empties it
   * when older tracks arrive, since they can make a finished day a replay).
   */
  judged?: Map<string, PatrolShift>;
};

export function checkAll(store: TrackStore, options: CheckOptions): PatrolCheck[] {
  const since = options.now - TRACK_DAYS * 86_400_000;
  const finishedBefore = options.now - SHIFT_GAP_MINUTES * MINUTE_MS;
  const previous = options.judged;
  const kept = new Map<string, PatrolShift>();
  const work: { unitId: string; track: UnitTrack; spans: ShiftSpan[]; keys: string[] }[] = [];
  let pendingFrom = Infinity;
  for (const [unitId, track] of store.units) {
    const spans = shiftsOf(track, since);
    // By its end: the week's edge trims the oldest shift's start a little every check, and that must not make it new.
    const keys = spans.map((span) => `${unitId}|${span.to}`);
    spans.forEach((span, i) => {
      if (span.to >= finishedBefore || !previous?.has(keys[i]!)) pendingFrom = Math.min(pendingFrom, span.from);
    });
    work.push({ unitId, track, spans, keys });
  }
  // Devices together: only over the stretch that holds shifts still to judge.
  const twins = pendingFrom === Infinity ? new Map<string, TwinFinding[]>() : twinEvidence(store, pendingFrom);
  const checks: PatrolCheck[] = [];
  for (const { unitId, track, spans, keys } of work) {
    const shifts = spans.map((span, i) => {
      const key = keys[i]!;
      const cached = span.to < finishedBefore ? previous?.get(key) : undefined;
      const shift = cached ?? judgeShift(track, span, twins.get(unitId) ?? []);
      if (span.to < finishedBefore) kept.set(key, shift);
      return shift;
    });
    options.shifts?.set(unitId, shifts);
    checks.push(standing(unitId, shifts));
  }
  if (previous) {
    previous.clear();
    for (const [key, shift] of kept) previous.set(key, shift);
  }
  return checks;
}

function standing(unitId: string, shifts: PatrolShift[]): PatrolCheck {
  let latest: PatrolShift | null = null;
  for (let i = shifts.length - 1; i >= 0; i--) {
    if (shifts[i]!.verdict !== "insufficient") {
      latest = shifts[i]!;
      break;
    }
  }
  const shown = latest ?? shifts[shifts.length - 1] ?? null;
  return {
    unitId,
    verdict: latest?.verdict ?? "insufficient",
    reasons: latest?.reasons ?? [],
    shift: shown,
    shifts: shifts.length,
    suspectShifts: shifts.filter((s) => s.verdict === "suspect").length,
  };
}

export function judgeShift(track: UnitTrack, span: ShiftSpan, twins: readonly TwinFinding[]): PatrolShift {
  const fixes = span.end - span.first;
  const minutes = (span.to - span.from) / MINUTE_MS;
  const walk = walked(track, span);
  const base = { from: span.from, to: span.to, fixes, distanceM: Math.round(walk) };
  if (fixes < MIN_SHIFT_FIXES || minutes < MIN_SHIFT_MINUTES) return { ...base, verdict: "insufficient", reasons: [], evidence: [] };

  const evidence: PatrolEvidence[] = [];
  const still = stationary(track, span);
  if (still) evidence.push(still);
  const jumps = jumpsWithin(track, span);
  if (excursions(jumps) >= SPEED_EXCURSIONS_SUSPECT) for (const jump of jumps.slice(0, EVIDENCE_PER_REASON)) evidence.push({ reason: "speed", ...jump });
  for (const twin of twins) if (twin.from <= span.to && twin.to >= span.from) evidence.push(twin.evidence);
  // A device left in one place repeats itself every day: that is stationary, not a replayed walk.
  if (!still) {
    const replay = replayEvidence(track, span);
    if (replay) evidence.push(replay);
  }
  const reasons = [...new Set(evidence.map((e) => e.reason))] as PatrolReason[];
  const verdict: PatrolVerdict = reasons.length > 0 ? "suspect" : "ok";
  return { ...base, verdict, reasons, evidence };
}

/** The shift's jumps in time order, each once (a window asked for twice must not count its jumps twice). */
function jumpsWithin(track: UnitTrack, span: ShiftSpan): SpeedEvent[] {
  const seen = new Set<string>();
  const jumps: SpeedEvent[] = [];
  for (const jump of track.speedEvents) {
    if (jump.from < span.from || jump.to > span.to) continue;
    const key = `${jump.from}|${jump.to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    jumps.push(jump);
  }
  return jumps.sort((a, b) => a.from - b.from);
}

/** Jumps joined by a shared fix (out to a place, then back from it) are one excursion. */
function excursions(jumps: readonly SpeedEvent[]): number {
  let count = 0;
  for (let i = 0; i < jumps.length; i++) if (i === 0 || jumps[i]!.from !== jumps[i - 1]!.to) count++;
  return count;
}

/** Metres walked, leaving out the jumps (they are evidence, not distance). */
function walked(track: UnitTrack, span: ShiftSpan): number {
  let total = 0;
  for (let i = span.first + 1; i < span.end; i++) {
    const d = metresBetween(track.lon[i - 1]!, track.lat[i - 1]!, track.lon[i]!, track.lat[i]!);
    const seconds = (track.at[i]! - track.at[i - 1]!) / 1000;
    if (d <= SPEED_LIMIT_MPS * seconds + 100) total += d;
  }
  return total;
}

function stationary(track: UnitTrack, span: ShiftSpan): PatrolEvidence | null {
  const n = span.end - span.first;
  // A walk shows itself in a few dozen of its points: most shifts end here.
  const step = Math.max(1, Math.floor(n / 48));
  const sample = Math.ceil(n / step);
  const lon0 = medianOf(track.lon, span.first, span.end, step);
  const lat0 = medianOf(track.lat, span.first, span.end, step);
  let away = 0;
  for (let i = span.first; i < span.end; i += step) if (metresBetween(lon0, lat0, track.lon[i]!, track.lat[i]!) > 2 * STATIONARY_RADIUS_M) away++;
  if (away > sample * 0.2) return null;
  const lon = medianOf(track.lon, span.first, span.end, 1);
  const lat = medianOf(track.lat, span.first, span.end, 1);
  const distances = new Float64Array(n);
  let far = 0;
  for (let i = 0; i < n; i++) {
    const d = metresBetween(lon, lat, track.lon[span.first + i]!, track.lat[span.first + i]!);
    distances[i] = d;
    // More than a tenth of the shift away from the median place: it moved.
    if (d > STATIONARY_RADIUS_M && ++far > n * 0.1) return null;
  }
  distances.sort();
  const radius = distances[Math.floor(n * 0.9)]!;
  if (radius > STATIONARY_RADIUS_M) return null;
  return { reason: "stationary", from: span.from, to: span.to, lon, lat, radiusM: Math.round(radius) };
}

/** The median of every `step`-th value in [first, end); typed arrays sort numerically in native code. */
function medianOf(values: Float32Array, first: number, end: number, step: number): number {
  const picked = new Float32Array(Math.ceil((end - first) / step));
  for (let i = first, o = 0; i < end; i += step, o++) picked[o] = values[i]!;
  return picked.sort()[picked.length >> 1]!;
}
