import { STALL_AFTER_MS } from "../../shared/protocol/limits.js";

/* How patient the feed connection is, and how much it holds. Tests shorten these; the defaults follow PROTOCOL.md. */

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
  /** Deltas waiting on a hole, by estimated bytes (feed-budget.ts); past it they are dropped and a snapshot asked for. */
  bufferedDeltaBytes: number;
  /** The parts of the snapshots being collected, by estimated bytes; past it they are dropped and asked for again. */
  snapshotBytes: number;
  /** A dropped-message reason is logged at most once per this window, then summarised with a count. */
  dropLogWindowMs: number;
};

export const DEFAULT_TIMING: SyncTiming = {
  stallAfterMs: STALL_AFTER_MS,
  snapshotTimeoutMs: 30_000,
  subscribeTimeoutMs: 10_000,
  gapWaitMs: 500,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  refusedRetryMs: 5 * 60_000,
  bufferedDeltaBytes: 64 * 1024 * 1024,
  // A city snapshot (13 parts, ~62,000 units, a sub-center's live cases) is some 100 MB.
  snapshotBytes: 256 * 1024 * 1024,
  dropLogWindowMs: 10_000,
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

/**
 * Resubscribes that are not the first in a while wait: the gap wait doubled
 * each time (the first goes at once), capped at the reconnect cap, and back
 * to none after twice that cap without one. A platform that keeps skipping
 * seqs, or junk that looks like a gap, costs a snapshot now and then, not a
 * snapshot per message.
 */
export class ResubscribeBackoff {
  private repeats = 0;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly timing: Pick<SyncTiming, "gapWaitMs" | "backoffMaxMs">,
    private readonly now: () => number = Date.now,
  ) {}

  /** How long to wait before the next resubscribe may go; 0: now. */
  waitMs(): number {
    const now = this.now();
    if (now - this.lastAt >= this.quietMs) this.repeats = 0;
    if (this.repeats === 0) return 0;
    const spacing = Math.min(this.timing.backoffMaxMs, this.timing.gapWaitMs * 2 ** Math.min(this.repeats, 20));
    return Math.max(0, this.lastAt + spacing - now);
  }

  /** A resubscribe went now. */
  went(): void {
    const now = this.now();
    if (now - this.lastAt >= this.quietMs) this.repeats = 0;
    this.repeats++;
    this.lastAt = now;
  }

  private get quietMs(): number {
    return 2 * this.timing.backoffMaxMs;
  }
}
