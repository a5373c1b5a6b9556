import { describe, expect, it } from "vitest";
import { recomputeInterval } from "./hooks.js";

describe("recomputeInterval", () => {
  it("recomputes the situation at most once a second when it is cheap", () => {
    expect(recomputeInterval(0)).toBe(1000);
    expect(recomputeInterval(12)).toBe(1000);
    expect(recomputeInterval(200)).toBe(1000);
  });

  it("gives a costly computation no more than a fifth of the main thread, in whole seconds", () => {
    expect(recomputeInterval(201)).toBe(2000);
    expect(recomputeInterval(1500)).toBe(8000);
    expect(recomputeInterval(1500) / 1500).toBeGreaterThanOrEqual(5);
  });

  it("still recomputes at least every 30 s, however slow", () => {
    expect(recomputeInterval(20_000)).toBe(30_000);
  });
});
