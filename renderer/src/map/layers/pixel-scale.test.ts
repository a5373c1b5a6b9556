import { describe, expect, it } from "vitest";
import { pixelScaleOf, tileSizeFor } from "./pixel-scale.js";

describe("pixel scale", () => {
  it("is 1 at the 1080p root font size and 2 at 4K's, like the wall's rem", () => {
    expect(pixelScaleOf(16)).toBe(1);
    expect(pixelScaleOf(32)).toBe(2);
    expect(pixelScaleOf(21.3333)).toBeCloseTo(1.3333, 4);
  });

  it("falls back to 1 when the root font size cannot be read", () => {
    expect(pixelScaleOf(Number.NaN)).toBe(1);
    expect(pixelScaleOf(0)).toBe(1);
  });

  it("steps the raster tile size by powers of two only, so a small resize refetches no tile", () => {
    expect(tileSizeFor(1)).toBe(256);
    expect(tileSizeFor(1.2)).toBe(256);
    expect(tileSizeFor(2)).toBe(512);
    expect(tileSizeFor(1.6)).toBe(512);
    expect(tileSizeFor(4)).toBe(1024);
    expect(tileSizeFor(0.625)).toBe(256);
  });
});
