import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_TIMING, ResubscribeBackoff, backoffDelay } from "./sync-timing.js";

describe("reconnect backoff", () => {
  it("doubles from the base and stops at the cap", () => {
    const top = () => 1;
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, DEFAULT_TIMING, top))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(50, DEFAULT_TIMING, top)).toBe(30_000);
  });

  it("always waits between half the ceiling and the ceiling, never longer than the cap", () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        const delay = backoffDelay(attempt, DEFAULT_TIMING, () => random);
        const ceiling = Math.min(30_000, 500 * 2 ** Math.min(attempt, 20));
        return delay >= ceiling / 2 && delay <= ceiling && delay <= DEFAULT_TIMING.backoffMaxMs;
      }),
    );
  });
});

describe("resubscribe backoff", () => {
  it("lets the first go at once, spaces repeats by the doubled gap wait up to the cap, and forgets them after a quiet spell", () => {
    let now = 0;
    const backoff = new ResubscribeBackoff({ gapWaitMs: 500, backoffMaxMs: 30_000 }, () => now);
    const spacings: number[] = [];
    for (let n = 0; n < 8; n++) {
      const wait = backoff.waitMs();
      spacings.push(wait);
      now += wait;
      expect(backoff.waitMs()).toBe(0);
      backoff.went();
    }
    expect(spacings).toEqual([0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    now += 60_000;
    expect(backoff.waitMs()).toBe(0);
    backoff.went();
    expect(backoff.waitMs()).toBe(1_000);
  });
});
