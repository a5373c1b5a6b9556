import { describe, expect, it } from "vitest";
import { RecoveryPolicy, isFailure } from "./recovery.js";

describe("RecoveryPolicy", () => {
  const options = { firstDelayMs: 1000, maxDelayMs: 8000, healthyAfterMs: 60_000, hangGraceMs: 5000 };

  it("doubles the reload delay on each failure up to the ceiling", () => {
    const policy = new RecoveryPolicy(options);
    expect([0, 10, 20, 30, 40, 50].map((t) => policy.failed(t))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it("starts again from the first delay once the window stayed healthy long enough", () => {
    const policy = new RecoveryPolicy(options);
    policy.failed(0);
    policy.failed(1000);
    expect(policy.failed(1000 + 60_000)).toBe(1000);
    expect(policy.consecutiveFailures).toBe(1);
  });

  it("treats every exit but a clean one as a failure", () => {
    expect(isFailure("crashed")).toBe(true);
    expect(isFailure("oom")).toBe(true);
    expect(isFailure("clean-exit")).toBe(false);
  });
});
