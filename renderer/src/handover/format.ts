import { formatShort, toEpochMs } from "../../../shared/domain/time.js";

/** `11-22 09:30` in Beijing time; the text as it came when it is no time. */
export function shortTime(iso: string): string {
  const ms = toEpochMs(iso);
  return Number.isFinite(ms) ? formatShort(ms) : iso;
}

/** Whole minutes from `from` to `to`, at least 1 (a stretch shorter than a minute still happened). */
export function minutesBetween(from: string, to: string): number {
  return Math.max(1, Math.round((toEpochMs(to) - toEpochMs(from)) / 60_000));
}
