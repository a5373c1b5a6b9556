import { describe, expect, it } from "vitest";
import { scrollFor, visibleRange } from "./useFixedRows.js";

describe("the queue's fixed-height rows", () => {
  it("draws the rows the viewport shows, with overscan, clamped to the list", () => {
    // 72 px rows, a 720 px viewport: rows 0-9 show at the top.
    expect(visibleRange(0, 720, 72, 100_000, 0)).toEqual({ first: 0, last: 9 });
    expect(visibleRange(0, 720, 72, 100_000, 6)).toEqual({ first: 0, last: 15 });
    // Scrolled half a row: row 10 shows in part too.
    expect(visibleRange(36, 720, 72, 100_000, 0)).toEqual({ first: 0, last: 10 });
    expect(visibleRange(72 * 50_000, 720, 72, 100_000, 6)).toEqual({ first: 49_994, last: 50_015 });
    // The end of the list, a list shorter than the viewport, and none.
    expect(visibleRange(72 * 99_995, 720, 72, 100_000, 6)).toEqual({ first: 99_989, last: 99_999 });
    expect(visibleRange(0, 720, 72, 3, 6)).toEqual({ first: 0, last: 2 });
    expect(visibleRange(0, 720, 72, 0, 6)).toBeNull();
    // Before the first layout (no height yet) the first row still draws, and a scroll past the end (the list shrank) keeps the last rows.
    expect(visibleRange(0, 0, 72, 10, 0)).toEqual({ first: 0, last: 0 });
    expect(visibleRange(72 * 500, 720, 72, 10, 0)).toEqual({ first: 9, last: 9 });
  });

  it("scrolls as little as it must to bring a row into view", () => {
    expect(scrollFor(3, 0, 720, 72)).toBeNull();
    // Below the viewport: its bottom edge to the viewport's.
    expect(scrollFor(10, 0, 720, 72)).toBe(72);
    // Above it: its top edge to the viewport's.
    expect(scrollFor(2, 720, 720, 72)).toBe(144);
    expect(scrollFor(0, 5, 720, 72)).toBe(0);
  });
});
