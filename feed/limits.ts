import type { CommandResult } from "../shared/protocol/types.js";

/*
 * What one client may cost the reference feed: commands per socket (a token
 * bucket), the number of open cases, and the memory of answered commands.
 * The contract has no "rate limited" code, so a command over the rate is
 * refused as `invalid` with the message "rate limited" (feed/README.md):
 * nothing was applied and nothing recorded, so the same commandId sent again
 * later is judged afresh.
 */

export type RateLimit = { burst: number; perSecond: number };

export const DEFAULT_COMMAND_RATE: RateLimit = { burst: 50, perSecond: 10 };
/**
 * A subscribe may cost a whole snapshot (13 parts at city scale), and the
 * contract's answer has no refusal: past this a socket is disconnected, and
 * a console comes back on its own reconnect backoff. Far above what a console
 * that backs off its resubscribes ever asks.
 */
export const DEFAULT_SUBSCRIBE_RATE: RateLimit = { burst: 20, perSecond: 2 };
export const DEFAULT_MAX_OPEN_CASES = 20_000;
export const DEFAULT_RESULTS_KEPT = 100_000;
/** socket.io's `maxHttpBufferSize`: a larger message from a client closes its connection. */
export const MAX_CLIENT_MESSAGE_BYTES = 1_000_000;

export const RATE_LIMITED: CommandResult = { ok: false, code: "invalid", message: "rate limited" };

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limit.burst;
    this.refilledAt = now();
  }

  /** Takes one token if there is one. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.limit.perSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * The first result of each of the last `capacity` accepted commands, oldest
 * dropped first: the window inside which a repeated commandId gets its first
 * answer (with a state dir, commands.jsonl keeps every one, and a restart
 * reloads the newest `capacity`).
 */
export class RecentResults {
  private readonly results = new Map<string, CommandResult>();

  constructor(
    private readonly capacity: number,
    initial: Iterable<[string, CommandResult]> = [],
  ) {
    for (const [id, result] of initial) this.set(id, result);
  }

  get size(): number {
    return this.results.size;
  }

  get(commandId: string): CommandResult | undefined {
    return this.results.get(commandId);
  }

  set(commandId: string, result: CommandResult): void {
    this.results.delete(commandId);
    this.results.set(commandId, result);
    while (this.results.size > this.capacity) {
      const oldest = this.results.keys().next();
      if (oldest.done) break;
      this.results.delete(oldest.value);
    }
  }

  values(): IterableIterator<CommandResult> {
    return this.results.values();
  }
}
