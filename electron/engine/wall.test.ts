import { describe, expect, it } from "vitest";
import type { WallState } from "../../shared/bridge/wall.js";
import { WallBoard, type WallClock } from "./wall.js";

const OPERATOR = { id: "duty", name: "李明" };

/** A clock the test moves: timers fire when `advance` passes them. */
function manualClock(start: number): WallClock & { advance: (ms: number) => void } {
  let now = start;
  let timers: { at: number; run: () => void; id: number }[] = [];
  let next = 0;
  return {
    now: () => now,
    setTimer: (run, ms) => {
      const timer = { at: now + ms, run, id: next++ };
      timers.push(timer);
      return timer.id;
    },
    clearTimer: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    advance: (ms) => {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const timer of due) timer.run();
    },
  };
}

describe("the wall's push", () => {
  it("tells every page what was pushed, by whom and until when, and returns to the rotation when its time runs out", () => {
    const clock = manualClock(Date.parse("2026-12-06T10:00:00+08:00"));
    const told: WallState[] = [];
    const board = new WallBoard({ minutes: 5, changed: (state) => told.push(state) }, clock);
    const push = board.push("incident", "DC1", OPERATOR);
    expect(push).toMatchObject({ kind: "incident", targetId: "DC1", by: OPERATOR, at: "2026-12-06T10:00:00.000+08:00", until: "2026-12-06T10:05:00.000+08:00" });
    expect(told).toEqual([{ push }]);
    clock.advance(4 * 60_000);
    expect(board.state().push).toBe(push);
    clock.advance(60_000);
    expect(board.state()).toEqual({ push: null });
    expect(told.at(-1)).toEqual({ push: null });
  });

  it("a take-back naming an older push leaves the newer one up; a newer push restarts the time", () => {
    const clock = manualClock(0);
    const board = new WallBoard({ minutes: 5, changed: () => undefined }, clock);
    const first = board.push("unit", "u1", OPERATOR);
    clock.advance(4 * 60_000);
    const second = board.push("grid", "110101001001001", OPERATOR, 2);
    expect(board.clear(first.pushId)).toBe(false);
    clock.advance(90_000);
    // The first push's five minutes have passed; the second's two have not.
    expect(board.state().push).toBe(second);
    expect(board.clear(second.pushId)).toBe(true);
    expect(board.clear()).toBe(false);
    expect(board.state().push).toBeNull();
  });
});
