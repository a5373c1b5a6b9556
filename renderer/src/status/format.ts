import { formatClock, formatShort, startOfBeijingDay, toEpochMs } from "../../../shared/domain/time.js";

/** A Beijing time of day for today, with the date in front for older times. */
export function formatSince(iso: string | null, now: number): string | null {
  if (iso === null) return null;
  const ms = toEpochMs(iso);
  if (!Number.isFinite(ms)) return null;
  return startOfBeijingDay(ms) === startOfBeijingDay(now) ? formatClock(ms) : `${formatShort(ms)}:${formatClock(ms).slice(6)}`;
}

/** `1.2 MB` style byte counts for diagnostics. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Commands waiting: not yet accepted or refused by the platform (refused ones wait for the operator, not the network). */
export const countWaiting = (outbox: readonly { state: string }[]): number => outbox.filter((e) => e.state === "queued" || e.state === "sending").length;
