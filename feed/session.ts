import type { Socket } from "socket.io";
import type { Delta, Heartbeat, PositionsFrame } from "../shared/protocol/types.js";
import type { ChaosSettings } from "./chaos.js";
import { extendedDelta, MALFORMED_KINDS, malformedMessage } from "./chaos.js";
import type { Rng } from "./rng.js";

/*
 * One console connection: whether it has subscribed (before that it gets no
 * snapshot and no delta), and the chaos applied to what it is sent.
 */

const REORDER_HOLD_MS = 300;

export class ConsoleSession {
  subscribed = false;
  private stalledUntil = 0;
  private held: { delta: Delta; timer: NodeJS.Timeout } | null = null;

  constructor(
    readonly socket: Socket,
    private readonly chaos: () => ChaosSettings,
    private readonly rng: Rng,
    private readonly head: () => { epoch: string; seq: number; now: number },
  ) {}

  get stalled(): boolean {
    return Date.now() < this.stalledUntil;
  }

  stall(ms: number): void {
    this.stalledUntil = Date.now() + ms;
  }

  /** Called when a (re)subscribe starts: anything held back belongs to the old stream. */
  reset(): void {
    if (this.held) clearTimeout(this.held.timer);
    this.held = null;
    this.subscribed = false;
  }

  /** A delta of the live stream, through the chaos settings. */
  sendDelta(delta: Delta): void {
    if (!this.subscribed || this.stalled) return;
    const chaos = this.chaos();
    if (chaos.malformed > 0 && this.rng.chance(chaos.malformed)) this.sendMalformed();
    if (this.held) {
      const held = this.held;
      clearTimeout(held.timer);
      this.held = null;
      this.emitDelta(delta, chaos);
      this.emitDelta(held.delta, chaos);
      return;
    }
    if (chaos.reorder > 0 && this.rng.chance(chaos.reorder)) {
      const timer = setTimeout(() => {
        if (this.held?.delta === delta) {
          this.held = null;
          this.emitDelta(delta, this.chaos());
        }
      }, REORDER_HOLD_MS);
      this.held = { delta, timer };
      return;
    }
    this.emitDelta(delta, chaos);
  }

  private emitDelta(delta: Delta, chaos: ChaosSettings): void {
    if (this.stalled) return;
    const payload = chaos.extend > 0 && this.rng.chance(chaos.extend) ? extendedDelta(delta) : delta;
    this.socket.emit("delta", payload);
    if (chaos.repeat > 0 && this.rng.chance(chaos.repeat)) this.socket.emit("delta", payload);
  }

  /** Replayed deltas and snapshot parts go out undistorted: chaos is for the live stream. */
  sendDirect(event: "delta" | "snapshot", payload: unknown): void {
    this.socket.emit(event, payload);
  }

  sendPositions(frame: PositionsFrame): void {
    if (this.subscribed && !this.stalled) this.socket.volatile.emit("positions", frame);
  }

  sendHeartbeat(heartbeat: Heartbeat): void {
    if (!this.stalled) this.socket.emit("heartbeat", heartbeat);
  }

  sendMalformed(kind = this.rng.pick(MALFORMED_KINDS)): void {
    const [event, payload] = malformedMessage(kind, this.head(), this.rng);
    this.socket.emit(event, payload);
  }

  /**
   * Cuts the connection the way a network failure or a platform restart does
   * (the client sees "transport close" and reconnects by itself), not with a
   * polite disconnect packet, after which a socket.io client stays away.
   */
  close(): void {
    this.reset();
    this.socket.conn.close();
  }
}
