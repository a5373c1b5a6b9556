import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import type { ConnectionState, DropReason, StatusReason } from "../../shared/bridge/contract.js";
import { NAMESPACE, PROTOCOL_VERSION } from "../../shared/protocol/limits.js";
import type { Command, CommandResult, Fix, Incident, TracksAnswer, Unit } from "../../shared/protocol/types.js";
import { parseCommandResult, parseHeartbeat, parseHello, parsePositions, parseSnapshot, parseSubscribeAck, parseTracksReply } from "../../shared/protocol/validate.js";
import { parseDeltaMessage } from "./messages.js";
import type { ParsedDelta } from "./messages.js";
import { DeltaBuffer, SummarisedLog } from "./feed-budget.js";
import { SnapshotParts } from "./snapshot-parts.js";
import { DEFAULT_TIMING, ResubscribeBackoff, backoffDelay } from "./sync-timing.js";
import type { SyncTiming } from "./sync-timing.js";

/**
 * The largest WebSocket frame taken from the feed: the biggest legitimate
 * message (a full snapshot part, a 100,000-fix positions frame) is a few MiB.
 * A larger frame closes the connection (1009) and the engine reconnects.
 */
export const FEED_MAX_FRAME_BYTES = 32 * 1024 * 1024;

/**
 * Whether socket.io-client's disconnect description says ws refused a frame past maxPayload: an error
 * (engine.io's TransportError around ws's ErrorEvent, code WS_ERR_UNSUPPORTED_MESSAGE_LENGTH) or a
 * close with code 1009 ("message too big").
 */
function frameTooLarge(description: unknown): boolean {
  const details = description as { description?: { error?: { code?: unknown } }; context?: { code?: unknown } } | undefined;
  return details?.description?.error?.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH" || details?.context?.code === 1009;
}

export { DEFAULT_TIMING } from "./sync-timing.js";
export type { SyncTiming } from "./sync-timing.js";

/*
 * The feed connection (PROTOCOL.md): hello → subscribe → snapshot or deltas,
 * strictly in order, with heartbeat stall detection and our own reconnect
 * policy (capped, jittered backoff; an auth failure retried only rarely).
 * It owns no data: the target applies what it is handed, in order.
 */

export type SyncTarget = {
  position(): { epoch: string | null; lastSeq: number };
  applySnapshot(snapshot: { epoch: string; seq: number; at: string; incidents: Incident[]; units: Unit[] }): void;
  applyDelta(delta: ParsedDelta): void;
  applyFixes(fixes: Fix[]): void;
  status(state: ConnectionState, reason: StatusReason | undefined): void;
  /** The socket is subscribed: the outbox may send. */
  ready(): void;
};

type Log = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;
const MAX_BUFFERED_DELTAS = 20_000;
const FEED_EVENTS: ReadonlySet<string> = new Set(["hello", "snapshot", "delta", "heartbeat", "positions"]);
const RATE_LIMITED_MESSAGE = "rate limited";
/** A foreign epoch costs a full snapshot; junk claiming one must not make us fetch snapshots back to back. */
const FOREIGN_RESYNC_MIN_MS = 10_000;

export class FeedSync {
  readonly dropped: Partial<Record<DropReason, number>> = {};
  headSeq = 0;
  private socket: Socket | null = null;
  private stopped = true;
  private subscribed = false;
  private serverEpoch: string | null = null;
  private serverTime: string | null = null;
  /** The platform's clock minus ours, ms, from its last hello or heartbeat. */
  private clockOffset = 0;
  /** What the platform's hello offered (PROTOCOL.md `capabilities`); none until it says. */
  private capabilities: ReadonlySet<string> = new Set();
  private readonly snapshots: SnapshotParts;
  private lastForeignResync = 0;
  private awaitingSnapshot = false;
  private subscribing = false;
  private readonly buffered: DeltaBuffer<ParsedDelta>;
  private readonly drops: SummarisedLog;
  private readonly resubscribes: ResubscribeBackoff;
  /** The next resubscribe asks for a snapshot: what was buffered had to go. */
  private wantSnapshot = false;
  private attempt = 0;
  private stalled = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stallTimer: NodeJS.Timeout | null = null;
  private gapTimer: NodeJS.Timeout | null = null;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private snapshotsApplied = 0;

  constructor(
    private readonly options: { feedUrl: string; token: string; consoleId: string; log: Log },
    private readonly target: SyncTarget,
    private readonly timing: SyncTiming = DEFAULT_TIMING,
  ) {
    this.snapshots = new SnapshotParts(timing.snapshotBytes);
    this.buffered = new DeltaBuffer({ count: MAX_BUFFERED_DELTAS, bytes: timing.bufferedDeltaBytes });
    this.drops = new SummarisedLog(options.log, timing.dropLogWindowMs);
    this.resubscribes = new ResubscribeBackoff(timing);
  }

  /** Estimated bytes held for deltas waiting on a hole and for snapshots being collected. */
  get heldBytes(): { buffered: number; snapshot: number } {
    return { buffered: this.buffered.bytes, snapshot: this.snapshots.bytes };
  }

  get connected(): boolean {
    return this.socket?.connected === true && this.subscribed;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.target.status("connecting", { code: "connecting" });
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.teardown();
    this.drops.flush();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
  }

  /** One attempt: the platform's answer, or "unknown" (not connected, timeout, unreadable answer): send the same command again later. */
  sendCommand(command: Command, timeoutMs: number): Promise<CommandResult | "unknown"> {
    const socket = this.socket;
    if (!socket || !this.connected) return Promise.resolve("unknown");
    return new Promise((resolve) => {
      socket.timeout(timeoutMs).emit("command", command, (error: Error | null, answer: unknown) => {
        if (error) return resolve("unknown");
        const result = parseCommandResult(answer);
        // Not applied and not judged: the reference feed over its rate (feed/README.md "Limits"). The same command goes again later.
        if (result.ok && !result.value.ok && result.value.code === "invalid" && result.value.message === RATE_LIMITED_MESSAGE) return resolve("unknown");
        if (result.ok) return resolve(result.value);
        this.drop("command_result.invalid", result.error);
        resolve("unknown");
      });
    });
  }

  /** Whether the connected platform answers `tracks`. */
  get answersTracks(): boolean {
    return this.capabilities.has("tracks");
  }

  /**
   * The platform's clock now, epoch ms: its last hello's or heartbeat's
   * serverTime plus the time passed here since. A platform's clock (a
   * simulation running faster, a replay) need not be ours, and the tracks it
   * serves are on its clock; before any word from it, ours.
   */
  feedNow(): number {
    return Date.now() + this.clockOffset;
  }

  /** One `tracks` request (PROTOCOL.md): the platform's answer, or "unknown" (not connected, no answer in time, unreadable). */
  requestTracks(request: { since: string; until: string; cursor?: string }, timeoutMs: number): Promise<TracksAnswer> {
    const socket = this.socket;
    if (!socket || !this.connected || !this.answersTracks) return Promise.resolve("unknown");
    return new Promise((resolve) => {
      socket.timeout(timeoutMs).emit("tracks", request, (error: Error | null, answer: unknown) => {
        if (error) return resolve("unknown");
        const reply = parseTracksReply(answer);
        if (!reply.ok) {
          this.drop("tracks.invalid", reply.error);
          return resolve("unknown");
        }
        if (reply.dropped) this.dropped["tracks.fix_invalid"] = (this.dropped["tracks.fix_invalid"] ?? 0) + reply.dropped;
        resolve(reply.value);
      });
    });
  }

  private connect(): void {
    this.teardown();
    const socket = io(`${this.options.feedUrl.replace(/\/+$/, "")}${NAMESPACE}`, {
      auth: { token: this.options.token, consoleId: this.options.consoleId, protocol: PROTOCOL_VERSION },
      reconnection: false,
      forceNew: true,
      // WebSocket only: ws refuses a frame past maxPayload from its header, before buffering it. HTTP
      // long-polling batches every queued message into one response the client must hold whole, so it
      // cannot be capped per message; a feed that offers only polling is not connected to (README "Security").
      transports: ["websocket"],
      timeout: 10_000,
      // Passed on to ws, which refuses a larger frame before buffering it (default 100 MiB); a spread, as socket.io-client's types omit it.
      ...{ maxPayload: FEED_MAX_FRAME_BYTES },
    });
    this.socket = socket;
    socket.on("connect", () => {
      this.target.status(this.stalled ? "stalled" : "connecting", { code: "awaiting_hello" });
      this.armStall();
    });
    socket.on("connect_error", (error: Error) => this.onConnectError(error));
    socket.on("disconnect", (reason: string, description?: unknown) => {
      if (frameTooLarge(description)) {
        this.dropped["frame.too_large"] = (this.dropped["frame.too_large"] ?? 0) + 1;
        this.drops.note("frame.too_large", "warn", "the feed sent a frame past the size cap; the connection was closed without reading it, reconnecting", { maxBytes: FEED_MAX_FRAME_BYTES });
      }
      this.onDisconnect(reason);
    });
    socket.on("hello", (payload: unknown) => this.onHello(payload));
    socket.on("snapshot", (payload: unknown) => this.onSnapshot(payload));
    socket.on("delta", (payload: unknown) => this.onDelta(payload));
    socket.on("heartbeat", (payload: unknown) => this.onHeartbeat(payload));
    socket.on("positions", (payload: unknown) => this.onPositions(payload));
    socket.onAny((event: string) => {
      if (!FEED_EVENTS.has(event)) this.drop("event.unknown", { event: event.slice(0, 64) });
    });
  }

  private teardown(): void {
    const socket = this.socket;
    this.socket = null;
    this.subscribed = false;
    this.subscribing = false;
    this.abandonSnapshot();
    this.buffered.clear();
    for (const timer of [this.stallTimer, this.gapTimer]) if (timer) clearTimeout(timer);
    this.stallTimer = this.gapTimer = null;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
    }
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.stopped) return;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.connect();
    }, delayMs);
  }

  private backoffMs(): number {
    return backoffDelay(this.attempt++, this.timing);
  }

  private onConnectError(error: Error): void {
    if (this.stopped) return;
    this.teardown();
    if (error.message === "unauthorized" || error.message === "protocol") {
      const retryAt = new Date(Date.now() + this.timing.refusedRetryMs).toISOString();
      this.stalled = false;
      if (error.message === "unauthorized") this.target.status("unauthorized", { code: "token_refused", retryAt });
      else this.target.status("offline", { code: "protocol_refused", retryAt });
      this.scheduleReconnect(this.timing.refusedRetryMs);
      return;
    }
    const delay = this.backoffMs();
    this.target.status(this.stalled ? "stalled" : "offline", { code: "unreachable", error: error.message, retryInS: Math.round(delay / 1000) });
    this.scheduleReconnect(delay);
  }

  private onDisconnect(reason: string): void {
    if (this.stopped) return;
    this.teardown();
    const delay = this.backoffMs();
    this.stalled = false;
    this.target.status("offline", { code: "connection_lost", error: reason, retryInS: Math.round(delay / 1000) });
    this.scheduleReconnect(delay);
  }

  private drop(reason: DropReason, detail?: unknown): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
    // Repeats are routine after a resubscribe; everything else breaks the contract. The counters keep the totals; the log summarises.
    this.drops.note(reason, reason === "delta.repeat" ? "info" : "warn", "dropped a feed message", { reason, detail });
  }

  private onHello(payload: unknown): void {
    const hello = parseHello(payload);
    if (!hello.ok) {
      this.drop("hello.invalid", hello.error);
      return;
    }
    this.serverEpoch = hello.value.epoch;
    this.serverTime = hello.value.serverTime;
    this.clockOffset = Date.parse(hello.value.serverTime) - Date.now();
    this.capabilities = new Set(hello.value.capabilities ?? []);
    this.headSeq = hello.value.headSeq;
    this.subscribe();
  }

  private subscribe(full = false): void {
    const socket = this.socket;
    if (!socket || this.subscribing) return;
    const { epoch, lastSeq } = this.target.position();
    const resume = !full && epoch !== null && epoch === this.serverEpoch;
    if (!resume) this.buffered.clear();
    this.wantSnapshot = false;
    this.subscribing = true;
    this.abandonSnapshot();
    const appliedBefore = this.snapshotsApplied;
    socket.timeout(this.timing.subscribeTimeoutMs).emit("subscribe", resume ? { epoch, sinceSeq: lastSeq } : {}, (error: Error | null, answer: unknown) => {
      if (socket !== this.socket) return;
      this.subscribing = false;
      if (error) {
        this.options.log("warn", "subscribe was not answered; reconnecting");
        this.onDisconnect("subscribe timeout");
        return;
      }
      const ack = parseSubscribeAck(answer);
      if (!ack.ok) {
        this.drop("subscribe_ack.invalid", ack.error);
        this.onDisconnect("invalid subscribe answer");
        return;
      }
      this.headSeq = Math.max(this.headSeq, ack.value.headSeq);
      this.subscribed = true;
      // A server may send the snapshot before it answers: then it is already applied.
      if (ack.value.mode === "snapshot" && this.snapshotsApplied === appliedBefore) {
        this.awaitingSnapshot = true;
        this.armSnapshotTimeout();
      } else {
        // Parts that came while the answer was on its way belong to no snapshot we will get.
        if (ack.value.mode === "deltas") this.abandonSnapshot();
        this.goLive();
        this.armGapCheck();
      }
    });
  }

  private goLive(): void {
    this.attempt = 0;
    if (!this.stalled) this.target.status("live", undefined);
    this.target.ready();
  }

  private onSnapshot(payload: unknown): void {
    const parsed = parseSnapshot(payload);
    if (!parsed.ok) {
      this.drop("snapshot.invalid", parsed.error);
      return;
    }
    const part = parsed.value;
    if (!this.awaitingSnapshot && !this.subscribing) {
      this.drop("snapshot.unsolicited", { epoch: part.epoch, seq: part.seq, part: part.part });
      return;
    }
    const complete = this.snapshots.add(part);
    if (complete === "too_large") {
      this.dropped["snapshot.too_large"] = (this.dropped["snapshot.too_large"] ?? 0) + 1;
      this.drops.note("snapshot.too_large", "warn", "a snapshot passed its byte cap; dropped it and asking again", { maxBytes: this.timing.snapshotBytes, part: part.part, parts: part.parts });
      this.abandonSnapshot();
      this.wantSnapshot = true;
      this.armGapCheck();
      return;
    }
    if (!complete) {
      this.armSnapshotTimeout();
      return;
    }
    this.abandonSnapshot();
    this.wantSnapshot = false;
    this.snapshotsApplied++;
    this.target.applySnapshot({ ...complete, at: this.serverTime ?? new Date().toISOString() });
    this.drain();
    this.goLive();
    this.armGapCheck();
  }

  /** A snapshot that stops making progress for this long is abandoned and asked for again. */
  private armSnapshotTimeout(): void {
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      if (!this.awaitingSnapshot && !this.snapshots.collecting) return;
      this.drop("snapshot.incomplete", { received: this.snapshots.progress() });
      this.abandonSnapshot();
      this.subscribe(true);
    }, this.timing.snapshotTimeoutMs);
  }

  private abandonSnapshot(): void {
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = null;
    this.snapshots.clear();
    this.awaitingSnapshot = false;
  }

  private onDelta(payload: unknown): void {
    const parsed = parseDeltaMessage(payload);
    if (!parsed.ok) {
      this.drop("delta.invalid", parsed.error);
      return;
    }
    const delta = parsed.value;
    if (delta.unknownEvents > 0) this.dropped["delta.unknown_event"] = (this.dropped["delta.unknown_event"] ?? 0) + delta.unknownEvents;
    if (this.awaitingSnapshot || this.snapshots.collecting) {
      // Deltas racing the snapshot: kept, and applied after it if they follow its seq.
      this.buffer(delta);
      return;
    }
    const { epoch, lastSeq } = this.target.position();
    if (delta.epoch !== epoch) {
      this.drop("delta.foreign_epoch", { epoch: delta.epoch, seq: delta.seq });
      if (this.subscribed && Date.now() - this.lastForeignResync >= FOREIGN_RESYNC_MIN_MS) {
        this.lastForeignResync = Date.now();
        this.subscribe(true);
      }
      return;
    }
    if (delta.seq <= lastSeq) {
      this.drop("delta.repeat", { seq: delta.seq });
      return;
    }
    // In order, the common case, it goes straight on: only deltas that wait are sized.
    if (delta.seq === lastSeq + 1) this.target.applyDelta(delta);
    else this.buffer(delta);
    this.drain();
    if (this.buffered.size > 0 || this.wantSnapshot) this.armGapCheck();
  }

  /**
   * Keeps a delta that cannot apply yet. Past the buffer's caps, everything
   * buffered goes and the next resubscribe asks for a snapshot (a snapshot
   * being collected still applies; the gap after it is asked for then).
   */
  private buffer(delta: ParsedDelta): void {
    if (this.buffered.add(delta)) return;
    this.dropped["delta.buffer_full"] = (this.dropped["delta.buffer_full"] ?? 0) + 1;
    this.drops.note("delta.buffer_full", "warn", "buffered deltas passed their cap; dropped them and asking for a snapshot", {
      deltas: this.buffered.size,
      bytes: this.buffered.bytes,
      maxBytes: this.timing.bufferedDeltaBytes,
      seq: delta.seq,
    });
    this.buffered.clear();
    this.headSeq = Math.max(this.headSeq, delta.seq);
    // While a snapshot is on its way, it is the snapshot asked for: the deltas after it are asked for once it applies.
    if (!this.awaitingSnapshot && !this.snapshots.collecting) this.wantSnapshot = true;
  }

  /** Applies buffered deltas that continue the sequence; forgets the ones already covered. */
  private drain(): void {
    const { epoch } = this.target.position();
    let { lastSeq } = this.target.position();
    const covered = lastSeq;
    this.buffered.prune((delta) => delta.seq <= covered || delta.epoch !== epoch);
    for (let next = this.buffered.get(lastSeq + 1); next; next = this.buffered.get(lastSeq + 1)) {
      this.buffered.delete(next.seq);
      this.target.applyDelta(next);
      lastSeq = next.seq;
    }
  }

  /**
   * Missing seqs (a hole before buffered deltas, or a heartbeat ahead of us)
   * cost a resubscribe only when nothing moved for `gapWaitMs`: reordered or
   * in-flight deltas get the chance to arrive first. Resubscribes close
   * together back off (ResubscribeBackoff); a dropped buffer or snapshot
   * asks for a snapshot the same way.
   */
  private armGapCheck(waitMs = this.timing.gapWaitMs): void {
    if (this.gapTimer) return;
    const seenAt = this.target.position().lastSeq;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      if (!this.subscribed || this.subscribing || this.awaitingSnapshot || this.snapshots.collecting) return;
      const { lastSeq } = this.target.position();
      const wanted = Math.max(this.headSeq, this.buffered.highestSeq());
      const full = this.wantSnapshot;
      if (!full && lastSeq >= wanted) return;
      if (!full && lastSeq > seenAt) {
        this.armGapCheck();
        return;
      }
      const backoff = this.resubscribes.waitMs();
      if (backoff > 0) {
        this.armGapCheck(backoff);
        return;
      }
      this.resubscribes.went();
      this.options.log("info", full ? "asking for a snapshot" : "sequence gap; resubscribing", { lastSeq, wanted });
      this.subscribe(full);
    }, waitMs);
  }

  private armStall(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      this.stallTimer = null;
      if (this.stopped || !this.socket) return;
      if (!this.stalled) {
        this.stalled = true;
        this.target.status("stalled", { code: "no_heartbeat", seconds: Math.round(this.timing.stallAfterMs / 1000) });
        this.armStall();
        return;
      }
      // Still silent a whole stall period later: a fresh connection may reach a healthy server.
      this.teardown();
      this.scheduleReconnect(this.backoffMs());
    }, this.timing.stallAfterMs);
  }

  private onHeartbeat(payload: unknown): void {
    const heartbeat = parseHeartbeat(payload);
    if (!heartbeat.ok) {
      this.drop("heartbeat.invalid", heartbeat.error);
      return;
    }
    this.armStall();
    this.clockOffset = Date.parse(heartbeat.value.serverTime) - Date.now();
    this.headSeq = Math.max(this.headSeq, heartbeat.value.headSeq);
    if (this.stalled) {
      this.stalled = false;
      if (this.subscribed && !this.awaitingSnapshot) this.target.status("live", undefined);
    }
    if (heartbeat.value.headSeq > this.target.position().lastSeq) this.armGapCheck();
  }

  private onPositions(payload: unknown): void {
    const frame = parsePositions(payload);
    if (!frame.ok) {
      this.drop("positions.invalid", frame.error);
      return;
    }
    if (frame.dropped) this.dropped["positions.fix_invalid"] = (this.dropped["positions.fix_invalid"] ?? 0) + frame.dropped;
    if (frame.value.fixes.length > 0) this.target.applyFixes(frame.value.fixes);
  }
}
