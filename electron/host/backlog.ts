/*
 * How far behind one page's bridge socket may fall, and what the host does
 * about it. Two kinds of bytes go down the socket, and only one of them is the
 * page's to bound:
 *
 * - Replies answer the page's own calls. Their size is what the page asked for
 *   (a city's initial state is over 100 MB) and the page waits for them, so
 *   they are always sent and never counted against the push limit. What bounds
 *   them is the page itself: while more than `maxReplyBytes` of replies is
 *   still unwritten, the host stops reading the page's calls (TCP pushes back).
 * - Pushed events arrive whether or not the page reads. Only these count: the
 *   pushed bytes handed to the socket and not yet written out. Past
 *   `positionsBytes` position frames are skipped (droppable by contract); past
 *   `maxPushedBytes` every pushed event is dropped and the socket is "behind".
 *   Once everything pushed before that has been written, the page is told to
 *   resynchronise (it rebuilds from getInitialState, which includes positions),
 *   so nothing dropped is lost for good and the socket stays open.
 *
 * A message is always admitted when nothing pushed is pending, so one event
 * larger than a limit still goes (the backlog is then that one message, not a
 * growing queue).
 */

export type BacklogLimits = { maxPushedBytes: number; positionsBytes: number; maxReplyBytes: number };

/** Positions are droppable by contract: skip them for a socket this far behind. */
export const POSITIONS_BACKLOG_BYTES = 8 << 20;
/** Pushed events past this are dropped and the page is told to resynchronise once it has caught up. */
export const MAX_PUSHED_BACKLOG_BYTES = 64 << 20;
/** Unwritten replies past this stop the host reading the page's further calls until they drain. */
export const MAX_REPLY_BACKLOG_BYTES = 64 << 20;

export const DEFAULT_BACKLOG_LIMITS: BacklogLimits = {
  maxPushedBytes: MAX_PUSHED_BACKLOG_BYTES,
  positionsBytes: POSITIONS_BACKLOG_BYTES,
  maxReplyBytes: MAX_REPLY_BACKLOG_BYTES,
};

export type PushDecision = "send" | "drop";

export class SocketBacklog {
  private pushed = 0;
  private replies = 0;
  private behind = false;

  constructor(private readonly limits: BacklogLimits = DEFAULT_BACKLOG_LIMITS) {}

  /** Pushed bytes handed to the socket and not yet written. */
  get pushedBytes(): number {
    return this.pushed;
  }

  /** Reply bytes handed to the socket and not yet written. */
  get replyBytes(): number {
    return this.replies;
  }

  /** True from the first dropped event until the page has been told to resynchronise. */
  get isBehind(): boolean {
    return this.behind;
  }

  /**
   * Whether to send a pushed message of `bytes`. On "send" the bytes are counted until `pushWritten`.
   * Dropping anything but positions puts the socket behind: the page has missed state it cannot do without.
   */
  admitPush(kind: "positions" | "event", bytes: number): PushDecision {
    if (this.behind) return "drop";
    const limit = kind === "positions" ? this.limits.positionsBytes : this.limits.maxPushedBytes;
    if (this.pushed > 0 && this.pushed + bytes > limit) {
      if (kind === "event") this.behind = true;
      return "drop";
    }
    this.pushed += bytes;
    return "send";
  }

  /**
   * `bytes` of an admitted push were written out (or abandoned with the socket).
   * True exactly once per time behind, when the backlog has drained: send the page a resync now.
   */
  pushWritten(bytes: number): boolean {
    this.pushed = Math.max(0, this.pushed - bytes);
    if (!this.behind || this.pushed > 0) return false;
    this.behind = false;
    return true;
  }

  /** A reply of `bytes` was handed to the socket. True when the page's calls should stop being read. */
  replySent(bytes: number): boolean {
    this.replies += bytes;
    return this.replies > this.limits.maxReplyBytes;
  }

  /** `bytes` of a reply were written out. True when the page's calls may be read again. */
  replyWritten(bytes: number): boolean {
    this.replies = Math.max(0, this.replies - bytes);
    return this.replies <= this.limits.maxReplyBytes;
  }
}
