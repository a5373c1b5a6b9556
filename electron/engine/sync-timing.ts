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
