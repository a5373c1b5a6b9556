import { randomUUID } from "node:crypto";
import { toBeijingIso } from "../../shared/domain/time.js";
import type { Operator } from "../../shared/protocol/types.js";
import type { WallPush, WallPushKind, WallState } from "../../shared/bridge/wall.js";

/*
 * 推送上墙: the one item an operator has put on the wall, until it is taken
 * back or its time runs out; every change is told to every page through
 * `changed` (the engine's `wall` event). Kept in memory only: a restarted
 * console starts with the wall on its rotation, which is where a wall
 * nobody is tending should be.
 */

export type WallClock = {
  now: () => number;
  setTimer: (run: () => void, ms: number) => unknown;
  clearTimer: (timer: unknown) => void;
};

const systemClock: WallClock = {
  now: () => Date.now(),
  setTimer: (run, ms) => {
    const timer = setTimeout(run, ms);
    // A push running out never keeps the process alive.
    timer.unref?.();
    return timer;
  },
  clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

export class WallBoard {
  private current: WallPush | null = null;
  private timer: unknown = null;

  constructor(
    private readonly options: { minutes: number; changed: (state: WallState) => void },
    private readonly clock: WallClock = systemClock,
  ) {}

  state(): WallState {
    return { push: this.current };
  }

  /** Puts `kind`/`targetId` up as `by` for `minutes` (else the configured time), replacing whatever was up. */
  push(kind: WallPushKind, targetId: string, by: Operator, minutes = this.options.minutes): WallPush {
    const at = this.clock.now();
    const until = at + minutes * 60_000;
    this.current = { pushId: randomUUID(), kind, targetId, by, at: toBeijingIso(at), until: toBeijingIso(until) };
    this.arm(until - at);
    this.options.changed(this.state());
    return this.current;
  }

  /** Takes the push back: `pushId` names the one meant (a newer push stays); absent, whatever is up. */
  clear(pushId?: string): boolean {
    if (!this.current || (pushId !== undefined && this.current.pushId !== pushId)) return false;
    this.current = null;
    this.arm(null);
    this.options.changed(this.state());
    return true;
  }

  stop(): void {
    this.arm(null);
  }

  private arm(ms: number | null): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    if (ms === null) return;
    const pushId = this.current?.pushId;
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.clear(pushId);
    }, ms);
  }
}
