import { describe, expect, it } from "vitest";
import { nextRedrawAt, PACING, RedrawPacer } from "./redraw-pacing.js";

describe("redraw pacing", () => {
  it("keeps the source's own interval when frames are cheap (a GPU)", () => {
    expect(nextRedrawAt(1000, 500, null)).toBe(1500);
    expect(nextRedrawAt(1000, 500, { endedAt: 1020, costMs: 20 })).toBe(1500);
    expect(nextRedrawAt(1000, 250, { endedAt: 1016, costMs: 16 })).toBe(1250);
  });

  it("stretches the interval to factor × the last frame's cost after that frame", () => {
    expect(nextRedrawAt(1000, 500, { endedAt: 1900, costMs: 900 }, { factor: 2, maxMs: 6000 })).toBe(1900 + 1800);
    expect(nextRedrawAt(1000, 250, { endedAt: 1400, costMs: 400 }, { factor: 3, maxMs: 6000 })).toBe(1400 + 1200);
  });

  it("never holds a source back more than maxMs after a frame", () => {
    expect(nextRedrawAt(0, 500, { endedAt: 10_000, costMs: 9000 }, { factor: 2, maxMs: 6000 })).toBe(16_000);
  });

  it("ignores a negative cost", () => {
    expect(nextRedrawAt(0, 500, { endedAt: 100, costMs: -50 })).toBe(500);
  });

  it("measures a frame from the first request to the end of the draw", () => {
    const pacer = new RedrawPacer();
    pacer.drawn(50);
    expect(pacer.lastFrame).toBeNull();
    pacer.requested(100);
    pacer.requested(300);
    pacer.drawn(1100);
    expect(pacer.lastFrame).toEqual({ endedAt: 1100, costMs: 1000 });
    // A frame nobody paced asked for (panning) leaves the measure alone.
    pacer.drawn(1200);
    expect(pacer.lastFrame).toEqual({ endedAt: 1100, costMs: 1000 });
    expect(pacer.delay(1100, 100, 500)).toBe(PACING.factor * 1000);
    expect(pacer.delay(5000, 100, 500)).toBe(0);
  });

  it("counts a frame asked for and not drawn yet as costing the time since", () => {
    const pacer = new RedrawPacer({ factor: 2, maxMs: 6000 });
    pacer.requested(1000);
    expect(pacer.delay(1000, 1000, 500)).toBe(500);
    expect(pacer.delay(1400, 1000, 500)).toBe(800);
    pacer.drawn(1400);
    expect(pacer.delay(1400, 1000, 500)).toBe(800);
  });
});
