import type { PatrolEvidence } from "../../../shared/bridge/contract.js";
import { formatDate } from "../../../shared/domain/time.js";
import { TRACK_DAYS } from "../../../shared/domain/patrol.js";
import { metresBetween } from "./geometry.js";
import type { ShiftSpan } from "./checks.js";
import type { UnitTrack } from "./track-store.js";

/*
 * A replayed track: the device reports today the walk it made on an earlier
 * day, at the same times of day. Two honest walks of the same grid pass each
 * other now and then; a replay lies on the earlier one almost all the way,
 * within GPS scatter. Compared point by point with the unit's own track whole
 * days earlier (one pointer per day, so a shift costs its points times days), the earlier
 * place interpolated between its two points around the same time of day.
 */

const DAY_MS = 86_400_000;
/** A point is compared with the earlier day's track at the same time of day, where its points around that time are at most 2.5 minutes apart. */
const ALIGN_MS = 45_000;
/** The two points around the earlier time must be this close to say where the unit was between them. */
const MAX_BRACKET_MS = ALIGN_MS * 2 + 60_000;
/** Replay: the median gap at most this, and at least MATCH_SHARE of the compared points within MATCH_M. */
export const REPLAY_MEDIAN_M = 15;
const MATCH_M = 25;
const MATCH_SHARE = 0.8;
/** At least this share of the shift's points must have an earlier point to compare with. */
const COMPARED_SHARE = 0.6;
const MIN_COMPARED = 20;

/**
 * Gaps between every `step`-th point of the shift and the same unit's track
 * `shiftMs` earlier at the same time of day (interpolated between its two
 * points around that time, when they are close enough to say where it was).
 */
function gapsAgainst(track: UnitTrack, span: ShiftSpan, shiftMs: number, step: number): number[] {
  const gaps: number[] = [];
  let j = Math.max(1, track.indexAt(span.from - shiftMs));
  for (let i = span.first; i < span.end; i += step) {
    const target = track.at[i]! - shiftMs;
    while (j < track.length && track.at[j]! < target) j++;
    if (j >= track.length) break;
    const a = j - 1;
    const between = track.at[j]! - track.at[a]!;
    if (track.at[a]! > target || between > MAX_BRACKET_MS) continue;
    const f = between === 0 ? 0 : (target - track.at[a]!) / between;
    const lon = track.lon[a]! + (track.lon[j]! - track.lon[a]!) * f;
    const lat = track.lat[a]! + (track.lat[j]! - track.lat[a]!) * f;
    gaps.push(metresBetween(track.lon[i]!, track.lat[i]!, lon, lat));
  }
  return gaps;
}

const PROBE_POINTS = 16;

export function replayEvidence(track: UnitTrack, span: ShiftSpan): PatrolEvidence | null {
  const n = span.end - span.first;
  let best: PatrolEvidence | null = null;
  for (let days = 1; days <= TRACK_DAYS; days++) {
    const shiftMs = days * DAY_MS;
    if (track.length === 0 || track.at[0]! > span.to - shiftMs + ALIGN_MS) break;
    // A few points first: two honest walks part within a handful, and most days end here.
    const probe = gapsAgainst(track, span, shiftMs, Math.max(1, Math.floor(n / PROBE_POINTS)));
    if (probe.length >= PROBE_POINTS / 2 && probe.filter((g) => g <= MATCH_M).length < probe.length * MATCH_SHARE * 0.75) continue;
    const gaps = gapsAgainst(track, span, shiftMs, 1);
    if (gaps.length < Math.max(MIN_COMPARED, n * COMPARED_SHARE)) continue;
    gaps.sort((a, b) => a - b);
    const median = gaps[gaps.length >> 1]!;
    const matched = gaps.filter((g) => g <= MATCH_M).length;
    if (median > REPLAY_MEDIAN_M || matched < gaps.length * MATCH_SHARE) continue;
    if (best === null || (best.reason === "replay" && median < best.medianGapM)) {
      best = {
        reason: "replay",
        from: span.from,
        to: span.to,
        lon: track.lon[span.first]!,
        lat: track.lat[span.first]!,
        sourceDay: formatDate(span.from - shiftMs),
        medianGapM: Math.round(median * 10) / 10,
        matchedMinutes: Math.round((matched / gaps.length) * ((span.to - span.from) / 60_000)),
      };
    }
  }
  return best;
}
