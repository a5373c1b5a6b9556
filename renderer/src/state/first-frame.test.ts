import { afterEach, describe, expect, it } from "vitest";
import { mapDrawnWithRegion, resetMapDrawn, whenMapDrawn } from "./first-frame.js";

afterEach(resetMapDrawn);

describe("the map's first drawn region", () => {
  it("runs what waits for it once, when the map first draws, and at once after that", () => {
    const calls: string[] = [];
    whenMapDrawn(() => calls.push("a"));
    const cancel = whenMapDrawn(() => calls.push("cancelled"));
    cancel();
    expect(calls).toEqual([]);
    mapDrawnWithRegion();
    mapDrawnWithRegion();
    expect(calls).toEqual(["a"]);
    whenMapDrawn(() => calls.push("late"));
    expect(calls).toEqual(["a", "late"]);
  });
});
