import { describe, expect, it } from "vitest";
import { minTextPx, rootFontPx, wallShape } from "./wall-layout.js";

describe("wall layout", () => {
  it("takes the layout from the window's shape: 1080p and 4K are 16:9, 5120×2160 is 21:9, 7680×2160 is 32:9, 11520×2160 is 48:9", () => {
    expect(wallShape(1920, 1080)).toBe("16:9");
    expect(wallShape(3840, 2160)).toBe("16:9");
    expect(wallShape(1920, 1200)).toBe("16:9");
    expect(wallShape(5120, 2160)).toBe("21:9");
    expect(wallShape(3440, 1440)).toBe("21:9");
    expect(wallShape(7680, 2160)).toBe("32:9");
    expect(wallShape(5120, 1440)).toBe("32:9");
    expect(wallShape(11520, 2160)).toBe("48:9");
  });

  it("lets the configuration name the layout whatever the window reports", () => {
    expect(wallShape(1920, 1080, "32:9")).toBe("32:9");
    expect(wallShape(7680, 2160, "16:9")).toBe("16:9");
    expect(wallShape(7680, 2160, "auto")).toBe("32:9");
  });

  it("falls back to 16:9 before the window has a size", () => {
    expect(wallShape(0, 0)).toBe("16:9");
  });

  it("keeps the smallest text at 14 px on 1080p and 28 px on every wall 2160 px high, following theme.css's root size", () => {
    expect(rootFontPx(1920, 1080)).toBe(16);
    expect(minTextPx(1920, 1080)).toBe(14);
    expect(minTextPx(3840, 2160)).toBe(28);
    expect(minTextPx(5120, 2160)).toBe(28);
    expect(minTextPx(7680, 2160)).toBe(28);
    expect(minTextPx(11520, 2160)).toBe(28);
  });
});
