import { STALL_AFTER_MS } from "../../shared/protocol/limits.js";

/* How patient the feed connection is. Tests shorten these; the defaults follow PROTOCOL.md. */

export type SyncTiming = {
  stallAfterMs: number;
  snapshotTimeoutMs: number;
  subscribeTimeoutMs: number;
  /** How long a gap may stay open (reordering) before it costs a resubscribe. */
  gapWaitMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** An auth or protocol refusal is retried this rarely: a person has to fix it. */
  refusedRetryMs: number;
};

export const DEFAULT_TIMING: SyncTiming = {
  stallAfterMs: STALL_AFTER_MS,
  snapshotTimeoutMs: 30_000,
  subscribeTimeoutMs: 10_000,
  gapWaitMs: 500,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  refusedRetryMs: 5 * 60_000,
};

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential from the
 * base, capped, with equal jitter (half fixed, half random) so consoles that
 * lost the platform together do not come back in step.
 */
export function backoffDelay(attempt: number, timing: Pick<SyncTiming, "backoffBaseMs" | "backoffMaxMs">, random: () => number = Math.random): number {
  const ceiling = Math.min(timing.backoffMaxMs, timing.backoffBaseMs * 2 ** Math.min(attempt, 20));
  return ceiling / 2 + random() * (ceiling / 2);
}
