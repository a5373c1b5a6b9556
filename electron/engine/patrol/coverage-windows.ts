/*
 * Which stretches of time the track store holds completely, as half-open
 * [from, to) intervals in epoch ms: what the platform's `tracks` filled in,
 * and what the console received live while connected. What is missing is what
 * to ask the platform for, and nothing else.
 */

export type Interval = [number, number];

/** The intervals merged (overlapping or touching ones joined), sorted. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter(([from, to]) => to > from).sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** The parts of [from, to) that no interval covers, oldest first. */
export function missingWithin(covered: readonly Interval[], from: number, to: number): Interval[] {
  const gaps: Interval[] = [];
  let cursor = from;
  for (const [a, b] of mergeIntervals(covered)) {
    if (b <= cursor) continue;
    if (a >= to) break;
    if (a > cursor) gaps.push([cursor, Math.min(a, to)]);
    cursor = Math.max(cursor, b);
    if (cursor >= to) break;
  }
  if (cursor < to) gaps.push([cursor, to]);
  return gaps;
}

/** Intervals cut to pieces of at most `size` ms, newest first: the latest hours matter most and arrive first. */
export function piecesNewestFirst(intervals: readonly Interval[], size: number): Interval[] {
  const pieces: Interval[] = [];
  for (const [from, to] of intervals) for (let end = to; end > from; end -= size) pieces.push([Math.max(from, end - size), end]);
  return pieces.sort((a, b) => b[1] - a[1]);
}

/** Forgets what ends before `cutoff`. */
export function pruneIntervals(intervals: readonly Interval[], cutoff: number): Interval[] {
  return mergeIntervals(intervals.filter(([, to]) => to > cutoff).map(([from, to]) => [Math.max(from, cutoff), to] as Interval));
}
