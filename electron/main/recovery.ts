/*
 * When to reload a window whose renderer died or hung. A wall must come back
 * by itself, but a renderer that crashes on load must not be reloaded in a
 * tight loop: the delay doubles per failure up to a ceiling, and resets once
 * the window has stayed healthy for a while.
 */

export type RecoveryOptions = { firstDelayMs: number; maxDelayMs: number; healthyAfterMs: number; hangGraceMs: number };

export const DEFAULT_RECOVERY: RecoveryOptions = { firstDelayMs: 1_000, maxDelayMs: 60_000, healthyAfterMs: 5 * 60_000, hangGraceMs: 10_000 };

export class RecoveryPolicy {
  private failures = 0;
  private lastFailureAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: RecoveryOptions = DEFAULT_RECOVERY) {}

  /** Records a failure at `now` and returns how long to wait before reloading. */
  failed(now: number): number {
    if (now - this.lastFailureAt >= this.options.healthyAfterMs) this.failures = 0;
    this.lastFailureAt = now;
    const delay = Math.min(this.options.maxDelayMs, this.options.firstDelayMs * 2 ** this.failures);
    this.failures += 1;
    return delay;
  }

  /** How long an unresponsive renderer gets to recover on its own before it is treated as failed. */
  get hangGraceMs(): number {
    return this.options.hangGraceMs;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}

/** Render-process-gone reasons that are not failures: the window closed or the app is quitting. */
export function isFailure(reason: string): boolean {
  return reason !== "clean-exit";
}
